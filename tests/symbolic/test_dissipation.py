"""Forms of dissipation and their majorants (symbolic/dissipation.py)."""

from __future__ import annotations

import pytest
import sympy as sp

from heatbounds.symbolic.dissipation import (
    ETA,
    OMEGA_C,
    OMEGA_R,
    Lorentzian,
    Ohmic,
    PowerLaw,
    check_proportional,
    omega,
)
from heatbounds.symbolic.errors import BoundConditionError, ModelError

M = sp.Function("M")  # stands for the h-weighted moment M_l


@pytest.mark.parametrize("shape", [Ohmic(), PowerLaw(1), PowerLaw(3), PowerLaw(5), Lorentzian()])
def test_majorant_lies_above_the_shape(shape):
    # The bound factor with M_l -> omega^l is the majorant F(omega) >= Jtilde(omega).
    values = {OMEGA_C: 3, OMEGA_R: 2, ETA: sp.Rational(1, 2)}
    majorant = shape.bound_factor(lambda power: omega**power).subs(values)
    jtilde = shape.spectral_function().subs(values)
    for w in (sp.Rational(1, 10), 1, 2, 3, 7, 30):
        assert majorant.subs(omega, w) >= jtilde.subs(omega, w)
    assert shape.moment_orders() == tuple(sorted(shape.moment_orders()))
    assert all(order % 2 == 1 for order in shape.moment_orders())


def test_each_shape_is_the_papers():
    assert Ohmic().spectral_function() == omega * sp.exp(-omega / OMEGA_C)
    assert str(Ohmic()) == "ohmic" and Ohmic().bound_factor(M) == M(1)
    assert PowerLaw(3).spectral_function() == omega**3 * sp.exp(-omega / OMEGA_C) / OMEGA_C**2
    assert str(PowerLaw(3)) == "power:3" and PowerLaw(3).bound_factor(M) == M(3) / OMEGA_C**2
    assert Lorentzian().spectral_function() == omega / (1 + ETA * (omega - OMEGA_R) ** 2)
    assert set(Lorentzian().parameters()) == {"omega_res", "eta"}
    assert set(Ohmic().parameters()) == set(PowerLaw(2).parameters()) == {"omega_c"}


def test_even_powers_use_the_geometric_mean_of_their_odd_neighbours():
    shape = PowerLaw(2)
    assert shape.moment_orders() == (1, 3)
    assert shape.bound_factor(M) == sp.sqrt(M(1) * M(3)) / OMEGA_C


@pytest.mark.parametrize("s", [0, -1, 1.5, "3"])
def test_power_law_needs_a_positive_integer(s):
    with pytest.raises(ModelError, match="integer s >= 1"):
        PowerLaw(s)


def test_left_and_right_shapes_must_be_equal():
    assert check_proportional(Ohmic(), Ohmic()) == Ohmic()
    with pytest.raises(BoundConditionError, match="not proportional"):
        check_proportional(Ohmic(), PowerLaw(3))
    with pytest.raises(BoundConditionError, match="not proportional"):
        check_proportional(Ohmic(), Ohmic(omega_c=2 * OMEGA_C))
    with pytest.raises(BoundConditionError, match="constant factor 2"):
        check_proportional(_Twice(), Ohmic())


class _Twice(Ohmic):
    """Twice the ohmic shape: proportional to it, but not equal."""

    def spectral_function(self, w=omega):
        return 2 * super().spectral_function(w)
