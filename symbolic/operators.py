"""The term store: an operator expression is a map from canonical word to coefficient.

Modelled on QuantumAlgebra.jl's ``Dict{QuTerm,Number}``: an
:class:`OperatorExpr` maps ``(dummies, word)`` keys to SymPy coefficients,
where ``dummies`` are the summed indices of the term (with their upper limits)
and ``word`` a normal-ordered operator word (:mod:`heatbounds.symbolic.words`).
Every expression is canonical when built (:mod:`heatbounds.symbolic.canonical`):
coefficients expanded to one normal form, Kronecker deltas eliminated against
summed dummies, a term with deltas on free indices written with one
representative index per class (a free index is never eliminated), dummies
renamed canonically, zero coefficients dropped -- so equal expressions are
equal dicts, and an expression equal to zero has no terms.

Examples
--------
>>> from heatbounds.symbolic.operators import Boson, Spin
>>> a = Boson("a")
>>> a.annihilate * a.create == a.create * a.annihilate + 1
True
>>> s = Spin("sigma")
>>> s.x * s.y == 1j * s.z
True
"""

from __future__ import annotations

from itertools import groupby

from sympy import Add, Basic, I, Integer, S, Symbol, conjugate, sympify

from heatbounds.symbolic.canonical import apart as _apart
from heatbounds.symbolic.canonical import canonical_terms
from heatbounds.symbolic.coefficients import canonical
from heatbounds.symbolic.coefficients import is_exact as _is_exact
from heatbounds.symbolic.coefficients import is_zero as _is_zero
from heatbounds.symbolic.coefficients import multiply as _multiply
from heatbounds.symbolic.coefficients import to_coeff as _to_coeff
from heatbounds.symbolic.errors import IndexMismatchError, OperatorAlgebraError
from heatbounds.symbolic.families import BATH_NAME, FAMILIES, LEVELS
from heatbounds.symbolic.fermions import FERMION_SECTOR, FERMIONS
from heatbounds.symbolic.indices import Index, LevelIndex, ModeIndex
from heatbounds.symbolic.words import (
    AbstractOperator,
    word_adjoint_signed,
    word_identify,
    word_indices,
    word_key,
    word_product,
)

__all__ = [
    "Abstract",
    "Bath",
    "Boson",
    "Fermion",
    "Levels",
    "OperatorExpr",
    "Spin",
    "level_sum",
    "mode_sum",
    "ordered_product",
]


