"""Error bars of Monte Carlo series: autocorrelation analysis and binning.

Used by the kink QMC (:mod:`heatbounds.numeric.spin_boson_qmc`): chains of
per-sweep measurements, shape (chains, n), pooled for the mean; the error bar
comes from the integrated autocorrelation time with Madras and Sokal's
automatic window, and :func:`binning_stderr` gives the binning curve as a
cross-check. Long series are kept as bin means (:class:`BinnedSeries`).

>>> import numpy as np
>>> mean, stderr, tau = autocorrelation_analysis(np.array([[1.0, 3.0, 1.0, 3.0]]))
>>> mean
2.0
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["MAX_BINS", "BinnedSeries", "autocorrelation_analysis", "binning_stderr"]

MAX_BINS = 1 << 16  # per chain; longer series are rebinned pairwise


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


class BinnedSeries:
    """Per-chain series of bin means; bins double when a chain exceeds MAX_BINS."""

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
        while self.bins.shape[1] > MAX_BINS:
            h = self.bins.shape[1] // 2
            extra = self.bins[:, 2 * h :]
            self.bins = 0.5 * (self.bins[:, 0 : 2 * h : 2] + self.bins[:, 1 : 2 * h : 2])
            # an odd leftover bin goes back to pending as its raw-sweep equivalent
            self.pending = np.concatenate([np.repeat(extra, self.bin, axis=1), self.pending], 1)
            self.bin *= 2
