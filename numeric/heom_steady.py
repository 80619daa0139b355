"""The HEOM steady state of a junction between two baths (QuTiP's HEOMSolver).

Reduced units throughout: hbar = k_B = 1.

A :class:`~heatbounds.symbolic.junction.Junction` (built-in or from a model
file) becomes matrices through :class:`~heatbounds.numeric.matrices.
MatrixJunction` (system bosons truncated at ``boson_levels``). Its coupling to
bath nu, sum_n A_n X^n_nu with X^n_nu = sum_k g^n_{nu k} (b + b^dagger) and
J^{nn'}_nu = 2 alpha_nu h_{nn'} Jtilde (Eq. 4, 8), is written through
independent baths: with h = V diag(lambda) V^T, Xi_m = sum_n V_{nm} X^n /
sqrt(lambda_m) are uncorrelated, each with spectral function 2 alpha_nu Jtilde,
and

.. math::

    \\sum_n \\hat A_n X^n_\\nu = \\sum_m \\hat Q_m \\Xi_{\\nu m},
    \\qquad \\hat Q_m = \\sqrt{\\lambda_m} \\sum_n V_{nm} \\hat A_n .

Each (nu, m) is one QuTiP bath ``(environment, Q_m)`` with the exponential fit
of :mod:`heatbounds.numeric.heom_environment`, tagged ``(nu, m)``. Matrix units
A_ab = ``|a><b|`` (Eq. 11-12, symmetric g) get one bath per unordered pair {a, b}
with Q_ab = A_ab + A_ba (:func:`matrix_unit_baths`). A model
with the counterterm carries it in H_s: Q_m^2 times sum_k g_k^2 / omega_k =
(alpha_nu / 2) Int_0^inf Jtilde(omega) / omega d omega for each bath.

What the steady state gives (Kato and Tanimura, J. Chem. Phys. 145, 224105
(2016); QuTiP's tutorial "HEOM 3: quantum heat transport"):

* system expectation values Tr(O rho) from the reduced density matrix;
* system-bath correlations <O Xi_{nu m}> = sum over the first-tier ADOs rho_j of
  bath (nu, m) of Tr(O rho_j);
* the heat current into bath nu, d<H_B nu>/dt = sum_m [sum_j nu_j Tr(Q_m rho_j)
  - 2 Im C_{nu m}(0) Tr(Q_m^2 rho)], nu_j the exponent of ADO j.

Tests check the last two against independent results (the exact harmonic
junction, Eq. 5 and second-order perturbation theory at weak coupling), and
the heat current against the system heat current i<[H_s, Q] Xi>. That identity
holds per side only for commuting couplings; otherwise the bath current of
side nu adds i sum <[Q_m', Q_m] Xi_m' Xi_m> (m on side nu, m' on the other),
from the second-tier ADOs with one excitation in each bath
(``tests/numeric/test_heom_levels.py``: 5 % for the three-level model).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from heatbounds.numeric.check_limits import refuse_beyond_memory
from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.heom_environment import fit_bath
from heatbounds.numeric.matrices import MatrixJunction
from heatbounds.symbolic.dissipation import Dissipation, Ohmic, PowerLaw, check_proportional
from heatbounds.symbolic.junction import Junction

__all__ = [
    "HeomBath",
    "HeomSettings",
    "HeomSteadyState",
    "ado_count",
    "bath_couplings",
    "heom_steady_state",
    "independent_baths",
    "matrix_unit_baths",
    "matrix_unit_flags",
    "proportional_dissipation",
]

SIDES = ("L", "R")
# Bytes per nonzero of the sparse HEOM generator and its LU factors (complex
# value, index), and the fill-in of the factorisation. Measured peak memory of
# the steady state (MKL PARDISO; Kerr oscillator, D = 8-10, depth 2-3, 969-1771
# ADOs): the estimate below is 1.3-2.8 times the peak, on the safe side.
_BYTES_PER_NONZERO = 16 + 8
_FILL_FACTOR = 10
_SHALLOW_SAFETY = 4  # depth <= 2: a bound on the fill, times this margin


@dataclass(frozen=True)
class HeomSettings:
    """Truncations of one HEOM calculation.

    depth: hierarchy depth (``max_depth``); n_terms: QuTiP's Nr of the bath fit
    (2 n_terms exponents per bath); boson_levels: levels kept per system boson.
    """

    depth: int = 3
    n_terms: int = 4
    boson_levels: int = 10

    def __post_init__(self):
        for name in ("depth", "n_terms", "boson_levels"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise NumericInputError(f"{name} must be an integer >= 1, got {value!r}")


@dataclass(frozen=True)
class HeomBath:
    """One independent bath (side, m): its system operator Q_m and how the X^n_nu of
    the model's couplings are made of it (``weights[label]`` = V_{nm} sqrt(lambda_m))."""

    side: str
    index: int
    operator: np.ndarray
    weights: dict

    @property
    def tag(self) -> tuple:
        return (self.side, self.index)


