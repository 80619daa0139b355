r"""Shorter sums of a compact result: relabelled modes and paired expectation values.

Two exact rewritings of one sum :math:`\sum_{p q \ldots} \sum_a c_a(p, q, \ldots)\, a`
of expectation values :math:`a` (Eq. 12 at s = 3 has sums over two and three
bath modes, e.g.
:math:`\sum_{pqk} g_{Lp} g_{Lq} g_{Rk} \langle A b^\dagger_{Lp} b_{Lq} b_{Rk}\rangle`):

* **Relabelling the summed modes.** Summed indices with the same range are
  names: for a permutation :math:`\sigma` of them,
  :math:`\sum c(\sigma x)\, a(\sigma x) = \sum c(x)\, a(x)`. Where the coefficient of
  one value is that of another with its modes permuted, :math:`c_b = c_a\circ\sigma`,
  the term of :math:`b` is relabelled to :math:`c_a\, b\circ\sigma`, and the two
  values share one coefficient: :math:`c_a (a + b\circ\sigma)`
  (:func:`merged_by_relabelling`). This is how the normal-ordered products
  :math:`:\!X_p X_q X_k\!:` of the bath coordinates show (Eq. 3).
* **Halving by a swap of two modes.** For a swap :math:`\sigma` of two summed
  modes, :math:`c = h_S + h_S\circ\sigma + h_A - h_A\circ\sigma` with :math:`h_S, h_A`
  on one term of each pair :math:`t, t\circ\sigma` (the halves of its symmetric and
  antisymmetric parts), and
  :math:`\sum c\, a = \sum h_S (a + a\circ\sigma) + h_A (a - a\circ\sigma)` (:func:`halved`),
  kept where :math:`h_S, h_A` have fewer terms than :math:`c`.
* **Pairing.** Two values whose coefficients have the same monomials, as
  :math:`c_1 = u + v` and :math:`c_2 = u - v` of :math:`\langle A b_p b_q\rangle` and
  :math:`\langle A b^\dagger_p b^\dagger_q\rangle` (coordinate and momentum parts, as for
  X and P of one mode), are written :math:`u (a_1 + a_2) + v (a_1 - a_2)` with
  :math:`u, v = (c_1 \pm c_2)/2`, where that has fewer terms (:func:`paired`).

Both keep the value: :func:`canonical_terms` renames the summed modes of each
term of a flat table canonically, so that two tables of one value compare equal.

Examples
--------
>>> from sympy import Function, symbols
>>> p, q, M = symbols("p q M", integer=True, positive=True)
>>> a, b = Function("a"), Function("b")
>>> g, w = Function("g"), Function("w")
>>> merged = merged_by_relabelling({a(p, q): g(p) * w(q), b(p, q): g(q) * w(p)}, [{p: q, q: p}])
>>> merged == {a(p, q): g(p) * w(q), b(q, p): g(p) * w(q)}
True
>>> paired({a(p): 3 * g(p) + w(p), b(p): 3 * g(p) - w(p)})
{a(p) + b(p): 3*g(p), a(p) - b(p): w(p)}
"""

from __future__ import annotations

from collections import Counter
from functools import cache, cmp_to_key
from itertools import permutations

from sympy import Add, Basic, Expr, Mul, default_sort_key

from heatbounds.symbolic.indices import ModeIndex

__all__ = ["canonical_terms", "halved", "merged_by_relabelling", "nested", "paired", "symmetries"]


@cache
def symmetries(limits: tuple, *, modes_only: bool = False) -> list[dict]:
    """The renamings of the summed indices of ``limits`` that keep the sum: every
    permutation among indices with the same range (the identity left out); with
    ``modes_only``, among bath-mode indices only (level sums keep their names, so
    that Eq. 12 reads as printed)."""
    by_range: dict = {}
    for index, *bounds in limits:
        if modes_only and not isinstance(index, ModeIndex):
            continue
        by_range.setdefault(tuple(bounds), []).append(index)
    groups = [g for g in by_range.values() if len(g) > 1]
    out: list[dict] = [{}]
    for group in groups:
        out = [
            {**base, **{i: j for i, j in zip(group, perm, strict=True) if i != j}}
            for base in out
            for perm in permutations(group)
        ]
    return [s for s in out if s]


