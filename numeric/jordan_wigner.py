"""Jordan-Wigner matrices of fermionic modes: the matrix oracle of the fermion algebra.

Modes are ordered (the order of :func:`heatbounds.symbolic.fermions.mode_key`);
mode j is the j-th tensor factor, and

    c_j = Z x ... x Z x sigma^- x 1 x ... x 1      (j factors Z = diag(1, -1)),

with sigma^- = [[0, 1], [0, 0]] taking the occupied state (index 1) to the
empty one (index 0). These satisfy {c_i, c_j^dag} = delta_ij and
{c_i, c_j} = 0 exactly (tested), so any product of the symbolic algebra can be
compared with the product of matrices.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from heatbounds.numeric.errors import NumericInputError
from heatbounds.symbolic.fermions import mode_key

__all__ = ["content_matrix", "jordan_wigner_annihilators", "mode_order"]

MAX_MODES = 14  # 2^14 x 2^14 sparse matrices: still cheap, and far past any oracle test

_Z = sparse.csr_matrix(np.diag([1.0, -1.0]))
_LOWER = sparse.csr_matrix(np.array([[0.0, 1.0], [0.0, 0.0]]))
_ONE = sparse.identity(2, format="csr")


def jordan_wigner_annihilators(n: int) -> list[sparse.csr_matrix]:
    """The annihilators c_0 .. c_{n-1} of n modes as sparse 2^n x 2^n matrices."""
    if not isinstance(n, int) or n < 1 or n > MAX_MODES:
        raise NumericInputError(f"Jordan-Wigner matrices: 1 to {MAX_MODES} modes, got {n!r}")
    out = []
    for j in range(n):
        matrix = None
        for factor in [_Z] * j + [_LOWER] + [_ONE] * (n - j - 1):
            matrix = factor if matrix is None else sparse.kron(matrix, factor, format="csr")
        out.append(matrix)
    return out


def mode_order(modes: Sequence) -> tuple:
    """The modes sorted canonically, each once (the tensor-factor order)."""
    return tuple(sorted(set(modes), key=mode_key))


def content_matrix(content, annihilators: dict) -> sparse.csr_matrix:
    """The matrix of a fermion content ``(creators, annihilators)`` in stored order.

    ``annihilators`` maps each mode to its matrix (from
    :func:`jordan_wigner_annihilators` over :func:`mode_order`); None (the
    identity of the sector) gives the identity.
    """
    size = next(iter(annihilators.values())).shape[0]
    out = sparse.identity(size, format="csr", dtype=float)
    if content is None:
        return out
    creators, destroyed = content
    try:
        for mode in creators:
            out = out @ annihilators[mode].T
        for mode in destroyed:
            out = out @ annihilators[mode]
    except KeyError as missing:
        raise NumericInputError(f"mode {missing.args[0]!r} has no Jordan-Wigner matrix") from None
    return out