def proportional_dissipation(junction: Junction) -> Dissipation:
    """The one dissipation form both baths share (Eq. 5); refuses baths that are not
    proportional (:func:`~heatbounds.symbolic.dissipation.check_proportional`)."""
    shape = junction.dissipation
    if isinstance(shape, tuple):
        shape = check_proportional(*shape)  # refuses non-proportional baths (Eq. 5)
    return shape


def independent_baths(
    junction: Junction, matrices: MatrixJunction, sides: tuple[str, ...] = SIDES
) -> list[HeomBath]:
    """The uncorrelated baths of each side, from the couplings A_n and the flags h.

    ``sides`` are "L" and "R", or the single "LR" of both baths merged (at
    T_L = T_R the two act as one bath with alpha = alpha_L + alpha_R).

    Matrix units (Eq. 11-12) get one bath per unordered pair of levels
    (:func:`matrix_unit_baths`). Refuses couplings whose Q_m would not be Hermitian.
    """
    if junction.couplings.level_sums is not None:
        return matrix_unit_baths(matrices, sides)
    couplings = matrices.coupling_matrices()
    labels = list(couplings)
    flags = junction.flags
    h = np.eye(len(labels)) if flags is None else np.array(flags.tolist(), dtype=float)
    lam, vectors = np.linalg.eigh(h)
    if lam.min() < -1e-12 * max(1.0, abs(lam).max()):
        raise NumericInputError(
            f"model {junction.name!r}: the flags h are not positive semidefinite"
        )
    out = []
    for side in sides:
        for m in np.flatnonzero(lam > 1e-12 * max(1.0, lam.max())):
            scale = math.sqrt(lam[m])
            weights = {label: scale * vectors[n, m] for n, label in enumerate(labels)}
            q = sum(w * couplings[label] for label, w in weights.items())
            if not np.allclose(q, q.conj().T, atol=1e-12 * max(1.0, np.abs(q).max())):
                raise NumericInputError(
                    f"model {junction.name!r}: the bath couples to a non-Hermitian operator "
                    "sum_n V_nm A_n; Eq. 3 with real g needs Hermitian A_n"
                )
            out.append(HeomBath(side, int(m), np.asarray(q), weights))
    return out