def _key(c: Expr, image=None) -> frozenset:
    """``c`` as the set of its terms, each (number, multiset of factors); with ``image``,
    of ``c`` with each factor replaced by ``image(factor)`` (built without SymPy)."""
    out = []
    for term in Add.make_args(c):
        number, rest = term.as_coeff_Mul()
        factors = Mul.make_args(rest)
        if image is not None:
            factors = [image(f) for f in factors]
        out.append((number, frozenset(Counter(factors).items())))
    return frozenset(out)


def _negated(key: frozenset) -> frozenset:
    return frozenset((-number, factors) for number, factors in key)


def merged_by_relabelling(by_atoms: dict, renamings: list[dict]) -> dict:
    """``{value: coefficient}`` with values relabelled where that makes their coefficients
    equal (or opposite) to one already seen (in SymPy's order of the values, so
    deterministic)."""
    if not renamings:
        return by_atoms
    renamings = list(renamings)
    images: dict = {}

    def image_under(k: int):
        def image(f: Expr) -> Expr:
            if (f, k) not in images:
                images[(f, k)] = f.xreplace(renamings[k])
            return images[(f, k)]

        return image

    seen: dict = {}  # key of a coefficient kept -> that coefficient
    out: dict = {}
    for atoms in sorted(by_atoms, key=default_sort_key):
        c = by_atoms[atoms]
        key = _key(c)
        if key not in seen and _negated(key) not in seen:
            for k, renaming in enumerate(renamings):
                moved = _key(c, image_under(k))
                if moved in seen or _negated(moved) in seen:
                    sign = 1 if moved in seen else -1
                    atoms, c = (
                        atoms.xreplace(renaming),
                        sign * seen[moved if sign == 1 else _negated(moved)],
                    )
                    break
            else:
                seen[key] = c
        out[atoms] = out.get(atoms, 0) + c
    return {a: c for a, c in out.items() if c != 0}


def paired(by_atoms: dict) -> dict:
    """``{value or sum/difference of two values: coefficient}``: two values whose
    coefficients have the same monomials become ``u (a + b) + v (a - b)`` where
    ``u``, ``v`` have fewer terms than their coefficients."""
    buckets: dict = {}
    for atoms in sorted(by_atoms, key=default_sort_key):
        c = by_atoms[atoms]
        support = frozenset(t.as_coeff_Mul()[1] for t in Add.make_args(c))
        buckets.setdefault(support, []).append(atoms)
    out: dict = {}
    for atoms in sorted(by_atoms, key=default_sort_key):
        c = by_atoms[atoms]
        bucket = buckets[frozenset(t.as_coeff_Mul()[1] for t in Add.make_args(c))]
        if len(bucket) != 2 or atoms is not bucket[0]:
            if len(bucket) != 2:
                out[atoms] = c
            continue
        other = bucket[1]
        d = by_atoms[other]
        u, v = (c + d) / 2, (c - d) / 2
        before = len(Add.make_args(c)) + len(Add.make_args(d))
        after = sum(len(Add.make_args(x)) for x in (u, v) if x != 0)
        if c == d or c == -d or after >= before:
            out[atoms], out[other] = c, d
            continue
        for value, coefficient in ((atoms + other, u), (atoms - other, v)):
            if coefficient != 0:
                out[value] = coefficient
    return out


_ORDER = cmp_to_key(Basic.compare)


