"""Vectorised quadrature in ln(omega) with a built-in error estimate.

Transport integrals such as the conductance (Eq. 5 and 10 of Taylor & Segal)

.. math::

    I(T) = \\int_0^\\infty d\\omega\\, f(\\omega; T)

have to be evaluated for whole temperature grids. Their integrands live on
scales set by the temperature (the Bose factor), by the cutoff omega_c and by a
resonance of the junction, so one fixed grid does not fit all temperatures,
and adaptive ``scipy.integrate.quad`` in a Python loop is slow. This module
integrates a batch of such integrals at once:

* the variable is u = ln(omega), so omega from 1e-9 to 1e5 costs a few dozen
  panels;
* each batch element (row) gets its own limits [lower, upper] (scaled by its
  temperature by the caller) split into equal panels in u, plus breakpoints
  laddered geometrically around given :class:`Resonance` s (centre +- width *
  2**k), so a narrow resonance is resolved however small its width;
* or, with ``shared_grid=True``, all rows use one panel grid over the union of
  their limits, so a temperature-independent factor (a response function) is
  evaluated once per node instead of once per node and temperature;
* every panel is integrated with the 21-point Gauss-Kronrod rule; the error
  estimate comes from the two embedded rule orders, ``|K21 - G10|``, calibrated as
  in QUADPACK's dqk21 (the same estimate scipy's ``quad`` reports), and a row's
  estimate is the sum over its panels;
* rows whose estimate exceeds max(atol, rtol*|I|) are recomputed with every
  panel bisected, up to ``max_refinements`` times; rows that still fail are
  reported through ``converged`` (callers raise :class:`QuadratureError`).

Units: none are assumed. omega, the limits and the resonances share whatever
frequency unit the integrand uses (reduced units hbar = k_B = 1 in heatbounds).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from heatbounds.symbolic.errors import HeatboundsError

__all__ = [
    "GK21",
    "GaussKronrodRule",
    "LogQuadratureResult",
    "QuadratureError",
    "Resonance",
    "integrate_log_omega",
]


class QuadratureError(HeatboundsError):
    """A quadrature that did not reach its requested tolerance."""


@dataclass(frozen=True)
class GaussKronrodRule:
    """An embedded Gauss-Kronrod pair on [-1, 1].

    ``nodes`` are the 2n+1 Kronrod nodes; ``kronrod_weights`` their weights;
    ``gauss_weights`` are the weights of the n-point Gauss rule on the nodes
    ``nodes[gauss_index]`` (zero elsewhere), so both orders share evaluations.
    """

    nodes: np.ndarray
    kronrod_weights: np.ndarray
    gauss_weights: np.ndarray


def _gk21() -> GaussKronrodRule:
    # Positive Kronrod abscissae and weights of QUADPACK dqk21 (odd entries are
    # the 10-point Gauss-Legendre nodes); the rule is symmetric about 0.
    xgk = np.array(
        [
            0.995657163025808080735527280689003,
            0.973906528517171720077964012084452,
            0.930157491355708226001207180059508,
            0.865063366688984510732096688423493,
            0.780817726586416897063717578345042,
            0.679409568299024406234327365114874,
            0.562757134668604683339000099272694,
            0.433395394129247190799265943165784,
            0.294392862701460198131126603103866,
            0.148874338981631210884826001129720,
            0.0,
        ]
    )
    wgk = np.array(
        [
            0.011694638867371874278064396062192,
            0.032558162307964727478818972459390,
            0.054755896574351996031381300244580,
            0.075039674810919952767043140916190,
            0.093125454583697605535065465083366,
            0.109387158802297641899210590325805,
            0.123491976262065851077958109831074,
            0.134709217311473325928054001771707,
            0.142775938577060080797094273138717,
            0.147739104901338491374841515972068,
            0.149445554002916905664936468389821,
        ]
    )
    nodes = np.concatenate([-xgk[:-1], xgk[::-1]])
    kronrod = np.concatenate([wgk[:-1], wgk[::-1]])
    # The Gauss weights come from numpy's Golub-Welsch, on the shared nodes.
    g_nodes, g_weights = np.polynomial.legendre.leggauss(10)
    gauss = np.zeros_like(nodes)
    for x, w in zip(g_nodes, g_weights, strict=True):
        i = int(np.argmin(np.abs(nodes - x)))
        if abs(nodes[i] - x) > 1e-14:  # pragma: no cover - constants are fixed
            raise RuntimeError("Gauss nodes are not embedded in the Kronrod nodes")
        gauss[i] = w
    return GaussKronrodRule(nodes=nodes, kronrod_weights=kronrod, gauss_weights=gauss)


GK21 = _gk21()
"""The 10/21-point Gauss-Kronrod pair (QUADPACK qk21)."""


@dataclass(frozen=True)
class Resonance:
    """A peak of the integrand at ``center`` with half-width ``width`` (same unit as omega).

    Breakpoints are laddered at center +- width * 2**k (k = -2, -1, 0, ...) out to
    a distance center/2 below and center above, so that no panel near the peak is
    wider than its distance from the complex pole (Lorentzian) it models.
    """

    center: float
    width: float

    def breakpoints(self) -> np.ndarray:
        """The ladder of breakpoints in omega (all > 0), centre included."""
        c, w = float(self.center), float(self.width)
        if not (np.isfinite(c) and np.isfinite(w) and c > 0 and w > 0):
            raise QuadratureError(f"resonance needs finite center > 0 and width > 0, got {self}")
        points = [c]
        step = w / 4.0
        while step < c / 2.0:
            points.append(c - step)
            step *= 2.0
        step = w / 4.0
        while step < c:
            points.append(c + step)
            step *= 2.0
        return np.sort(np.asarray(points))


@dataclass(frozen=True)
class LogQuadratureResult:
    """Integrals of a batch, one per row, with error estimates.

    ``integral`` and ``error`` have the batch shape; ``converged`` is True where
    error <= max(atol, rtol*|integral|); ``refinements`` is how often the row's
    panels were bisected; ``n_evaluations`` counts integrand points in total.
    """

    integral: np.ndarray
    error: np.ndarray
    converged: np.ndarray
    refinements: np.ndarray
    n_evaluations: int


def _panel_edges(
    log_lower: np.ndarray, log_upper: np.ndarray, extra: np.ndarray, panel_width: float
) -> np.ndarray:
    """Sorted panel edges in u = ln(omega), shape (rows, n_edges).

    Uniform edges use one count for all rows (the largest needed), so every row
    has panels no wider than ``panel_width``. Breakpoints in ``extra`` (ln omega)
    are clipped into each row's interval; clipped copies make zero-width panels,
    which contribute exactly zero.
    """
    span = log_upper - log_lower
    n_uniform = max(1, int(np.ceil(np.max(span) / panel_width)))
    t = np.linspace(0.0, 1.0, n_uniform + 1)
    edges = log_lower[:, None] + span[:, None] * t[None, :]
    if extra.size:
        clipped = np.clip(extra[None, :], log_lower[:, None], log_upper[:, None])
        edges = np.sort(np.concatenate([edges, clipped], axis=1), axis=1)
    return edges


def _bisect(edges: np.ndarray) -> np.ndarray:
    mid = 0.5 * (edges[:, :-1] + edges[:, 1:])
    out = np.empty((edges.shape[0], 2 * edges.shape[1] - 1))
    out[:, 0::2] = edges
    out[:, 1::2] = mid
    return out


def _apply_rule(
    integrand: Callable[..., np.ndarray],
    edges: np.ndarray,
    args: Sequence[np.ndarray],
    rows: int,
    rule: GaussKronrodRule,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Kronrod values and error estimates of ``rows`` rows; ``edges`` has 1 or ``rows`` rows."""
    half = 0.5 * (edges[:, 1:] - edges[:, :-1])  # (1 or rows, panels)
    mid = 0.5 * (edges[:, 1:] + edges[:, :-1])
    u = mid[:, :, None] + half[:, :, None] * rule.nodes[None, None, :]
    omega = np.exp(u)
    grid_rows, panels, k = omega.shape
    values = integrand(omega.reshape(grid_rows, panels * k), *(a[:, None] for a in args))
    values = np.asarray(values, dtype=float)
    target = (rows, panels * k)
    try:
        fits = values.ndim == 2 and np.broadcast_shapes(values.shape, target) == target
    except ValueError:
        fits = False
    if not fits:
        raise QuadratureError(f"integrand returned shape {values.shape}, expected {target}")
    if not np.all(np.isfinite(values)):
        raise QuadratureError("integrand returned a non-finite value")
    # d omega = omega du: the Jacobian of the logarithmic variable.
    fu = np.broadcast_to(values, target).reshape(rows, panels, k) * omega
    kron = half * (fu @ rule.kronrod_weights)  # (rows, panels)
    gauss = half * (fu @ rule.gauss_weights)
    return np.sum(kron, axis=1), np.sum(_panel_error(fu, half, kron, gauss, rule), axis=1), fu.size


