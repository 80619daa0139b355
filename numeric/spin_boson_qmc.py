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

The same runs give the static susceptibility (:func:`static_susceptibility`)

    chi = Int_0^beta <sigma_z(tau) sigma_z(0)> d tau = <M^2> / beta,

M = Int_0^beta sigma_z d tau of the kink path (see
:mod:`heatbounds.numeric.kink_qmc`), with its error bar from the same
autocorrelation analysis of the per-sweep means of M^2. It is the Kubo
(isothermal) susceptibility, which for this ergodic model equals the static
limit of the dynamic one: (2/pi) Int_0^inf Im chi(omega)/omega d omega (Eq. 6
convention). At alpha = 0 it is (2/Delta) tanh(beta Delta/2).
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable

import numpy as np

from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.kink_interaction import OhmicBath
from heatbounds.numeric.kink_qmc import STATUS_OK, run_moves_observed
from heatbounds.numeric.qmc_results import ProgressInfo, SigmaXResult, StaticSusceptibilityResult
from heatbounds.numeric.qmc_schedule import ChunkPlan, KinkChains
from heatbounds.numeric.qmc_statistics import (
    BinnedSeries,
    autocorrelation_analysis,
    binning_stderr,
)
from heatbounds.numeric.validation import finite_float, positive_float

__all__ = [
    "KinkQMCSolver",
    "ProgressInfo",
    "SigmaXResult",
    "StaticSusceptibilityResult",
    "autocorrelation_analysis",
    "binning_stderr",
    "sigma_x",
    "static_susceptibility",
    "validate_alpha",
]

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


