"""Typed symbolic indices: level indices of N-level systems, bath mode indices and
site indices of chains and ensembles.

An index is a SymPy integer :class:`~sympy.Symbol` of one of three kinds, so that
SymPy's ``KroneckerDelta`` and ``Sum`` work on it unchanged while the algebra
can refuse to identify a level with a bath mode or a site. A Kronecker delta is only
ever eliminated against a *summed* (dummy) index of the same kind, never a free
one (cf. the pitfall of ``secondquant.evaluate_deltas``).

Examples
--------
>>> from heatbounds.symbolic.indices import LevelIndex, ModeIndex, SiteIndex, delta
>>> i, j = LevelIndex("i"), LevelIndex("j")
>>> delta(i, j)
KroneckerDelta(i, j)
>>> delta(2, 2), delta(1, 2)
(1, 0)
>>> delta(i, ModeIndex("k"))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
heatbounds.symbolic.errors.IndexMismatchError: cannot compare level index i with mode index k: ...
>>> delta(SiteIndex("s"), ModeIndex("k"))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
heatbounds.symbolic.errors.IndexMismatchError: cannot compare site index s with mode index k: ...
"""

from __future__ import annotations

from sympy import Integer, KroneckerDelta, Symbol

from heatbounds.symbolic.errors import IndexMismatchError

__all__ = [
    "Index",
    "IndexValue",
    "LevelIndex",
    "ModeIndex",
    "SiteIndex",
    "delta",
    "index_key",
    "index_kind",
]


class Index(Symbol):
    """Base class of typed indices (an integer SymPy symbol)."""

    kind = "index"

    def __new__(cls, name: str) -> Index:
        return Symbol.__new__(cls, name, integer=True)

    def __getnewargs_ex__(self):
        return ((self.name,), {})


class LevelIndex(Index):
    """Index of a state of an N-level system, running over 1..N (Eq. 11)."""

    kind = "level"


class ModeIndex(Index):
    """Index of a bath mode k of one bath (Eq. 3), running over the bath's modes."""

    kind = "mode"


class SiteIndex(Index):
    """Index of a site of a chain or ensemble (spins or bosons), running over 1..N
    (:mod:`heatbounds.symbolic.site_families`)."""

    kind = "site"


IndexValue = int | Index


def index_kind(value: IndexValue) -> str | None:
    """The kind of an index value; ``None`` for a concrete (integer) value."""
    return value.kind if isinstance(value, Index) else None


def index_key(value: IndexValue) -> tuple:
    """A sort key that orders concrete values before symbolic ones, then by name."""
    if isinstance(value, Index):
        return (1, value.name)
    return (0, int(value))


def delta(a: IndexValue, b: IndexValue):
    """Kronecker delta of two index values, evaluated where it is decided.

    Returns the Python int 1 or 0 when the values are equal or two different
    integers, else a SymPy ``KroneckerDelta``. Indices of different kinds are
    refused with :class:`IndexMismatchError`.
    """
    if a == b:
        return 1
    ka, kb = index_kind(a), index_kind(b)
    if ka is None and kb is None:
        return 0
    if ka is not None and kb is not None and ka != kb:
        raise IndexMismatchError(
            f"cannot compare {ka} index {a} with {kb} index {b}: "
            "a Kronecker delta needs indices of one kind"
        )
    return KroneckerDelta(
        a if isinstance(a, Index) else Integer(a), b if isinstance(b, Index) else Integer(b)
    )
