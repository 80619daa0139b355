"""The paper's formulas derived by the engine and compared as SymPy expressions.

Eq. 15, 17, 18 (via the bounds) and Eq. 12 with every bath term, in both index
orders; third moments against hand derivations (checked numerically against
matrices in test_matrix_oracle.py).
"""

from __future__ import annotations

import pytest
import sympy as sp
from sympy import KroneckerDelta as delta
from sympy import Sum, pi, simplify

from heatbounds.symbolic.bath_sums import bath_sums_to_integrals
from heatbounds.symbolic.bounds import conductance_bound, current_bound, in_bath_couplings
from heatbounds.symbolic.canonical import free_delta_representatives
from heatbounds.symbolic.errors import MomentOrderError
from heatbounds.symbolic.expectation import expectation
from heatbounds.symbolic.indices import LevelIndex, ModeIndex
from heatbounds.symbolic.junction import symmetric_coupling
from heatbounds.symbolic.models import energy, harmonic, n_level, spin_boson
from heatbounds.symbolic.operators import Bath, Levels, Spin
from heatbounds.symbolic.parameters import alpha, gamma, symbol
from heatbounds.symbolic.sum_rules import moment, moment_operator, weighted_moment

hbar, k_B, omega0, Delta = (symbol(n) for n in ("hbar", "k_B", "omega0", "Delta"))
T_L, T_R, omega_c = symbol("T_L"), symbol("T_R"), symbol("omega_c")
alpha_L, alpha_R = symbol("alpha_L"), symbol("alpha_R")


def same(a, b) -> bool:
    return simplify(sp.expand(a - b)) == 0


# --- harmonic junction, Eq. 13-15 ---------------------------------------------------


@pytest.mark.parametrize("counterterm", [True, False])
def test_harmonic_f_sum_rule_eq15(counterterm):
    j = harmonic(counterterm=counterterm)
    assert same(moment(j, 1), omega0 / hbar)
    assert same(current_bound(j), pi * alpha * gamma / 4 * omega0 * k_B * (T_L - T_R))


@pytest.mark.parametrize("order", [4, 5, 6, 7, 8, 9, 10])
def test_anharmonic_potentials_leave_f_sum_rule(order):
    """lambda x^n commutes with x: m = omega0/hbar for x^4 ... x^10 (after Eq. 15)."""
    assert same(moment(harmonic(anharmonic_order=order), 1), omega0 / hbar)
    assert same(moment(harmonic(anharmonic_order=order, counterterm=False), 1), omega0 / hbar)


def test_harmonic_third_moment_without_counterterm_has_no_bath_term():
    m3 = moment(harmonic(counterterm=False), 3)
    assert same(m3, omega0**3 / hbar)


def test_harmonic_third_moment_counterterm_brings_the_bath():
    """Counterterm c x^2, c = sum g^2/(hbar omega): m3 = omega0^3/hbar + 4 c omega0^2/hbar^2."""
    j = harmonic(counterterm=True)
    m3 = moment(j, 3)
    p = ModeIndex("p")
    c = sum(
        Sum(
            sp.Function(f"g_{nu}", real=True)(p) ** 2
            / (hbar * sp.Function(f"omega_{nu}", positive=True)(p)),
            (p, 1, symbol("M")),
        )
        for nu in "LR"
    )
    expected = omega0**3 / hbar + 4 * c * omega0**2 / hbar**2
    assert same(m3.doit(), expected.doit())
    # With J = 2 alpha omega exp(-omega/omega_c): sum g^2/omega -> (hbar^2/4) Int J/omega.
    converted = bath_sums_to_integrals(m3, j)
    assert same(converted, omega0**2 * (omega0 + 2 * (alpha_L + alpha_R) * omega_c) / hbar)


# --- spin-boson, Eq. 16-18 ---------------------------------------------------------


def test_spin_boson_f_sum_rule_and_bounds_eq17_eq18():
    j = spin_boson()
    sx = expectation(Spin("sigma").x)
    assert same(moment(j, 1), -Delta / hbar * sx)
    eq17 = pi * alpha * gamma / 4 * k_B * (T_L - T_R) * (-Delta * sx)
    eq18 = pi * alpha * gamma / 4 * k_B * (-Delta * sx)
    assert same(current_bound(j), eq17)
    assert same(conductance_bound(j), eq18)
    # alpha gamma = 4 alpha_L alpha_R / (alpha_L + alpha_R)
    assert same(
        in_bath_couplings(conductance_bound(j)),
        -pi * k_B * Delta * sx * alpha_L * alpha_R / (alpha_L + alpha_R),
    )


def test_spin_boson_bath_terms_cancel_in_the_f_sum_rule():
    """[sigma_z, H_SB] = 0: no bath expectation in m_zz (Eq. 17 and below)."""
    m = moment(spin_boson(), 1)
    assert not m.has(Sum)
    op = moment_operator(spin_boson(), 1, ("z", "z"))
    assert op == -2 * hbar * Delta * Spin("sigma").x


