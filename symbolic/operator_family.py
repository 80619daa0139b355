"""The interface of an operator family, and the sector of a word it rules.

:class:`OperatorFamily` is what every family of operators
(:mod:`heatbounds.symbolic.families`: levels, spin, boson, bath) provides: the
pairwise normal-ordering rule and the adjoint, its parity, index handling,
printing, its model-file declaration and a slot for its matrix form. A
:class:`Sector` ``(rank, family, name)`` names the operators of one family and
name; words keep one content per sector, sorted by sector.

Explanation
-----------
Each family is a ``str`` subclass whose value is its key (``"boson"``...), with
exactly one instance per family. It therefore sorts, hashes and prints exactly
as the key did before the families were objects: canonical term order,
``srepr`` hashes and generated files do not depend on the change, the hot
path dispatches with one attribute lookup (``sector.family.multiply``), and
independent test oracles may read words as plain data. Dispatch on the key
text is not used anywhere in the package: ask the family object.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

from heatbounds.symbolic.errors import OperatorAlgebraError
from heatbounds.symbolic.indices import Index, IndexValue

__all__ = ["FamilyTable", "OperatorFamily", "Sector", "index_text", "weight_product"]


def index_text(value: IndexValue) -> str:
    """An index value as printed: a symbol's name or the integer."""
    return value.name if isinstance(value, Index) else str(value)


def weight_product(a, b):
    """The product of two weights of the families' rules (ints, deltas, SymPy numbers),
    without building a SymPy product where one factor is 1."""
    if a == 1:
        return b
    if b == 1:
        return a
    return a * b


class Sector(NamedTuple):
    """One Hilbert-space sector: a family's operators of one name.

    Immutable and ordered like the plain triple ``(rank, family, name)`` it
    replaces (sorting by rank first keeps the block order of every word), with
    the tuple's C-level hashing and comparison on the hot path.
    """

    rank: int
    family: OperatorFamily
    name: str


