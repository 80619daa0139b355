"""Per-family rules of the operator algebra, kept in small tables.

A normal-ordered operator word is a product of *sector contents*: operators of
different Hilbert-space sectors commute, so a word stores at most one content
per sector, sorted by sector. Each family registers a :class:`SectorRule` with
the two operations the term store needs -- the product of two contents (the
pairwise rewrite rule) and the adjoint -- plus index handling and printing.

Contents, by family:

=========  ============================  =========================================
family     content                       meaning
=========  ============================  =========================================
boson      ``(m, n)``                    :math:`a^{\\dagger m} a^{n}` (normal order)
spin       ``"x" | "y" | "z"``           a Pauli matrix :math:`\\sigma_\\mu`
levels     ``(i, j)``                    the matrix unit :math:`|i\\rangle\\langle j|`
bath       ``(creators, annihilators)``  :math:`\\prod b^\\dagger_{\\nu k} \\prod b_{\\nu k}`
=========  ============================  =========================================

The identity of a sector is the absence of a content (``None`` in products).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from math import comb, factorial

from sympy import I

from heatbounds.symbolic.indices import Index, IndexValue, delta, index_key

__all__ = ["BATH_FAMILY", "RULES", "SectorRule"]

BATH_FAMILY = "b"

# Levi-Civita table for Pauli products: sigma_a sigma_b = delta_ab + i eps_abc sigma_c.
_PAULI_PRODUCT = {
    ("x", "y"): (I, "z"),
    ("y", "z"): (I, "x"),
    ("z", "x"): (I, "y"),
    ("y", "x"): (-I, "z"),
    ("z", "y"): (-I, "x"),
    ("x", "z"): (-I, "y"),
}


def _index_latex(value: IndexValue) -> str:
    return value.name if isinstance(value, Index) else str(value)


@dataclass(frozen=True)
class SectorRule:
    """The rules of one operator family (see the module docstring)."""

    family: str
    rank: int
    multiply: Callable[[object, object], list]
    adjoint: Callable[[object], object]
    indices: Callable[[object], tuple]
    rename: Callable[[object, dict], object]
    sort_key: Callable[[object], tuple]
    latex: Callable[[str, object], str]
    identifier: Callable[[str, object], str]


# --- bosons: a^n a^dag^m by the closed-form normal-ordering rule ------------------


def _boson_multiply(left, right):
    (m1, n1), (m2, n2) = left, right
    out = []
    for k in range(min(n1, m2) + 1):
        weight = comb(n1, k) * comb(m2, k) * factorial(k)
        m, n = m1 + m2 - k, n1 + n2 - k
        out.append((weight, (m, n) if (m or n) else None))
    return out


def _boson_latex(name, content):
    m, n = content
    parts = []
    if m:
        parts.append(rf"\hat{{{name}}}^{{\dagger{'' if m == 1 else ' ' + str(m)}}}")
    if n:
        parts.append(rf"\hat{{{name}}}" + ("" if n == 1 else f"^{{{n}}}"))
    return " ".join(parts)


def _boson_ident(name, content):
    m, n = content
    parts = []
    if m:
        parts.append(f"{name}dag" + ("" if m == 1 else str(m)))
    if n:
        parts.append(name + ("" if n == 1 else str(n)))
    return "_".join(parts)


# --- spin-1/2: the Pauli product table ----------------------------------------------


def _pauli_multiply(left, right):
    if left == right:
        return [(1, None)]
    phase, axis = _PAULI_PRODUCT[(left, right)]
    return [(phase, axis)]


# --- N-level systems: E_ij E_kl = delta_jk E_il ------------------------------------


def _levels_multiply(left, right):
    (i, j), (k, m) = left, right
    weight = delta(j, k)
    return [(weight, (i, m))] if weight != 0 else []


def _levels_rename(content, mapping):
    i, j = content
    return (mapping.get(i, i), mapping.get(j, j))


def _levels_latex(name, content):
    i, j = content
    return rf"\hat{{{name}}}_{{{_index_latex(i)}{_index_latex(j)}}}"


def _levels_ident(name, content):
    return name


# --- bath modes b_{nu k}: Wick contraction of annihilators with creators ---------------


def _mode_key(mode):
    nu, k = mode
    return (nu, index_key(k))


def _sorted_modes(modes: Iterable) -> tuple:
    return tuple(sorted(modes, key=_mode_key))


def _contract(annihilators: tuple, creators: tuple) -> list:
    """All partial Wick matchings of ``annihilators`` (left) with ``creators`` (right).

    Returns ``(weight, creators_left, annihilators_left)`` triples; a matched pair
    contributes [b_{nu k}, b^dag_{nu' k'}] = delta_{nu nu'} delta_{k k'}.
    """
    if not annihilators or not creators:
        return [(1, creators, annihilators)]
    first, rest = annihilators[0], annihilators[1:]
    out = [(w, c, (first, *a)) for w, c, a in _contract(rest, creators)]
    for pos, partner in enumerate(creators):
        if partner[0] != first[0]:
            continue
        weight = delta(first[1], partner[1])
        if weight == 0:
            continue
        remaining = creators[:pos] + creators[pos + 1 :]
        out.extend((weight * w, c, a) for w, c, a in _contract(rest, remaining))
    return out


def _bath_multiply(left, right):
    (c1, a1), (c2, a2) = left, right
    out = []
    for weight, c_left, a_left in _contract(a1, c2):
        creators = _sorted_modes(c1 + c_left)
        annihilators = _sorted_modes(a_left + a2)
        out.append((weight, (creators, annihilators) if (creators or annihilators) else None))
    return out


def _bath_indices(content):
    return tuple(k for modes in content for _, k in modes)


def _bath_rename(content, mapping):
    return tuple(_sorted_modes((nu, mapping.get(k, k)) for nu, k in modes) for modes in content)


def _bath_sort_key(content):
    return tuple(tuple(_mode_key(m) for m in modes) for modes in content)


def _bath_latex(name, content):
    creators, annihilators = content
    parts = [rf"\hat{{{name}}}^{{\dagger}}_{{{nu} {_index_latex(k)}}}" for nu, k in creators]
    parts += [rf"\hat{{{name}}}_{{{nu} {_index_latex(k)}}}" for nu, k in annihilators]
    return " ".join(parts)


def _bath_ident(name, content):
    creators, annihilators = content
    parts = [f"{name}dag_{nu}" for nu, _ in creators] + [f"{name}_{nu}" for nu, _ in annihilators]
    return "_".join(parts)


def _no_indices(content):
    return ()


def _same(content, mapping=None):
    return content


RULES: dict[str, SectorRule] = {
    "levels": SectorRule(
        family="levels",
        rank=0,
        multiply=_levels_multiply,
        adjoint=lambda c: (c[1], c[0]),
        indices=lambda c: tuple(c),
        rename=_levels_rename,
        sort_key=lambda c: (index_key(c[0]), index_key(c[1])),
        latex=_levels_latex,
        identifier=_levels_ident,
    ),
    "spin": SectorRule(
        family="spin",
        rank=1,
        multiply=_pauli_multiply,
        adjoint=_same,
        indices=_no_indices,
        rename=_same,
        sort_key=lambda c: (c,),
        latex=lambda name, c: (
            rf"\hat{{\sigma}}^{{({name})}}_{{{c}}}"
            if name != "sigma"
            else rf"\hat{{\sigma}}_{{{c}}}"
        ),
        identifier=lambda name, c: f"{name}_{c}",
    ),
    "boson": SectorRule(
        family="boson",
        rank=2,
        multiply=_boson_multiply,
        adjoint=lambda c: (c[1], c[0]),
        indices=_no_indices,
        rename=_same,
        sort_key=lambda c: tuple(c),
        latex=_boson_latex,
        identifier=_boson_ident,
    ),
    "bath": SectorRule(
        family="bath",
        rank=3,
        multiply=_bath_multiply,
        adjoint=lambda c: (c[1], c[0]),
        indices=_bath_indices,
        rename=_bath_rename,
        sort_key=_bath_sort_key,
        latex=_bath_latex,
        identifier=_bath_ident,
    ),
}
