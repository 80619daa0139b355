"""Operator words: normal-ordered products, their products, adjoints and keys.

A *word* is a tuple of *segments*. A segment is either a *block* -- a tuple of
``(sector, content)`` pairs sorted by sector, one content per sector, the
operators of different sectors commuting -- or an :class:`AbstractOperator`,
which commutes with nothing and so separates blocks. The empty word is the
identity. Sectors are :class:`~heatbounds.symbolic.families.Sector` triples
``(rank, family, name)``; every rule of a family is a method of its family
object (:mod:`heatbounds.symbolic.families`), reached as ``sector.family``.
All families are even (parity 0), so merging two blocks needs no sign.
"""

from __future__ import annotations

from dataclasses import dataclass

from heatbounds.symbolic.errors import OperatorAlgebraError
from heatbounds.symbolic.operator_family import weight_product as _mul

__all__ = [
    "AbstractOperator",
    "Word",
    "word_adjoint",
    "word_adjoint_signed",
    "word_identifier",
    "word_identify",
    "word_indices",
    "word_key",
    "word_latex",
    "word_product",
    "word_rename",
    "word_rename_signed",
    "word_text",
]

Word = tuple


@dataclass(frozen=True, order=True)
class AbstractOperator:
    """A user-declared operator known only to be linear.

    Its commutators with anything but itself are left unevaluated: they become
    new abstract operators printed as ``[X, Y]``.
    """

    label: str
    latex_form: str
    hermitian: bool = False

    def adjoint(self) -> AbstractOperator:
        if self.hermitian:
            return self
        if self.label.endswith("_dag"):
            base = self.label[: -len("_dag")]
            return AbstractOperator(base, self.latex_form.removesuffix("^{\\dagger}"))
        return AbstractOperator(self.label + "_dag", self.latex_form + "^{\\dagger}")


def _block_product(left: tuple, right: tuple, contractions: bool = True) -> list:
    """Products of two blocks as ``(coefficient, block)`` pairs.

    Items of different sectors pass each other without a sign: every family is
    even (``OperatorFamily.parity == 0``; odd families are refused until this
    merge multiplies by ``(-1)**(p * q)`` for each odd pair it reorders).
    """
    partial = [(1, [])]
    i = j = 0
    while i < len(left) or j < len(right):
        if j == len(right) or (i < len(left) and left[i][0] < right[j][0]):
            for _, items in partial:
                items.append(left[i])
            i += 1
            continue
        if i == len(left) or right[j][0] < left[i][0]:
            for _, items in partial:
                items.append(right[j])
            j += 1
            continue
        sector = left[i][0]
        rule = sector.family.multiply if contractions else sector.family.order
        options = rule(left[i][1], right[j][1])
        grown = []
        for coeff, items in partial:
            for weight, content in options:
                extended = [*items, (sector, content)] if content is not None else list(items)
                grown.append((_mul(coeff, weight), extended))
        partial = grown
        i += 1
        j += 1
    return [(coeff, tuple(items)) for coeff, items in partial]


def word_product(left: Word, right: Word, *, contractions: bool = True) -> list:
    """The normal-ordered product ``left * right`` as ``(coefficient, word)`` pairs.

    ``contractions=False`` orders without contracting (the normal-ordering
    symbol :left right:, :meth:`OperatorFamily.order`).
    """
    if not left:
        return [(1, right)]
    if not right:
        return [(1, left)]
    last, first = left[-1], right[0]
    if isinstance(last, tuple) and isinstance(first, tuple):
        out = []
        for coeff, block in _block_product(last, first, contractions):
            middle = (block,) if block else ()
            out.append((coeff, left[:-1] + middle + right[1:]))
        return out
    return [(1, left + right)]


def word_adjoint_signed(word: Word) -> tuple[int, Word]:
    """(sign, adjoint word): reversed, each factor adjointed, blocks normal ordered.

    The sign is that of re-sorting odd (fermionic) contents; 1 for even ones.
    """
    out, sign = [], 1
    for segment in reversed(word):
        if isinstance(segment, AbstractOperator):
            out.append(segment.adjoint())
            continue
        block = []
        for s, c in segment:
            factor, adjoint = s.family.adjoint_signed(c)
            sign *= factor
            block.append((s, adjoint))
        out.append(tuple(block))
    return sign, tuple(out)


def word_adjoint(word: Word) -> Word:
    """The adjoint word of an even word (see :func:`word_adjoint_signed`)."""
    sign, out = word_adjoint_signed(word)
    if sign != 1:
        raise OperatorAlgebraError("the adjoint of this word has a sign: use word_adjoint_signed")
    return out


def word_indices(word: Word) -> tuple:
    """Every index value in the word, in order of appearance."""
    out = []
    for segment in word:
        if isinstance(segment, tuple):
            for sector, content in segment:
                out.extend(sector.family.indices(content))
    return tuple(out)