class OperatorExpr:
    """A linear combination of normal-ordered operator words (the term store).

    Build expressions from the operator families (:class:`Boson`,
    :class:`Spin`, :class:`Levels`, :class:`Bath`, :class:`Abstract`) with
    ``+``, ``-``, ``*``, ``**`` (non-negative integer powers) and c-number
    coefficients (SymPy expressions or numbers).
    """

    __slots__ = ("terms",)

    def __init__(self, terms: dict | None = None):
        self.terms: dict = terms if terms is not None else {}

    # --- construction -------------------------------------------------------------
    @classmethod
    def from_word(cls, word, coeff=1, dummies: tuple = ()) -> OperatorExpr:
        return cls._collect([(coeff, dummies, word)])

    @classmethod
    def scalar(cls, value) -> OperatorExpr:
        return cls._collect([(_to_coeff(value), (), ())])

    @classmethod
    def _collect(cls, raw) -> OperatorExpr:
        """Canonicalise raw ``(coeff, dummies, word)`` triples into a new expression."""
        parts: dict = {}
        for coeff, dummies, word in raw:
            if _is_zero(coeff):
                continue
            for c, d, w in canonical_terms(coeff, dummies, word):
                parts.setdefault((d, w), []).append(c)
        return cls._summed(parts)

    @classmethod
    def _summed(cls, parts: dict, cancelled=frozenset()) -> OperatorExpr:
        """The expression whose term ``key`` is the sum of the canonical ``parts[key]``
        (each key of ``cancelled`` lost pairs of opposite parts: it is summed
        as if they were there, and is dropped where no part is left)."""
        terms = {}
        for key, coeffs in parts.items():
            if key in cancelled:
                if not coeffs:
                    continue
                total = canonical(Add(*coeffs))
            else:
                total = coeffs[0] if len(coeffs) == 1 else canonical(Add(*coeffs))
            if not _is_zero(total):
                terms[key] = total
        return cls(terms)

    # --- algebra ------------------------------------------------------------------
    @staticmethod
    def _coerce(other) -> OperatorExpr:
        if isinstance(other, OperatorExpr):
            return other
        return OperatorExpr.scalar(other)

    def __add__(self, other) -> OperatorExpr:
        other = self._coerce(other)
        raw = [(c, d, w) for (d, w), c in self.terms.items()]
        raw += [(c, d, w) for (d, w), c in other.terms.items()]
        return OperatorExpr._collect_fast(raw)

    __radd__ = __add__

    def __neg__(self) -> OperatorExpr:
        return OperatorExpr({k: canonical(-c) for k, c in self.terms.items()})

    def __sub__(self, other) -> OperatorExpr:
        return self + (-self._coerce(other))

    def __rsub__(self, other) -> OperatorExpr:
        return self._coerce(other) - self

    def __mul__(self, other) -> OperatorExpr:
        if not isinstance(other, OperatorExpr):
            value = _to_coeff(other)
            if _is_zero(value):
                return OperatorExpr()
            raw = [(c * value, d, w) for (d, w), c in self.terms.items()]
            if isinstance(value, Basic) and not value.is_number:
                return OperatorExpr._collect(raw)  # free-index deltas may rewrite it
            return OperatorExpr._collect_fast(raw)
        return self._product(other, contractions=True)

    def _product(self, other: OperatorExpr, *, contractions: bool) -> OperatorExpr:
        """``self * other`` term by term, normal ordered with or without contractions."""
        raw = []
        for (d1, w1), c1 in self.terms.items():
            for (d2, w2), c2 in other.terms.items():
                d2, w2, c2 = _apart(d1, d2, w2, c2)
                dummies = d1 + d2
                products = word_product(w1, w2, contractions=contractions)
                exact = bool(products) and _is_exact(c1) and _is_exact(c2)
                c12 = _multiply(c1, c2) if exact else None
                for weight, word in products:
                    if exact and _is_exact(weight):
                        raw.append((_multiply(c12, weight), dummies, word))
                    else:  # floats: the product exactly as written, in this order
                        raw.append((c1 * c2 * weight, dummies, word))
        return OperatorExpr._collect(raw)

    def __rmul__(self, other) -> OperatorExpr:
        return self * other  # c-numbers commute with operators

    def __truediv__(self, other) -> OperatorExpr:
        if isinstance(other, OperatorExpr):
            raise OperatorAlgebraError("cannot divide by an operator")
        return self * (S.One / _to_coeff(other))

    def __pow__(self, power: int) -> OperatorExpr:
        if not isinstance(power, int) or isinstance(power, bool) or power < 0:
            raise OperatorAlgebraError(
                f"operator powers must be non-negative integers, got {power!r}"
            )
        result = OperatorExpr.scalar(1)
        base = self
        while power:
            if power & 1:
                result = result * base
            power >>= 1
            if power:
                base = base * base
        return result

    @classmethod
    def _collect_fast(cls, raw) -> OperatorExpr:
        """Collect terms whose words and dummies are already canonical (sums and
        c-number multiples); only their coefficients are brought to canonical form."""
        parts: dict = {}
        for coeff, dummies, word in raw:
            parts.setdefault((dummies, word), []).append(canonical(coeff))
        return cls._summed(parts)

    def dagger(self) -> OperatorExpr:
        """The Hermitian conjugate."""
        raw = []
        for (d, w), c in self.terms.items():
            sign, adjoint = word_adjoint_signed(w)
            raw.append((sign * (conjugate(c) if isinstance(c, Basic) else c), d, adjoint))
        return OperatorExpr._collect(raw)

    # --- inspection ---------------------------------------------------------------
    def __eq__(self, other) -> bool:
        if not isinstance(other, OperatorExpr):
            try:
                other = OperatorExpr.scalar(other)
            except OperatorAlgebraError:
                return NotImplemented
        if self.terms.keys() != other.terms.keys():
            return False
        return all(_is_zero(canonical(self.terms[k] - other.terms[k])) for k in self.terms)

    __hash__ = None  # mutable container semantics; compare with ==

    def is_zero(self) -> bool:
        return not self.terms

    def is_scalar(self) -> bool:
        """True when every term is a c-number (the identity word, no sums)."""
        return all(w == () and not d for d, w in self.terms)

    def scalar_part(self):
        """The coefficient of the identity (no sums); 0 if absent."""
        return self.terms.get(((), ()), S.Zero)

    def free_indices(self) -> set:
        """Indices that are not summed in some term."""
        out = set()
        for (d, w), c in self.terms.items():
            dummies = {x for x, _ in d}
            idx = {i for i in word_indices(w) if isinstance(i, Index)}
            if isinstance(c, Basic):
                idx |= {s for s in c.free_symbols if isinstance(s, Index)}
            out |= idx - dummies
        return out

    def subs_indices(self, mapping: dict) -> OperatorExpr:
        """Replace free indices (index -> index or int), re-canonicalising."""
        sym_map = {k: (v if isinstance(v, Index) else Integer(v)) for k, v in mapping.items()}
        word_map = dict(mapping)
        raw = []
        for (d, w), c in self.terms.items():
            c = c.xreplace(sym_map) if isinstance(c, Basic) else c
            raw += [
                (c if weight == 1 else weight * c, d, split)
                for weight, split in word_identify(w, word_map)
            ]
        return OperatorExpr._collect(raw)

    def __len__(self) -> int:
        return len(self.terms)

    def sorted_terms(self) -> list:
        """Terms as ``(coeff, dummies, word)`` in a deterministic order: by number of
        sums, word key, then the text of the coefficient (costly for a large one, and
        so only computed where the first two tie)."""

        def primary(kv):
            return (len(kv[0][0]), word_key(kv[0][1]))

        out = []
        for _, group in groupby(sorted(self.terms.items(), key=primary), key=primary):
            group = list(group)
            if len(group) > 1:
                group.sort(key=lambda kv: str(kv[1]))
            out.extend((c, d, w) for (d, w), c in group)
        return out

    def latex(self) -> str:
        """LaTeX of the operator expression (summed dummies as \\sum)."""
        from heatbounds.symbolic.printing import operator_latex

        return operator_latex(self)

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"

    def __str__(self) -> str:
        from heatbounds.symbolic.printing import operator_str

        return operator_str(self)

    __repr__ = __str__


