"""Expectation values: the linear map from operators to named SymPy symbols.

:func:`expectation` sends an operator expression to a c-number SymPy
expression in which each normal-ordered word ``W`` becomes an
:class:`Expectation` atom :math:`\\langle W \\rangle` and each summed dummy a
SymPy ``Sum`` -- over levels ``(n, 1, N)`` or bath modes ``(k, 1, M)``, with
``M`` the number of modes of each bath (``oo`` for a continuum).

An :class:`Expectation` carries the word's symbolic indices as its SymPy
arguments, so substitution and ``free_symbols`` work inside sums; its plain
text is an identifier (``sigma_x``, ``adag_a``) or, when the word has
indices, a function call of them (``A(j, l)``, ``A_bdag_L(j, l, p)``), so
that every printed expression is parseable by ``sympy.sympify``.

Examples
--------
>>> from heatbounds.symbolic.operators import Spin
>>> s = Spin("sigma")
>>> expectation(2 * s.x + 1)
2*sigma_x + 1
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cmp_to_key
from itertools import product

from sympy import Add, Basic, Expr, Integer, Mul, Piecewise, S, Sum, Tuple
from sympy.core.symbol import Str

from heatbounds.symbolic.indices import Index, LevelIndex, ModeIndex, SiteIndex
from heatbounds.symbolic.printing import readable_dummies, word_str
from heatbounds.symbolic.words import (
    word_adjoint_signed,
    word_identifier,
    word_indices,
    word_latex,
    word_rename_signed,
)

_INDEX_CLASS = {"level": LevelIndex, "mode": ModeIndex, "site": SiteIndex}

__all__ = ["Expectation", "WordKey", "expectation", "expectation_of_word", "sum_of"]


class WordKey(Str):
    """The operator word of an :class:`Expectation`, with placeholder indices.

    It carries the template word itself, so no registry maps text back to
    words. Its ``name`` is the word's plain text (``s_x``, ``A[_i0,_i1]``);
    equality and hashing also use the word's full structure (families, names,
    contents), so that operators of different families whose plain text is
    the same -- a spin ``s``'s ``s_x`` and a boson named ``s_x`` -- never
    give equal expectation values.
    """

    __slots__ = ("identity", "template")

    def __new__(cls, template):
        obj = Str.__new__(cls, word_str(template))
        obj.template = template
        # Every sector's (rank, family, name) and content, and every abstract
        # operator's label, LaTeX and hermiticity, spelled out deterministically
        # (the same in every process, so that ``srepr`` hashes are stable).
        obj.identity = _identity(template)
        return obj

    def __getnewargs__(self):
        return (self.template,)

    def _hashable_content(self):
        return (self.name, self.identity)

    def _sympyrepr(self, printer) -> str:
        return f"{type(self).__name__}({self.name!r}, {self.identity!r})"


class Expectation(Expr):
    """The expectation value :math:`\\langle W \\rangle` of one normal-ordered word.

    ``args`` are ``(WordKey(template), *indices)``: the template is the word
    with its index positions replaced by placeholders, the indices fill them in.
    """

    is_commutative = True

    def __new__(cls, key: WordKey, *indices):
        if not isinstance(key, WordKey):
            raise TypeError(
                f"Expectation takes a WordKey (use expectation_of_word), got {type(key).__name__}"
            )
        return Expr.__new__(cls, key, *indices)

    @property
    def key(self) -> str:
        """The plain text of the template word, e.g. ``A[_i0,_i1] b[L,_i2]``."""
        return self.args[0].name

    @property
    def template(self) -> tuple:
        """The word with placeholder indices (see :class:`WordKey`)."""
        return self.args[0].template

    @property
    def indices(self) -> tuple:
        return self.args[1:]

    def word(self) -> tuple:
        """The operator word with this atom's indices filled in.

        Fermion modes keep the template's order (filling in indices never
        re-sorts them, so no sign is lost); the word may then be unsorted.
        """
        template = self.template
        mapping = {
            p: v if isinstance(v, Index) else int(v)
            for p, v in zip(_placeholders(template), self.indices, strict=True)
        }
        return _filled(template, mapping)

    @property
    def identifier(self) -> str:
        """The base identifier (indices left out), e.g. ``A_bdag_L``."""
        return word_identifier(self.template)

    def signature(self) -> tuple[tuple, tuple]:
        """(indices, word) of this atom's family with generic index names.

        Level positions are named a, b, c, ... and mode positions p, q, ...,
        in order, so ``A_b_L(a, b, p)`` is ``<A[a,b] b[L,p]>`` whichever
        instance (``A_b_L(1, 3, p)``, ``A_b_L(n, m, p)``) this atom is.
        """
        template = self.template
        names = {"level": iter("abcdefgh"), "mode": iter("pqrstuvw"), "site": iter("ijlmno")}
        generic = {}
        for p in _placeholders(template):
            cls = _INDEX_CLASS[p.kind]
            generic[p] = cls(next(names[p.kind]))
        return tuple(generic.values()), _filled(template, generic)

    def _sympystr(self, printer) -> str:
        if not self.indices:
            return self.identifier
        if all(i.is_Integer for i in self.indices):
            return "_".join([self.identifier, *(str(i) for i in self.indices)])
        return f"{self.identifier}({', '.join(printer._print(i) for i in self.indices)})"

    def _latex(self, printer, exp=None) -> str:
        # SymPy passes ``exp=`` only to functions; accept it all the same.
        tex = rf"\langle {word_latex(self.word())} \rangle"
        return tex if exp is None else rf"{tex}^{{{exp}}}"

    def _eval_conjugate(self):
        # <W>^* = <W^dagger> in every state.
        sign, adjoint = word_adjoint_signed(self.word())
        return sign * expectation_of_word(adjoint)


def _filled(template, mapping: dict) -> tuple:
    """The template with its placeholders replaced by ``mapping``: even contents
    renamed (and re-sorted), odd ones filled in place."""
    out = []
    for segment in template:
        if isinstance(segment, tuple):
            segment = tuple(
                (
                    s,
                    _fill_in_place(s.family, c, mapping)
                    if s.family.parity
                    else s.family.rename(c, mapping),
                )
                for s, c in segment
            )
        out.append(segment)
    return tuple(out)


def _fill_in_place(family, content, mapping: dict):
    values = (mapping.get(v, v) for v in family.indices(content))
    return family.with_indices(content, values)


def _placeholders(template) -> list:
    return [v for v in word_indices(template) if isinstance(v, Index)]


def _template(word) -> tuple:
    """The word with every index position a fresh placeholder, and the values."""
    values: list = []

    def fresh(value, kind: str) -> Index:
        values.append(value)
        cls = _INDEX_CLASS[kind]
        return cls(f"_i{len(values) - 1}")

    out = []
    for segment in word:
        if isinstance(segment, tuple):
            segment = tuple((s, _placeholder_content(s.family, c, fresh)) for s, c in segment)
        out.append(segment)
    return tuple(out), tuple(v if isinstance(v, Index) else Integer(v) for v in values)


def _placeholder_content(family, content, fresh):
    """``content`` with each index position replaced by ``fresh(value, kind)``, in order."""
    kinds = family.index_kinds(content)
    if not kinds:
        return content
    placeholders = [fresh(v, k) for v, k in zip(family.indices(content), kinds, strict=True)]
    return family.with_indices(content, iter(placeholders))


def _identity(template) -> str:
    """The template spelled out: each sector as its plain ``(rank, family, name)``
    triple, then its content; abstract operators by their repr."""
    return repr(
        tuple(
            tuple((tuple(s), c) for s, c in segment) if isinstance(segment, tuple) else segment
            for segment in template
        )
    )


def expectation_of_word(word) -> Basic:
    """The :class:`Expectation` atom of one word (1 for the identity)."""
    if not word:
        return Integer(1)
    # Every index position becomes a placeholder, so that the template names the
    # operator content and the arguments carry the (symbolic or concrete) indices.
    template, values = _template(word)
    return Expectation(WordKey(template), *values)


def expectation(expr, *, write_out: bool = True) -> Basic:
    """<expr>: the expectation value as a SymPy expression (linear in the words).

    Summed dummies become ``Sum`` objects with readable bound variables chosen
    apart from the free indices; sums over a concrete number of levels are
    written out unless ``write_out`` is false.
    """
    free = {i.name for i in expr.free_indices()}
    pieces = []
    order = _cached_order()  # shared by the written-out sums of every term
    for coeff, dummies, word in expr.sorted_terms():
        mapping = readable_dummies(dummies, free)
        if mapping:
            sign, word = word_rename_signed(word, mapping)
            coeff = coeff.xreplace(mapping) if isinstance(coeff, Basic) else coeff
            coeff = coeff if sign == 1 else sign * coeff
        body = coeff * expectation_of_word(word)
        if dummies:
            # Symbolic ranges stay sums; sums over a concrete range are written out.
            symbolic = [Tuple(mapping[d], 1, u) for d, u in dummies if not u.is_Integer]
            concrete = [(mapping[d], int(u)) for d, u in dummies if u.is_Integer and write_out]
            symbolic += [
                Tuple(mapping[d], 1, u) for d, u in dummies if u.is_Integer and not write_out
            ]
            if concrete:
                # Every concrete sum written out at once: one substitution per
                # combination of values (the first index slowest), as the nested
                # substitutions would give, without their intermediate terms.
                indices = [index for index, _ in concrete]
                ranges = [[Integer(v) for v in range(1, upper + 1)] for _, upper in concrete]
                at = _written_out(coeff, expectation_of_word(word), indices, order)
                bodies = [at(values) for values in product(*ranges)]
            else:
                bodies = [body]
            limits = tuple(symbolic)
            plain = not (isinstance(coeff, Basic) and coeff.has(Piecewise))
            bodies = [sum_of(b, limits, plain) if limits else b for b in bodies if b != 0]
            body = Add(*bodies)
        pieces.append(body)
    return Add(*pieces)


def sum_of(function: Expr, limits: Sequence[Tuple], plain: bool = False) -> Expr:
    """``Sum(function, *limits)`` for limits ``Tuple(index, 1, upper)`` already in
    SymPy's form, without re-processing them (the same object SymPy builds).

    SymPy's constructor sympifies and checks the limits, denests a summand that
    is itself a ``Sum`` and folds ``Piecewise`` summands; the written-out sums of
    a concrete N-level model are thousands of plain summands, for which those
    steps change nothing (the other cases go to ``Sum``). ``plain`` says that the
    caller knows ``function`` holds no ``Piecewise`` (otherwise it is looked for).
    """
    if isinstance(function, Sum) or function is S.NaN or (not plain and function.has(Piecewise)):
        return Sum(function, *limits)
    obj = Expr.__new__(Sum)
    obj._args = (function, *limits)
    obj.is_commutative = function.is_commutative
    return obj


def _cached_order():
    """A sort key giving ``Basic.compare``'s order (that of Mul's and Add's arguments),
    each pair of objects compared once (written-out sums compare the same pairs often)."""
    seen: dict = {}

    def compare(a: Basic, b: Basic) -> int:
        key = (a, b)
        result = seen.get(key)
        if result is None:
            result = seen[key] = a.compare(b)
        return result

    return cmp_to_key(compare)


def _product(parts: list, order) -> Expr:
    """``Mul(*parts)``, built directly where that is plain: a rational number first, then
    factors with distinct symbolic bases in Mul's order (the same object)."""
    number, others, bases = Integer(1), [], set()
    for part in parts:
        if part.is_Rational:
            number *= part
            continue
        base = part.base if part.is_Pow else part
        plain = not (part.is_Add or part.is_Mul or base.is_number) and part.is_commutative
        if not plain or base in bases:
            return Mul(*parts)
        bases.add(base)
        others.append(part)
    if number == 0:
        return number
    if not others:
        return number
    others.sort(key=order)
    if number != 1:
        others.insert(0, number)
    return Mul._from_args(others, is_commutative=True) if len(others) > 1 else others[0]