def word_rename_signed(word: Word, mapping: dict) -> tuple[int, Word]:
    """(sign, word) with indices replaced by ``mapping`` (index -> index or int).

    Each family re-sorts its renamed content; an odd family (fermions) returns
    the sign of that permutation, 0 when a mode then repeats (c_k c_q, q -> k).
    The sign is 1 for a word of even operators.

    >>> from heatbounds.symbolic.indices import ModeIndex
    >>> from heatbounds.symbolic.leads import Leads
    >>> p, q = ModeIndex("p"), ModeIndex("q")
    >>> (_, word), = (Leads().create("L", p) * Leads().create("L", q)).terms
    >>> word_rename_signed(word, {p: q, q: p})[0]
    -1
    """
    if not mapping:
        return 1, word
    out, sign = [], 1
    for segment in word:
        if isinstance(segment, AbstractOperator):
            out.append(segment)
            continue
        block = []
        for s, c in segment:
            if s.family.parity:
                factor, c = s.family.rename_signed(c, mapping)
                if factor == 0:
                    return 0, word
                sign *= factor
                block.append((s, c))
            else:
                block.append((s, s.family.rename(c, mapping)))
        out.append(tuple(block))
    return sign, tuple(out)


def word_identify(word: Word, mapping: dict) -> list[tuple[object, Word]]:
    """The word with indices identified by ``mapping`` (a Kronecker delta), as
    ``(weight, word)`` terms whose sum it is: odd families return the sign of
    re-sorting (no term if a fermion mode then repeats), and a family whose
    content may then not be reduced (``family.reduces``, a spin chain with a
    site repeated) writes it out again (:meth:`OperatorFamily.reduce`).

    >>> from heatbounds.symbolic.indices import SiteIndex
    >>> from heatbounds.symbolic.sites import SpinChain
    >>> i = SiteIndex("i")
    >>> (_, word), = (SpinChain("s").minus(1) * SpinChain("s").minus(i)).terms
    >>> word_identify(word, {i: 1})  # sigma_-^(1) sigma_-^(1) = 0
    []
    """
    sign, renamed = word_rename_signed(word, mapping)
    if sign == 0:
        return []
    if not any(s.family.reduces for seg in renamed if isinstance(seg, tuple) for s, _ in seg):
        return [(sign, renamed)]
    terms: list = [(sign, ())]
    for segment in renamed:
        if isinstance(segment, AbstractOperator):
            terms = [(w, (*p, segment)) for w, p in terms]
            continue
        blocks: list = [(1, ())]
        for s, c in segment:
            parts = s.family.reduce(c) if s.family.reduces else [(1, c)]
            blocks = [
                (w * w2, (*b, (s, c2)) if c2 is not None else b)
                for w, b in blocks
                for w2, c2 in parts
            ]
        terms = [(w * w2, (*p, b) if b else p) for w, p in terms for w2, b in blocks]
    return [(w, p) for w, p in terms if w != 0]


def word_rename(word: Word, mapping: dict) -> Word:
    """The word with indices replaced by ``mapping`` (index -> index or int).

    Refused where the renaming re-sorts odd operators (their sign would be lost:
    use :func:`word_rename_signed`).
    """
    sign, out = word_rename_signed(word, mapping)
    if sign != 1:
        raise OperatorAlgebraError(
            "renaming the indices of fermion modes re-sorts them: use word_rename_signed"
        )
    return out


def word_key(word: Word) -> tuple:
    """A total-order key for words (used to choose canonical dummy names)."""
    return tuple(
        ("X", segment.label)
        if isinstance(segment, AbstractOperator)
        else ("B", tuple((s, s.family.sort_key(c)) for s, c in segment))
        for segment in word
    )


def word_text(word: Word) -> str:
    """Plain text of a word, e.g. ``adag^2 a sigma_z``."""
    parts = []
    for segment in word:
        if isinstance(segment, AbstractOperator):
            parts.append(segment.label)
        else:
            for s, c in segment:
                parts.extend(s.family.text(s.name, c))
    return " ".join(parts)


def word_latex(word: Word) -> str:
    """LaTeX of a word, e.g. ``\\hat{a}^{\\dagger} \\hat{\\sigma}_{z}``."""
    parts = []
    for segment in word:
        if isinstance(segment, AbstractOperator):
            parts.append(segment.latex_form)
        else:
            parts.extend(s.family.latex(s.name, c) for s, c in segment)
    return " ".join(parts)


def word_identifier(word: Word) -> str:
    """An identifier naming the word's operator content (indices left out)."""
    parts = []
    for segment in word:
        if isinstance(segment, AbstractOperator):
            parts.append(segment.label)
        else:
            parts.extend(s.family.identifier(s.name, c) for s, c in segment)
    return "_".join(parts)
