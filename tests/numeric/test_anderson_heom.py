"""The interacting Anderson dot by QuTiP's fermionic HEOM (numeric/anderson_heom.py):
its U = 0 limit against the exact spectral function and conductances, the sum
rule, the electronic bound of numeric/electronic_bounds.py and the error estimate."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from heatbounds.numeric.electronic_bounds import heat_conductance_bound
from heatbounds.numeric.errors import MemoryLimitError, NumericInputError
from heatbounds.numeric.resonant_level import ResonantLevel, heat_conductance

pytest.importorskip("qutip")

from heatbounds.numeric.anderson_heom import (
    AndersonDot,
    HeomSettings,
    SpectralSolver,
    hierarchy_size,
    noninteracting_spectral_function,
)
from heatbounds.numeric.anderson_transport import (
    anderson_conductance,
    energy_grid,
    noninteracting_conductances,
    spectral_moments,
)

SMALL = HeomSettings(depth=2, pade=1)


# --- U = 0: QuTiP's conventions against the exact result --------------------------------


def test_u0_spectral_function_is_the_exact_one():
    """A(eps) = -2 Im 1/(eps - eps0 - Sigma), Sigma = (Gamma W/2)/(eps - mu + i W).

    This fixes QuTiP's convention: LorentzianEnvironment's gamma is the level width
    Gamma (Gamma W^2/((omega - mu)^2 + W^2) = 2 pi sum |t_k|^2 delta); with gamma/2 or
    2 gamma the difference would be O(1). At U = 0 the anticommutator Green function
    depends on the bath only through C+ + C- (the Fermi function cancels, so the
    Pade truncation does not enter) and the hierarchy closes at tier 1 (Dyson's
    equation), so the agreement is to round-off: 1e-15 on grids avoiding eps = 0,
    ~1e-12 at eps = 0 (the mean of A(+-1e-6 Gamma)). Tolerance 1e-9 of max A = 4/Gamma.
    """
    dot = AndersonDot(eps0=0.5, interaction=0.0, gamma_left=0.3, gamma_right=0.7, bandwidth=3.0)
    eps = np.linspace(-6, 6, 25)  # includes 0
    for spin in (0, 1):  # d_dn too: the symmetry the conductances rely on
        heom = SpectralSolver(dot, 0.4, SMALL, spin=spin).spectral_function(eps)
        exact = noninteracting_spectral_function(dot, eps)
        assert np.max(np.abs(heom - exact)) < 1e-9 * 4 / dot.gamma
    # the wide-band limit of the reference: Gamma / ((eps - eps0)^2 + Gamma^2/4)
    wide = AndersonDot(0.5, 0.0, 0.3, 0.7, 1e9)
    lorentz = 1.0 / ((eps - 0.5) ** 2 + 0.25)
    assert np.allclose(noninteracting_spectral_function(wide, eps), lorentz, rtol=1e-8)


def test_u0_kappa_is_the_quadrature_of_the_exact_spectral_function():
    """Finite W: against scipy quad of the exact A with Gamma_eff(eps); the trapezoid
    error (~e^{-6 pi} relative) is far below its estimate (the h -> 2h change)."""
    dot = AndersonDot(eps0=0.5, interaction=0.0, gamma_left=0.3, gamma_right=0.7, bandwidth=3.0)
    result = anderson_conductance(dot, 0.5, HeomSettings(1, 1))
    kappa, charge = noninteracting_conductances(dot, 0.5)
    assert result.kappa == pytest.approx(kappa, rel=1e-7)
    assert result.charge == pytest.approx(charge, rel=1e-7)
    assert abs(result.kappa - kappa) < result.kappa_error < 1e-3 * kappa
    # U = 0 is exact at depth 1 and any Pade count: those changes are round-off
    assert abs(result.kappa_changes["depth + 1"]) < 1e-12
    assert abs(result.kappa_changes["pade + 1"]) < 1e-12


def test_wide_band_limit_is_twice_the_resonant_level():
    """W -> infinity: two spin channels of the resonant level (resonant_level.py).

    The Lorentzian changes A and Gamma_eff by O(eps/W) over the window: 1e-5 here."""
    dot = AndersonDot(eps0=0.5, interaction=0.0, gamma_left=0.3, gamma_right=0.7, bandwidth=1e5)
    result = anderson_conductance(dot, 0.5, HeomSettings(1, 1), estimate_error=False)
    reference = 2 * heat_conductance(ResonantLevel(0.5, 0.3, 0.7), 0.5)
    assert result.kappa == pytest.approx(reference, rel=5e-5)
    assert result.kappa_error is None


# --- U != 0 -------------------------------------------------------------------------------


@pytest.mark.parametrize("eps0, interaction", [(-2.0, 4.0), (0.5, 3.0)])
def test_sum_rule_and_detailed_balance_with_interaction(eps0, interaction):
    """Int d eps A / 2 pi = <{d, d^dag}> = 1 = mu^(0), whatever U (tan-mapped trapezoid);
    Int d eps f A / 2 pi = <n_up> of the even-parity steady state (detailed balance:
    an independent check of the odd-parity construction at U != 0, exact only as
    the hierarchy converges). For eps0 = 0.5, U = 3, T = 0.5, W = 3 the mismatch is
    -1e-4 at depth 2 with 2 Pade poles, 1.5e-3 with 3, -1.4e-3 at depth 3 with 2,
    and 3.6e-2 with 1 Pade pole (too few: the check catches it); exact at
    particle-hole symmetry. Tolerance 5e-3."""
    dot = AndersonDot(eps0, interaction, 0.5, 0.5, 3.0)
    moments = spectral_moments(dot, 0.5, HeomSettings(2, 2), points=128)
    assert abs(moments.weight - 1) < 1e-8
    assert abs(moments.weight_change) < 1e-6  # the 64-point rule: the grid resolves A
    assert abs(moments.occupation_change) < 1e-6
    assert abs(moments.occupation - moments.steady_occupation) < 5e-3
    assert moments.minimum > -1e-10


BOUND_GRID = list(
    itertools.product((0.3, 1.0), ("symmetric", 0.5), (2.0, 5.0), (0.5, 1.0))
)  # T, eps0, U, Gamma (Gamma_L = Gamma_R = Gamma/2, W = 4)


def test_bound_holds_on_a_grid():
    """kappa <= 2 c0 Gamma_L Gamma_R / Gamma at 16 points (depth 2, 1 Pade pole, h = d/2:
    the smallest settings; the benchmark gives converged values and the tightness)."""
    for t, eps0, u, gamma in BOUND_GRID:
        level = -u / 2 if eps0 == "symmetric" else eps0
        dot = AndersonDot(level, u, gamma / 2, gamma / 2, 4.0)
        step = min(gamma / 2, math.pi * t, 4.0) / 2
        result = anderson_conductance(dot, t, SMALL, step=step, estimate_error=False)
        bound = heat_conductance_bound(2 * dot.gamma_eff)
        assert result.bound == bound
        assert 0 < result.kappa <= bound, (t, level, u, gamma, result.kappa, bound)
        assert result.spectral_minimum > -1e-8  # the premise A >= 0 (here 1e-10 or more)


def test_error_estimate_covers_the_change_to_finer_settings():
    """At U = 4 the depth-2 result's estimate covers the change to depth 4, and it
    shrinks at depth 3 (grid: h = d/2 to keep this fast)."""
    dot = AndersonDot(-2.0, 4.0, 0.5, 0.5, 3.0)
    step = 0.25
    coarse = anderson_conductance(dot, 0.5, HeomSettings(2, 1), step=step)
    finer = anderson_conductance(dot, 0.5, HeomSettings(3, 1), step=step)
    reference = anderson_conductance(dot, 0.5, HeomSettings(4, 1), step=step, estimate_error=False)
    assert abs(coarse.kappa - reference.kappa) <= coarse.kappa_error
    assert abs(finer.kappa - reference.kappa) <= finer.kappa_error
    assert finer.kappa_error < coarse.kappa_error
    assert finer.kappa_error < 0.02 * finer.kappa
    assert set(finer.kappa_changes) == {"step x 2", "depth + 1", "pade + 1"}
    assert "depth 3" in finer.summary() and "h = 0.25" in finer.summary()


# --- input and limits ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"gamma_left": -0.1}, "gamma_left"),
        ({"bandwidth": 0.0}, "bandwidth"),
        ({"bandwidth": -1.0}, "bandwidth"),
        ({"eps0": math.nan}, "eps0"),
        ({"interaction": math.inf}, "interaction"),
    ],
)
def test_bad_dot_is_refused(kwargs, name):
    args = {"eps0": 0.0, "interaction": 1.0, "gamma_left": 0.5, "gamma_right": 0.5}
    args["bandwidth"] = 2.0
    args.update(kwargs)
    with pytest.raises(NumericInputError, match=name):
        AndersonDot(**args)


@pytest.mark.parametrize("temperature", [0.0, -1.0, math.nan, math.inf])
def test_bad_temperature_is_refused(temperature):
    dot = AndersonDot(0.0, 1.0, 0.5, 0.5, 2.0)
    with pytest.raises(NumericInputError, match="temperature"):
        anderson_conductance(dot, temperature, SMALL)


@pytest.mark.parametrize("kwargs", [{"depth": 0}, {"pade": 0}, {"depth": 1.5}])
def test_bad_settings_are_refused(kwargs):
    with pytest.raises(NumericInputError, match=next(iter(kwargs))):
        HeomSettings(**kwargs)


def test_hierarchy_size_and_memory_refusal(monkeypatch):
    assert hierarchy_size(HeomSettings(3, 2)) == (299, 4784)  # 1 + 12 + 66 + 220 ADOs
    import heatbounds.numeric.check_limits as limits

    monkeypatch.setattr(limits, "available_memory", lambda: 10**6)
    with pytest.raises(MemoryLimitError, match="depth 3"):
        SpectralSolver(AndersonDot(0.0, 1.0, 0.5, 0.5, 2.0), 1.0, HeomSettings(3, 2))


def test_energy_grid_is_symmetric_and_nested():
    dot = AndersonDot(0.3, 1.0, 0.5, 0.5, 2.0, mu=0.2)
    eps = energy_grid(dot, 0.5, 0.1)
    assert np.allclose(eps, -eps[::-1], atol=0) and 0.0 in eps
    assert eps[0] <= dot.mu - 36 * 0.5 and eps[-1] >= dot.mu + 36 * 0.5
    assert 0.0 in eps[::2] and eps[0] == eps[::2][0] and eps[-1] == eps[::2][-1]
