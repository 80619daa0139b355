"""Numba hot loop: continuous-time QMC of the spin-boson kink (instanton) gas.

Reduced units (hbar = k_B = 1). The sampled distribution is the kink
expansion of the partition function (paper Eq. 16):

    Z/Z_B = 2 sum_n (Delta/2)^(2n) Int_{0<tau_1<...<tau_2n<beta} d tau
            exp[sum_{i<j} (-1)^(i+j) W(tau_j - tau_i)],

a gas of 2n alternating charges on the circle of length beta. The charges of
the sorted kinks are (-1)^j: with an even number of kinks on a circle the
alternation is consistent, and a global sign flip (relabelling after a wrap
across tau = 0) leaves every product (-1)^(i+j) unchanged.

Moves (each picked with probability 1/3; Metropolis-Hastings):

* insert: tau_a uniform on [0, beta); tau_b uniform on the kink-free arc of
  length L that follows tau_a. The new pair is adjacent. Acceptance ratio
  (Delta/2)^2 beta L / (2n + 2) e^{dE}.
* remove: pick one of the 2n kinks uniformly and remove it with its cyclic
  successor; ratio (2/Delta)^2 (2n) / (beta L') e^{dE}, L' the arc from the
  removed kink to the next surviving one (beta if none survives). This is the
  exact reverse of insert, so detailed balance holds (also for 0 <-> 2 kinks).
* shift: move one kink uniformly between its two neighbours; ratio e^{dE}.

The kink number is recorded after every attempted move and averaged per
sweep (a fixed number of attempts), so the per-sweep means are unbiased
samples of <n_kinks> = -beta Delta <sigma_x>/2.

Static susceptibility (:func:`run_moves_observed`): on a kink path
sigma_z(tau) sigma_z(0) = (-1)^(kinks in (0, tau)), so with the path's
"magnetisation" M = Int_0^beta sigma_z(tau) d tau (a signed sum of the
segments between kinks; the sign of the first segment drops out of M^2)
the translation average over the origin gives

    chi = Int_0^beta <sigma_z(tau) sigma_z(0)> d tau = <M^2> / beta

(1/energy, reduced units). M is recomputed after every accepted move and M^2
is recorded after every attempted move, like the kink number, and averaged
per sweep. The RNG draws are those of :func:`run_moves`, so the kink numbers
are bit-identical with or without it.

Randomness: one xoshiro256** stream per chain (state seeded from
numpy.random.SeedSequence by the caller), so results do not depend on the
thread scheduling of ``prange``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

__all__ = [
    "STATUS_OK",
    "STATUS_OVERFLOW",
    "evaluate_interaction",
    "random_uniform",
    "run_chains",
    "run_moves",
    "run_moves_observed",
]

STATUS_OK = 0
STATUS_OVERFLOW = 1

_U53 = 1.0 / 9007199254740992.0  # 2**-53


@njit(cache=True, inline="always")
def _rotl(x, k):
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@njit(cache=True, inline="always")
def _next_u64(s):
    """xoshiro256** (Blackman & Vigna 2018) on the 4-word state ``s``."""
    result = _rotl(s[1] * np.uint64(5), 7) * np.uint64(9)
    t = s[1] << np.uint64(17)
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = _rotl(s[3], 45)
    return result


@njit(cache=True, inline="always")
def _uniform(s):
    """Uniform double in [0, 1)."""
    return float(_next_u64(s) >> np.uint64(11)) * _U53


@njit(cache=True, inline="always")
def _uniform_open(s):
    """Uniform double in (0, 1)."""
    return (float(_next_u64(s) >> np.uint64(11)) + 0.5) * _U53


@njit(cache=True)
def random_uniform(state, n):
    """``n`` draws of [0, 1) doubles from one xoshiro256** state (for tests)."""
    out = np.empty(n)
    for i in range(n):
        out[i] = _uniform(state)
    return out


@njit(cache=True)
def _w(tau, beta, mode, par, table):
    """W(tau) for 0 <= tau <= beta: closed form (mode 0) or table (mode 1)."""
    if mode == 0:
        t = tau / beta
        return par[0] * (par[2] - math.lgamma(par[1] + t) - math.lgamma(1.0 + par[1] - t))
    u = tau if tau <= 0.5 * beta else beta - tau
    if u < par[3]:
        return table[0] * u / par[3]
    f = (math.log(u) - par[4]) / par[5]
    n = table.shape[0]
    k = int(f) - 1
    if k < 0:
        k = 0
    elif k > n - 4:
        k = n - 4
    p = f - k
    y0 = table[k]
    y1 = table[k + 1]
    y2 = table[k + 2]
    y3 = table[k + 3]
    return (
        -y0 * (p - 1.0) * (p - 2.0) * (p - 3.0) / 6.0
        + y1 * p * (p - 2.0) * (p - 3.0) / 2.0
        - y2 * p * (p - 1.0) * (p - 3.0) / 2.0
        + y3 * p * (p - 1.0) * (p - 2.0) / 6.0
    )


@njit(cache=True)
def evaluate_interaction(tau, beta, mode, par, table):
    """W at every entry of the 1-d array ``tau`` exactly as the sampler sees it."""
    out = np.empty(tau.shape[0])
    for i in range(tau.shape[0]):
        out[i] = _w(tau[i], beta, mode, par, table)
    return out


@njit(cache=True)
def _pair_field(t, n, skip1, skip2, ta, tb, beta, mode, par, table):
    """sum_j (-1)^j [W(|t_j - ta|) - W(|t_j - tb|)] over kinks j not skipped."""
    acc = 0.0
    for j in range(n):
        if j == skip1 or j == skip2:
            continue
        term = _w(abs(t[j] - ta), beta, mode, par, table) - _w(
            abs(t[j] - tb), beta, mode, par, table
        )
        if j % 2 == 0:
            acc += term
        else:
            acc -= term
    return acc


@njit(cache=True)
def _magnetisation(t, n, beta):
    """M = Int_0^beta sigma_z d tau of the path +1 before t[0], flipping at every kink."""
    m = 0.0
    prev = 0.0
    sign = 1.0
    for j in range(n):
        m += sign * (t[j] - prev)
        prev = t[j]
        sign = -sign
    return m + sign * (beta - prev)


@njit(cache=True)
def _chain(
    t,
    n,
    s,
    pos,
    acc_n,
    n_moves,
    moves,
    beta,
    log_q,
    mode,
    par,
    table,
    out,
    col,
    track,
    acc_m2,
    out_m2,
):
    """Advance one chain by ``n_moves`` attempts; returns (n, pos, acc_n, acc_m2, status).

    ``pos`` attempts of the current sweep are done, with kink-number sum
    ``acc_n``; each completed sweep's mean goes to out[col], out[col + 1], ...
    With ``track``, the same for M^2 (sum ``acc_m2``, means to ``out_m2``);
    without it ``acc_m2`` and ``out_m2`` are not touched.
    """
    cap = t.shape[0]
    done = 0
    mag = _magnetisation(t, n, beta) if track else 0.0
    while done < n_moves:
        todo = min(moves - pos, n_moves - done)  # the rest of this sweep, or of the call
        for _ in range(todo):
            r = 3.0 * _uniform(s)
            if r < 1.0:
                # -------- insert an adjacent kink pair --------
                if n + 2 > cap:
                    return n, pos, acc_n, acc_m2, STATUS_OVERFLOW
                ta = beta * _uniform(s)
                p = np.searchsorted(t[:n], ta)
                if n == 0:
                    arc = beta
                elif p < n:
                    arc = t[p] - ta
                else:
                    arc = t[0] + beta - ta
                tb = ta + arc * _uniform_open(s)
                wrap = tb >= beta
                if wrap:
                    tb -= beta
                d_e = -_w(abs(tb - ta), beta, mode, par, table)
                field = _pair_field(t, n, -1, -1, ta, tb, beta, mode, par, table)
                d_e += field if p % 2 == 0 else -field
                log_r = log_q + math.log(beta * arc / (n + 2)) + d_e
                if log_r >= 0.0 or math.log(_uniform_open(s)) < log_r:
                    if not wrap:
                        for j in range(n - 1, p - 1, -1):
                            t[j + 2] = t[j]
                        t[p] = ta
                        t[p + 1] = tb
                    else:  # p == n: tb lands before the first kink
                        for j in range(n - 1, -1, -1):
                            t[j + 1] = t[j]
                        t[0] = tb
                        t[n + 1] = ta
                    n += 2
                    if track:
                        mag = _magnetisation(t, n, beta)
            elif r < 2.0:
                # -------- remove a kink and its cyclic successor --------
                if n >= 2:
                    i = min(int(n * _uniform(s)), n - 1)
                    k = i + 1 if i + 1 < n else 0
                    if n == 2:
                        arc = beta
                    else:
                        arc = t[(i + 2) % n] - t[i]
                        if arc <= 0.0:
                            arc += beta
                    field = _pair_field(t, n, i, k, t[i], t[k], beta, mode, par, table)
                    d_e = _w(abs(t[k] - t[i]), beta, mode, par, table)
                    d_e -= field if i % 2 == 0 else -field
                    log_r = -log_q + math.log(n / (beta * arc)) + d_e
                    if log_r >= 0.0 or math.log(_uniform_open(s)) < log_r:
                        if k == i + 1:
                            for j in range(i, n - 2):
                                t[j] = t[j + 2]
                        else:  # i == n - 1, k == 0
                            for j in range(n - 2):
                                t[j] = t[j + 1]
                        n -= 2
                        if track:
                            mag = _magnetisation(t, n, beta)
            else:
                # -------- shift one kink between its neighbours --------
                if n >= 2:
                    i = min(int(n * _uniform(s)), n - 1)
                    lo = t[i - 1] if i > 0 else t[n - 1] - beta
                    hi = t[i + 1] if i < n - 1 else t[0] + beta
                    tn = lo + (hi - lo) * _uniform_open(s)
                    tw = tn
                    if tw < 0.0:
                        tw += beta
                    elif tw >= beta:
                        tw -= beta
                    field = _pair_field(t, n, i, -1, tw, t[i], beta, mode, par, table)
                    d_e = field if i % 2 == 0 else -field
                    if d_e >= 0.0 or math.log(_uniform_open(s)) < d_e:
                        if tn < 0.0:  # i == 0 moves to the end
                            for j in range(n - 1):
                                t[j] = t[j + 1]
                            t[n - 1] = tw
                        elif tn >= beta:  # i == n - 1 moves to the front
                            for j in range(n - 1, 0, -1):
                                t[j] = t[j - 1]
                            t[0] = tw
                        else:
                            t[i] = tn
                        if track:
                            mag = _magnetisation(t, n, beta)
            acc_n += n
            if track:
                acc_m2 += mag * mag
        done += todo
        pos += todo
        if pos == moves:
            out[col] = acc_n / moves
            if track:
                out_m2[col] = acc_m2 / moves
                acc_m2 = 0.0
            col += 1
            pos = 0
            acc_n = 0.0
    return n, pos, acc_n, acc_m2, STATUS_OK


def run_chains(times, counts, states, n_sweeps, moves, beta, delta, mode, par, table, out, status):
    """Advance every chain by ``n_sweeps`` sweeps of ``moves`` attempts, in parallel.

    times (chains, capacity) sorted kink times; counts (chains,) kink numbers;
    states (chains, 4) uint64 xoshiro states; out (chains, n_sweeps) receives
    the per-sweep mean kink number; status (chains,) gets STATUS_OVERFLOW if a
    chain ran out of capacity (its state is then mid-chunk: the caller reruns
    the chunk from a snapshot with more room). This is :func:`run_moves` with
    ``n_sweeps * moves`` attempts from the start of a sweep.
    """
    k = times.shape[0]
    pos = np.zeros(k, dtype=np.int64)
    acc = np.zeros(k)
    run_moves(
        times,
        counts,
        states,
        pos,
        acc,
        n_sweeps * moves,
        moves,
        beta,
        delta,
        mode,
        par,
        table,
        out,
        0,
        status,
    )


def run_moves(
    times, counts, states, pos, acc, n_moves, moves, beta, delta, mode, par, table, out, col, status
):
    """Advance every chain by ``n_moves`` attempted moves, which may end mid-sweep.

    As :func:`run_chains`, plus the position inside the current sweep: pos
    (chains,) int64 attempts already made in it and acc (chains,) float64
    their kink-number sum, both updated in place. Each sweep completed in
    this call writes its mean to out[c, col], out[c, col + 1], ... (so out
    needs col + (pos + n_moves) // moves columns). The sample sequence does
    not depend on how a run is cut into calls: the RNG, the kinks and the
    partial sweep all carry over. On STATUS_OVERFLOW the caller reruns the
    call from a snapshot of times, counts, states, pos and acc.
    """
    sweep = (n_moves, moves, beta, delta, mode, par, table, out)
    _run(times, counts, states, pos, acc, _NO_SUMS, *sweep, _NO_MEANS, col, status, False)


_NO_SUMS = np.zeros(0)  # placeholders of the M^2 arrays when they are not tracked
_NO_MEANS = np.zeros((0, 0))


def run_moves_observed(
    times, counts, states, pos, acc, acc_m2, n_moves, moves, beta, delta, mode, par, table, *outs
):
    """:func:`run_moves` that also records M^2 (M = Int_0^beta sigma_z d tau, see above).

    ``outs`` is (out, out_m2, col, status). acc_m2 (chains,) float64 is the
    M^2 sum of the partly done sweep (carried over like ``acc``); each
    completed sweep writes its mean M^2 to out_m2[c, col], ... (same shape as
    ``out``); <M^2>/beta is the static susceptibility. The kinks, the RNG and
    ``out`` are exactly those of :func:`run_moves`. On STATUS_OVERFLOW rerun
    from a snapshot that includes acc_m2.
    """
    out, out_m2, col, status = outs
    sweep = (n_moves, moves, beta, delta, mode, par, table, out)
    _run(times, counts, states, pos, acc, acc_m2, *sweep, out_m2, col, status, True)


@njit(cache=True, parallel=True)
def _run(
    times,
    counts,
    states,
    pos,
    acc,
    acc_m2,
    n_moves,
    moves,
    beta,
    delta,
    mode,
    par,
    table,
    out,
    out_m2,
    col,
    status,
    track,
):
    log_q = 2.0 * math.log(0.5 * delta)
    for c in prange(times.shape[0]):
        n_new, p_new, a_new, m_new, st = _chain(
            times[c],
            counts[c],
            states[c],
            pos[c],
            acc[c],
            n_moves,
            moves,
            beta,
            log_q,
            mode,
            par,
            table,
            out[c],
            col,
            track,
            acc_m2[c] if track else 0.0,
            out_m2[c] if track else out[c],
        )
        counts[c] = n_new
        pos[c] = p_new
        acc[c] = a_new
        if track:
            acc_m2[c] = m_new
        status[c] = st
