"""Exact equilibrium <sigma_x> of the spin-boson model by kink-expansion QMC.

Reduced units throughout: hbar = k_B = 1, energies and temperatures in the
unit of your choice (the examples use Delta = 1).

The model is the paper's spin-boson junction (Eq. 16): H_s = (Delta/2) sigma_x,
A = sigma_z, baths with J(omega) = 2 alpha omega exp(-omega/omega_c) (Leggett
alpha, alpha = alpha_L + alpha_R; in equilibrium only the sum enters). The
sum-rule conductance bound Eq. 18 needs the exact <sigma_x> of spin plus
baths; here it comes from a continuous-time QMC of the kink gas
(:mod:`heatbounds.numeric.kink_qmc`) with the estimator (d ln Z / d Delta):

    <sigma_x> = -2 <n_kinks> / (beta Delta).

Error bars: independent chains (seeded with numpy.random.SeedSequence), and an
autocorrelation analysis (Madras-Sokal automatic window) of the per-sweep
kink numbers pooled over chains; :func:`binning_stderr` gives the binning
curve as a cross-check.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields

import numpy as np

from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.kink_interaction import OhmicBath
from heatbounds.numeric.qmc_schedule import ChunkPlan, KinkChains
from heatbounds.numeric.validation import finite_float, positive_float

__all__ = [
    "KinkQMCSolver",
    "ProgressInfo",
    "SigmaXResult",
    "autocorrelation_analysis",
    "binning_stderr",
    "sigma_x",
    "validate_alpha",
]

_MAX_BINS = 1 << 16  # per chain; longer series are rebinned pairwise
_PROGRESS_SECONDS = 0.5  # progress is reported at least this often (and after every chunk)


def validate_alpha(alpha: float) -> float:
    """Return alpha as float if 0 <= alpha < 1, else raise NumericInputError."""
    alpha = finite_float("alpha", alpha)
    if alpha < 0.0:
        raise NumericInputError(f"alpha must be >= 0 (a coupling strength), got {alpha}")
    if alpha >= 1.0:
        raise NumericInputError(
            f"alpha must be < 1, got {alpha}: at alpha >= 1 the ohmic spin-boson model "
            "is in its localised phase (Leggett et al., RMP 59, 1 (1987)); kinks bind into "
            "close pairs whose number measures the cutoff omega_c rather than coherent "
            "tunnelling, so the kink estimator of <sigma_x> is not the physics of Eq. 18 there"
        )
    return alpha


def _temperatures(temperature) -> np.ndarray:
    t = np.asarray(temperature, dtype=float)
    if t.ndim > 1 or t.size == 0:
        raise NumericInputError("temperature must be a number or a non-empty 1-d sequence")
    if not np.all(np.isfinite(t)):
        raise NumericInputError("temperature must be finite")
    if np.any(t <= 0.0):
        raise NumericInputError(f"temperature must be > 0, got {t.min()}")
    return t


def autocorrelation_analysis(series: np.ndarray, window_factor: float = 5.0):
    """Mean, standard error and integrated autocorrelation time of chains.

    ``series`` has shape (chains, n). The autocovariance is averaged over the
    chains (about the pooled mean); tau_int = 1 + 2 sum_{t=1}^{M} rho(t) with
    the smallest window M >= window_factor * tau_int(M) (Madras & Sokal 1988);
    stderr = sqrt(C(0) tau_int / (chains n)). A constant series gives inf.
    """
    x = np.atleast_2d(np.asarray(series, dtype=float))
    k, n = x.shape
    mean = float(x.mean())
    dev = x - mean
    nfft = 1 << (2 * n - 1).bit_length()
    f = np.fft.rfft(dev, n=nfft, axis=1)
    acov = np.fft.irfft(f * np.conj(f), n=nfft, axis=1)[:, :n].sum(axis=0) / (k * n)
    c0 = float(acov[0])
    if not c0 > 0.0:
        return mean, math.inf, math.inf
    taus = 2.0 * np.cumsum(acov / c0) - 1.0
    ok = np.arange(n) >= window_factor * taus
    m = int(np.argmax(ok)) if ok.any() else n - 1
    tau = max(float(taus[m]), 1e-12)
    return mean, math.sqrt(c0 * tau / (k * n)), tau


def binning_stderr(series: np.ndarray, min_bins: int = 16) -> np.ndarray:
    """Naive standard error of the mean at bin sizes 1, 2, 4, ... (binning curve).

    ``series`` has shape (chains, n); bins never straddle chains. The plateau
    of the curve is the standard error; used to cross-check
    :func:`autocorrelation_analysis`.
    """
    x = np.atleast_2d(np.asarray(series, dtype=float))
    out = []
    while x.shape[0] * x.shape[1] >= min_bins:
        b = x.ravel()
        out.append(b.std(ddof=1) / math.sqrt(b.size))
        if x.shape[1] < 2:
            break
        m = x.shape[1] // 2
        x = 0.5 * (x[:, 0 : 2 * m : 2] + x[:, 1 : 2 * m : 2])
    return np.array(out)


class _BinnedSeries:
    """Per-chain series of bin means; bins double when a chain exceeds _MAX_BINS."""

    def __init__(self, n_chains: int) -> None:
        self.bin = 1
        self.bins = np.zeros((n_chains, 0))
        self.pending = np.zeros((n_chains, 0))

    def extend(self, values: np.ndarray) -> None:
        data = np.concatenate([self.pending, values], axis=1)
        m = data.shape[1] // self.bin
        new = data[:, : m * self.bin].reshape(data.shape[0], m, self.bin).mean(axis=2)
        self.pending = data[:, m * self.bin :]
        self.bins = np.concatenate([self.bins, new], axis=1)
        while self.bins.shape[1] > _MAX_BINS:
            h = self.bins.shape[1] // 2
            extra = self.bins[:, 2 * h :]
            self.bins = 0.5 * (self.bins[:, 0 : 2 * h : 2] + self.bins[:, 1 : 2 * h : 2])
            # an odd leftover bin goes back to pending as its raw-sweep equivalent
            self.pending = np.concatenate([np.repeat(extra, self.bin, axis=1), self.pending], 1)
            self.bin *= 2


@dataclass(frozen=True)
class ProgressInfo:
    """Passed to a progress callback: at the start of each temperature, then often.

    The callback runs at the start of a temperature (phase "setup", elapsed
    ~0, before the kernel table), about every 0.5 s during the burn-in
    ("burn-in") and measurement ("measuring"), and after every measurement
    chunk. stderr is that of <sigma_x> after the last complete chunk (inf
    before the first); elapsed and time_limit are wall-clock seconds.
    """

    index: int
    n_temperatures: int
    temperature: float
    stderr: float
    tolerance: float
    elapsed: float
    time_limit: float
    phase: str = "measuring"

    @property
    def fraction(self) -> float:
        """Rough fraction done of this temperature (time or (tol/stderr)^2)."""
        by_err = (self.tolerance / self.stderr) ** 2 if self.stderr > 0 else 1.0
        return min(1.0, max(by_err, self.elapsed / self.time_limit))


@dataclass(frozen=True)
class SigmaXResult:
    """<sigma_x> with its error bar (scalars, or arrays over temperature).

    Reduced units (hbar = k_B = 1). sigma_x = -2 n_kinks / (beta delta);
    stderr is one standard error; tau_int is the integrated autocorrelation
    time in sweeps, resolved only down to one bin (an upper bound once long
    runs are rebinned); sweeps counts measured sweeps over all chains (burn-in
    excluded; a sweep is 16 + 2 ceil(n_guess) attempted moves, n_guess the
    free-spin kink number); converged is False where the time limit (or
    max_sweeps) stopped the run before the tolerance. A point cut by the time
    limit keeps what it measured: mean and error bar of its completed sweeps.
    burned_in is False where the time limit ended the burn-in. A point with
    no measured sweep (sweeps 0: burned_in False, or time up right at its
    end) has no estimate (sigma_x and n_kinks NaN, stderr inf, tau_int NaN),
    never a number from a chain that may still drift from its start.
    """

    temperature: float | np.ndarray
    sigma_x: float | np.ndarray
    stderr: float | np.ndarray
    n_kinks: float | np.ndarray
    n_kinks_stderr: float | np.ndarray
    sweeps: int | np.ndarray
    seconds: float | np.ndarray
    tau_int: float | np.ndarray
    converged: bool | np.ndarray
    delta: float
    seed: int
    burned_in: bool | np.ndarray = True

    @staticmethod
    def stack(results: Sequence[SigmaXResult]) -> SigmaXResult:
        """Combine per-temperature scalar results into one result of arrays."""
        cols = {}
        for f in fields(SigmaXResult):
            if f.name in ("delta", "seed"):
                cols[f.name] = getattr(results[0], f.name)
            else:
                cols[f.name] = np.array([getattr(r, f.name) for r in results])
        return SigmaXResult(**cols)

    def to_dict(self) -> dict:
        """JSON-ready dict (arrays as lists)."""
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            out[f.name] = v.tolist() if isinstance(v, np.ndarray) else v
        return out


class KinkQMCSolver:
    """Kink-expansion CT-QMC for the equilibrium <sigma_x> of a spin in a bath.

    Reduced units (hbar = k_B = 1). ``bath`` is a strategy object from
    :mod:`heatbounds.numeric.kink_interaction` (OhmicBath, SpectralDensityBath,
    SingleModeBath). Options are keyword-only. Chains are seeded from
    SeedSequence(seed, spawn_key=(bits of T, chain)), so a temperature gives the
    same numbers alone or inside a scan, on any number of threads.
    ``capacity`` is the initial kink capacity per chain (it doubles on demand,
    rerunning the piece from a snapshot, so it never changes the numbers).
    """

    def __init__(
        self,
        bath,
        *,
        delta: float = 1.0,
        n_chains: int = 4,
        n_threads: int | None = None,
        seed: int | None = None,
        capacity: int | None = None,
    ) -> None:
        if isinstance(bath, OhmicBath):
            validate_alpha(bath.alpha)
        self.bath = bath
        self.delta = positive_float("delta", delta)
        if int(n_chains) != n_chains or n_chains < 1:
            raise NumericInputError(f"n_chains must be an integer >= 1, got {n_chains!r}")
        self.n_chains = int(n_chains)
        self.n_threads = max(1, min(int(n_threads or os.cpu_count() or 1), self.n_chains))
        if seed is not None and (int(seed) != seed or seed < 0):
            raise NumericInputError(f"seed must be an integer >= 0, got {seed!r}")
        self.seed = int(np.random.SeedSequence(seed).entropy)
        if capacity is not None and (int(capacity) != capacity or capacity < 2):
            raise NumericInputError(f"capacity must be an integer >= 2, got {capacity!r}")
        self.capacity = None if capacity is None else int(capacity)

    def run(
        self,
        temperature,
        *,
        tolerance: float = 2e-3,
        time_limit: float = 60.0,
        max_sweeps: int | None = None,
        progress: Callable[[ProgressInfo], None] | None = None,
    ) -> SigmaXResult:
        """Run until stderr(<sigma_x>) <= tolerance or the time limit, per temperature.

        Reduced units (hbar = k_B = 1). The time limit holds at every
        temperature: the sampler runs in pieces of about 0.25 s
        (:mod:`heatbounds.numeric.qmc_schedule`) with the clock checked between
        them, during the burn-in as well as the measurement. A point stopped by
        the time returns the mean and error bar of the sweeps it completed, with
        converged False; one stopped during the burn-in returns no estimate
        (NaN, burned_in False, see :class:`SigmaXResult`). Seeded runs that
        finish by the tolerance or max_sweeps do not depend on the clock.

        Parameters
        ----------
        temperature : float or sequence of float
            T > 0; a scalar gives scalar fields, a 1-d sequence arrays.
        tolerance : float
            Target standard error of <sigma_x>.
        time_limit : float
            Wall-clock seconds per temperature.
        max_sweeps : int, optional
            Stop (unconverged) once this many sweeps, over all chains, are measured.
        progress : callable, optional
            Called with a :class:`ProgressInfo` at the start of each temperature
            and then at least every 0.5 s or so.

        Returns
        -------
        SigmaXResult

        Examples
        --------
        >>> solver = KinkQMCSolver(OhmicBath(0.2, 10.0), seed=1)
        >>> r = solver.run(1e-3, time_limit=0.5)  # beta = 1000: a burn-in of minutes
        >>> r.converged, r.burned_in, r.sweeps, math.isnan(r.sigma_x), math.isinf(r.stderr)
        (False, False, 0, True, True)
        """
        temps = _temperatures(temperature)
        tolerance = positive_float("tolerance", tolerance)
        time_limit = positive_float("time_limit", time_limit)
        import numba

        previous = numba.get_num_threads()
        numba.set_num_threads(min(self.n_threads, numba.config.NUMBA_NUM_THREADS))
        try:
            results = [
                self._run_one(float(t), i, temps.size, tolerance, time_limit, max_sweeps, progress)
                for i, t in enumerate(temps.ravel())
            ]
        finally:
            numba.set_num_threads(previous)
        return results[0] if temps.ndim == 0 else SigmaXResult.stack(results)

    def _run_one(self, temp, index, n_temps, tol, time_limit, max_sweeps, progress):
        start = time.perf_counter()
        deadline = start + time_limit
        err_sx, last = math.inf, -math.inf

        def report(phase, force=False):
            nonlocal last
            now = time.perf_counter()
            if progress is not None and (force or now - last >= _PROGRESS_SECONDS):
                last = now
                t = now - start
                progress(ProgressInfo(index, n_temps, temp, err_sx, tol, t, time_limit, phase))

        report("setup", force=True)
        beta = 1.0 / temp
        spec = self.bath.kernel_spec(beta)
        bd = beta * self.delta
        n_guess = 0.5 * bd * math.tanh(0.5 * bd)
        moves = 16 + 2 * math.ceil(n_guess)
        cap = self.capacity or 64 + 8 * math.ceil(n_guess)
        chains = KinkChains.seeded(self.seed, temp, self.n_chains, cap, moves, self.delta, spec)
        n_burn = max(256, math.ceil((50_000 + 5_000 * n_guess) / moves))
        burned_in = chains.sweeps(n_burn, deadline, lambda: report("burn-in")).shape[1] == n_burn
        series = _BinnedSeries(self.n_chains)
        chunks = ChunkPlan(moves, n_guess)
        sweeps, converged = 0, False
        mean_n, err_n, tau = math.nan, math.inf, math.nan  # no measurement yet
        while burned_in:
            data = chains.sweeps(chunks.size, deadline, lambda: report("measuring"))
            if data.shape[1] == 0:
                break
            series.extend(data)  # a whole chunk at a time (or the last, cut by time)
            sweeps += data.shape[1] * self.n_chains
            mean_n, err_n, tau = autocorrelation_analysis(series.bins)
            reliable = series.bins.shape[1] >= 50.0 * tau
            err_sx = 2.0 * err_n / bd
            report("measuring", force=True)
            converged = reliable and err_sx <= tol
            if converged or time.perf_counter() >= deadline:
                break
            if max_sweeps is not None and sweeps >= max_sweeps:
                break
            chunks.update(sweeps, self.n_chains, err_sx, tol, reliable)
        return SigmaXResult(
            temperature=temp,
            sigma_x=-2.0 * mean_n / bd,
            stderr=2.0 * err_n / bd,
            n_kinks=mean_n,
            n_kinks_stderr=err_n,
            sweeps=sweeps,
            seconds=time.perf_counter() - start,
            tau_int=tau * series.bin,
            converged=bool(converged),
            delta=self.delta,
            seed=self.seed,
            burned_in=burned_in,
        )


def sigma_x(
    temperature,
    *,
    alpha: float,
    omega_c: float,
    delta: float = 1.0,
    tolerance: float = 2e-3,
    seed: int | None = None,
    time_limit: float = 60.0,
    n_chains: int = 4,
    n_threads: int | None = None,
    progress: Callable[[ProgressInfo], None] | None = None,
) -> SigmaXResult:
    """Exact equilibrium <sigma_x> for J = 2 alpha omega exp(-omega/omega_c), by QMC.

    Reduced units (hbar = k_B = 1): temperature, delta and omega_c in one unit.
    H = (delta/2) sigma_x + sigma_z X + H_B (paper Eq. 16), so <sigma_x> < 0;
    at alpha = 0 it is -tanh(delta/(2 T)). The sum-rule bound Eq. 18 is
    (pi alpha gamma/4)(-delta <sigma_x>), see
    :func:`heatbounds.numeric.spin_boson_reference.conductance_bound`.

    Examples
    --------
    >>> r = sigma_x(2.0, alpha=0.0, omega_c=10.0, tolerance=0.01, seed=1)
    >>> abs(r.sigma_x + math.tanh(0.25)) < 5 * r.stderr
    True
    """
    alpha = validate_alpha(alpha)
    bath = OhmicBath(alpha, positive_float("omega_c", omega_c))
    solver = KinkQMCSolver(bath, delta=delta, n_chains=n_chains, n_threads=n_threads, seed=seed)
    return solver.run(temperature, tolerance=tolerance, time_limit=time_limit, progress=progress)