# --- operator families ---------------------------------------------------------------


def _single(family: str, name: str, content) -> OperatorExpr:
    """One operator: ``content`` of the sector ``name`` of ``family`` (a family
    object or its key; an unknown family is refused with OperatorAlgebraError)."""
    block = ((FAMILIES[family].sector(name), content),)
    return OperatorExpr({((), (block,)): 1})


def ordered_product(*factors: OperatorExpr) -> OperatorExpr:
    """The normal-ordered product :f_1 f_2 ...: *without* contractions (issue 13).

    Creation operators are moved left of annihilation operators as if they
    commuted (bosons, bath modes) or anticommuted (fermions, with the sign of
    each exchange), and no contraction term is added; ``*`` is the full
    normal ordering, so that Wick's theorem reads ``a b = :a b: + <a b>_0``
    for two linear operators. Spins and levels have no contractions: their
    factors multiply as usual.

    >>> a, d = Boson("a"), Fermion("d")
    >>> ordered_product(a.annihilate, a.create)
    a^dag a
    >>> ordered_product(d.annihilate, d.create)
    -d^dag d
    >>> a.annihilate * a.create - ordered_product(a.annihilate, a.create)
    1
    """
    out = OperatorExpr.scalar(1)
    for factor in factors:
        if isinstance(factor, OperatorExpr):
            out = out._product(factor, contractions=False)
        else:
            out = out * factor
    return out


class Boson:
    """A single bosonic mode ``a`` with [a, a^dagger] = 1.

    >>> a = Boson("a")
    >>> a.annihilate * a.create
    1 + a^dag a
    """

    def __init__(self, name: str):
        self.name = name
        self.annihilate = _single("boson", name, (0, 1))
        self.create = _single("boson", name, (1, 0))

    @property
    def number(self) -> OperatorExpr:
        """The number operator a^dagger a."""
        return _single("boson", self.name, (1, 1))

    @property
    def x(self) -> OperatorExpr:
        """The dimensionless displacement a + a^dagger (Eq. 13's coupling operator)."""
        return self.annihilate + self.create


class Fermion:
    """A fermionic mode ``d`` with {d, d^dagger} = 1, anticommuting with every other
    fermion and commuting with bosons, spins and levels (issue 14).

    >>> d, e = Fermion("d_up"), Fermion("d_dn")
    >>> d.annihilate * d.create
    1 - d_up^dag d_up
    >>> d.annihilate * e.create == -(e.create * d.annihilate)
    True
    """

    def __init__(self, name: str):
        mode = (name, None, None)
        self.name = name
        self.annihilate = _single(FERMIONS, FERMION_SECTOR, ((), (mode,)))
        self.create = _single(FERMIONS, FERMION_SECTOR, ((mode,), ()))

    @property
    def number(self) -> OperatorExpr:
        """The number operator d^dagger d."""
        return self.create * self.annihilate


class Spin:
    """A spin-1/2 with Pauli operators ``x, y, z`` and ``plus, minus = (x ± i y)/2``."""

    def __init__(self, name: str = "sigma"):
        self.name = name
        self.x, self.y, self.z = (_single("spin", name, axis) for axis in "xyz")
        self.plus = (self.x + self.y * I) / 2
        self.minus = (self.x - self.y * I) / 2