def test_spin_boson_third_moment_by_hand():
    """ad_H^3(sigma_z) worked by hand: bath sums weighted by g and g*omega appear."""
    j = spin_boson()
    s, bath, p, q = Spin("sigma"), Bath(), ModeIndex("p"), ModeIndex("q")
    from heatbounds.symbolic.operators import mode_sum

    def g(nu):
        return sp.Function(f"g_{nu}", real=True)

    def w(nu):
        return sp.Function(f"omega_{nu}", positive=True)

    force = sum((mode_sum(bath.displacement(nu, p) * g(nu)(p), p) for nu in "LR"), 0 * s.x)
    force_q = sum((mode_sum(bath.displacement(nu, q) * g(nu)(q), q) for nu in "LR"), 0 * s.x)
    momentum = sum(
        (
            mode_sum((bath.create(nu, p) - bath.annihilate(nu, p)) * (g(nu)(p) * w(nu)(p)), p)
            for nu in "LR"
        ),
        0 * s.x,
    )
    by_hand = (
        -2 * hbar**3 * Delta**3 * s.x
        - 4 * sp.I * hbar**2 * Delta * momentum * s.y
        - 8 * hbar * Delta * force * force_q * s.x
    )
    assert moment_operator(j, 3, ("z", "z")) == by_hand
    m3 = moment(j, 3)
    assert m3.has(Sum)
    assert same(m3, expectation(by_hand) / (2 * hbar**4))


def test_spin_boson_third_moment_converted_to_spectral_integrals():
    j = spin_boson()
    converted = bath_sums_to_integrals(weighted_moment(j, 3), j)
    sx = expectation(Spin("sigma").x)
    # sum_k g_k^2 -> (hbar^2/4) Int 2 alpha_nu omega exp(-omega/omega_c)
    #            = hbar^2 alpha_nu omega_c^2 / 2
    c_number_part = converted.subs({a: 0 for a in converted.atoms(Sum)})
    expected = -(Delta**3) * sx / hbar - 2 * Delta * (alpha_L + alpha_R) * omega_c**2 * sx / hbar
    assert same(c_number_part, expected)


def test_even_and_non_positive_moments_are_refused():
    for s in (0, 2, 4, -1):
        with pytest.raises(MomentOrderError):
            moment(spin_boson(), s)
    with pytest.raises(MomentOrderError, match="even moment"):
        weighted_moment(harmonic(), 2)


# --- N-level, Eq. 11-12 --------------------------------------------------------------


def eq12_as_printed(i, j, k, l):
    """Eq. 12 exactly as printed, bath terms included, written with the engine's symbols."""
    levels, bath = Levels("A", "N_levels"), Bath()
    N = levels.size
    n, p = LevelIndex("n"), ModeIndex("p")
    E = energy

    def A(a, b):
        return expectation(levels[a, b])

    def AB(a, b, nu):  # <(b^dagger + b) A_ab> for mode p of bath nu
        return expectation(levels[a, b] * bath.displacement(nu, p))

    total = (E(k) - E(l)) * (A(j, l) * delta(i, k) - A(k, i) * delta(l, j))
    for nu in "LR":
        g = symmetric_coupling(f"g_{nu}")
        bath_part = (
            AB(j, l, nu) * g(i, k, p)
            + AB(k, i, nu) * g(l, j, p)
            - Sum(AB(n, i, nu) * g(n, k, p), (n, 1, N)) * delta(l, j)
            - Sum(AB(j, n, nu) * g(l, n, p), (n, 1, N)) * delta(i, k)
        )
        total += Sum(bath_part, (p, 1, symbol("M")))
    return total / (2 * hbar**2)


@pytest.mark.parametrize("order", ["eq7", "eq12"])
def test_eq12_with_every_bath_term_in_both_index_orders(order):
    """Eq. 12 as printed is <[A_ij^dagger, [H, A_kl]]>/2hbar^2 = Eq. 7's m_{kl,ij}."""
    i, j, k, l = (LevelIndex(c) for c in "ijkl")
    printed = eq12_as_printed(i, j, k, l)
    if order == "eq7":
        derived = moment(n_level(), 1, ((k, l), (i, j)), order="eq7")
    else:
        derived = moment(n_level(), 1, ((i, j), (k, l)), order="eq12")
    assert _sum_canonical(derived) == _sum_canonical(printed)


def test_eq12_is_not_eq7_in_the_printed_order():
    """The transpose matters: Eq. 7's m_{ij,kl} differs from Eq. 12 as printed."""
    i, j, k, l = (LevelIndex(c) for c in "ijkl")
    assert _sum_canonical(moment(n_level(), 1, ((i, j), (k, l)))) != _sum_canonical(
        eq12_as_printed(i, j, k, l)
    )


def _flat_terms(expr):
    """(product, limits) pairs with every sum pulled to the outside of its term."""
    if isinstance(expr, Sum):
        out = []
        for body, limits in _flat_terms(expr.function):
            fresh = {v: sp.Dummy(str(v)) for v, _, _ in expr.limits}
            new = tuple((fresh[v], lo, hi) for v, lo, hi in expr.limits)
            out.append((body.xreplace(fresh), limits + new))
        return out
    if expr.is_Add:
        return [t for arg in expr.args for t in _flat_terms(arg)]
    if expr.is_Mul:
        out = [(sp.Integer(1), ())]
        for factor in expr.args:
            out = [(b1 * b2, l1 + l2) for b1, l1 in out for b2, l2 in _flat_terms(factor)]
        return out
    return [(expr, ())]


def _sum_canonical(expr) -> dict:
    """Terms keyed by (operator-and-symbol content, sum ranges), bound variables named
    by their range, so that equal expressions written differently compare equal."""
    collected: dict = {}
    for body, limits in _flat_terms(sp.expand(expr)):
        rename = {v: sp.Symbol(f"_bound_{hi}", integer=True) for v, _, hi in limits}
        assert len(set(rename.values())) == len(rename), "two sums over one range"
        body = free_delta_representatives(sp.expand(body.xreplace(rename)))
        ranges = tuple(sorted((str(hi) for _, _, hi in limits)))
        for term in sp.Add.make_args(body):
            coeff, rest = term.as_coeff_Mul()
            key = (rest, ranges)
            collected[key] = collected.get(key, 0) + coeff
    return {k: v for k, v in collected.items() if v != 0}
