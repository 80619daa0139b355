"""What the kink QMC returns: progress reports and results with their error bars.

Reduced units throughout (hbar = k_B = 1). :class:`SigmaXResult` and
:class:`StaticSusceptibilityResult` hold scalars for one temperature or arrays
over temperatures, with ``stack`` to combine and ``to_dict`` for JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np

__all__ = ["ProgressInfo", "SigmaXResult", "StaticSusceptibilityResult"]


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


@dataclass(frozen=True)
class StaticSusceptibilityResult:
    """Int_0^beta <sigma_z(tau) sigma_z(0)> d tau with its error bar, and the run's <sigma_x>.

    Reduced units (hbar = k_B = 1): static_susceptibility in 1/energy (the
    unit of 1/delta). stderr is one standard error and tau_int the integrated
    autocorrelation time in sweeps of the per-sweep means of M^2 (as in
    :class:`SigmaXResult`); ``qmc`` is the <sigma_x> of the same run. Scalars,
    or arrays over temperature; NaN / inf where the point has no estimate.
    """

    temperature: float | np.ndarray
    static_susceptibility: float | np.ndarray
    stderr: float | np.ndarray
    tau_int: float | np.ndarray
    qmc: SigmaXResult

    @staticmethod
    def stack(results: Sequence[StaticSusceptibilityResult]) -> StaticSusceptibilityResult:
        """Combine per-temperature scalar results into one result of arrays."""
        cols = {
            f.name: np.array([getattr(r, f.name) for r in results])
            for f in fields(StaticSusceptibilityResult)
            if f.name != "qmc"
        }
        return StaticSusceptibilityResult(**cols, qmc=SigmaXResult.stack([r.qmc for r in results]))

    def to_dict(self) -> dict:
        """JSON-ready dict (arrays as lists; ``qmc`` as :meth:`SigmaXResult.to_dict`)."""
        out = {"qmc": self.qmc.to_dict()}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name != "qmc":
                out[f.name] = v.tolist() if isinstance(v, np.ndarray) else v
        return out