def _sum(products: list, order) -> Expr:
    """``Add(*products)``, built directly where every term is a rational multiple of a
    commutative product without sums: like terms combined, then Add's order."""
    number, collected = Integer(0), {}
    for term in products:
        if term.is_Rational:
            number += term
            continue
        c, rest = term.as_coeff_Mul()
        if not c.is_Rational or rest.is_Add or rest.is_number or not rest.is_commutative:
            return Add(*products)
        collected[rest] = collected.get(rest, 0) + c
    out = []
    for rest, c in collected.items():
        if c == 0:
            continue
        if c == 1:
            out.append(rest)
        elif rest.is_Mul:
            out.append(rest._new_rawargs(c, *rest.args))
        else:
            out.append(Mul._from_args((c, rest), is_commutative=True))
    out.sort(key=order)
    if number != 0:
        out.insert(0, number)
    if len(out) < 2:
        return out[0] if out else Integer(0)
    return Add._from_args(out)


def _written_out(coeff, atom: Expr, indices: list, order=None) -> Callable[[tuple], Expr]:
    """values -> ``(coeff * atom).xreplace(dict(zip(indices, values)))``, the same expression.

    The coefficient is a sum of products; each factor is substituted once per
    combination of the values of its own indices (a factor E(n) of a term with
    four level sums is substituted three times, not 81), then the products and
    the sum are rebuilt as ``xreplace`` rebuilds them.
    """
    if not isinstance(coeff, Basic):
        coeff = Integer(coeff)
    terms = []
    for term in Add.make_args(coeff):
        factors = []
        for factor in Mul.make_args(term):
            free = factor.free_symbols
            positions = tuple(p for p, index in enumerate(indices) if index in free)
            factors.append((factor, positions))
        union = tuple(sorted({p for _, positions in factors for p in positions}))
        terms.append((term, factors, union))
    atom_positions = tuple(p for p, index in enumerate(indices) if index in atom.free_symbols)
    order = order or _cached_order()
    cache: dict = {}

    def substituted(factor, positions, values):
        if not positions:
            return factor
        key = (factor, tuple(values[p] for p in positions))
        value = cache.get(key)
        if value is None:
            value = cache[key] = factor.xreplace({indices[p]: values[p] for p in positions})
        return value

    def product_at(term, factors, union, values):
        # A product depends only on the values of its own indices: built once for each.
        key = (term, tuple(values[p] for p in union))
        value = cache.get(key)
        if value is None:
            parts = [substituted(f, positions, values) for f, positions in factors]
            changed = any(new is not old for new, (old, _) in zip(parts, factors, strict=True))
            value = cache[key] = _product(parts, order) if changed else term
        return value

    def at(values: tuple) -> Expr:
        products = [
            substituted(factors[0][0], factors[0][1], values)
            if len(factors) == 1
            else product_at(term, factors, union, values)
            for term, factors, union in terms
        ]
        total = _sum(products, order) if coeff.is_Add else products[0]
        value = substituted(atom, atom_positions, values)
        if total.is_Add and isinstance(value, Expectation):  # Mul(total, value), built
            return Mul._from_args(sorted((total, value), key=order), is_commutative=True)
        return total * value

    return at
