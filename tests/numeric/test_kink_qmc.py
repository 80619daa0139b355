"""The kink sampler against exact results (statistical tests at fixed seeds).

Every comparison is in units of the run's own standard error: |QMC - exact| < 4
sigma. Seeds are fixed, so each test is deterministic; a failure means the
sampler or the error bar changed, never bad luck on the day.
"""

from __future__ import annotations

import itertools
import math
from types import SimpleNamespace

import numpy as np
import pytest
from scipy.linalg import eigh

from heatbounds.numeric import qmc_schedule
from heatbounds.numeric.kink_interaction import OhmicBath, SingleModeBath
from heatbounds.numeric.kink_qmc import (
    STATUS_OK,
    STATUS_OVERFLOW,
    random_uniform,
    run_chains,
    run_moves,
    run_moves_observed,
)
from heatbounds.numeric.qmc_schedule import KinkChains, PieceSizer
from heatbounds.numeric.spin_boson_qmc import KinkQMCSolver, sigma_x
from heatbounds.numeric.spin_boson_reference import sigma_x_two_kink

MASK64 = (1 << 64) - 1


def _xoshiro_reference(state, n):
    """xoshiro256** in plain Python integers (Blackman & Vigna's reference C code)."""
    s = [int(v) for v in state]

    def rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & MASK64

    out = []
    for _ in range(n):
        result = (rotl((s[1] * 5) & MASK64, 7) * 9) & MASK64
        t = (s[1] << 17) & MASK64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        out.append((result >> 11) * 2.0**-53)
    return out


def test_rng_is_xoshiro256starstar():
    state = np.random.SeedSequence(42).generate_state(4, np.uint64)
    expect = _xoshiro_reference(state, 50)
    got = random_uniform(state.copy(), 50)
    assert got.tolist() == expect
    draws = random_uniform(state.copy(), 200_000)
    assert draws.min() >= 0.0 and draws.max() < 1.0
    assert abs(draws.mean() - 0.5) < 4 * math.sqrt(1 / 12 / draws.size)


def _spin_mode_sigma_x(delta, g, omega, beta, n_max=70):
    """Exact diagonalisation of (delta/2) sx + g sz (b + b^dag) + omega b^dag b."""
    b = np.diag(np.sqrt(np.arange(1.0, n_max)), 1)
    sx = np.array([[0.0, 1.0], [1.0, 0.0]])
    sz = np.diag([1.0, -1.0])
    eye = np.eye(n_max)
    h = (
        0.5 * delta * np.kron(sx, eye)
        + g * np.kron(sz, b + b.T)
        + omega * np.kron(np.eye(2), b.T @ b)
    )
    e, v = eigh(h)
    weights = np.exp(-beta * (e - e[0]))
    sx_diag = np.einsum("ia,ij,ja->a", v, np.kron(sx, eye), v)
    return float(weights @ sx_diag / weights.sum())


