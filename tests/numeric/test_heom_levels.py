"""Matrix-unit couplings in the HEOM (Eq. 11-12): their baths and flags, the system-bath
correlations of Eq. 12 against perturbation theory and against the direct f-sum, what the
identity flags do to Eq. 9, and Eq. 9 / Eq. 17 for the HEOM current at finite bias.

Reduced units (hbar = k_B = 1). Three-level: E = (0, 1, 2.5); spin-boson: Delta = 1;
Kerr (models/kerr.toml): omega0 = 1, U = 0.5 (levels 0, 1, 3, 6, ...: gaps 1, 2, 3, so the
anharmonicity is of the order of omega0); omega_c = 10 throughout.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from heatbounds.model_files import load_model
from heatbounds.numeric.emitted_moments import EmittedEvaluator
from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.heom_expectations import (
    check_mode_sums,
    coupling_tables,
    direct_moment,
    expectation_values,
    realised_sum_rule,
)
from heatbounds.numeric.heom_steady import (
    HeomSettings,
    heom_steady_state,
    independent_baths,
    matrix_unit_flags,
)
from heatbounds.numeric.heom_transport import _EmittedBound, exact_transport
from heatbounds.numeric.matrices import MatrixJunction
from heatbounds.symbolic.derivation import derive
from heatbounds.symbolic.models import builtin_model
from heatbounds.symbolic.sum_rules import moment

pytest.importorskip("qutip")

ROOT = Path(__file__).resolve().parents[2]
THREE = {"E_1": 0.0, "E_2": 1.0, "E_3": 2.5, "omega_c": 10.0, "hbar": 1.0}
LEVELS = (1, 2, 3)
PAIRS = [(a, b) for a in LEVELS for b in LEVELS if a <= b]


@pytest.fixture(scope="module", autouse=True)
def private_cache(tmp_path_factory):
    """One fit cache for this module's tests (fits take seconds; never the user's ~)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HEATBOUNDS_CACHE_DIR", str(tmp_path_factory.mktemp("heom-levels-cache")))
        yield


def three_level_state(alpha_each, depth=2, t_left=1.5, t_right=0.5):
    return heom_steady_state(
        builtin_model("three-level"),
        {**THREE, "alpha_L": alpha_each, "alpha_R": alpha_each},
        t_left=t_left,
        t_right=t_right,
        settings=HeomSettings(depth=depth, n_terms=4),
    )


@pytest.fixture(scope="module")
def weak(private_cache):
    """alpha_L = alpha_R = 0.005 at T_L = 1.5, T_R = 0.5: second order holds to ~1 %."""
    return three_level_state(0.005)


@pytest.fixture(scope="module")
def moderate(private_cache):
    """alpha_L = alpha_R = 0.05: the off-diagonal interaction energy is large."""
    return three_level_state(0.05)


def unit(a, b, n=3):
    out = np.zeros((n, n))
    out[a - 1, b - 1] = 1.0
    return out


def emitted_sum_rule(junction, state) -> complex:
    """sum h m of the model's emitted module (the package's flags), fed with the HEOM."""
    bound = _EmittedBound(junction)
    values = {k: v for k, v in THREE.items() if k in bound.module.PARAMETERS}
    return bound.sum_rule(
        values,
        expectation_values(bound.expression, state),
        coupling_tables(bound.expression, state),
    )


