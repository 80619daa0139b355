"""Indexed families: spins and bosons on sites with symbolic indices (issue 13, item 6).

A chain or ensemble of spin-1/2s (``spin_chain``) or bosonic modes
(``boson_sites``) is one sector whose operators carry a site: an int or a
:class:`~heatbounds.symbolic.indices.SiteIndex`, so that ``sum_i sigma_z^(i)``
is one term (the constructors are in :mod:`heatbounds.symbolic.sites`).

Two symbolic sites ``i`` and ``j`` may be equal, so a content must mean the
same operator for *every* value of its indices: renaming dummies re-sorts it,
and a Kronecker delta or a substitution may identify two sites. Each content
is therefore an ordered product of groups whose members commute whichever sites
they sit on, exactly as the bath modes' ``(creators, annihilators)``:

- ``spin_chain``: ``(P, Z, M)`` means
  :math:`\\prod_{p \\in P} \\sigma_+^{(p)} \\prod_{z \\in Z} \\sigma_z^{(z)}
  \\prod_{m \\in M} \\sigma_-^{(m)}`;
- ``boson_sites``: ``(C, A)`` means
  :math:`\\prod_{c \\in C} a^\\dagger_{c} \\prod_{k \\in A} a_{k}`,

with ``P, Z, M, C, A`` tuples of sites sorted by
:func:`~heatbounds.symbolic.indices.index_key`. Raising operators commute
among themselves on any sites (and so do sigma_z's and lowering operators), so
sorting a group never changes the operator, and the adjoint ``(M, Z, P)`` is
again one content. (An ``x, y, z`` content could not be: the adjoint of the
x-before-z product sigma_x^(i) sigma_z^(j) is sigma_z^(j) sigma_x^(i), which
differs from it by delta_ij 2i sigma_y^(i).) The spin constructors build
:math:`\\sigma_x = \\sigma_+ + \\sigma_-` and
:math:`\\sigma_y = -i (\\sigma_+ - \\sigma_-)`.

**Spin products.** The product of two contents is the sequence of their
single-site factors, brought into the order ``+ < z < -`` (then by site) by
exchanging neighbours, f g = g f + [f, g]: two factors on sites ``s`` and
``t`` that are different symbols commute up to delta_st times their one-site
commutator (:math:`[\\sigma_-, \\sigma_+] = -\\sigma_z`,
:math:`[\\sigma_z, \\sigma_\\pm] = \\pm 2 \\sigma_\\pm`), placed on the representative
site (the least of s and t by ``index_key``, the one
:mod:`heatbounds.symbolic.canonical` keeps) with the other site renamed to it
in the whole term. Factors on one literal site are first brought together and
multiplied by the one-site table (:math:`\\sigma_+ \\sigma_- = (1 + \\sigma_z)/2`,
:math:`\\sigma_z \\sigma_+ = \\sigma_+`, ...). So every product is exact, and its
contents are *reduced*: no site repeats.

A content may repeat a site only when a renaming identifies two: a Kronecker
delta of two *free* sites in a term's coefficient (left by an earlier product,
or another family's), a user's delta, or ``subs_indices``. The family's rename
maps one content to one content, which may then repeat a site
(:math:`\\sigma_-^{(1)} \\sigma_-^{(1)}`, zero); the family says so
(``reduces = True``), and wherever the canonical form identifies indices
(:func:`heatbounds.symbolic.words.word_identify`) :meth:`SpinChainFamily.reduce`
writes the content out reduced, so ``==`` compares reduced forms.

**Boson products** are Wick's rule: a_k a^dag_c = a^dag_c a_k + delta_kc,
every partial contraction of the left factor's annihilators with the right
one's creators (as for the bath modes, with one site index instead of a bath
label and a mode).

Examples
--------
>>> from heatbounds.symbolic.indices import SiteIndex
>>> i, j = SiteIndex("i"), SiteIndex("j")
>>> SPIN_CHAIN.multiply(((), (), (j,)), ((i,), (), ()))  # sigma_-^(j) sigma_+^(i)
[(1, ((i,), (), (j,))), (-KroneckerDelta(i, j), ((), (i,), ()))]
>>> SPIN_CHAIN.multiply(((i,), (), ()), ((), (), (i,)))  # sigma_+ sigma_- on one site
[(1/2, None), (1/2, ((), (i,), ()))]
>>> SPIN_CHAIN.adjoint(((i,), (j,), ()))
((), (j,), (i,))
>>> BOSON_SITES.multiply(((), (i,)), ((j,), ()))  # a_i a^dag_j
[(1, ((j,), (i,))), (KroneckerDelta(i, j), None)]
>>> SPIN_CHAIN.text("s", ((i,), (2,), ()))
['s_+[i]', 's_z[2]']
>>> SPIN_CHAIN.reduce(((), (i,), (i,)))  # sigma_z sigma_- on one site
[(-1, ((), (), (i,)))]
"""