def _spin_mode_chi(delta, g, omega, beta, n_max=70):
    """Exact Int_0^beta <sigma_z(tau) sigma_z> d tau of the same model, by diagonalisation.

    <sigma_z(tau) sigma_z> = sum_ab p_a e^{tau (E_a - E_b)} |z_ab|^2, so the integral is
    sum_ab |z_ab|^2 (p_b - p_a) / (E_a - E_b) (beta p_a where E_a = E_b).
    """
    b = np.diag(np.sqrt(np.arange(1.0, n_max)), 1)
    sx = np.array([[0.0, 1.0], [1.0, 0.0]])
    sz = np.diag([1.0, -1.0])
    eye = np.eye(n_max)
    h = (
        0.5 * delta * np.kron(sx, eye)
        + g * np.kron(sz, b + b.T)
        + omega * np.kron(np.eye(2), b.T @ b)
    )
    e, v = eigh(h)
    p = np.exp(-beta * (e - e[0]))
    p /= p.sum()
    z = v.T @ np.kron(sz, eye) @ v
    gap = e[:, None] - e[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(np.abs(gap) > 1e-10, (p[None, :] - p[:, None]) / gap, beta * p[:, None])
    return float(np.sum(z**2 * f))


def test_ed_reference_is_converged_in_the_truncation():
    a = _spin_mode_sigma_x(1.0, 0.5, 1.0, 2.0, n_max=50)
    b = _spin_mode_sigma_x(1.0, 0.5, 1.0, 2.0, n_max=90)
    assert abs(a - b) < 1e-12


@pytest.mark.parametrize("temperature", [0.3, 1.0, 4.0])
def test_free_spin_alpha_zero(temperature):
    r = sigma_x(temperature, alpha=0.0, omega_c=10.0, tolerance=2e-3, seed=101)
    exact = -math.tanh(0.5 / temperature)
    assert r.converged
    assert abs(r.sigma_x - exact) < 4 * r.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("g", "omega", "beta"),
    [(0.5, 1.0, 2.0), (0.3, 0.5, 8.0)],
)
def test_single_bath_mode_against_exact_diagonalisation(g, omega, beta):
    # Exercises many-kink interactions with both signs (beta = 8 has ~8 kinks).
    exact = _spin_mode_sigma_x(1.0, g, omega, beta)
    r = KinkQMCSolver(SingleModeBath(g, omega), seed=202).run(1.0 / beta, tolerance=1e-3)
    assert r.converged
    assert abs(r.sigma_x - exact) < 4 * r.stderr
    # The bath matters here: the free spin is many error bars away.
    assert abs(-math.tanh(beta / 2) - exact) > 20 * r.stderr


def test_ed_susceptibility_of_the_free_spin():
    assert _spin_mode_chi(1.0, 0.0, 1.0, 2.0, n_max=8) == pytest.approx(2 * math.tanh(1.0))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("g", "omega", "beta"),
    [(0.5, 1.0, 2.0), (0.3, 0.5, 8.0)],
)
def test_single_bath_mode_static_susceptibility_against_exact_diagonalisation(g, omega, beta):
    # Int_0^beta <sigma_z(tau) sigma_z> d tau = <M^2>/beta, M the integral of the kink path.
    exact = _spin_mode_chi(1.0, g, omega, beta)
    r = KinkQMCSolver(SingleModeBath(g, omega), seed=202).susceptibility(1.0 / beta, tolerance=1e-3)
    assert r.qmc.converged
    assert abs(r.static_susceptibility - exact) < 4 * r.stderr
    # The bath matters here: the free spin's 2 tanh(beta/2) is many error bars away.
    assert abs(2 * math.tanh(beta / 2) - exact) > 50 * r.stderr


def test_small_delta_against_two_kink_result():
    # <sigma_x> = -(Delta/2) Int_0^beta e^{-W} + O(Delta^3); the O(Delta^3) term is
    # ~ (beta Delta)^2/12 relative ~ 2e-4 here, far below the error bar.
    delta, alpha, omega_c, temp = 0.05, 0.3, 10.0, 1.0
    bath = OhmicBath(alpha, omega_c)
    exact = sigma_x_two_kink(temp, bath=bath, delta=delta)
    r = KinkQMCSolver(bath, delta=delta, seed=303).run(temp, tolerance=5e-4)
    assert r.converged
    assert abs(r.sigma_x - exact) < 4 * r.stderr
    # The interaction matters: without W the answer is -beta Delta/2.
    assert abs(-0.5 * delta / temp - exact) > 20 * r.stderr


def test_overflow_is_reported_and_growth_does_not_change_the_numbers():
    bath = OhmicBath(0.0, 10.0)
    spec = bath.kernel_spec(20.0)
    times = np.zeros((1, 2))
    counts = np.zeros(1, dtype=np.int64)
    states = np.random.SeedSequence(1).generate_state(4, np.uint64)[None, :]
    out = np.zeros((1, 200))
    status = np.zeros(1, dtype=np.int64)
    run_chains(
        times, counts, states, 200, 20, 20.0, 1.0, spec.mode, spec.params, spec.table, out, status
    )
    assert status[0] == STATUS_OVERFLOW
    small = KinkQMCSolver(bath, seed=7, capacity=2).run(0.05, tolerance=2e-2)
    large = KinkQMCSolver(bath, seed=7).run(0.05, tolerance=2e-2)
    assert small.sigma_x == large.sigma_x and small.stderr == large.stderr


