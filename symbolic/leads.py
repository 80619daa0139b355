"""The lead modes c_{nu k} of a fermionic junction: electrons of two metallic leads.

Lead mode k of lead nu (L or R) is a fermion of the one fermion sector
(:mod:`heatbounds.symbolic.fermions`): it anticommutes with the dot's modes
and with every other lead mode, {c_{nu k}, c^dag_{nu' k'}} = delta_{nu nu'}
delta_{k k'}. Its index k is a :class:`~heatbounds.symbolic.indices.ModeIndex`
(summed with :func:`~heatbounds.symbolic.operators.mode_sum`) or a number.

Renaming summed mode indices re-sorts the modes, and so carries the sign of
the permutation (:func:`~heatbounds.symbolic.words.word_rename_signed`): a sum
symmetric under the exchange of two lead creators vanishes.

Examples
--------
>>> from heatbounds.symbolic.indices import ModeIndex
>>> from heatbounds.symbolic.operators import mode_sum
>>> c, p, q = Leads(), ModeIndex("p"), ModeIndex("q")
>>> c.annihilate("L", p) * c.create("L", q)
KroneckerDelta(p, q) - c^dag[L,q] c[L,p]
>>> mode_sum(mode_sum(c.create("L", p) * c.create("L", q), p), q)
0
"""

from __future__ import annotations

from heatbounds.symbolic.errors import IndexMismatchError, OperatorAlgebraError
from heatbounds.symbolic.fermions import FERMION_SECTOR, FERMIONS
from heatbounds.symbolic.indices import Index
from heatbounds.symbolic.operators import OperatorExpr

__all__ = ["LEADS", "LEAD_NAME", "Leads"]

LEAD_NAME = "c"  # the name of the lead modes c_{nu k}
LEADS = ("L", "R")


def _single(content) -> OperatorExpr:
    return OperatorExpr({((), (((FERMIONS.sector(FERMION_SECTOR), content),),)): 1})


class Leads:
    """The electron modes c_{nu k} of the two leads, nu in {L, R}."""

    def __init__(self, name: str = LEAD_NAME):
        self.name = name

    def _mode(self, nu: str, k) -> tuple:
        if nu not in LEADS:
            raise OperatorAlgebraError(f"lead must be one of {LEADS}, got {nu!r}")
        if isinstance(k, Index):
            if k.kind != "mode":
                raise IndexMismatchError(f"lead mode index {k} is a {k.kind} index")
        elif not isinstance(k, int) or isinstance(k, bool):
            raise OperatorAlgebraError(f"lead mode index must be a mode index or an int, got {k!r}")
        return (self.name, nu, k)

    def annihilate(self, nu: str, k) -> OperatorExpr:
        """c_{nu k}."""
        return _single(((), (self._mode(nu, k),)))

    def create(self, nu: str, k) -> OperatorExpr:
        """c^dag_{nu k}."""
        return _single(((self._mode(nu, k),), ()))

    def number(self, nu: str, k) -> OperatorExpr:
        """c^dag_{nu k} c_{nu k}."""
        return _single(((self._mode(nu, k),), (self._mode(nu, k),)))