def matrix_unit_baths(matrices: MatrixJunction, sides: tuple[str, ...] = SIDES) -> list[HeomBath]:
    """The uncorrelated baths of matrix-unit couplings A_ab = ``|a><b|`` (Eq. 11-12).

    The coupling g_nu(a, b, k) = g_nu(b, a, k) is real and symmetric (the
    Junction docstring), so X^{ab}_nu = sum_k g_nu(a, b, k)(b + b^dagger) =
    X^{ba}_nu and sum_ab A_ab X^{ab}_nu = sum_{a <= b} Q_ab X^{ab}_nu with the
    Hermitian Q_ab = A_ab + A_ba (a < b), Q_aa = A_aa. Different unordered
    pairs are taken uncorrelated, each with J_nu = 2 alpha_nu Jtilde: bath m =
    {a, b} has ``weights`` {(a, b): 1, (b, a): 1} (X^{ab} = X^{ba} = Xi_m).

    These are the flags h_{ij,kl} = 1 when {i, j} = {k, l}, else 0
    (:func:`matrix_unit_flags`): h_{ab,ab} = 1 as in the model's identity flags,
    and h_{ab,ba} = 1 for a != b, which Eq. 4 forces (J^{ab,ba} = J^{ab,ab} for
    symmetric g) and the identity flags h = delta_ik delta_jl leave out. See
    :mod:`heatbounds.numeric.heom_expectations` for what that does to Eq. 9.
    """
    couplings = matrices.coupling_matrices()
    size = round(math.sqrt(len(couplings)))
    pairs = [(a, b) for a in range(1, size + 1) for b in range(a, size + 1)]
    out = []
    for side in sides:
        for m, (a, b) in enumerate(pairs):
            weights = {(a, b): 1.0, (b, a): 1.0}
            q = couplings[(a, b)] + (couplings[(b, a)] if a != b else 0)
            out.append(HeomBath(side, m, np.asarray(q), weights))
    return out


def matrix_unit_flags(size: int) -> np.ndarray:
    """The flags the HEOM realises for N-level matrix units, over the labels (i, j) in
    row-major order: h_{ij,kl} = 1 if {i, j} = {k, l} (as unordered pairs), else 0.

    Positive semidefinite (one eigenvalue 2 per pair a < b, 1 per level, 0 for
    the antisymmetric A_ab - A_ba), and equal to Eq. 4 for symmetric g.
    """
    labels = [(i, j) for i in range(1, size + 1) for j in range(1, size + 1)]
    return np.array([[1.0 if sorted(n) == sorted(k) else 0.0 for k in labels] for n in labels])


def bath_couplings(values: dict) -> dict[str, float]:
    """{"L": alpha_L, "R": alpha_R} from ``values``, refused unless both are >= 0 with
    0 < alpha_L + alpha_R < 1.

    J_nu = 2 alpha_nu Jtilde (Eq. 4, 8). At alpha = alpha_L + alpha_R >= 1 the
    ohmic spin-boson model is localised (no linear-response transport), and for
    any model the hierarchy's depth grows with the coupling; the HEOM results
    here are for 0 < alpha < 1.
    """
    alphas = {side: float(values[f"alpha_{side}"]) for side in SIDES}
    if not all(math.isfinite(a) for a in alphas.values()):
        raise NumericInputError(
            f"alpha_L, alpha_R must be finite, got {alphas['L']}, {alphas['R']}"
        )
    if min(alphas.values()) < 0 or sum(alphas.values()) <= 0:
        raise NumericInputError(
            f"alpha_L, alpha_R must be >= 0 with a positive sum, got {alphas['L']}, {alphas['R']}"
        )
    if sum(alphas.values()) >= 1:
        raise NumericInputError(
            f"alpha = alpha_L + alpha_R must be < 1, got {sum(alphas.values()):g}: the HEOM "
            "here is for 0 < alpha < 1 (at alpha >= 1 the ohmic spin-boson model is localised)"
        )
    return alphas


def _reorganisation(shape: Dissipation, values: dict) -> float:
    """Int_0^inf Jtilde(omega)/omega d omega (the counterterm per unit alpha_nu / 2)."""
    omega_c = float(values["omega_c"])
    if isinstance(shape, PowerLaw):
        return math.factorial(shape.s - 1) * omega_c
    if isinstance(shape, Ohmic):
        return omega_c
    raise NumericInputError(f"no counterterm for the dissipation {shape}")


def ado_count(n_exponents: int, depth: int) -> int:
    """Auxiliary density operators of a hierarchy: binomial(K + depth, depth)."""
    return math.comb(n_exponents + depth, depth)


