"""Scheduling of the kink QMC: chunks from the statistics, numba calls from the clock.

Reduced units (hbar = k_B = 1) for beta and delta; times are wall-clock seconds.

Measurement chunks (:class:`ChunkPlan`): the solver analyses the series after
each chunk; chunk lengths depend only on the statistics, never on the clock,
so a seeded run that ends by its tolerance gives the same numbers every time.

Timed pieces (:class:`PieceSizer`, :class:`KinkChains`): a block of sweeps
(the burn-in, or one measurement chunk) runs as a sequence of
:func:`~heatbounds.numeric.kink_qmc.run_moves` calls. The first call is a few
sweeps (fewer moves if a sweep is long); each later one is sized from the
measured time per attempted move to take about ``TARGET_SECONDS``, grows at
most ``GROWTH``-fold per call (``GROWTH**3`` while calls take under
``TARGET_SECONDS / 8`` and the time per move does not rise: on a busy machine
each call can cost a thread wake-up of ~10 ms), and is cut to the time left
before the deadline at that rate; a short rest of the block joins the last
call. While the time per move rises from one call to the next (the
kink number still growing from zero early in a burn-in, a move costing O(n)),
the next call is planned at the rate extrapolated by that ratio. The deadline
is checked and a callback (progress) runs between calls. The RNG state, the
kinks and a partly done sweep carry over from call to call, so the sample
sequence does not depend on the piece sizes; only the point where a deadline
cuts a run does.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np

from heatbounds.numeric.kink_qmc import STATUS_OK, run_moves

__all__ = ["GROWTH", "TARGET_SECONDS", "ChunkPlan", "KinkChains", "PieceSizer"]

TARGET_SECONDS = 0.25  # wall time of one numba call once the rate is known
GROWTH = 2.0  # largest factor between successive piece sizes
FIRST_SWEEPS = 4  # the first piece: this many sweeps ...
MAX_FIRST_MOVES = 256  # ... but at most this many attempted moves
MIN_PIECE_MOVES = 16
GROWTH_OF_RATE = 4.0  # largest extrapolation of a rising time per move
MIN_CHUNK_SWEEPS = 1 << 10
MAX_CHUNK_MOVES = 1 << 21  # attempts per chain per chunk (~0.1-0.3 s)


class ChunkPlan:
    """Lengths, in sweeps per chain, of the measurement chunks (statistics only).

    The first chunk is ``MIN_CHUNK_SWEEPS``; then the length doubles until the
    error bar is reliable, after which it aims at the sweeps the tolerance
    needs (+10 %); a chunk stays near a fraction of a second of work.

    Parameters
    ----------
    moves : int
        Attempted moves per sweep.
    n_guess : float
        Expected kink number (a move costs ~(2 + n) evaluations of W).

    Examples
    --------
    >>> plan = ChunkPlan(moves=18, n_guess=0.23)
    >>> plan.size
    1024
    >>> plan.update(sweeps=4096, n_chains=4, err=0.1, tol=0.01, reliable=False)
    >>> plan.size
    2048
    >>> plan.update(sweeps=12288, n_chains=4, err=0.02, tol=0.01, reliable=True)
    >>> plan.size  # 1.1 * 3072 * (4 - 1)
    10137
    """

    def __init__(self, moves: int, n_guess: float) -> None:
        self.size = MIN_CHUNK_SWEEPS
        self.max = max(MIN_CHUNK_SWEEPS, int(4 * MAX_CHUNK_MOVES / (moves * (4 + n_guess))))

    def update(self, sweeps: int, n_chains: int, err: float, tol: float, reliable: bool) -> None:
        """Set ``size`` for the next chunk.

        Parameters
        ----------
        sweeps : int
            Measured sweeps so far, over all chains.
        n_chains : int
            Number of chains.
        err, tol : float
            Standard error now and the target.
        reliable : bool
            Whether the error bar is trusted (series >= 50 tau_int).
        """
        if reliable and math.isfinite(err):
            need = sweeps * ((err / tol) ** 2 - 1.0) / n_chains
            self.size = int(min(self.max, max(MIN_CHUNK_SWEEPS, 1.1 * need)))
        else:
            self.size = min(self.max, 2 * self.size)


class PieceSizer:
    """Sizes, in attempted moves per chain, of successive sampler calls.

    Parameters
    ----------
    first : int
        Size of the first piece (before any time was measured).
    target : float, optional
        Wall-clock seconds per piece to aim at (default ``TARGET_SECONDS``).
    growth : float, optional
        Largest factor from one piece size to the next (default ``GROWTH``;
        its cube after a piece shorter than target / 8 whose time per move
        did not rise).
    minimum : int, optional
        Smallest piece, unless the block or the time is shorter
        (default ``MIN_PIECE_MOVES``).

    Examples
    --------
    >>> s = PieceSizer(first=100, target=0.1)
    >>> s.size(remaining=10_000, time_left=5.0)
    100
    >>> s.record(100, 0.01)  # 1e-4 s a move: 0.1 s is 1000 moves, but at most 2x
    >>> s.size(remaining=10_000, time_left=5.0)
    200
    >>> s.size(remaining=10_000, time_left=0.015)  # no further than the deadline
    150
    >>> s.record(150, 0.03)  # 2e-4 s a move, rising: plan at 4e-4 s a move
    >>> s.size(remaining=10_000, time_left=5.0)
    250
    >>> s.size(remaining=10_000, time_left=0.04)
    100
    >>> s.size(remaining=30, time_left=5.0)
    30
    >>> s.size(remaining=350, time_left=5.0)  # not 250 and then 100
    350
    >>> fast = PieceSizer(first=100, target=0.1)
    >>> fast.record(100, 0.01)
    >>> fast.record(200, 0.01)  # under target / 8, rate falling: 2**3-fold
    >>> fast.size(remaining=10_000, time_left=5.0)
    1600
    """

    def __init__(
        self,
        first: int,
        *,
        target: float | None = None,
        growth: float | None = None,
        minimum: int | None = None,
    ) -> None:
        self.target = TARGET_SECONDS if target is None else float(target)
        self.growth = GROWTH if growth is None else float(growth)
        self.minimum = MIN_PIECE_MOVES if minimum is None else int(minimum)
        self.next = max(1, int(first))
        self.seconds_per_move = math.nan  # as measured in the last call
        self.planned_rate = math.nan  # extrapolated for the next one

    def size(self, remaining: int, time_left: float) -> int:
        """Moves for the next call: at most ``remaining``, and ends by ``time_left`` seconds.

        Parameters
        ----------
        remaining : int
            Moves left in the block.
        time_left : float
            Seconds to the deadline.

        Returns
        -------
        int
            Between 1 and ``remaining``.
        """
        n = float(self.next)
        by_time = time_left / self.planned_rate if self.planned_rate > 0.0 else math.inf
        if remaining <= 1.5 * n and remaining <= by_time:
            return int(remaining)
        return int(max(1, min(remaining, max(self.minimum, min(n, by_time)))))

    def record(self, n_moves: int, seconds: float) -> None:
        """Learn the rate from a call of ``n_moves`` moves that took ``seconds``.

        Parameters
        ----------
        n_moves : int
            Moves the call made.
        seconds : float
            Its wall time.
        """
        rate = max(seconds, 1e-9) / n_moves
        ratio = rate / self.seconds_per_move if self.seconds_per_move > 0.0 else math.inf
        trend = 1.0 if ratio == math.inf else min(GROWTH_OF_RATE, max(1.0, ratio))
        self.seconds_per_move, self.planned_rate = rate, rate * trend
        by_time = self.target / self.planned_rate
        fast = seconds < self.target / 8 and ratio <= 1.25
        growth = self.growth**3 if fast else self.growth
        self.next = int(max(self.minimum, min(by_time, growth * max(n_moves, self.next))))


class KinkChains:
    """Independent kink chains of one temperature, advanced in timed pieces.

    Parameters
    ----------
    states : numpy.ndarray
        (chains, 4) uint64 xoshiro256** states, advanced in place.
    capacity : int
        Initial kink capacity per chain; it doubles on demand, rerunning the
        piece from a snapshot, so it never changes the numbers.
    moves : int
        Attempted moves per sweep.
    beta, delta : float
        Inverse temperature and tunnelling Delta (reduced units).
    spec : KernelSpec
        The kink interaction W for the sampler (``bath.kernel_spec(beta)``).
    sizer : PieceSizer, optional
        Piece sizes; default ``PieceSizer(min(FIRST_SWEEPS * moves, MAX_FIRST_MOVES))``.

    Examples
    --------
    >>> from heatbounds.numeric.kink_interaction import OhmicBath
    >>> def sweeps(sizer):
    ...     states = np.random.SeedSequence(1).generate_state(8, np.uint64).reshape(2, 4)
    ...     c = KinkChains(states, 8, 40, 5.0, 1.0, OhmicBath(0.2, 10.0).kernel_spec(5.0), sizer)
    ...     return c.sweeps(50, deadline=math.inf)
    >>> one = sweeps(PieceSizer(first=10**6))
    >>> bits = sweeps(PieceSizer(first=7, growth=1.0, minimum=7))  # 286 calls of 7 moves
    >>> one.shape, np.array_equal(one, bits)
    ((2, 50), True)
    """

    def __init__(self, states, capacity, moves, beta, delta, spec, sizer=None) -> None:
        k = states.shape[0]
        self.states = states
        self.times = np.zeros((k, int(capacity)))
        self.counts = np.zeros(k, dtype=np.int64)
        self.pos = np.zeros(k, dtype=np.int64)  # moves done in the current sweep
        self.acc = np.zeros(k)  # their kink-number sum
        self.moves = int(moves)
        self.beta, self.delta, self.spec = float(beta), float(delta), spec
        first = min(FIRST_SWEEPS * self.moves, MAX_FIRST_MOVES)
        self.sizer = PieceSizer(first) if sizer is None else sizer

    @classmethod
    def seeded(cls, seed, temperature, n_chains, capacity, moves, delta, spec) -> KinkChains:
        """Chains at beta = 1/temperature with RNG states from a SeedSequence.

        Chain c uses SeedSequence(seed, spawn_key=(bits of temperature, c)), so
        a temperature gives the same numbers alone or inside a scan.

        Parameters
        ----------
        seed : int
            The entropy of the run.
        temperature : float
            T > 0 (reduced units).
        n_chains, capacity, moves, delta, spec
            As for :class:`KinkChains`.

        Returns
        -------
        KinkChains
        """
        tbits = int(np.float64(temperature).view(np.uint64))
        states = np.array(
            [
                np.random.SeedSequence(seed, spawn_key=(tbits, c)).generate_state(4, np.uint64)
                for c in range(n_chains)
            ],
            dtype=np.uint64,
        )
        return cls(states, capacity, moves, 1.0 / temperature, delta, spec)

    def _advance(self, n_moves: int, out: np.ndarray, col: int) -> None:
        while True:
            snap = [a.copy() for a in (self.times, self.counts, self.states, self.pos, self.acc)]
            status = np.zeros(self.counts.size, dtype=np.int64)
            run_moves(
                self.times,
                self.counts,
                self.states,
                self.pos,
                self.acc,
                n_moves,
                self.moves,
                self.beta,
                self.delta,
                self.spec.mode,
                self.spec.params,
                self.spec.table,
                out,
                col,
                status,
            )
            if np.all(status == STATUS_OK):
                return
            self.times = np.zeros((self.counts.size, 2 * snap[0].shape[1]))
            self.times[:, : snap[0].shape[1]] = snap[0]
            self.counts[:], self.states[:], self.pos[:], self.acc[:] = snap[1:]

    def sweeps(
        self, n_sweeps: int, deadline: float, on_piece: Callable[[], None] | None = None
    ) -> np.ndarray:
        """Complete ``n_sweeps`` more sweeps, or as many as fit before ``deadline``.

        Parameters
        ----------
        n_sweeps : int
            Sweeps to complete (a sweep partly done before counts as one).
        deadline : float
            ``time.perf_counter()`` value after which no call starts.
        on_piece : callable, optional
            Called without arguments after every call (for progress).

        Returns
        -------
        numpy.ndarray
            (chains, m) per-sweep mean kink numbers of the m sweeps completed;
            m = n_sweeps unless the deadline came first (a sweep cut by the
            deadline is not returned; the chains stay where they stopped).
        """
        pos0 = int(self.pos[0])
        out = np.empty((self.counts.size, n_sweeps))
        total = n_sweeps * self.moves - pos0
        done = 0
        while done < total:
            now = time.perf_counter()
            if now >= deadline:
                break
            n = self.sizer.size(total - done, deadline - now)
            self._advance(n, out, (pos0 + done) // self.moves)
            self.sizer.record(n, time.perf_counter() - now)
            done += n
            if on_piece is not None:
                on_piece()
        return out[:, : (pos0 + done) // self.moves]