class Levels:
    """An N-level system; ``levels[i, j]`` is the matrix unit ``|i><j|`` (Eq. 11).

    ``N`` is an int or a SymPy symbol; indices are ints in 1..N or
    :class:`~heatbounds.symbolic.indices.LevelIndex` symbols.
    """

    def __init__(self, name: str, size):
        self.name = name
        self.size = (
            Symbol(size, positive=True, integer=True) if isinstance(size, str) else sympify(size)
        )
        if self.size.is_number and (not self.size.is_Integer or self.size < 1):
            raise OperatorAlgebraError(f"levels {name!r}: size must be a positive integer")

    def _check(self, value):
        if isinstance(value, Index):
            if value.kind != "level":
                raise IndexMismatchError(
                    f"levels {self.name!r}: {value} is a {value.kind} index, not a level index"
                )
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            if value < 1 or (self.size.is_Integer and value > int(self.size)):
                raise IndexMismatchError(
                    f"levels {self.name!r}: level {value} outside 1..{self.size}"
                )
            return value
        raise IndexMismatchError(f"levels {self.name!r}: {value!r} is not a level index")

    def __getitem__(self, ij) -> OperatorExpr:
        i, j = ij
        return _single("levels", self.name, (self._check(i), self._check(j)))

    def identity_sum(self) -> OperatorExpr:
        """The completeness sum ``sum_n |n><n|`` (equal to 1 on this system)."""
        n = LevelIndex("_complete")
        return level_sum(self[n, n], n, self.size)

    def apply_completeness(self, expr: OperatorExpr) -> OperatorExpr:
        """``expr`` with every ``c * sum_n |n><n|`` of this system replaced by c (optional
        completeness, sum_n E_nn = 1); only terms whose coefficient does not depend on
        the summed n are touched.

        >>> A = Levels("A", 3)
        >>> A.apply_completeness(A.identity_sum() * 2 + A[1, 2])
        2 + A[1,2]
        """
        raw = []
        sector = LEVELS.sector(self.name)
        for (dummies, word), coeff in expr.terms.items():
            for d, upper in dummies:
                if (
                    upper == self.size
                    and word == (((sector, (d, d)),),)
                    and not (isinstance(coeff, Basic) and d in coeff.free_symbols)
                ):
                    rest = tuple(p for p in dummies if p[0] != d)
                    raw.append((coeff, rest, ()))
                    break
            else:
                raw.append((coeff, dummies, word))
        return OperatorExpr._collect(raw)


class Bath:
    """The bath modes b_{nu k} of Eq. 3, nu in {L, R}, k a mode index."""

    BATHS = ("L", "R")

    def __init__(self, family: str = BATH_NAME):
        self.family = family

    def _mode(self, nu: str, k):
        if nu not in self.BATHS:
            raise OperatorAlgebraError(f"bath must be one of {self.BATHS}, got {nu!r}")
        if isinstance(k, Index) and k.kind != "mode":
            raise IndexMismatchError(f"bath mode index {k} is a {k.kind} index")
        return (nu, k)

    def annihilate(self, nu: str, k) -> OperatorExpr:
        return _single("bath", self.family, ((), (self._mode(nu, k),)))

    def create(self, nu: str, k) -> OperatorExpr:
        return _single("bath", self.family, ((self._mode(nu, k),), ()))

    def displacement(self, nu: str, k) -> OperatorExpr:
        """b_{nu k} + b_{nu k}^dagger, the bath coordinate of Eq. 3."""
        return self.annihilate(nu, k) + self.create(nu, k)


class Abstract:
    """A user-declared operator with only linearity; its commutators stay unevaluated."""

    def __init__(self, name: str, *, hermitian: bool = False, latex: str | None = None):
        atom = AbstractOperator(name, latex or rf"\hat{{{name}}}", hermitian)
        self.op = OperatorExpr({((), (atom,)): 1})

    def __getattr__(self, item):  # pragma: no cover - convenience
        return getattr(self.op, item)


def _sum(expr: OperatorExpr, index: Index, upper, kind: str) -> OperatorExpr:
    if not isinstance(index, Index) or index.kind != kind:
        raise IndexMismatchError(f"a {kind} sum needs a {kind} index, got {index!r}")
    upper = sympify(upper)
    raw = []
    for (d, w), c in expr.terms.items():
        if any(x == index for x, _ in d):
            raise IndexMismatchError(f"index {index} is summed twice")
        raw.append((c, tuple(sorted((*d, (index, upper)), key=lambda p: p[0].name)), w))
    return OperatorExpr._collect(raw)


def level_sum(expr: OperatorExpr, index: LevelIndex, upper) -> OperatorExpr:
    """sum over ``index`` = 1..``upper`` of ``expr`` (a level sum)."""
    return _sum(expr, index, upper, "level")


def mode_sum(expr: OperatorExpr, index: ModeIndex, upper=None) -> OperatorExpr:
    """sum over the bath modes k of ``expr``; ``upper`` defaults to the symbol M."""
    return _sum(
        expr,
        index,
        upper if upper is not None else Symbol("M", positive=True, integer=True),
        "mode",
    )