def _check_memory(dimension: int, n_exponents: int, depth: int, limit: int | None) -> None:
    ados = ado_count(n_exponents, depth)
    if depth <= 2:
        # The top level couples only to the level below (its K links per ADO): a
        # factorisation that eliminates it first fills at most the dense block of the
        # lower levels. Measured (three-level, depth 2, 96-120 exponents): 0.25 GiB
        # in all, where the general formula below asked 8-15 GiB.
        below = ado_count(n_exponents, depth - 1) * dimension**2
        links = 4 * ado_count(n_exponents, depth - 1) * n_exponents * dimension**3
        nonzeros = ados * dimension**2 * (2 * dimension + 1) + links + below**2
        need = nonzeros * _BYTES_PER_NONZERO * _SHALLOW_SAFETY
    else:
        nonzeros = ados * dimension**2 * (2 * dimension + 2 * n_exponents + 1)
        need = nonzeros * _BYTES_PER_NONZERO * _FILL_FACTOR
    refuse_beyond_memory(
        need,
        f"the hierarchy (depth {depth}, {n_exponents} exponents, {ados} ADOs of "
        f"{dimension}x{dimension})",
        "lower the depth, the exponents or the boson levels",
        limit,
        purpose=" for its steady state",
    )


@dataclass
class HeomSteadyState:
    """The steady state of one HEOM calculation, with what it can tell.

    ``rho`` is the reduced density matrix (numpy), ``ados`` QuTiP's
    HierarchyADOsState; ``fits`` the bath fits by side; ``info`` the truncation
    (depth, exponents per bath, ADOs, fit errors); ``solver`` the QuTiP
    HEOMSolver whose generator (``solver.rhs(0)``, acting on the ADOs stacked
    column-major as in QuTiP) gave the state, for propagating from it.
    """

    matrices: MatrixJunction
    hamiltonian: np.ndarray
    baths: list[HeomBath]
    rho: np.ndarray
    ados: object
    fits: dict
    settings: HeomSettings
    alphas: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)
    solver: object = field(default=None, repr=False)

    def expect(self, operator: np.ndarray) -> complex:
        """Tr(O rho) of a system operator."""
        return complex(np.trace(operator @ self.rho))

    def _first_tier(self, bath: HeomBath) -> list:
        return self.ados.filter(level=1, tags=[bath.tag])

    def bath_correlation(self, operator: np.ndarray, bath: HeomBath) -> complex:
        """<O Xi_{nu m}>: the sum over bath (nu, m)'s first-tier ADOs of Tr(O rho_j).

        For the merged bath "LR" of an equilibrium state this is <O (Xi_L + Xi_R)>;
        :meth:`side_correlation` splits it.
        """
        tier = self._first_tier(bath)
        return complex(sum(np.trace(operator @ self.ados.extract(j).full()) for j in tier))

    def side_correlation(self, operator: np.ndarray, side: str, index: int) -> complex:
        """<O Xi_{side, index}> for side "L" or "R", also when the baths were merged:
        in equilibrium the two baths differ only by their coupling, so bath nu carries
        the fraction alpha_nu / (alpha_L + alpha_R) of the merged correlation."""
        for bath in self.baths:
            if bath.index != index:
                continue
            if bath.side == side:
                return self.bath_correlation(operator, bath)
            if bath.side == "LR":
                share = self.alphas[side] / (self.alphas["L"] + self.alphas["R"])
                return share * self.bath_correlation(operator, bath)
        return 0j  # a side without coupling (alpha_nu = 0)

    def heat_current(self, side: str) -> float:
        """d<H_B>/dt of bath ``side`` ("L" or "R"): the heat flowing into it (0 in
        equilibrium, where the baths were merged)."""
        if any(b.side == "LR" for b in self.baths):
            return 0.0
        total = 0.0
        for bath in (b for b in self.baths if b.side == side):
            q = bath.operator
            for label in self._first_tier(bath):
                (exponent,) = self.ados.exps(label)
                total += exponent.vk * np.trace(q @ self.ados.extract(label).full())
            total -= 2 * _imaginary_c0(self.ados, bath) * np.trace(q @ q @ self.rho)
        return float(np.real(total))