def test_matrix_units_get_one_bath_per_pair_with_the_flags_of_eq_4():
    """X^{ab} = X^{ba} for symmetric g: one bath per unordered pair, Q_ab = A_ab + A_ba,
    and the flags sum_m u^n_m u^n'_m have h_{ab,ba} = h_{ab,ab} = 1 (Eq. 4)."""
    junction = builtin_model("three-level")
    matrices = MatrixJunction(junction, {**THREE, "alpha_L": 0.1, "alpha_R": 0.1}, bath_modes=0)
    baths = independent_baths(junction, matrices, ("L",))
    assert len(baths) == len(PAIRS) == 6
    for bath, (a, b) in zip(baths, PAIRS, strict=True):
        expected = unit(a, b) + (unit(b, a) if a != b else 0)
        assert np.array_equal(bath.operator, expected)
    labels = [(i, j) for i in LEVELS for j in LEVELS]
    u = np.array([[bath.weights.get(n, 0.0) for bath in baths] for n in labels])
    h = matrix_unit_flags(3)
    assert np.array_equal(u @ u.T, h)
    assert h[labels.index((1, 2)), labels.index((2, 1))] == 1  # the identity flags have 0
    assert np.allclose(np.linalg.eigvalsh(h), [0] * 3 + [1] * 3 + [2] * 3)


def _half_transform(environment, delta: float) -> tuple[complex, complex]:
    """int_0^inf C(t) e^{-i delta t} dt and the same of C(t)^*, from the fit's exponents."""
    plain = conjugated = 0j
    for e in environment.exponents:
        kind = e.type.name
        if kind in ("R", "RI"):
            x = e.ck / (e.vk + 1j * delta)
            plain, conjugated = plain + x, conjugated + x
        if kind in ("I", "RI"):
            x = 1j * (e.ck if kind == "I" else e.ck2) / (e.vk + 1j * delta)
            plain, conjugated = plain + x, conjugated - x
    return plain, conjugated


def second_order_correlation(state, bath, operator) -> complex:
    """<O Xi> = -i int_0^inf dt [<O Q(-t)> C(t) - <Q(-t) O> C(t)^*] to first order in the
    coupling, in the diagonal zeroth-order state (populations: the HEOM's, equal to the
    rate equations' to O(alpha)); C(t) of the same fitted bath (so the fit error cancels)."""
    energies = np.real(np.diag(state.hamiltonian))
    p = np.real(np.diag(state.rho))
    environment = state.fits[bath.side].environment(state.alphas[bath.side])
    q = bath.operator
    total = 0j
    for m in range(len(energies)):
        for n in range(len(energies)):
            plain, _ = _half_transform(environment, energies[n] - energies[m])
            _, conjugated = _half_transform(environment, energies[m] - energies[n])
            total += p[m] * (
                operator[m, n] * q[n, m] * plain - q[m, n] * operator[n, m] * conjugated
            )
    return -1j * total


def test_bath_correlations_are_second_order_perturbation_theory_at_weak_coupling(weak):
    """Every <A_cd Xi_{nu m}> from the first-tier ADOs against second order (1 % apart at
    alpha_nu = 0.005: the next order, O(alpha) relative; 2 % is allowed)."""
    worst = scale = 0.0
    for bath in weak.baths:
        for c in LEVELS:
            for d in LEVELS:
                heom = weak.bath_correlation(unit(c, d), bath)
                reference = second_order_correlation(weak, bath, unit(c, d))
                worst, scale = max(worst, abs(heom - reference)), max(scale, abs(reference))
    assert scale > 0.01  # the correlations are not trivially small
    assert worst < 0.02 * scale


def test_bath_heat_current_is_the_system_current_plus_the_cross_bath_commutators(weak):
    """d<H_B,nu>/dt (the ADO exponents, Kato-Tanimura) = sum_{m in nu} i<[H_s, Q_m] Xi_m>
    + i sum_{m in nu, m' not in nu} <[Q_m', Q_m] Xi_m' Xi_m>: the couplings of different
    pairs do not commute, so the system current alone is 5 % off here; the second term
    comes from the second-tier ADOs with one excitation in each of two baths."""
    h = weak.hamiltonian
    ados = weak.ados

    def both(operator, first, second):
        labels = ados.filter(level=2, tags=[first.tag, second.tag])
        return sum(np.trace(operator @ ados.extract(label).full()) for label in labels)

    for side in ("L", "R"):
        mine = [b for b in weak.baths if b.side == side]
        other = [b for b in weak.baths if b.side != side]
        system = sum(weak.bath_correlation(1j * (h @ b.operator - b.operator @ h), b) for b in mine)
        crossed = sum(
            1j * both(o.operator @ b.operator - b.operator @ o.operator, o, b)
            for b in mine
            for o in other
        )
        assert abs(crossed.real) > 0.02 * abs(system.real)
        assert (system + crossed).real == pytest.approx(weak.heat_current(side), rel=1e-9)
    assert weak.heat_current("R") > 0
    assert weak.heat_current("L") == pytest.approx(-weak.heat_current("R"), rel=1e-8)


