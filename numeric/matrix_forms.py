"""The matrix form of each operator family, registered on the family objects.

The symbolic layer imports no numerics, so each
:class:`~heatbounds.symbolic.families.OperatorFamily` carries an empty slot
that this module fills when it is imported (``family.register_matrix_form``);
:class:`~heatbounds.numeric.matrices.MatrixJunction` then asks
``sector.family.matrix_form`` for a factor's size and a content's matrix.
Units do not enter: the matrices are those of the dimensionless operators.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from scipy import sparse

from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.jordan_wigner import (
    content_matrix,
    jordan_wigner_annihilators,
    mode_order,
)
from heatbounds.symbolic.families import BATH, BOSON, LEVELS, SPIN
from heatbounds.symbolic.fermions import FERMIONS
from heatbounds.symbolic.operator_family import Sector

if TYPE_CHECKING:
    from heatbounds.numeric.matrices import MatrixJunction

__all__ = [
    "BathMatrices",
    "BathMode",
    "BosonMatrices",
    "FermionMatrices",
    "LevelsMatrices",
    "MatrixForm",
    "SpinMatrices",
]

PAULI = {
    "x": np.array([[0, 1], [1, 0]], dtype=complex),
    "y": np.array([[0, -1j], [1j, 0]], dtype=complex),
    "z": np.array([[1, 0], [0, -1]], dtype=complex),
}


class BathMode(NamedTuple):
    """The factor of one discretised bath mode b_{nu k} (k = 1..M)."""

    nu: str
    k: int


class MatrixForm:
    """How one operator family becomes matrices in a :class:`MatrixJunction`.

    Registered on the family object (``family.matrix_form``) when this module
    is imported.

    Class attributes:

    subsystem:
        Each sector is one factor of the subsystem (False for the bath, whose
        modes are factors of their own, :class:`BathMode`).
    truncated:
        The factor is a Fock space cut at a finite level (``boson_levels``;
        ``bath_levels`` for bath modes), so sum rules can see the cutoff.
    """

    subsystem: bool = True
    truncated: bool = False

    def factor_size(self, mj: MatrixJunction, sector: Sector) -> int:
        """The dimension of the sector's factor."""
        raise NotImplementedError

    def local(self, mj: MatrixJunction, sector: Sector, content) -> np.ndarray:
        """The content's matrix on the sector's own factor."""
        raise NotImplementedError

    def content_matrix(self, mj: MatrixJunction, sector: Sector, content):
        """The content's matrix on the whole space (scipy CSR)."""
        return mj._embed(sector, self.local(mj, sector, content))

    def degree(self, content) -> int:
        """The most quanta the content moves in a truncated factor."""
        return 0


class SpinMatrices(MatrixForm):
    """Pauli matrices on a factor of dimension 2."""

    def factor_size(self, mj, sector):
        return 2

    def local(self, mj, sector, content):
        return PAULI[content]


class BosonMatrices(MatrixForm):
    """a^dag^m a^n on the Fock states 0..boson_levels-1."""

    truncated = True

    def factor_size(self, mj, sector):
        return mj.boson_levels

    def local(self, mj, sector, content):
        a = np.diag(np.sqrt(np.arange(1, mj.boson_levels)), 1)
        m, n = content
        return np.linalg.matrix_power(a.T, m) @ np.linalg.matrix_power(a, n)

    def degree(self, content):
        return max(content)


class LevelsMatrices(MatrixForm):
    """Matrix units ``|i><j|`` on a factor of dimension N."""

    def factor_size(self, mj, sector):
        return mj._levels_size(sector.name)

    def local(self, mj, sector, content):
        size = dict(mj.factors)[sector]
        out = np.zeros((size, size))
        out[int(content[0]) - 1, int(content[1]) - 1] = 1
        return out


class BathMatrices(MatrixForm):
    """Products of b^dag and b of the discretised modes (each cut at bath_levels)."""

    subsystem = False
    truncated = True

    def factor_size(self, mj, sector):
        raise NumericInputError("bath modes are factors of their own (BathMode), not a sector")

    def content_matrix(self, mj, sector, content):
        out = sparse.identity(mj.dimension, format="csr")
        b = np.diag(np.sqrt(np.arange(1, mj.bath_levels)), 1)
        for nu, k in content[0]:
            out = out @ mj._embed(BathMode(nu, int(k)), b.T)
        for nu, k in content[1]:
            out = out @ mj._embed(BathMode(nu, int(k)), b)
        return out

    def degree(self, content):
        return sum(len(modes) for modes in content)


class FermionMatrices(MatrixForm):
    """Jordan-Wigner matrices of every fermionic mode of the subsystem, one factor of
    dimension 2^n for the one fermion sector (:mod:`heatbounds.numeric.jordan_wigner`)."""

    def modes(self, mj) -> tuple:
        """The subsystem's fermion modes, in canonical order (the tensor factors)."""
        found = []
        for op in (mj.junction.system_hamiltonian, *mj._coupling_operators().values()):
            for _, word in op.terms:
                for segment in word:
                    for sector, content in segment:
                        if sector.family is FERMIONS:
                            found += [*content[0], *content[1]]
        if any(nu is not None for _, nu, _ in found):
            raise NumericInputError("lead modes c_{nu k} have no matrices here yet")
        return mode_order(found)

    def factor_size(self, mj, sector):
        return 2 ** len(self.modes(mj))

    def local(self, mj, sector, content):
        modes = self.modes(mj)
        matrices = dict(zip(modes, jordan_wigner_annihilators(len(modes)), strict=True))
        return content_matrix(content, matrices).toarray()


SPIN.register_matrix_form(SpinMatrices())
BOSON.register_matrix_form(BosonMatrices())
LEVELS.register_matrix_form(LevelsMatrices())
BATH.register_matrix_form(BathMatrices())
FERMIONS.register_matrix_form(FermionMatrices())
