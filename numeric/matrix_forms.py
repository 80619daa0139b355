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
from sympy import sympify

from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.jordan_wigner import (
    content_matrix,
    jordan_wigner_annihilators,
    mode_order,
)
from heatbounds.symbolic.families import BATH, BOSON, LEVELS, SPIN
from heatbounds.symbolic.fermions import FERMIONS
from heatbounds.symbolic.operator_family import Sector
from heatbounds.symbolic.site_families import BOSON_SITES, SPIN_CHAIN

if TYPE_CHECKING:
    from heatbounds.numeric.matrices import MatrixJunction

__all__ = [
    "BathMatrices",
    "BathMode",
    "BosonMatrices",
    "BosonSitesMatrices",
    "FermionMatrices",
    "LevelsMatrices",
    "MatrixForm",
    "SpinChainMatrices",
    "SpinMatrices",
    "site_count",
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

    def near_cutoff(self, mj: MatrixJunction, sector: Sector, index, size: int, margin: int):
        """Which basis states (``index`` into the factor, an array) lie within
        ``margin`` quanta of a truncated factor's cutoff: the top ``margin`` states
        of a single Fock space."""
        return index >= size - margin


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
            raise NumericInputError(
                "lead modes c_{nu k} belong to a fermionic junction: its check builds them "
                "(heatbounds.numeric.fermion_check)"
            )
        return mode_order(found)

    def factor_size(self, mj, sector):
        return 2 ** len(self.modes(mj))

    def local(self, mj, sector, content):
        modes = self.modes(mj)
        matrices = dict(zip(modes, jordan_wigner_annihilators(len(modes)), strict=True))
        return content_matrix(content, matrices).toarray()


class SpinChainMatrices(MatrixForm):
    """Spins on sites 1..n (:func:`site_count`): one factor of dimension 2^n, site 1
    the leftmost; a content is the ordered product
    :math:`\\sigma_+^{P} \\sigma_z^{Z} \\sigma_-^{M}`
    (a repeated site, left by a renaming, multiplies as written)."""

    def factor_size(self, mj, sector):
        return 2 ** site_count(mj, sector)

    def local(self, mj, sector, content):
        n = site_count(mj, sector)
        out = np.eye(2**n, dtype=complex)
        for matrix, sites in zip(_SIGMA_GROUPS, content, strict=True):
            for site in sites:
                out = out @ _on_site(matrix, _concrete(site, n), n)
        return out


class BosonSitesMatrices(MatrixForm):
    """Bosons on sites 1..n, each cut at ``boson_levels``: one factor of dimension
    boson_levels^n, site 1 the leftmost (most significant) digit of the basis index."""

    truncated = True

    def factor_size(self, mj, sector):
        return mj.boson_levels ** site_count(mj, sector)

    def local(self, mj, sector, content):
        n = site_count(mj, sector)
        a = np.diag(np.sqrt(np.arange(1, mj.boson_levels)), 1).astype(complex)
        out = np.eye(mj.boson_levels**n, dtype=complex)
        for matrix, sites in ((a.T, content[0]), (a, content[1])):
            for site in sites:
                out = out @ _on_site(matrix, _concrete(site, n), n)
        return out

    def degree(self, content):
        return max(max(sites.count(s) for s in sites) for sites in content if sites)

    def near_cutoff(self, mj, sector, index, size, margin):
        levels, n = mj.boson_levels, site_count(mj, sector)
        near = np.zeros(np.shape(index), dtype=bool)
        for site in range(n):
            near |= (index // levels ** (n - 1 - site)) % levels >= levels - margin
        return near


_SIGMA_GROUPS = (
    np.array([[0, 1], [0, 0]], dtype=complex),  # sigma_+ (up = the first basis state)
    PAULI["z"],
    np.array([[0, 0], [1, 0]], dtype=complex),  # sigma_-
)


def _on_site(matrix: np.ndarray, site: int, n: int) -> np.ndarray:
    """``matrix`` on site ``site`` of n (1-based), identities elsewhere."""
    d = matrix.shape[0]
    return np.kron(np.kron(np.eye(d ** (site - 1)), matrix), np.eye(d ** (n - site)))


def _concrete(site, n: int) -> int:
    if not isinstance(site, int) or not 1 <= site <= n:
        raise NumericInputError(f"site {site} has no matrix: sites run over 1..{n}")
    return site


def site_count(mj: MatrixJunction, sector: Sector) -> int:
    """The number of sites of a chain: ``mj.site_counts[name]`` if given, else the
    largest concrete site or concrete upper limit of a site sum in the junction's
    H_s and coupling operators.

    Raises
    ------
    NumericInputError
        A free site index, or a site sum up to a symbol, without ``site_counts``.
    """
    given = getattr(mj, "site_counts", None) or {}
    if sector.name in given:
        return int(given[sector.name])
    found = 0
    for op in (mj.junction.system_hamiltonian, *mj._coupling_operators().values()):
        for dummies, word in op.terms:
            uppers = {d: u for d, u in dummies}
            for segment in word:
                for sec, content in segment:
                    if sec != sector:
                        continue
                    for site in sec.family.indices(content):
                        upper = site if isinstance(site, int) else uppers.get(site)
                        if upper is None or not sympify(upper).is_Integer:
                            raise NumericInputError(
                                f"sites of {sector.name!r} need a concrete count (site_counts)"
                            )
                        found = max(found, int(upper))
    if not found:
        raise NumericInputError(f"sites of {sector.name!r} need a concrete count (site_counts)")
    return found


SPIN.register_matrix_form(SpinMatrices())
BOSON.register_matrix_form(BosonMatrices())
LEVELS.register_matrix_form(LevelsMatrices())
BATH.register_matrix_form(BathMatrices())
FERMIONS.register_matrix_form(FermionMatrices())
SPIN_CHAIN.register_matrix_form(SpinChainMatrices())
BOSON_SITES.register_matrix_form(BosonSitesMatrices())