def nested(c: Expr, depth: int = 0) -> Expr:
    """``c`` with the factor common to most of its terms taken out of them, again and
    again, and the same inside (to depth 8): ``g_p g_q (g_k + 2 g_k') + ...``.

    Exact (only products are regrouped); the factor chosen is the one in most terms,
    ties broken by ``Basic.compare``, so the result is deterministic.

    >>> from sympy import symbols
    >>> x, y, z = symbols("x y z")
    >>> nested(x*y + x*z + 2*x + y*z)
    x*(y + z + 2) + y*z
    """
    terms = list(Add.make_args(c))
    if len(terms) < 2 or depth > 8:
        return c
    factors = [Mul.make_args(t) for t in terms]
    sets = [set(fs) for fs in factors]
    out = []
    while len(terms) > 1:
        count: Counter = Counter(f for fs in sets for f in fs if not f.is_Number)
        most = max(count.values(), default=0)
        if most < 2:
            break
        best = min((f for f, n in count.items() if n == most), key=_ORDER)
        inside = {k for k, fs in enumerate(sets) if best in fs}
        quotient = []
        for k in sorted(inside):
            rest = list(factors[k])
            rest.remove(best)
            quotient.append(Mul(*rest))
        out.append((best, nested(Add(*quotient), depth + 1)))
        terms = [t for k, t in enumerate(terms) if k not in inside]
        factors = [fs for k, fs in enumerate(factors) if k not in inside]
        sets = [fs for k, fs in enumerate(sets) if k not in inside]
    by_quotient: dict = {}  # f q + f' q = (f + f') q
    for best, quotient in out:
        by_quotient.setdefault(quotient, []).append(best)
    return Add(*(Add(*fs) * q for q, fs in by_quotient.items()), *terms)


def _term_keys(c: Expr) -> dict:
    """{multiset of a term's factors: (number, the rest)} in SymPy's order of the terms."""
    out = {}
    for term in Add.make_args(c):
        number, rest = term.as_coeff_Mul()
        out[frozenset(Counter(Mul.make_args(rest)).items())] = (number, rest)
    return out


def halved(by_value: dict, renamings: list[dict]) -> dict:
    """``{value: coefficient}`` with ``c a`` written ``h_S (a + a o s) + h_A (a - a o s)``
    for a swap ``s`` of two summed modes where ``h_S``, ``h_A`` have fewer terms
    than ``c`` (see the module): ``c = h_S + h_S o s + h_A - h_A o s``."""
    swaps = [s for s in renamings if len(s) == 2]
    images: dict = {}

    def image(f: Expr, k: int) -> Expr:
        if (f, k) not in images:
            images[(f, k)] = f.xreplace(swaps[k])
        return images[(f, k)]

    out: dict = {}

    def put(value: Expr, c: Expr) -> None:
        out[value] = out.get(value, 0) + c

    for value in sorted(by_value, key=default_sort_key):
        c = by_value[value]
        keys = _term_keys(c)
        for k, swap in enumerate(swaps):
            symmetric, antisymmetric, done = [], [], set()
            for key, (number, monomial) in keys.items():
                if key in done:
                    continue
                moved = frozenset((image(f, k), n) for f, n in key)
                done |= {key, moved}
                if moved == key:  # a term the swap keeps: half of it on each side
                    symmetric.append((number / 2, monomial))
                    continue
                other = keys.get(moved, (0,))[0]
                symmetric.append(((number + other) / 2, monomial))
                antisymmetric.append(((number - other) / 2, monomial))
            halves = [[(n, m) for n, m in half if n != 0] for half in (symmetric, antisymmetric)]
            if sum(map(len, halves)) < len(keys):
                s_half, a_half = (Add(*(n * m for n, m in half)) for half in halves)
                moved_value = value.xreplace(swap)
                put(value + moved_value, s_half)
                put(value - moved_value, a_half)
                break
        else:
            put(value, c)
    return {v: c for v, c in out.items() if c != 0 and v != 0}


def _renamed(f: Expr, renaming: dict, images: dict) -> Expr:
    key = (f, tuple(renaming.items()))
    if key not in images:
        images[key] = f.xreplace(renaming)
    return images[key]


def canonical_terms(table: dict) -> dict:
    """A flat table ``{(limits, body): coefficient}`` with the summed indices of each
    term renamed to the least body (by ``Basic.compare``, SymPy's structural order)
    under :func:`symmetries`."""
    out: dict = {}
    order = cmp_to_key(Basic.compare)
    images: dict = {}
    for (limits, body), coefficient in table.items():
        renamings = symmetries(limits)
        if not renamings:
            out[(limits, body)] = out.get((limits, body), 0) + coefficient
            continue
        factors = Mul.make_args(body)
        candidates = [body]
        for renaming in renamings:  # each factor renamed once (a product of plain factors)
            candidates.append(Mul(*(_renamed(f, renaming, images) for f in factors)))
        least = min(candidates, key=order)
        key = (limits, least)
        out[key] = out.get(key, 0) + coefficient
    return {k: c for k, c in out.items() if c != 0}