def test_emitted_sum_rule_with_heom_tables_is_the_direct_f_sum(weak):
    """Eq. 12 through the emitted module, its mode sums fed with <A Xi_m>/2 and g = u, is
    sum_ij <[A_ji, [H, A_ij]]>/2 computed from the HEOM's operators, and the hand-reduced
    sum E - N<H_s> + sum_a <X^aa> - N<H_SB> (both baths)."""
    junction = builtin_model("three-level")
    summed = emitted_sum_rule(junction, weak)
    direct = sum(direct_moment(weak, unit(i, j), unit(i, j)) for i in LEVELS for j in LEVELS)
    assert summed.real == pytest.approx(direct.real, rel=1e-10)
    assert abs(summed.imag) < 1e-12 and abs(direct.imag) < 1e-12
    diagonal = sum(weak.bath_correlation(np.eye(3), b) for b in weak.baths if len(b.weights) == 1)
    interaction = sum(weak.bath_correlation(b.operator, b) for b in weak.baths)
    by_hand = 3.5 - 3 * weak.expect(weak.hamiltonian) + diagonal - 3 * interaction
    assert summed.real == pytest.approx(by_hand.real, rel=1e-10)


def test_cross_terms_are_the_off_diagonal_interaction_energy(moderate):
    """m_{ij,ji} (i != j, Eq. 7 order) from the package's own symbolic moments, through
    emitted code and the HEOM tables, equals the direct <[A_ij, [H, A_ij]]>/2 and
    <A_ij X^{ij}>; their sum is sum_{a<b} <Q_ab X^ab>, negative."""
    junction = builtin_model("three-level")
    evaluate = EmittedEvaluator("reduced")
    expectations = {}
    crosses = [(i, j) for i in LEVELS for j in LEVELS if i != j]
    expressions = {pair: moment(junction, 1, (pair, pair[::-1])) for pair in crosses}
    for expr in expressions.values():
        expectations.update(expectation_values(expr, moderate))
    tables = coupling_tables(expressions[(1, 2)], moderate)
    functions = {
        name: (lambda *index, t=table: t[tuple(k - 1 for k in index)])
        for name, table in tables.items()
        if name != "M"
    }
    total = 0.0
    for (i, j), expr in expressions.items():
        symbolic = evaluate(expr, {"M": tables["M"]}, functions, expectations)
        assert symbolic == pytest.approx(direct_moment(moderate, unit(i, j), unit(j, i)), abs=1e-12)
        total += symbolic.real
    pairs = sum(
        moderate.bath_correlation(b.operator, b).real for b in moderate.baths if len(b.weights) == 2
    )
    assert total == pytest.approx(pairs, rel=1e-10)
    assert pairs < -0.5  # about -alpha omega_c (N - 1) = -2 for omega_c >> E