from __future__ import annotations

from functools import lru_cache

from sympy import Rational

from heatbounds.symbolic.indices import delta, index_key
from heatbounds.symbolic.operator_family import OperatorFamily, index_text
from heatbounds.symbolic.operator_family import weight_product as _mul

__all__ = ["BOSON_SITES", "SPIN_CHAIN", "BosonSitesFamily", "SpinChainFamily"]

_HALF = Rational(1, 2)
_OPS = ("+", "z", "-")  # the order of the groups of a spin content
_RANK = {op: n for n, op in enumerate(_OPS)}

# One site: a b as (weight, operator or None) terms.
_SAME_SITE = {
    ("+", "+"): [],
    ("-", "-"): [],
    ("z", "z"): [(1, None)],
    ("+", "-"): [(_HALF, None), (_HALF, "z")],
    ("-", "+"): [(_HALF, None), (-_HALF, "z")],
    ("z", "+"): [(1, "+")],
    ("+", "z"): [(-1, "+")],
    ("z", "-"): [(-1, "-")],
    ("-", "z"): [(1, "-")],
}
# One site: [a, b] = weight * operator (zero for a == b).
_COMMUTATOR = {
    ("+", "-"): (1, "z"),
    ("-", "+"): (-1, "z"),
    ("z", "+"): (2, "+"),
    ("+", "z"): (-2, "+"),
    ("z", "-"): (-2, "-"),
    ("-", "z"): (2, "-"),
}


def _sorted_sites(sites) -> tuple:
    return tuple(sorted(sites, key=index_key))


def _exchange(left: tuple, right: tuple) -> list:
    """``left right`` as ``(weight, factors, renaming)`` terms with the two swapped:
    ``right left`` plus, where the sites may coincide, their commutator on the
    representative site (the renaming identifies the other site with it)."""
    out = [(1, (right, left), None)]
    (s, a), (t, b) = left, right
    if a == b:
        return out
    weight = delta(s, t)  # s and t are different symbols or numbers
    if weight != 0:
        c, op = _COMMUTATOR[(a, b)]
        rep, other = sorted((s, t), key=index_key)
        out.append((c * weight, ((rep, op),), {other: rep}))
    return out


def _spin_key(factor: tuple) -> tuple:
    return (_RANK[factor[1]], index_key(factor[0]))


@lru_cache(maxsize=8192)
def _normal_order(factors: tuple) -> tuple:
    """The product of single-site factors ``((site, op), ...)``, in order, as
    ``(weight, factors)`` terms sorted by :func:`_spin_key` with no site repeated."""
    for q in range(1, len(factors)):
        same = [p for p in range(q) if factors[p][0] == factors[q][0]]
        if not same:
            continue
        p = same[-1]
        if p == q - 1:  # neighbours on one site: the one-site table
            terms = [
                (w, factors[:p] + (((factors[q][0], op),) if op else ()) + factors[q + 1 :], None)
                for w, op in _SAME_SITE[(factors[p][1], factors[q][1])]
            ]
        else:  # bring factor q one step towards factor p
            terms = [
                (w, factors[: q - 1] + middle + factors[q + 1 :], renaming)
                for w, middle, renaming in _exchange(factors[q - 1], factors[q])
            ]
        return _expand(terms)
    for q in range(1, len(factors)):
        if _spin_key(factors[q - 1]) > _spin_key(factors[q]):
            terms = [
                (w, factors[: q - 1] + middle + factors[q + 1 :], renaming)
                for w, middle, renaming in _exchange(factors[q - 1], factors[q])
            ]
            return _expand(terms)
    return ((1, factors),)


def _expand(terms: list) -> tuple:
    out = []
    for weight, factors, renaming in terms:
        if renaming:
            factors = tuple((renaming.get(s, s), op) for s, op in factors)
        out.extend((_mul(weight, w), f) for w, f in _normal_order(factors))
    return tuple(out)


def _spin_factors(content) -> tuple:
    return tuple((s, op) for op, sites in zip(_OPS, content, strict=True) for s in sites)


def _spin_content(factors: tuple):
    if not factors:
        return None
    return tuple(tuple(s for s, op in factors if op == group) for group in _OPS)


