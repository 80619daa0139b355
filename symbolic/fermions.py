"""Fermions: the odd operator family, with a sign on every reordering.

All fermionic operators of a model -- the dot's modes d_sigma and the lead modes
c_{nu k} -- live in one sector, so no other block of a word ever holds an odd
operator, and merging blocks (which only passes even contents) never needs a
sign. Inside the sector a content is a normal-ordered product

    c^dag_{m_1} ... c^dag_{m_p} c_{n_1} ... c_{n_q}

stored as ``(creators, annihilators)``, each a tuple of modes sorted by
:func:`mode_key`; a mode is ``(name, nu, k)``: ``("d_up", None, None)`` for a
declared mode, ``("c", "L", k)`` for lead mode k of lead L (k an int or a mode
index). Distinct modes anticommute, {c_m, c^dag_n} = delta_mn, and every
reordering -- the normal ordering of a product, the sorting after an adjoint,
a renaming of indices or a delta that identifies two -- multiplies by the sign
of its permutation. A repeated mode (same name, lead and index) gives zero.

The rules here are checked against Jordan-Wigner matrices
(``tests/symbolic/test_fermions.py``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from heatbounds.symbolic.errors import OperatorAlgebraError
from heatbounds.symbolic.indices import delta, index_key
from heatbounds.symbolic.operator_family import OperatorFamily, index_text

__all__ = [
    "FERMIONS",
    "FERMION_SECTOR",
    "FermionFamily",
    "Mode",
    "fermion_adjoint",
    "fermion_count_parities",
    "fermion_product",
    "fermion_rename",
    "mode_key",
    "odd_terms",
    "sort_modes",
]

Mode = tuple  # (name, nu, k): nu and k are None for a declared (dot) mode


def mode_key(mode: Mode) -> tuple:
    """The canonical order of modes: by name, then lead, then index (ints first)."""
    name, nu, k = mode
    return (name, nu or "", () if k is None else index_key(k))


def _same_mode_weight(left: Mode, right: Mode):
    """{c_left, c^dag_right}: 1, 0 or a Kronecker delta of the mode indices."""
    if left[0] != right[0] or left[1] != right[1]:
        return 0
    if left[2] is None:
        return 1
    return delta(left[2], right[2])


def sort_modes(modes: Iterable[Mode]) -> tuple[int, tuple]:
    """(sign of the sorting permutation, sorted modes); sign 0 if a mode repeats.

    Two modes repeat when name, lead and index are equal (c_k c_k = 0 also for a
    symbolic k); modes whose indices are different symbols may still coincide,
    and stay as they are (antisymmetric under the exchange of the symbols).
    """
    items = list(modes)
    sign = 1
    for i in range(1, len(items)):  # insertion sort, counting transpositions
        j = i
        while j > 0 and mode_key(items[j - 1]) > mode_key(items[j]):
            items[j - 1], items[j] = items[j], items[j - 1]
            sign = -sign
            j -= 1
    for a, b in itertools.pairwise(items):
        if mode_key(a) == mode_key(b):
            return 0, ()
    return sign, tuple(items)


def _annihilator_through(first: Mode, creators: tuple) -> list:
    """c_first c^dag_{creators}: as (weight, creators left, first kept?) terms.

    c C = (-1)^len(C) C c + sum_j (-1)^j {c, c^dag_j} C without j.
    """
    out = [((-1) ** len(creators), creators, True)]
    for j, partner in enumerate(creators):
        weight = _same_mode_weight(first, partner)
        if weight != 0:
            out.append(((-1) ** j * weight, creators[:j] + creators[j + 1 :], False))
    return out


def _normal_order(annihilators: tuple, creators: tuple) -> list:
    """The product (annihilators)(creators), normal ordered, unsorted.

    Returns ``(weight, creators, annihilators)`` terms whose operators keep the
    order they had (creators from the right factor, annihilators from the left).
    """
    if not annihilators or not creators:
        return [(1, creators, annihilators)]
    *rest, last = annihilators
    out = []
    for w1, c1, kept in _annihilator_through(last, creators):
        for w2, c2, a2 in _normal_order(tuple(rest), c1):
            # rest . (C' [last]) = N(rest C') [last]: `last` stays at the right end
            out.append((w1 * w2, c2, (*a2, last) if kept else a2))
    return out


def fermion_product(left, right) -> list:
    """``left * right`` for two contents, normal ordered and sorted, as
    ``(weight, content or None)`` pairs (weights carry signs and deltas)."""
    (c1, a1), (c2, a2) = left, right
    out = []
    for weight, c_mid, a_mid in _normal_order(a1, c2):
        sign_c, creators = sort_modes(c1 + c_mid)
        sign_a, annihilators = sort_modes(a_mid + a2)
        sign = sign_c * sign_a
        if sign == 0 or weight == 0:
            continue
        content = (creators, annihilators) if (creators or annihilators) else None
        out.append((sign * weight, content))
    return out


def fermion_adjoint(content) -> tuple[int, tuple]:
    """(sign, content) of the adjoint: (C A)^dag = A^dag C^dag, then sorted."""
    creators, annihilators = content
    sign_c, new_creators = sort_modes(reversed(annihilators))
    sign_a, new_annihilators = sort_modes(reversed(creators))
    return sign_c * sign_a, (new_creators, new_annihilators)


def fermion_rename(content, mapping: dict) -> tuple[int, tuple]:
    """(sign, content) with mode indices replaced by ``mapping`` and re-sorted.

    The sign is 0 when the renaming makes a mode repeat (c^dag_k c^dag_q, q -> k).
    """
    creators, annihilators = (
        tuple((name, nu, mapping.get(k, k) if k is not None else None) for name, nu, k in modes)
        for modes in content
    )
    sign_c, creators = sort_modes(creators)
    sign_a, annihilators = sort_modes(annihilators)
    return sign_c * sign_a, (creators, annihilators)


def _mode_text(mode: Mode) -> str:
    name, nu, k = mode
    return name if nu is None else f"{name}[{nu},{index_text(k)}]"


def _mode_latex(mode: Mode, dagger: bool) -> str:
    name, nu, k = mode
    base, _, label = name.partition("_")
    sub = label if nu is None else f"{nu} {index_text(k)}"
    sup = r"^{\dagger}" if dagger else ""
    return rf"\hat{{{base}}}{sup}_{{{sub}}}" if sub else rf"\hat{{{base}}}{sup}"


class FermionFamily(OperatorFamily):
    """Fermionic modes: the dot's declared modes and the lead modes c_{nu k}.

    Odd (``parity = 1``). All of a model's fermions share the one sector
    ``FERMIONS.sector(FERMION_SECTOR)``, so the block merge of
    :func:`heatbounds.symbolic.words.word_product` never passes one odd content
    across another; the signs of reordering inside the sector come from
    :func:`fermion_product`, and adjoints and renamings return theirs
    (:meth:`adjoint_signed`, :meth:`rename_signed`).

    Adjoints carry their sign through
    :func:`~heatbounds.symbolic.words.word_adjoint_signed`, renamings of mode
    indices (dummy names, delta elimination, free-index representatives)
    through :func:`~heatbounds.symbolic.words.word_rename_signed`; the lead
    modes c_{nu k} are made by :class:`~heatbounds.symbolic.leads.Leads`.
    """

    key, rank, parity, model_kind = "fermion", 4, 1, "fermion"
    single_sector = True

    def __new__(cls):
        return str.__new__(cls, cls.key)  # odd, but in one sector: no merge signs

    def multiply(self, left, right):
        return fermion_product(left, right)

    def order(self, left, right):
        (c1, a1), (c2, a2) = left, right
        # the annihilators of ``left`` pass the creators of ``right``: one sign per pair
        sign = (-1) ** (len(a1) * len(c2))
        sign_c, creators = sort_modes(c1 + c2)
        sign_a, annihilators = sort_modes(a1 + a2)
        sign *= sign_c * sign_a
        if sign == 0:
            return []
        return [(sign, (creators, annihilators) if (creators or annihilators) else None)]

    def adjoint(self, content):
        raise OperatorAlgebraError("fermion adjoints carry a sign: use adjoint_signed")

    def adjoint_signed(self, content):
        return fermion_adjoint(content)

    def indices(self, content):
        return tuple(k for modes in content for _, nu, k in modes if nu is not None)

    def index_kinds(self, content):
        return ("mode",) * len(self.indices(content))

    def with_indices(self, content, values):
        return tuple(
            tuple((name, nu, next(values) if nu is not None else None) for name, nu, _ in modes)
            for modes in content
        )

    def rename(self, content, mapping):
        raise OperatorAlgebraError("fermion renamings carry a sign: use rename_signed")

    def rename_signed(self, content, mapping):
        return fermion_rename(content, mapping)

    def sort_key(self, content):
        return tuple(tuple(mode_key(m) for m in modes) for modes in content)

    def text(self, name, content):
        creators, annihilators = content
        parts = [
            _mode_text(m).replace("[", "^dag[", 1) if m[1] else f"{m[0]}^dag" for m in creators
        ]
        return parts + [_mode_text(m) for m in annihilators]

    def latex(self, name, content):
        creators, annihilators = content
        parts = [_mode_latex(m, True) for m in creators] + [
            _mode_latex(m, False) for m in annihilators
        ]
        return " ".join(parts)

    def identifier(self, name, content):
        creators, annihilators = content
        parts = [f"{m[0]}dag" + (f"_{m[1]}" if m[1] else "") for m in creators]
        return "_".join(parts + [m[0] + (f"_{m[1]}" if m[1] else "") for m in annihilators])


FERMIONS = FermionFamily()
FERMION_SECTOR = "f"  # the one sector of every fermion of a model


def fermion_count_parities(terms) -> set:
    """The parities (0 even, 1 odd) of the numbers of fermion operators in the words
    of an operator's term store (``{(dummies, word): coeff}``)."""
    out = set()
    for _, word in terms:
        count = 0
        for segment in word:
            if isinstance(segment, tuple):
                for sector, content in segment:
                    if sector.family is FERMIONS:
                        count += len(content[0]) + len(content[1])
        out.add(count % 2)
    return out


def odd_terms(terms) -> bool:
    """Whether any term of an operator's term store (``{(dummies, word): coeff}``) holds
    an odd number of fermion operators."""
    return 1 in fermion_count_parities(terms)