def test_derived_three_level_bound_is_looser_than_eq_9_of_the_model(moderate):
    """The package's bound (identity flags) exceeds Eq. 9 with the flags of symmetric g by
    -(pi alpha gamma / 4)(T_L - T_R) sum_{a<b} <Q_ab X^ab>: 24 % here, against a HEOM
    error (depth 1 -> 2) of a few % of that difference; both bound the current."""
    junction = builtin_model("three-level")
    coarse = three_level_state(0.05, depth=1)
    differences = []
    for state in (moderate, coarse):
        differences.append(emitted_sum_rule(junction, state).real - realised_sum_rule(state))
    cross = sum(
        moderate.bath_correlation(b.operator, b).real for b in moderate.baths if len(b.weights) == 2
    )
    assert differences[0] == pytest.approx(-cross, rel=1e-10)
    assert differences[0] > 0.2 * realised_sum_rule(moderate)
    assert abs(differences[0] - differences[1]) < 0.1 * differences[0]
    prefactor = math.pi * 0.05 * 0.05 / 0.1 * (1.5 - 0.5)
    assert 0 < moderate.heat_current("R") < prefactor * realised_sum_rule(moderate)

    result = exact_transport(
        junction,
        {**THREE, "alpha_L": 0.05, "alpha_R": 0.05},
        t_left=1.5,
        t_right=0.5,
        start=HeomSettings(depth=2, n_terms=4),
        max_terms=4,
        tolerance=0.5,
    )
    (note,) = [n for n in result.notes if "identity flags" in n]
    assert "h_ab,ba = 1" in note and "looser" in note
    assert result.heom["current_bound_direct"] == pytest.approx(
        prefactor * realised_sum_rule(moderate), rel=1e-10
    )
    assert json.loads(json.dumps(result.as_json()))["notes"] == list(result.notes)
    assert result.current_bound - result.heom["current_bound_direct"] == pytest.approx(
        prefactor * differences[0], rel=1e-10
    )
    assert any("estimated by the step back" in n for n in result.notes)  # depth 3: too big


def test_equilibrium_tables_split_the_merged_bath_by_alpha():
    """At T_L = T_R the baths are merged into one; each side's tables are the merged
    correlations times alpha_nu / alpha, as separate baths with the same fit give."""
    junction = builtin_model("three-level")
    values = {**THREE, "alpha_L": 0.01, "alpha_R": 0.005}
    expr = derive(junction).current_bound
    settings = HeomSettings(depth=2, n_terms=4)
    merged = heom_steady_state(junction, values, t_left=1.0, t_right=1.0, settings=settings)
    fit = merged.fits["LR"]
    apart = heom_steady_state(
        junction,
        values,
        t_left=1.0,
        t_right=1.0 + 1e-9,
        settings=settings,
        fits={"L": fit, "R": fit},
    )
    assert (merged.info["baths"], apart.info["baths"]) == (6, 12)
    one, two = expectation_values(expr, merged), expectation_values(expr, apart)
    for name in ("A_b_L", "A_bdag_R", "A_1_1"):
        assert np.allclose(one[name], two[name], rtol=0, atol=1e-9)
    assert np.abs(one["A_b_L"]).max() > 1.5 * np.abs(one["A_b_R"]).max()


def test_mode_sums_the_heom_cannot_give_are_refused():
    bound = derive(builtin_model("three-level")).current_bound
    check_mode_sums(bound)  # the derived bound passes
    lone = next(s for s in bound.atoms(sp.Sum) if "A_b_L" in str(s) and "bdag" not in str(s))
    with pytest.raises(NumericInputError, match="different coefficients"):
        check_mode_sums(bound + lone)
    g = next(iter(lone.function.atoms(sp.Function)))
    squared = sp.Sum(g**2, lone.limits[0])
    with pytest.raises(NumericInputError, match="summed over the modes"):
        check_mode_sums(bound + squared)


