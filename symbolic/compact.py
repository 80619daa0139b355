r"""Compact form of derived results: bath coordinates, one sum per bath, collected terms.

The engine's results are flat expansions (:mod:`heatbounds.symbolic.derivation`):
every normal-ordered word is its own expectation value, every term its own
``Sum``. In Eq. 12 the bath operators of mode p of bath nu enter only through
the coordinate :math:`\hat X_{\nu p} = \hat b_{\nu p} + \hat b^\dagger_{\nu p}`
(the bath part of H_SB, Eq. 3), weighted by the couplings :math:`g_{\nu p}`.
:func:`compact` rewrites a flat result in that form:

- a pair :math:`\langle W \hat b_{\nu p}\rangle`, :math:`\langle W \hat b^\dagger_{\nu p}\rangle`
  becomes :math:`\langle W \hat X_{\nu p}\rangle` and
  :math:`\langle W \hat P_{\nu p}\rangle` with the momentum
  :math:`\hat P_{\nu p} = i(\hat b^\dagger_{\nu p} - \hat b_{\nu p})`; where the two enter
  with equal coefficients (always, at s = 1) only the coordinate is left;
- the factor common to every term (e.g. :math:`\frac{\pi\alpha\gamma k_B}{4}(T_L - T_R)`
  of Eq. 9) is taken out once;
- the terms of one sum over the same indices and the same bath are summed
  under one ``Sum``, and inside and outside the sums terms are collected on
  their expectation values with factored coefficients.

:func:`expand_compact` undoes it exactly: it replaces each coordinate by its
definition and expands, giving the flat form (one ``Sum`` per term, the
coefficients that do not depend on the summed indices outside, the summed
indices of each term named canonically), so equality with the flat result is
checked with ``expand(expand_compact(a) - expand_compact(b)) == 0``. In sums
over several modes, terms are relabelled and values paired where that
shortens them (:mod:`heatbounds.symbolic.relabel`).

The coordinate atom, its naming and its printing in the flat values are in
:mod:`heatbounds.symbolic.bath_coordinate`. The coordinate atoms print as
identifiers beside the flat ones: ``A_b_L(1, 2, p)``
(:math:`\langle\hat A_{12}\hat b_{Lp}\rangle`) and ``A_bdag_L(1, 2, p)`` give
``A_X_L(1, 2, p)``; :func:`coordinate_glossary` defines each one. Only the printed
form changes: the values are the flat ones (the emitted modules use the flat
expressions; the derive JSON prints the compact form in the flat values,
:func:`flat_atoms_str`).

Examples
--------
The f-sum rule of the three-level model of Eq. 11/12 (flat: 81 terms, 72 of
them bath sums):

>>> from heatbounds.symbolic.derivation import derive
>>> from heatbounds.symbolic.models import builtin_model
>>> from sympy import expand
>>> d = derive(builtin_model("three-level"))
>>> c = compact(d.sum_rule)
>>> print(str(c)[:83])
((-2*E_1 + E_2 + E_3)*A_1_1 + (E_1 - 2*E_2 + E_3)*A_2_2 + (E_1 + E_2 - 2*E_3)*A_3_3
>>> len(str(c)) < len(str(d.sum_rule)) // 3
True
>>> expand(expand_compact(c) - expand_compact(d.sum_rule))
0
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from sympy import (
    Add,
    Basic,
    Expr,
    I,
    Mul,
    Rational,
    S,
    Sum,
    Symbol,
    cancel,
    default_sort_key,
    expand,
    factor,
    igcd,
    ilcm,
)
from sympy.core.function import AppliedUndef

from heatbounds.symbolic.bath_coordinate import (
    BathCoordinate,
    bath_coordinates,
    coordinate_glossary,
    flat_atoms_str,
    printed_expectations,
)
from heatbounds.symbolic.derivation import Derivation
from heatbounds.symbolic.expectation import Expectation
from heatbounds.symbolic.junction import BATHS, SymmetricCoupling
from heatbounds.symbolic.relabel import (
    canonical_terms,
    halved,
    merged_by_relabelling,
    nested,
    paired,
    symmetries,
)
from heatbounds.symbolic.term_table import term_table

__all__ = [
    "BathCoordinate",
    "compact",
    "compact_derivation",
    "coordinate_glossary",
    "expand_compact",
    "flat_atoms_str",
    "printed_expectations",
]

# Coefficients of more terms than this are not factored (see _factored), nor
# freed of common factors past _LONG terms.
_FACTOR_TERMS = 8
_LONG = 40


@lru_cache(maxsize=1 << 16)
def _is_plain_factor(f: Basic) -> bool:
    """A number, or an integer power of a symbol, an expectation value or coordinate, or
    an undefined function of numbers and symbols (g_L(1, 2, p)): what expand leaves alone."""
    if f.is_Number or f is I:
        return True
    base, e = f.as_base_exp()
    if not e.is_Integer:
        return False
    if isinstance(base, (Symbol, Expectation, BathCoordinate)) or base is I:
        return True
    if isinstance(base, (AppliedUndef, SymmetricCoupling)):
        return all(a.is_Integer or a.is_Symbol for a in base.args)
    return False


def _expanded(e: Expr) -> Expr:
    """``expand(e)``: ``e`` itself where it is a sum of monomials already.

    Such a sum (an ``Add`` of products of plain factors, :func:`_is_plain_factor`)
    is what expand returns unchanged, so the result is the same expression; expand
    would only find that out after walking every node (the s = 3 sum rules have
    tens of thousands of such sums to add up).
    """
    return e if _is_monomial_sum(e) else expand(e)


def _is_monomial_sum(e: Expr) -> bool:
    return all(_is_plain_factor(f) for term in Add.make_args(e) for f in Mul.make_args(term))


_IS_MONOMIAL_SUM = _is_monomial_sum  # the tests swap it to take SymPy's paths everywhere


def _is_atom(e: Basic) -> bool:
    return isinstance(e, (Expectation, BathCoordinate))


def _terms(expr: Expr) -> dict:
    """{(limits, body): coefficient}: body the factors that depend on summed indices or
    are expectation values, coefficient the rest; limits () outside sums.

    Built in plain Python where :func:`~heatbounds.symbolic.term_table.term_table`
    reads every term (the same table), else with SymPy's ``expand``.
    """
    table = term_table(expr) if _is_monomial_sum is _IS_MONOMIAL_SUM else None
    if table is not None:
        return table
    out: dict = defaultdict(list)
    # The top level only: each sum's summand is expanded on its own below.
    for term in Add.make_args(expand(expr, deep=False)):
        factors = Mul.make_args(term)
        sums = [f for f in factors if isinstance(f, Sum)]
        if len(sums) != 1:
            body = Mul(*(f for f in factors if f.has(Expectation, BathCoordinate, Sum)))
            out[((), body)].append(term / body)
            continue
        outer = Mul(*(f for f in factors if f is not sums[0]))
        total = sums[0]
        dummies = [limit[0] for limit in total.limits]
        for piece in Add.make_args(_expanded(total.function)):
            inside, body = piece.as_independent(*dummies, as_Add=False)
            if body == 1 or not body.has(*dummies):
                body, inside = S.One, piece
            atoms_outside = Mul(*(f for f in Mul.make_args(inside) if _is_atom(f)))
            out[(total.limits, body * atoms_outside)].append(outer * inside / atoms_outside)
    return _summed(out)


def _summed(pieces: dict) -> dict:
    """{key: sum of its coefficients}, zero sums left out."""
    out = {}
    for key, coefficients in pieces.items():
        c = _expanded(Add(*coefficients))
        if c != 0:
            out[key] = c
    return out


def _replaced_expanded(body: Expr, mapping: dict) -> Expr:
    """``expand(body.xreplace(mapping))``, term by term where body is a monomial with one
    factor to replace (its value a sum of monomials): the same sum of products."""
    factors = Mul.make_args(body)
    replaced = [f for f in factors if f in mapping]
    if len(replaced) == 1 and _is_monomial_sum(body) and _is_monomial_sum(mapping[replaced[0]]):
        rest = Mul(*(f for f in factors if f is not replaced[0]))
        return Add(*(rest * t for t in Add.make_args(mapping[replaced[0]])))
    return _expanded(body.xreplace(mapping))


def _in_coordinates(terms: dict, mapping: dict) -> dict:
    """The terms with <W b>, <W b^dag> replaced by (X + i P)/2, (X - i P)/2 (exact)."""
    out: dict = defaultdict(list)
    for (limits, body), coefficient in terms.items():
        if not any(f in mapping for f in Mul.make_args(body)):
            out[(limits, body)].append(coefficient)
            continue
        for piece in Add.make_args(_replaced_expanded(body, mapping)):
            number, rest = piece.as_coeff_Mul()
            if rest.is_Mul and I in rest.args:
                number, rest = number * I, rest / I
            out[(limits, rest)].append(number * coefficient)
    return _summed(out)


def expand_compact(expr: Expr) -> Expr:
    """The flat form of ``expr``: coordinates replaced by their definitions, every sum split.

    The inverse of :func:`compact`: each :class:`BathCoordinate` becomes
    <W b> + <W b^dag> (or i(<W b^dag> - <W b>)), the sums are split into one
    ``Sum`` per term with the factors that do not depend on the summed indices
    outside, as :func:`~heatbounds.symbolic.derivation.derive` returns them (Eq. 7, 12).

    >>> from heatbounds.symbolic.derivation import derive
    >>> from heatbounds.symbolic.models import spin_boson
    >>> expand_compact(compact(derive(spin_boson()).conductance_bound))
    -pi*Delta*alpha*gamma*k_B*sigma_x/4
    """
    expr = expr.replace(lambda e: isinstance(e, BathCoordinate), lambda e: e.definition())
    total = S.Zero
    for (limits, body), coefficient in canonical_terms(_terms(expr)).items():
        total += coefficient * (Sum(body, *limits) if limits else body)
    return total


def _factored(c: Expr) -> Expr:
    """``c`` factored where that finds a factor (a bare sign taken out does not count).

    Sums of a few terms are factored; longer ones are only freed of the numbers
    and powers common to their terms (:func:`_monomial_content`) and nested on
    the factors most of their terms share (:func:`~heatbounds.symbolic.relabel.nested`;
    factoring a polynomial of many terms costs far more than it shortens).
    """
    terms = len(Add.make_args(c))
    if terms > _LONG:
        return nested(c)
    if (
        terms > _FACTOR_TERMS
        or len(c.atoms(Symbol, AppliedUndef, SymmetricCoupling)) > _FACTOR_TERMS
    ):
        if not _may_share_a_factor(c):
            return nested(c)  # nothing in common (or a bare sign)
        content = _monomial_content([c])
        if content == 1 or not _is_monomial_sum(c):
            return nested(c)
        reduced = nested(_divided(c, content))
        return Mul(content, reduced, evaluate=False) if content.is_Number else content * reduced
    f = factor(c)
    if f == c or not f.is_Mul or (len(f.args) == 2 and f.args[0] == -1):
        return c
    return f


def _may_share_a_factor(c: Expr) -> bool:
    """False where the terms of ``c`` have integer coefficients without a common
    divisor and no base (symbol, function value, ...) common to all of them.

    Then ``factor_terms(c)`` takes out nothing but perhaps a sign (it takes out the
    rational content and the powers common to every term), so :func:`_factored`
    leaves ``c`` as it is; True (ask factor_terms) in every other case.
    """
    content, common = 0, None
    for term in Add.make_args(c):
        n, rest = term.as_coeff_Mul()
        if not n.is_Integer:
            return True
        content = igcd(content, n.p)
        factors = Mul.make_args(rest)
        if not all(_is_plain_factor(f) for f in factors):
            return True
        bases = {f.as_base_exp()[0] for f in factors if not f.is_Number}
        common = bases if common is None else common & bases
    return not c.is_Add or content != 1 or bool(common)


def _monomial_content(coefficients: list[Expr]) -> Expr:
    """The largest number and power product dividing every term of every coefficient."""
    number, powers = None, None
    for c in coefficients:
        for term in Add.make_args(c):
            n, rest = term.as_coeff_Mul()
            n = abs(Rational(n)) if n.is_Rational else S.One
            here: dict = defaultdict(lambda: S.Zero)
            for f in Mul.make_args(rest):
                base, exp = f.as_base_exp()
                if not base.is_Add:
                    here[base] += exp
            if number is None:
                number, powers = n, dict(here)
                continue
            number = Rational(igcd(number.p, n.p), ilcm(number.q, n.q))
            kept = {}
            for base, exp in powers.items():
                other = here.get(base, S.Zero)
                if exp.is_Integer and other.is_Integer and exp * other > 0:
                    kept[base] = exp if abs(exp) < abs(other) else other
            powers = kept
    if number is None:
        return S.One
    return number * Mul(*(b**e for b, e in powers.items()))


def _divides(factor_: Expr, c: Expr) -> bool:
    """Whether a factor linear in one of its symbols divides ``c`` (c vanishes on its zero)."""
    for x in sorted(factor_.free_symbols, key=default_sort_key):
        if factor_.is_polynomial(x) and factor_.as_poly(x).degree() == 1:
            a, b = factor_.as_poly(x).all_coeffs()
            return expand(c.xreplace({x: -b / a})) == 0
    return False


def _common_factor(coefficients: list[Expr]) -> Expr:
    """A factor of every coefficient: common numbers and powers, and common linear sums.

    Sums are looked for among the factors of the shortest coefficient (e.g. the
    T_L - T_R of Eq. 9), each kept if it divides every coefficient.
    """
    content = _monomial_content(coefficients)
    if not coefficients:
        return content
    shortest = min(coefficients, key=lambda c: (len(Add.make_args(c)), default_sort_key(c)))
    sums = []
    if len(Add.make_args(shortest)) <= 64:
        for f in Mul.make_args(factor(shortest / content)):
            base, exp = f.as_base_exp()
            if base.is_Add and exp.is_Integer and exp > 0:
                if base.could_extract_minus_sign():
                    base = -base
                if all(_divides(base, c) for c in coefficients):
                    sums.append(base)
    return content * Mul(*sums)


def _divided(c: Expr, common: Expr) -> Expr:
    """c / common for a factor found by :func:`_common_factor`: a polynomial again."""
    sums = [f for f in Mul.make_args(common) if f.is_Add]
    monomial = Mul(*(f for f in Mul.make_args(common) if not f.is_Add))
    if _is_monomial_sum(monomial) and _is_monomial_sum(c):
        # A sum of monomials over a monomial: expand gives the quotients term by term.
        reduced = Add(*(t / monomial for t in Add.make_args(c)))
    else:
        reduced = expand(c / monomial)
    for f in sums:
        reduced = expand(cancel(reduced / f))
    return reduced


def _collected(items: Iterable[tuple[Expr, Expr]], limits: tuple = ()) -> Expr:
    """sum coefficient * body, collected on expectation values.

    Each expectation value's coefficient is factored; values whose coefficients
    are equal or opposite share one, e.g. ``-3*g_L(1, 2, p)*(A_X_L(1, 2, p) + A_X_L(2, 1, p))``.
    In a sum (``limits``), values are relabelled and paired first where that
    shortens it (:mod:`heatbounds.symbolic.relabel`).
    """
    pieces: dict = defaultdict(list)
    for coefficient, body in items:
        factors = Mul.make_args(body)
        atoms = Mul(*(f for f in factors if _is_atom(f)))
        pieces[atoms].append(coefficient * Mul(*(f for f in factors if not _is_atom(f))))
    by_atoms = _summed(pieces)
    if limits:
        renamings = symmetries(limits, modes_only=True)
        by_atoms = halved(paired(merged_by_relabelling(by_atoms, renamings)), renamings)
    by_coefficient: dict = defaultdict(list)
    for atoms in sorted(by_atoms, key=default_sort_key):
        c = by_atoms[atoms]
        sign = -1 if c.could_extract_minus_sign() else 1
        by_coefficient[_factored(sign * c)].append(sign * atoms)
    out = []
    for c, atoms in by_coefficient.items():
        if sum(1 for a in atoms if a.could_extract_minus_sign()) * 2 > len(atoms):
            c, atoms = -c, [-a for a in atoms]
        group = Add(*atoms)
        out.append(Mul(c, group, evaluate=False) if c.is_Number and group.is_Add else c * group)
    return Add(*out)


def _baths(body: Expr) -> tuple:
    """The baths a summand belongs to, from its function and expectation names."""
    bases = [f.as_base_exp()[0] for f in Mul.make_args(body)]
    plain = (AppliedUndef, SymmetricCoupling, Expectation, Symbol)
    if all(
        isinstance(b, BathCoordinate) or (isinstance(b, plain) and all(a.is_Atom for a in b.args))
        for b in bases
    ):  # a product of plain factors: read off without walking the tree
        functions = [b for b in bases if isinstance(b, AppliedUndef)]
        atoms = [b for b in bases if isinstance(b, Expectation)]
        atoms += [a for b in bases if isinstance(b, BathCoordinate) for a in (b, b.b, b.bdag)]
    else:
        functions, atoms = body.atoms(AppliedUndef), body.atoms(Expectation, BathCoordinate)
    names = {type(f).__name__ for f in functions}
    for atom in atoms:
        names.add(atom.identifier)
    return tuple(nu for nu in BATHS if any(nu in name.split("_") for name in names))


def compact(expr: Expr) -> Expr:
    """The compact form of a derived sum rule or bound (bath coordinates, Eq. 3, 12).

    Equal to ``expr``: ``expand(expand_compact(compact(expr)) - expand_compact(expr)) == 0``,
    with the summed modes of each term named canonically by :func:`expand_compact`
    (the compact form relabels them, :mod:`heatbounds.symbolic.relabel`). The same input gives the
    same output (terms are ordered by SymPy's sort key, never by hash).

    >>> from heatbounds.symbolic.derivation import derive
    >>> from heatbounds.symbolic.models import builtin_model
    >>> compact(derive(builtin_model("spin-boson")).current_bound)
    -pi*Delta*alpha*gamma*k_B*(T_L - T_R)*sigma_x/4
    """
    if expr.has(BathCoordinate):  # already compact (in part): start from the flat form
        expr = expand_compact(expr)
    mapping = bath_coordinates(expr)
    terms = _terms(expr)
    if mapping:
        terms = _in_coordinates(terms, mapping)
    if not terms:
        return S.Zero
    common = _common_factor(list(terms.values()))
    outside: list = []
    sums: dict = defaultdict(list)
    for (limits, body), coefficient in terms.items():
        reduced = _divided(coefficient, common)
        if limits:
            sums[(limits, _baths(body))].append((reduced, body))
        else:
            outside.append((reduced, body))
    pieces = [_collected(outside)] if outside else []
    for limits, baths in sorted(sums, key=default_sort_key):
        items = sums[(limits, baths)]
        # The factor common to this sum's terms stands in front of it.
        front = _common_factor([c for c, _ in items])
        if all(c.could_extract_minus_sign() for c, _ in items):
            front = -front
        summand = _collected(((_divided(c, front), body) for c, body in items), limits)
        pieces.append(front * Sum(summand, *limits))
    inner = Add(*pieces)
    if common.is_Number and inner.is_Add and common != 1:
        return Mul(common, inner, evaluate=False)
    return common * inner


def compact_derivation(d: Derivation) -> Derivation:
    """``d`` with its sum rule and bounds in compact form (Eq. 7, 9, 10 with Eq. 3, 12).

    Equal to ``d`` (:func:`expand_compact` gives the flat expressions back); only
    the printed form differs. Its ``expectations`` name what the compact
    expressions print: the flat values left outside coordinates, and each
    bath coordinate with its definition (``A_X_L(a, b, p) = <A[a,b] X[L,p]>,
    X[L,p] = b[L,p] + b^dag[L,p]``) and the meaning of the flat values.

    >>> from heatbounds.symbolic.derivation import derive
    >>> from heatbounds.symbolic.models import builtin_model
    >>> c = compact_derivation(derive(builtin_model("three-level")))
    >>> sorted(c.expectations)
    ['A_1_1', 'A_2_2', 'A_3_3', 'A_X_L', 'A_X_R']
    """
    exprs = [compact(e) for e in (d.sum_rule, d.current_bound, d.conductance_bound)]
    used = printed_expectations(exprs)
    glossary = {k: v for k, v in d.expectations.items() if k in used}
    meaning = next(iter(d.expectations.values()), "").partition(">: ")[2]
    for name, definition in coordinate_glossary(exprs).items():
        glossary[name] = f"{definition}: {meaning}" if meaning else definition
    return replace(
        d,
        sum_rule=exprs[0],
        current_bound=exprs[1],
        conductance_bound=exprs[2],
        expectations=dict(sorted(glossary.items())),
    )