def _imaginary_c0(ados, bath: HeomBath) -> float:
    """Im C(0) of a bath from its exponents (the 'I' parts of its fit)."""
    from qutip.core.environment import CFExponent

    total = 0.0
    for label in ados.filter(level=1, tags=[bath.tag]):
        (exponent,) = ados.exps(label)
        if exponent.type == CFExponent.types["I"]:
            total += exponent.ck
        elif exponent.type == CFExponent.types["RI"]:
            total += exponent.ck2
    return float(np.real(total))


def heom_steady_state(
    junction: Junction,
    values: dict,
    *,
    t_left: float,
    t_right: float,
    settings: HeomSettings | None = None,
    level_sizes: dict | None = None,
    memory_limit: int | None = None,
    fits: dict | None = None,
) -> HeomSteadyState:
    """Steady state of the junction between baths at ``t_left``, ``t_right`` (reduced units).

    ``values`` holds the model's parameters with alpha_L, alpha_R and omega_c.
    At T_L = T_R the two baths act as one, with alpha = alpha_L + alpha_R: they
    are merged (side "LR"), which halves the exponents of the hierarchy.
    ``fits`` may pass bath fits already made, by side ("L", "R" or "LR").
    """
    import qutip
    from qutip.solver.heom import HEOMSolver

    settings = settings or HeomSettings()
    shape = proportional_dissipation(junction)
    temps = {"L": float(t_left), "R": float(t_right)}
    for side, temp in temps.items():
        if not (math.isfinite(temp) and temp > 0):
            raise NumericInputError(f"T_{side} must be finite and > 0, got {temp!r}")
    alphas = bath_couplings(values)
    matrices = MatrixJunction(
        junction,
        values,
        boson_levels=settings.boson_levels,
        bath_modes=0,
        level_sizes=level_sizes or junction.level_sizes or {},
    )
    merged = temps["L"] == temps["R"]
    strengths = {"LR": alphas["L"] + alphas["R"]} if merged else dict(alphas)
    temps["LR"] = temps["L"]
    baths = [
        b for b in independent_baths(junction, matrices, tuple(strengths)) if strengths[b.side] > 0
    ]
    n_exponents = 2 * settings.n_terms * len(baths)
    _check_memory(matrices.dimension, n_exponents, settings.depth, memory_limit)
    fits = dict(fits or {})
    for side in sorted({b.side for b in baths} - set(fits)):
        fits[side] = fit_bath(shape, values, temperature=temps[side], n_terms=settings.n_terms)
    hamiltonian = np.asarray(matrices.hamiltonian(), dtype=complex)
    if junction.counterterm:
        lam = _reorganisation(shape, values)
        for bath in baths:
            q = bath.operator
            hamiltonian = hamiltonian + strengths[bath.side] / 2 * lam * q @ q
    dims = [[matrices.dimension], [matrices.dimension]]
    qutip_baths = [
        (
            fits[bath.side].environment(strengths[bath.side], tag=bath.tag),
            qutip.Qobj(bath.operator, dims=dims),
        )
        for bath in baths
    ]
    solver = HEOMSolver(
        qutip.liouvillian(qutip.Qobj(hamiltonian, dims=dims)),
        qutip_baths,
        max_depth=settings.depth,
        options={"progress_bar": False},
    )
    rho, ados = solver.steady_state()
    info = {
        "depth": settings.depth,
        "exponents": n_exponents,
        "exponents_per_bath": 2 * settings.n_terms,
        "baths": len(qutip_baths),
        "ados": len(ados.labels),
        "boson_levels": settings.boson_levels,
        "fit_error": max(fits[side].fit_error for side in {b.side for b in baths}),
    }
    return HeomSteadyState(
        matrices=matrices,
        hamiltonian=hamiltonian,
        baths=baths,
        rho=rho.full(),
        ados=ados,
        fits=fits,
        settings=settings,
        alphas=alphas,
        info=info,
        solver=solver,
    )