def test_couplings_with_bath_terms_written_as_operators(tmp_path, weak):
    """A spin coupled through sigma_z and sigma_x (h = 1): its sum rule holds <sigma b>
    mode sums with functions g_L_A1(p), g_L_A2(p); through the tables it is the direct
    f-sum of its baths."""
    path = tmp_path / "spin-xz.toml"
    path.write_text(
        'name = "spin-xz"\n[operators]\nsigma = "spin-1/2"\n[parameters]\nDelta = "positive"\n'
        '[model]\nhamiltonian = "hbar*Delta/2*sigma.x"\ncoupling = ["sigma.z", "sigma.x"]\n'
        'dissipation = "ohmic"\n'
    )
    junction = load_model(str(path))
    values = {"Delta": 1.0, "alpha_L": 0.02, "alpha_R": 0.02, "omega_c": 10.0, "hbar": 1.0}
    state = heom_steady_state(
        junction,
        values,
        t_left=1.5,
        t_right=0.5,
        settings=HeomSettings(depth=2, n_terms=4),
        fits=weak.fits,
    )
    bound = _EmittedBound(junction)
    summed = bound.sum_rule(
        {"Delta": 1.0},
        expectation_values(bound.expression, state),
        coupling_tables(bound.expression, state),
    )
    assert summed.real == pytest.approx(realised_sum_rule(state), rel=1e-10)


GRID = [(1.5, 0.5), (1.0, 0.5), (1.5, 1.0)]  # T_L - T_R = T, 2T/3, 2T/5 (T the mean)
MODELS = {
    "spin-boson": (
        lambda: builtin_model("spin-boson"),
        {"Delta": 1.0},
        0.1,
        {"start": HeomSettings(2, 4), "tolerance": 2e-2},
    ),
    "kerr": (
        lambda: load_model(str(ROOT / "models" / "kerr.toml")),
        {"omega0": 1.0, "U": 0.5},
        0.01,  # no counterterm: omega0^2 - 2 alpha omega_c omega0 = 0.6 stays > 0
        {"start": HeomSettings(2, 4, 8), "tolerance": 2e-2, "max_depth": 3, "max_boson_levels": 12},
    ),
    "three-level": (
        lambda: builtin_model("three-level"),
        {"E_1": 0.0, "E_2": 1.0, "E_3": 2.5},
        0.005,
        {"start": HeomSettings(2, 4), "tolerance": 3e-2, "max_terms": 5},
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("temps", GRID, ids=lambda t: f"{t[0]}-{t[1]}")
@pytest.mark.parametrize("name", list(MODELS))
def test_eq_9_and_eq_17_hold_for_the_heom_current_at_finite_bias(name, temps):
    """|J_Q| <= Eq. 9 (and Eq. 2) by more than 5 times the reported errors (the bound's
    and the current's, added), converged; Eq. 17 for the spin-boson, Eq. 7 of the Kerr
    oscillator; for three-level also the Eq. 9 bound of its symmetric coupling."""
    make, parameters, alpha_each, options = MODELS[name]
    t_left, t_right = temps
    values = {
        **parameters,
        "alpha_L": alpha_each,
        "alpha_R": alpha_each,
        "omega_c": 10.0,
        "hbar": 1.0,
    }
    result = exact_transport(make(), values, t_left=t_left, t_right=t_right, **options)
    error = result.current_error + result.current_bound_error
    assert result.converged
    assert 0 < result.current and result.current + 5 * error < result.current_bound
    assert result.current_bound < result.ballistic_bound
    prefactor = math.pi * alpha_each / 2 * (t_left - t_right)  # pi alpha gamma / 4, gamma = 1
    heom, x = result.heom, result.expectations
    assert abs(heom["sum_rule_imaginary"]) < 1e-10
    if name == "spin-boson":
        assert result.current_bound == pytest.approx(prefactor * -x["sigma_x"], rel=1e-12)
        assert heom["sum_rule_direct"] == pytest.approx(heom["sum_rule"], rel=1e-12)
    if name == "kerr":
        m = 1.0 + 0.5 * (4 * x["adag_a"] - x["a2"] - x["adag2"])
        assert result.current_bound == pytest.approx(prefactor * m, rel=1e-12)
        assert heom["sum_rule_direct"] == pytest.approx(heom["sum_rule"], rel=1e-3)  # cutoff
    if name == "three-level":
        assert result.current + 5 * error < heom["current_bound_direct"] < result.current_bound