class _SiteTuples(OperatorFamily):
    """Index handling shared by the site families: a content is a tuple of groups,
    each a tuple of sites sorted by :func:`~heatbounds.symbolic.indices.index_key`."""

    def indices(self, content):
        return tuple(s for sites in content for s in sites)

    def index_kinds(self, content):
        return ("site",) * sum(len(sites) for sites in content)

    def with_indices(self, content, values):
        return tuple(tuple(next(values) for _ in sites) for sites in content)

    def rename(self, content, mapping):
        return tuple(_sorted_sites(mapping.get(s, s) for s in sites) for sites in content)

    def sort_key(self, content):
        return tuple(tuple(index_key(s) for s in sites) for sites in content)


class SpinChainFamily(_SiteTuples):
    """Spin-1/2s on sites: a content ``(P, Z, M)`` is
    :math:`\\sigma_+^{P} \\sigma_z^{Z} \\sigma_-^{M}` (products over the sites)."""

    key, rank, model_kind = "spin_chain", 5, None
    reduces = True  # a delta of two sites may repeat one: reduce() writes it out

    def multiply(self, left, right):
        terms = _normal_order(_spin_factors(left) + _spin_factors(right))
        return [(w, _spin_content(f)) for w, f in terms if w != 0]

    def reduce(self, content) -> list:
        """The content with no site repeated, as ``(weight, content or None)`` terms (a
        renaming may have identified two sites; called by
        :func:`heatbounds.symbolic.words.word_identify`)."""
        return [(w, _spin_content(f)) for w, f in _normal_order(_spin_factors(content)) if w != 0]

    def adjoint(self, content):
        plus, z, minus = content
        return (minus, z, plus)

    def text(self, name, content):
        return [f"{name}_{op}[{index_text(s)}]" for s, op in _spin_factors(content)]

    def latex(self, name, content):
        label = "" if name == "sigma" else f"{name},"
        return " ".join(
            rf"\hat{{\sigma}}^{{({label}{index_text(s)})}}_{{{op}}}"
            for s, op in _spin_factors(content)
        )

    def identifier(self, name, content):
        words = {"+": "plus", "z": "z", "-": "minus"}
        return "_".join(f"{name}_{words[op]}" for _, op in _spin_factors(content))


def _contract(annihilators: tuple, creators: tuple) -> list:
    """Every partial Wick matching of ``annihilators`` (left) with ``creators`` (right)
    as ``(weight, creators left, annihilators left)``; a pair gives delta of its sites."""
    if not annihilators or not creators:
        return [(1, creators, annihilators)]
    first, rest = annihilators[0], annihilators[1:]
    out = [(w, c, (first, *a)) for w, c, a in _contract(rest, creators)]
    for pos, partner in enumerate(creators):
        weight = delta(first, partner)
        if weight != 0:
            remaining = creators[:pos] + creators[pos + 1 :]
            out.extend((_mul(weight, w), c, a) for w, c, a in _contract(rest, remaining))
    return out


def _boson_content(creators, annihilators):
    if not creators and not annihilators:
        return None
    return (_sorted_sites(creators), _sorted_sites(annihilators))


class BosonSitesFamily(_SiteTuples):
    """Bosonic modes on sites, [a_i, a^dag_j] = delta_ij: contents ``(C, A)``."""

    key, rank, model_kind = "boson_sites", 6, None

    def multiply(self, left, right):
        (c1, a1), (c2, a2) = left, right
        return [(w, _boson_content(c1 + c, a + a2)) for w, c, a in _contract(a1, c2)]

    def order(self, left, right):
        (c1, a1), (c2, a2) = left, right
        return [(1, _boson_content(c1 + c2, a1 + a2))]

    def adjoint(self, content):
        return (content[1], content[0])

    def text(self, name, content):
        creators, annihilators = content
        parts = [f"{name}^dag[{index_text(s)}]" for s in creators]
        return parts + [f"{name}[{index_text(s)}]" for s in annihilators]

    def latex(self, name, content):
        creators, annihilators = content
        parts = [rf"\hat{{{name}}}^{{\dagger}}_{{{index_text(s)}}}" for s in creators]
        parts += [rf"\hat{{{name}}}_{{{index_text(s)}}}" for s in annihilators]
        return " ".join(parts)

    def identifier(self, name, content):
        creators, annihilators = content
        return "_".join([f"{name}dag"] * len(creators) + [name] * len(annihilators))


SPIN_CHAIN = SpinChainFamily()
BOSON_SITES = BosonSitesFamily()