class _ObservedChains(KinkChains):
    """KinkChains that also record the per-sweep mean M^2 (:func:`run_moves_observed`).

    After :meth:`sweeps`, ``m2`` holds the (chains, m) means of the m sweeps it
    returned. The kinks and the RNG are exactly those of KinkChains.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.acc_m2 = np.zeros(self.counts.size)
        self.m2 = np.zeros((self.counts.size, 0))
        self._m2_out = self.m2

    def sweeps(self, n_sweeps, deadline, on_piece=None):
        self._m2_out = np.empty((self.counts.size, n_sweeps))
        data = super().sweeps(n_sweeps, deadline, on_piece)
        self.m2 = self._m2_out[:, : data.shape[1]]
        return data

    def _advance(self, n_moves: int, out: np.ndarray, col: int) -> None:
        arrays = ("times", "counts", "states", "pos", "acc", "acc_m2")
        while True:
            snap = {name: getattr(self, name).copy() for name in arrays}
            status = np.zeros(self.counts.size, dtype=np.int64)
            state = (self.times, self.counts, self.states, self.pos, self.acc, self.acc_m2)
            spec = (self.spec.mode, self.spec.params, self.spec.table)
            sweep = (n_moves, self.moves, self.beta, self.delta, *spec)
            run_moves_observed(*state, *sweep, out, self._m2_out, col, status)
            if np.all(status == STATUS_OK):
                return
            width = snap["times"].shape[1]
            self.times = np.zeros((self.counts.size, 2 * width))
            self.times[:, :width] = snap["times"]
            for name in arrays[1:]:
                getattr(self, name)[:] = snap[name]


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
        temps, results = self._run_all(
            temperature, tolerance, time_limit, max_sweeps, progress, None, observe=False
        )
        sx = [r for r, _ in results]
        return sx[0] if temps.ndim == 0 else SigmaXResult.stack(sx)

    def susceptibility(
        self,
        temperature,
        *,
        tolerance: float = 2e-3,
        chi_tolerance: float | None = None,
        time_limit: float = 60.0,
        max_sweeps: int | None = None,
        progress: Callable[[ProgressInfo], None] | None = None,
    ) -> StaticSusceptibilityResult:
        """Static susceptibility Int_0^beta <sigma_z(tau) sigma_z(0)> d tau = <M^2>/beta.

        Reduced units (hbar = k_B = 1). As :meth:`run` (same chains, same
        <sigma_x> to the last bit when ``chi_tolerance`` is None), recording M^2
        as well; with ``chi_tolerance`` the run goes on until both standard
        errors are within their tolerances (or the time limit / max_sweeps).

        Returns
        -------
        StaticSusceptibilityResult
        """
        if chi_tolerance is not None:
            chi_tolerance = positive_float("chi_tolerance", chi_tolerance)
        temps, results = self._run_all(
            temperature, tolerance, time_limit, max_sweeps, progress, chi_tolerance, observe=True
        )
        out = [
            StaticSusceptibilityResult(r.temperature, chi, err, tau, r)
            for r, (chi, err, tau) in results
        ]
        return out[0] if temps.ndim == 0 else StaticSusceptibilityResult.stack(out)

    def _run_all(self, temperature, tolerance, time_limit, max_sweeps, progress, chi_tol, observe):
        temps = _temperatures(temperature)
        tolerance = positive_float("tolerance", tolerance)
        time_limit = positive_float("time_limit", time_limit)
        import numba

        previous = numba.get_num_threads()
        numba.set_num_threads(min(self.n_threads, numba.config.NUMBA_NUM_THREADS))
        try:
            opts = (tolerance, time_limit, max_sweeps, progress, chi_tol, observe)
            results = [
                self._run_one(float(t), i, temps.size, *opts) for i, t in enumerate(temps.ravel())
            ]
        finally:
            numba.set_num_threads(previous)
        return temps, results

    def _run_one(
        self, temp, index, n_temps, tol, time_limit, max_sweeps, progress, chi_tol, observe
    ):
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
        kind = _ObservedChains if observe else KinkChains
        chains = kind.seeded(self.seed, temp, self.n_chains, cap, moves, self.delta, spec)
        n_burn = max(256, math.ceil((50_000 + 5_000 * n_guess) / moves))
        burned_in = chains.sweeps(n_burn, deadline, lambda: report("burn-in")).shape[1] == n_burn
        series = BinnedSeries(self.n_chains)
        squares = BinnedSeries(self.n_chains)  # M^2 (observe only)
        chunks = ChunkPlan(moves, n_guess)
        sweeps, converged = 0, False
        mean_n, err_n, tau = math.nan, math.inf, math.nan  # no measurement yet
        chi = (math.nan, math.inf, math.nan)
        while burned_in:
            data = chains.sweeps(chunks.size, deadline, lambda: report("measuring"))
            if data.shape[1] == 0:
                break
            series.extend(data)  # a whole chunk at a time (or the last, cut by time)
            sweeps += data.shape[1] * self.n_chains
            mean_n, err_n, tau = autocorrelation_analysis(series.bins)
            reliable = series.bins.shape[1] >= 50.0 * tau
            err_sx = 2.0 * err_n / bd
            err = err_sx
            if observe:
                squares.extend(chains.m2)
                m2, err_m2, tau_m2 = autocorrelation_analysis(squares.bins)
                chi = (m2 * temp, err_m2 * temp, tau_m2 * squares.bin)
                if chi_tol is not None:
                    reliable = reliable and squares.bins.shape[1] >= 50.0 * tau_m2
                    err = max(err_sx, chi[1] * tol / chi_tol)
            report("measuring", force=True)
            converged = reliable and err <= tol
            if converged or time.perf_counter() >= deadline:
                break
            if max_sweeps is not None and sweeps >= max_sweeps:
                break
            chunks.update(sweeps, self.n_chains, err, tol, reliable)
        result = SigmaXResult(
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
        return result, chi


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


def static_susceptibility(
    temperature,
    *,
    alpha: float,
    omega_c: float,
    delta: float = 1.0,
    tolerance: float = 2e-3,
    chi_tolerance: float | None = None,
    seed: int | None = None,
    time_limit: float = 60.0,
    n_chains: int = 4,
    n_threads: int | None = None,
) -> StaticSusceptibilityResult:
    """Exact Int_0^beta <sigma_z(tau) sigma_z(0)> d tau for J = 2 alpha omega e^{-omega/omega_c}.

    Reduced units (hbar = k_B = 1); the result is in 1/energy. The same run as
    :func:`sigma_x` (same seed, same <sigma_x>), recording M^2 of the kink
    path as well (see the module docstring); ``tolerance`` is that of
    <sigma_x>, ``chi_tolerance`` (optional) that of the susceptibility.

    Examples
    --------
    >>> r = static_susceptibility(1.0, alpha=0.0, omega_c=10.0, tolerance=0.01, seed=1)
    >>> abs(r.static_susceptibility - 2 * math.tanh(0.5)) < 5 * r.stderr
    True
    """
    alpha = validate_alpha(alpha)
    bath = OhmicBath(alpha, positive_float("omega_c", omega_c))
    solver = KinkQMCSolver(bath, delta=delta, n_chains=n_chains, n_threads=n_threads, seed=seed)
    return solver.susceptibility(
        temperature, tolerance=tolerance, chi_tolerance=chi_tolerance, time_limit=time_limit
    )
