"""Operator families: one object per family owns every rule of its operators.

A normal-ordered operator word is a product of *sector contents*: operators of
different Hilbert-space sectors commute, so a word stores at most one content
per sector, sorted by :class:`Sector`. A sector is ``Sector(rank, family,
name)``; its ``family`` is one of the four family objects below (the
interface, :class:`~heatbounds.symbolic.operator_family.OperatorFamily`, is in
:mod:`heatbounds.symbolic.operator_family`), which own

- the product of two contents (the pairwise normal-ordering rule) and the adjoint;
- the parity (grading) of the family's operators;
- index handling: the indices of a content, their kinds, renaming, sort keys;
- printing: plain text, LaTeX and identifiers (which name expectation values);
- the model-file declaration (``boson``, ``spin-1/2``, ``levels:N``);
- a slot for the matrix representation, registered by
  :mod:`heatbounds.numeric.matrix_forms` (this package imports no numerics).

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

Examples
--------
>>> FAMILIES["boson"].multiply((0, 1), (1, 0))
[(1, (1, 1)), (1, None)]
>>> SPIN.sector("s")
Sector(rank=1, family='spin', name='s')
>>> from heatbounds.symbolic.errors import OperatorAlgebraError
>>> try:
...     FAMILIES["anyon"]
... except OperatorAlgebraError as error:
...     print(error)
unknown operator family 'anyon'; known: levels, spin, boson, bath, fermion, spin_chain, boson_sites
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from math import comb, factorial

from sympy import I

from heatbounds.symbolic.fermions import FERMIONS
from heatbounds.symbolic.indices import delta, index_key
from heatbounds.symbolic.operator_family import FamilyTable, OperatorFamily, index_text
from heatbounds.symbolic.site_families import BOSON_SITES, SPIN_CHAIN

__all__ = [
    "BATH",
    "BATH_NAME",
    "BOSON",
    "FAMILIES",
    "LEVELS",
    "SPIN",
]

BATH_NAME = "b"  # the sector name of the bath modes b_{nu k}

# Levi-Civita table for Pauli products: sigma_a sigma_b = delta_ab + i eps_abc sigma_c.
_PAULI_PRODUCT = {
    ("x", "y"): (I, "z"),
    ("y", "z"): (I, "x"),
    ("z", "x"): (I, "y"),
    ("y", "x"): (-I, "z"),
    ("z", "y"): (-I, "x"),
    ("x", "z"): (-I, "y"),
}


# --- N-level systems: E_ij E_kl = delta_jk E_il ----------------------------------


class LevelsFamily(OperatorFamily):
    """Matrix units ``|i><j|`` of an N-level system (Eq. 11)."""

    key, rank, model_kind = "levels", 0, "levels"
    _KIND = re.compile(r"levels:([1-9][0-9]?)")

    def multiply(self, left, right):
        (i, j), (k, m) = left, right
        weight = delta(j, k)
        return [(weight, (i, m))] if weight != 0 else []

    def adjoint(self, content):
        return (content[1], content[0])

    def indices(self, content):
        return tuple(content)

    def index_kinds(self, content):
        return ("level", "level")

    def with_indices(self, content, values):
        return (next(values), next(values))

    def rename(self, content, mapping):
        i, j = content
        return (mapping.get(i, i), mapping.get(j, j))

    def sort_key(self, content):
        return (index_key(content[0]), index_key(content[1]))

    def text(self, name, content):
        return [f"{name}[{index_text(content[0])},{index_text(content[1])}]"]

    def latex(self, name, content):
        i, j = content
        return rf"\hat{{{name}}}_{{{index_text(i)}{index_text(j)}}}"

    def identifier(self, name, content):
        return name

    def model_arguments(self, kind):
        match = self._KIND.fullmatch(kind)
        return (int(match[1]),) if match and int(match[1]) >= 2 else None

    def model_help(self):
        return "levels:N with N in 2..99"


# --- spin-1/2: the Pauli product table -------------------------------------------


class SpinFamily(OperatorFamily):
    """The Pauli matrices ``sigma_x, sigma_y, sigma_z`` of a spin-1/2."""

    key, rank, model_kind = "spin", 1, "spin-1/2"

    def multiply(self, left, right):
        if left == right:
            return [(1, None)]
        return [_PAULI_PRODUCT[(left, right)]]

    def adjoint(self, content):
        return content

    def sort_key(self, content):
        return (content,)

    def text(self, name, content):
        return [f"{name}_{content}"]

    def latex(self, name, content):
        if name == "sigma":
            return rf"\hat{{\sigma}}_{{{content}}}"
        return rf"\hat{{\sigma}}^{{({name})}}_{{{content}}}"

    def identifier(self, name, content):
        return f"{name}_{content}"


# --- bosons: a^dag^m a^n by the closed-form normal-ordering rule --------------------


class BosonFamily(OperatorFamily):
    """A bosonic mode: normal-ordered ``a^dag^m a^n`` with [a, a^dag] = 1."""

    key, rank, model_kind = "boson", 2, "boson"

    def multiply(self, left, right):
        (m1, n1), (m2, n2) = left, right
        out = []
        for k in range(min(n1, m2) + 1):
            weight = comb(n1, k) * comb(m2, k) * factorial(k)
            m, n = m1 + m2 - k, n1 + n2 - k
            out.append((weight, (m, n) if (m or n) else None))
        return out

    def order(self, left, right):
        (m1, n1), (m2, n2) = left, right
        m, n = m1 + m2, n1 + n2
        return [(1, (m, n) if (m or n) else None)]

    def adjoint(self, content):
        return (content[1], content[0])

    def text(self, name, content):
        m, n = content
        parts = []
        if m:
            parts.append(f"{name}^dag" + ("" if m == 1 else f"^{m}"))
        if n:
            parts.append(name + ("" if n == 1 else f"^{n}"))
        return parts

    def latex(self, name, content):
        m, n = content
        parts = []
        if m:
            parts.append(rf"\hat{{{name}}}^{{\dagger{'' if m == 1 else ' ' + str(m)}}}")
        if n:
            parts.append(rf"\hat{{{name}}}" + ("" if n == 1 else f"^{{{n}}}"))
        return " ".join(parts)

    def identifier(self, name, content):
        m, n = content
        parts = []
        if m:
            parts.append(f"{name}dag" + ("" if m == 1 else str(m)))
        if n:
            parts.append(name + ("" if n == 1 else str(n)))
        return "_".join(parts)


# --- bath modes b_{nu k}: Wick contraction of annihilators with creators -----------


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


class BathFamily(OperatorFamily):
    """The bath modes ``b_{nu k}`` of Eq. 3 (nu in L, R; k a mode index).

    A model file cannot declare bath modes: every junction has them.
    """

    key, rank, model_kind = "bath", 3, None

    def multiply(self, left, right):
        (c1, a1), (c2, a2) = left, right
        out = []
        for weight, c_left, a_left in _contract(a1, c2):
            creators = _sorted_modes(c1 + c_left)
            annihilators = _sorted_modes(a_left + a2)
            out.append((weight, (creators, annihilators) if (creators or annihilators) else None))
        return out

    def order(self, left, right):
        (c1, a1), (c2, a2) = left, right
        creators, annihilators = _sorted_modes(c1 + c2), _sorted_modes(a1 + a2)
        return [(1, (creators, annihilators) if (creators or annihilators) else None)]

    def adjoint(self, content):
        return (content[1], content[0])

    def indices(self, content):
        return tuple(k for modes in content for _, k in modes)

    def index_kinds(self, content):
        return ("mode",) * sum(len(modes) for modes in content)

    def with_indices(self, content, values):
        return tuple(tuple((nu, next(values)) for nu, _ in modes) for modes in content)

    def rename(self, content, mapping):
        return tuple(_sorted_modes((nu, mapping.get(k, k)) for nu, k in modes) for modes in content)

    def sort_key(self, content):
        return tuple(tuple(_mode_key(m) for m in modes) for modes in content)

    def text(self, name, content):
        creators, annihilators = content
        parts = [f"{name}^dag[{nu},{index_text(k)}]" for nu, k in creators]
        return parts + [f"{name}[{nu},{index_text(k)}]" for nu, k in annihilators]

    def latex(self, name, content):
        creators, annihilators = content
        parts = [rf"\hat{{{name}}}^{{\dagger}}_{{{nu} {index_text(k)}}}" for nu, k in creators]
        parts += [rf"\hat{{{name}}}_{{{nu} {index_text(k)}}}" for nu, k in annihilators]
        return " ".join(parts)

    def identifier(self, name, content):
        creators, annihilators = content
        parts = [f"{name}dag_{nu}" for nu, _ in creators]
        return "_".join(parts + [f"{name}_{nu}" for nu, _ in annihilators])


LEVELS = LevelsFamily()
SPIN = SpinFamily()
BOSON = BosonFamily()
BATH = BathFamily()


FAMILIES: Mapping[str, OperatorFamily] = FamilyTable(
    (LEVELS, SPIN, BOSON, BATH, FERMIONS, SPIN_CHAIN, BOSON_SITES)
)