def test_runs_are_reproducible_and_independent_of_thread_count():
    one = sigma_x([0.5, 2.0], alpha=0.2, omega_c=10.0, tolerance=1e-2, seed=9, n_threads=1)
    two = sigma_x([0.5, 2.0], alpha=0.2, omega_c=10.0, tolerance=1e-2, seed=9, n_threads=2)
    alone = sigma_x(2.0, alpha=0.2, omega_c=10.0, tolerance=1e-2, seed=9)
    other = sigma_x(2.0, alpha=0.2, omega_c=10.0, tolerance=1e-2, seed=10)
    assert np.array_equal(one.sigma_x, two.sigma_x)
    assert np.array_equal(one.sweeps, two.sweeps)
    assert alone.sigma_x == one.sigma_x[1]
    assert other.sigma_x != alone.sigma_x


def _states(seed, n_chains):
    return np.random.SeedSequence(seed).generate_state(4 * n_chains, np.uint64).reshape(-1, 4)


@pytest.fixture
def one_thread():
    """Many tiny numba calls: on a busy machine each parallel call can cost a thread wake-up."""
    import numba

    previous = numba.get_num_threads()
    numba.set_num_threads(1)
    yield
    numba.set_num_threads(previous)


def test_run_moves_in_pieces_reproduces_one_call(one_thread):
    # The RNG, the kinks and a partly done sweep carry over between calls, so a
    # run cut anywhere (here into pieces of 1 to 97 moves, mostly mid-sweep) gives
    # the same samples as one call.
    beta, moves, n_sweeps = 8.0, 24, 300
    spec = OhmicBath(0.2, 10.0).kernel_spec(beta)
    args = (moves, beta, 1.0, spec.mode, spec.params, spec.table)
    times, counts, states = np.zeros((3, 256)), np.zeros(3, dtype=np.int64), _states(5, 3)
    whole = np.zeros((3, n_sweeps))
    status = np.zeros(3, dtype=np.int64)
    run_chains(times, counts, states, n_sweeps, *args, whole, status)
    assert np.all(status == STATUS_OK)

    t2, c2, s2 = np.zeros((3, 256)), np.zeros(3, dtype=np.int64), _states(5, 3)
    pos, acc = np.zeros(3, dtype=np.int64), np.zeros(3)
    pieces = np.zeros((3, n_sweeps))
    sizes = np.random.default_rng(0).integers(1, 98, size=10_000)
    done, i = 0, 0
    while done < n_sweeps * moves:
        n = min(int(sizes[i]), n_sweeps * moves - done)
        run_moves(t2, c2, s2, pos, acc, n, *args, pieces, done // moves, status)
        assert np.all(status == STATUS_OK)
        done, i = done + n, i + 1
    assert i > 100
    assert np.array_equal(pieces, whole)
    assert np.array_equal(c2, counts) and np.array_equal(s2, states) and np.array_equal(t2, times)
    assert np.all(pos == 0) and np.all(acc == 0.0)


def test_kink_chains_piece_sizes_and_capacity_do_not_change_the_samples(one_thread):
    beta = 20.0  # ~10 kinks: capacity 2 must grow, rerunning pieces from snapshots
    spec = OhmicBath(0.0, 10.0).kernel_spec(beta)

    def sweeps(capacity, sizer):
        chains = KinkChains(_states(8, 4), capacity, 36, beta, 1.0, spec, sizer)
        return chains.sweeps(150, deadline=math.inf), chains

    one_call, _ = sweeps(256, PieceSizer(10**9))
    tiny, chains = sweeps(2, PieceSizer(5, growth=1.0, minimum=5))
    timed, _ = sweeps(2, None)  # the default, clock-driven sizes
    assert one_call.shape == (4, 150)
    assert np.array_equal(tiny, one_call) and np.array_equal(timed, one_call)
    assert chains.times.shape[1] >= 16


def test_kink_chains_stop_at_the_deadline_and_resume_mid_sweep(monkeypatch):
    # A fake clock that advances 1 s per reading makes the cut deterministic: a
    # piece reads it twice (deadline check, then its duration), so with the deadline
    # 4.5 s ahead exactly two pieces of 50 moves run: two sweeps of 36 moves and 28
    # moves of the third.
    clock = itertools.count()
    monkeypatch.setattr(qmc_schedule, "time", SimpleNamespace(perf_counter=lambda: next(clock)))
    now = qmc_schedule.time.perf_counter
    spec = OhmicBath(0.2, 10.0).kernel_spec(10.0)

    def chains():
        sizer = PieceSizer(50, growth=1.0, minimum=50)
        return KinkChains(_states(3, 2), 64, 36, 10.0, 1.0, spec, sizer)

    uncut = chains().sweeps(5, deadline=math.inf)
    cut = chains()
    assert cut.sweeps(5, deadline=now()).shape == (2, 0)  # nothing runs after the deadline
    first = cut.sweeps(5, deadline=now() + 4.5)
    assert first.shape == (2, 2) and np.all(cut.pos == 28)
    rest = cut.sweeps(3, deadline=math.inf)  # the partly done sweep counts as one
    assert np.array_equal(np.concatenate([first, rest], axis=1), uncut)


def test_observed_moves_keep_the_samples_and_carry_m2_across_pieces(one_thread):
    # run_moves_observed makes exactly the kinks and kink numbers of run_moves, and its
    # per-sweep M^2 does not depend on how the run is cut (the partial sums carry over).
    beta, moves, n_sweeps = 8.0, 24, 200
    spec = OhmicBath(0.2, 10.0).kernel_spec(beta)
    args = (moves, beta, 1.0, spec.mode, spec.params, spec.table)

    def fresh():
        return np.zeros((3, 256)), np.zeros(3, dtype=np.int64), _states(6, 3)

    times, counts, states = fresh()
    plain = np.zeros((3, n_sweeps))
    status = np.zeros(3, dtype=np.int64)
    run_chains(times, counts, states, n_sweeps, *args, plain, status)

    t2, c2, s2 = fresh()
    pos, acc, acc_m2 = np.zeros(3, dtype=np.int64), np.zeros(3), np.zeros(3)
    whole, m2 = np.zeros((3, n_sweeps)), np.zeros((3, n_sweeps))
    run_moves_observed(t2, c2, s2, pos, acc, acc_m2, n_sweeps * moves, *args, whole, m2, 0, status)
    assert np.all(status == STATUS_OK)
    assert np.array_equal(whole, plain) and np.array_equal(t2, times) and np.array_equal(s2, states)
    assert np.all(m2 >= 0.0) and np.all(m2 <= beta**2) and m2.std() > 0

    t3, c3, s3 = fresh()
    pos, acc, acc_m2 = np.zeros(3, dtype=np.int64), np.zeros(3), np.zeros(3)
    pieces, m2_pieces = np.zeros((3, n_sweeps)), np.zeros((3, n_sweeps))
    sizes = np.random.default_rng(1).integers(1, 60, size=10_000)
    done, i = 0, 0
    while done < n_sweeps * moves:
        n = min(int(sizes[i]), n_sweeps * moves - done)
        col = done // moves
        run_moves_observed(t3, c3, s3, pos, acc, acc_m2, n, *args, pieces, m2_pieces, col, status)
        done, i = done + n, i + 1
    assert np.array_equal(pieces, whole) and np.array_equal(m2_pieces, m2)
    assert np.all(acc_m2 == 0.0)