def _panel_error(
    fu: np.ndarray, half: np.ndarray, kron: np.ndarray, gauss: np.ndarray, rule: GaussKronrodRule
) -> np.ndarray:
    """QUADPACK's error estimate of the Kronrod value on each panel (dqk21).

    err = resasc * min(1, (200 |K - G| / resasc)^1.5), at least 50 eps resabs,
    with resabs = Int |f| and resasc = Int |f - mean f| on the panel (both by
    the Kronrod weights). While |K - G| is not small against the panel's
    variation the estimate is the whole of resasc; once the pair agrees it
    reflects the much higher accuracy of the Kronrod value.
    """
    diff = np.abs(kron - gauss)
    mean = (fu @ rule.kronrod_weights) / 2.0  # average of f over the panel
    resasc = half * (np.abs(fu - mean[..., None]) @ rule.kronrod_weights)
    resabs = half * (np.abs(fu) @ rule.kronrod_weights)
    scaled = np.divide(200.0 * diff, resasc, out=np.zeros_like(diff), where=resasc > 0)
    err = np.where(resasc > 0, resasc * np.minimum(1.0, scaled**1.5), diff)
    return np.maximum(err, 50.0 * np.finfo(float).eps * resabs)


def integrate_log_omega(
    integrand: Callable[..., np.ndarray],
    lower: np.ndarray | float,
    upper: np.ndarray | float,
    *,
    args: Sequence[np.ndarray | float] = (),
    resonances: Sequence[Resonance] = (),
    panel_width: float = 0.75,
    rtol: float = 1e-10,
    atol: float = 0.0,
    max_refinements: int = 4,
    shared_grid: bool = False,
    rule: GaussKronrodRule = GK21,
) -> LogQuadratureResult:
    """Integrate a batch of integrals Int_lower^upper f(omega) d omega in u = ln(omega).

    Parameters
    ----------
    integrand
        ``integrand(omega, *args)`` with ``omega`` of shape (rows, n), or (1, n)
        with ``shared_grid``, and each arg of shape (rows, 1) (the row's
        parameters); returns the integrand f (with respect to d omega, not
        d ln omega), broadcastable to (rows, n). It must be finite.
    lower, upper
        Limits per row, 0 < lower < upper (scalars broadcast to the batch).
    args
        Per-row parameters (e.g. temperatures), each broadcast to the batch.
    resonances
        Peaks shared by all rows; their breakpoints are added where they fall
        inside a row's interval.
    panel_width
        Largest uniform panel in ln(omega).
    rtol, atol
        A row converges when its error estimate <= max(atol, rtol*|integral|).
    max_refinements
        How often failing rows are recomputed with all panels bisected.
    shared_grid
        Integrate every row over the union [min(lower), max(upper)] on one grid
        of nodes, passed as omega of shape (1, n): factors of the integrand that
        do not depend on the row are then computed once per node, not once per
        row. For integrals over (0, inf) whose per-row limits only cut off
        negligible tails (widening them is harmless); not for finite intervals.
    rule
        The embedded rule pair (default :data:`GK21`).

    Returns
    -------
    LogQuadratureResult
        Integrals and estimates with the broadcast batch shape (0-d for scalars).
    """
    if not (rtol >= 0 and atol >= 0 and rtol + atol > 0):
        raise QuadratureError(f"need rtol >= 0, atol >= 0, not both zero; got {rtol}, {atol}")
    if not panel_width > 0:
        raise QuadratureError(f"panel_width must be > 0, got {panel_width}")
    lo, hi, *params = np.broadcast_arrays(
        np.asarray(lower, dtype=float),
        np.asarray(upper, dtype=float),
        *(np.asarray(a, dtype=float) for a in args),
    )
    shape = lo.shape
    lo, hi = lo.ravel(), hi.ravel()
    params = [p.ravel() for p in params]
    if not (np.all(np.isfinite(lo)) and np.all(np.isfinite(hi)) and np.all(lo > 0)):
        raise QuadratureError("limits must be finite with lower > 0")
    if np.any(hi <= lo):
        raise QuadratureError("every row needs upper > lower")
    extra = (
        np.log(np.concatenate([r.breakpoints() for r in resonances])) if resonances else np.empty(0)
    )
    if shared_grid:
        edges = _panel_edges(np.log([lo.min()]), np.log([hi.max()]), extra, panel_width)
    else:
        edges = _panel_edges(np.log(lo), np.log(hi), extra, panel_width)
    n = lo.size
    integral = np.zeros(n)
    error = np.zeros(n)
    refinements = np.zeros(n, dtype=int)
    evaluations = 0
    todo = np.arange(n)
    for level in range(max_refinements + 1):
        value, err, count = _apply_rule(
            integrand, edges, [p[todo] for p in params], todo.size, rule
        )
        evaluations += count
        integral[todo], error[todo], refinements[todo] = value, err, level
        failing = err > np.maximum(atol, rtol * np.abs(value))
        if not np.any(failing) or level == max_refinements:
            break
        todo = todo[failing]
        edges = _bisect(edges if shared_grid else edges[failing])
    converged = error <= np.maximum(atol, rtol * np.abs(integral))
    return LogQuadratureResult(
        integral=integral.reshape(shape),
        error=error.reshape(shape),
        converged=converged.reshape(shape),
        refinements=refinements.reshape(shape),
        n_evaluations=evaluations,
    )