class OperatorFamily(str):
    """The rules of one operator family (the contents of each family are listed
    in :mod:`heatbounds.symbolic.families`).

    Subclasses set the class attributes and override the content methods; each
    has exactly one instance (``BOSON``, ``SPIN``, ``LEVELS``, ``BATH``).

    Class attributes:

    key:
        The family's name, also its ``str`` value (``"boson"``).
    rank:
        Sectors sort by rank first: levels, spin, boson, bath.
    parity:
        The grading of the family's generators: 0 (even) for every family so
        far, so operators of different sectors commute and merging two blocks
        (:func:`heatbounds.symbolic.words.word_product`) or renaming indices
        never changes a sign. An odd family (fermions, parity 1) anticommutes
        with the other odd families: its :meth:`multiply` weights carry the
        signs of its own reordering, and block merging must then multiply by
        ``(-1)**(p_left * p_right)`` for every odd pair it passes; such a family
        is refused until the merge does so.
    model_kind:
        How a model file declares an operator of the family (``None``: it
        cannot be declared, like the bath).
    """

    key: str = ""
    rank: int = -1
    parity: int = 0
    model_kind: str | None = None

    #: All of the family's operators live in one sector (then an odd family never
    #: passes another odd content when blocks merge).
    single_sector: bool = False

    #: Identifying two indices (a Kronecker delta) may leave a content that is not
    #: reduced (a spin chain's site repeated): :meth:`reduce` writes it out again.
    reduces: bool = False

    def __new__(cls):
        if cls.parity != 0 and not cls.single_sector:
            raise OperatorAlgebraError(
                f"family {cls.key!r} is odd: block merging in words.word_product needs its signs"
            )
        return str.__new__(cls, cls.key)

    def __setattr__(self, name, value):
        raise AttributeError(f"operator family {self.key!r} is immutable")

    def __reduce__(self):
        return (_family_named, (self.key,))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def sector(self, name: str) -> Sector:
        """The sector of this family's operators named ``name``."""
        return Sector(self.rank, self, name)

    # --- the algebra ------------------------------------------------------------------
    def multiply(self, left, right) -> list:
        """``left * right`` normal ordered, as ``(weight, content or None)`` pairs."""
        raise NotImplementedError

    def adjoint(self, content):
        """The content of the adjoint operator (an involution)."""
        raise NotImplementedError

    def order(self, left, right) -> list:
        """``left * right`` in normal order *without* contractions, as ``(weight,
        content or None)`` pairs: the product inside a normal-ordering symbol
        :AB:. A family without creation and annihilation operators (spins,
        levels) has no contractions: its ordered product is its product."""
        return self.multiply(left, right)

    def adjoint_signed(self, content) -> tuple[int, object]:
        """(sign, content) of the adjoint; the sign is 1 for an even family."""
        return 1, self.adjoint(content)

    # --- index handling ---------------------------------------------------------------
    def indices(self, content) -> tuple:
        """Every index value of a content, in order."""
        return ()

    def index_kinds(self, content) -> tuple:
        """``"level"`` or ``"mode"`` for each entry of :meth:`indices`."""
        return ()

    def with_indices(self, content, values: Iterator):
        """The content with its index positions filled from ``values``, in order
        (nothing is re-sorted: this builds templates)."""
        return content

    def rename(self, content, mapping: dict):
        """The content with indices replaced by ``mapping`` (index -> index or int)."""
        return content

    def reduce(self, content) -> list:
        """The content in reduced form, as ``(weight, content or None)`` terms, after a
        renaming identified two of its indices (only called where :attr:`reduces`)."""
        return [(1, content)]

    def rename_signed(self, content, mapping: dict) -> tuple[int, object]:
        """(sign, content) after :meth:`rename`: 1 for an even family; an odd one
        returns the sign of re-sorting its operators (0 if one then repeats)."""
        return 1, self.rename(content, mapping)

    def sort_key(self, content) -> tuple:
        """A total-order key of contents (chooses canonical dummy names)."""
        return tuple(content)

    # --- printing ---------------------------------------------------------------------
    def text(self, name: str, content) -> list[str]:
        """Plain-text factors of a content, e.g. ``["a^dag^2", "a"]``."""
        raise NotImplementedError

    def latex(self, name: str, content) -> str:
        """LaTeX of a content, e.g. ``\\hat{a}^{\\dagger 2} \\hat{a}``."""
        raise NotImplementedError

    def identifier(self, name: str, content) -> str:
        """An identifier naming the content with its indices left out (it names
        expectation values: ``adag_a``, ``A_bdag_L``)."""
        raise NotImplementedError

    # --- model files ------------------------------------------------------------------
    def model_arguments(self, kind: str) -> tuple | None:
        """The declaration's arguments if ``kind`` declares this family, else None."""
        return () if kind == self.model_kind else None

    def model_help(self) -> str | None:
        """The declaration as named in messages (None: not declarable)."""
        return self.model_kind

    # --- matrices (registered by heatbounds.numeric.matrix_forms) ---------------------
    def register_matrix_form(self, form) -> None:
        """Attach the family's matrix representation (called by the numeric layer
        when it is imported; registering again replaces it).

        This slot is the family's only state that is set after construction: the
        symbolic layer must not import the numeric one.
        """
        self.__dict__["_matrix_form"] = form

    @property
    def matrix_form(self):
        """The registered matrix representation; refused when none is registered."""
        try:
            return self.__dict__["_matrix_form"]
        except KeyError:
            raise OperatorAlgebraError(
                f"operator family {self.key!r} has no matrix form "
                "(import heatbounds.numeric.matrix_forms to register them)"
            ) from None


class FamilyTable(Mapping):
    """Read-only ``key -> family`` table; an unknown key is refused clearly."""

    def __init__(self, families: Iterable[OperatorFamily]):
        self._families = {f.key: f for f in sorted(families, key=lambda f: f.rank)}

    def __getitem__(self, key) -> OperatorFamily:
        try:
            return self._families[key]
        except (KeyError, TypeError):
            known = ", ".join(self._families)
            raise OperatorAlgebraError(f"unknown operator family {key!r}; known: {known}") from None

    def __contains__(self, key) -> bool:
        return isinstance(key, str) and key in self._families

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __iter__(self):
        return iter(self._families)

    def __len__(self) -> int:
        return len(self._families)

    def __repr__(self) -> str:
        return f"FAMILIES({', '.join(self._families)})"


def _family_named(key: str) -> OperatorFamily:
    """The family of a key (unpickling keeps each family a singleton)."""
    from heatbounds.symbolic.families import FAMILIES

    return FAMILIES[key]
