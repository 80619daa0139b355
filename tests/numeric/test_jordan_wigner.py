"""Jordan-Wigner matrices (numeric/jordan_wigner.py): the canonical anticommutation relations."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.jordan_wigner import content_matrix, jordan_wigner_annihilators, mode_order
from heatbounds.symbolic.fermions import fermion_product

MODES = (("d_up", None, None), ("c", "L", 2), ("d_dn", None, None), ("c", "L", 1))


@pytest.mark.parametrize("n", [1, 2, 4])
def test_canonical_anticommutation_relations(n):
    c = [m.toarray() for m in jordan_wigner_annihilators(n)]
    one = np.eye(2**n)
    for i, j in itertools.product(range(n), range(n)):
        assert np.array_equal(c[i] @ c[j].T + c[j].T @ c[i], one * (i == j))
        assert np.array_equal(c[i] @ c[j] + c[j] @ c[i], 0 * one)


def test_contents_multiply_as_the_symbolic_rule_says():
    order = mode_order(MODES + MODES[:2])
    assert order == (("c", "L", 1), ("c", "L", 2), ("d_dn", None, None), ("d_up", None, None))
    matrices = dict(zip(order, jordan_wigner_annihilators(len(order)), strict=True))
    left, right = ((order[3],), (order[0], order[2])), ((order[0], order[2]), (order[3],))
    expected = content_matrix(left, matrices) @ content_matrix(right, matrices)
    got = sum(w * content_matrix(c, matrices) for w, c in fermion_product(left, right))
    assert np.allclose(got.toarray(), expected.toarray()) and abs(expected).sum() > 0


def test_refusals():
    with pytest.raises(NumericInputError, match="1 to 14 modes, got 0"):
        jordan_wigner_annihilators(0)
    matrices = dict(zip(MODES[:1], jordan_wigner_annihilators(1), strict=True))
    with pytest.raises(NumericInputError, match="has no Jordan-Wigner matrix"):
        content_matrix(((MODES[1],), ()), matrices)
