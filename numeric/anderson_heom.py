"""Exact zero-bias transport through the interacting Anderson dot, by QuTiP's fermionic HEOM.

The dot H_s = eps0 (n_up + n_dn) + U n_up n_dn sits between two leads L, R with
Lorentzian level widths of one shape (proportional coupling),

    Gamma_nu(eps) = Gamma_nu W^2 / ((eps - mu)^2 + W^2),     Gamma = Gamma_L + Gamma_R,

each lead coupling c_{nu k sigma} to d_sigma. Reduced units hbar = k_B = e = 1.
At zero bias both leads share T and mu, so for the dot's equilibrium spectral
function A_sigma = i (G^r - G^a) they merge into one bath of width Gamma per
spin. QuTiP's fermionic ``LorentzianEnvironment(T, mu, gamma, W)`` has
J(omega) = gamma W^2 / ((omega - mu)^2 + W^2) and, as checked against the exact
U = 0 result (the tests: to 1e-15, and ~1e-12 at eps = 0; with gamma/2 or
2 gamma the difference would be O(1)), gamma is the level width Gamma of the
Meir-Wingreen formula (Gamma = 2 pi sum_k abs(t_k)^2 delta(eps - eps_k)): at U = 0

    G^r(eps) = 1 / (eps - eps0 - Sigma(eps)),   Sigma(eps) = (Gamma W / 2) / (eps - mu + i W),

so that A -> Gamma / ((eps - eps0)^2 + Gamma^2/4) for W -> infinity.

The spectral function (Li, Zheng, Yan et al., PRL 109, 266403 (2012)): with the
even-parity HEOM's steady state rho (all auxiliary density operators, ADOs) and
the odd-parity HEOM generator M (``HEOMSolver(..., odd_parity=True)``), ::

    <d(t) d^dag>  = Tr[d   e^{M t} (d^dag rho)],   <d^dag d(t)> = conj Tr[d^dag e^{M t} (d rho)],
    A(eps) = 2 Re Int_0^inf dt e^{i eps t} <{d(t), d^dag}>
           = -2 Re( Tr[d (M + i eps)^{-1} d^dag rho] + Tr[d^dag (M - i eps)^{-1} d rho] ),

the superoperators d^dag . and d . acting on every ADO and the traces on the
physical (tier-0) block. One sparse LU of M + i s (SuperLU, ordering
MMD_AT_PLUS_A; MKL PARDISO through QuTiP from dimension 6000, its residual
checked) serves eps = s in the first term and eps = -s in the second, so
energy grids symmetric about 0 cost one factorisation per point. A_up = A_dn
by symmetry; spin up is computed.

The conductances and the sum rule built on A are in :mod:`.anderson_transport`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from heatbounds.numeric.check_limits import refuse_beyond_memory
from heatbounds.numeric.electronic_bounds import LeadWidths
from heatbounds.numeric.errors import NumericInputError

__all__ = [
    "AndersonDot",
    "HeomSettings",
    "SpectralSolver",
    "hierarchy_size",
    "noninteracting_spectral_function",
]

SUPEROP_DIM = 16  # the dot has 4 states: ADOs are 4 x 4, vectorised to 16
# Rough memory model per row of the HEOM generator: (1 + exponents) sparse 16 x 16
# blocks at most, complex values and int indices (24 bytes), the LU fill-in (measured
# 2.6 x nnz with MMD_AT_PLUS_A at depth 3) taken as 20 x, and QuTiP's copies.
_BYTES_PER_ENTRY = 24
_FILL = 20


def _finite(value, name: str) -> float:
    x = float(value)
    if not math.isfinite(x):
        raise NumericInputError(f"{name} = {value!r}: expected a finite number")
    return x


def _temperature(value) -> float:
    t = _finite(value, "temperature")
    if t <= 0:
        raise NumericInputError(f"temperature = {value!r}: a temperature must be > 0")
    return t


@dataclass(frozen=True)
class AndersonDot(LeadWidths):
    """eps0 (n_up + n_dn) + U n_up n_dn between Lorentzian leads (widths Gamma_nu, band W)."""

    eps0: float
    interaction: float  # U
    gamma_left: float
    gamma_right: float
    bandwidth: float  # W, the half-width of the leads' Lorentzian
    mu: float = 0.0

    def __post_init__(self):
        for name in ("eps0", "interaction", "gamma_left", "gamma_right", "bandwidth", "mu"):
            object.__setattr__(self, name, _finite(getattr(self, name), name))
        for name in ("gamma_left", "gamma_right"):
            if getattr(self, name) < 0:
                raise NumericInputError(f"{name} = {getattr(self, name)!r}: level widths are >= 0")
        if self.gamma <= 0:
            raise NumericInputError("gamma_left + gamma_right must be > 0 (an uncoupled dot)")
        if self.bandwidth <= 0:
            raise NumericInputError(f"bandwidth = {self.bandwidth!r}: W must be > 0")

    def lorentzian(self, eps):
        """W^2 / ((eps - mu)^2 + W^2), the leads' common shape (1 at eps = mu)."""
        eps = np.asarray(eps, dtype=float)
        return self.bandwidth**2 / ((eps - self.mu) ** 2 + self.bandwidth**2)

    def gamma_eff_at(self, eps):
        """Gamma_eff(eps) = Gamma_L(eps) Gamma_R(eps) / (Gamma_L(eps) + Gamma_R(eps))."""
        return self.gamma_eff * self.lorentzian(eps)


@dataclass(frozen=True)
class HeomSettings:
    """The HEOM's truncation: hierarchy depth (max tier) and Pade poles per branch.

    Each lead-spin bath has (pade + 1) exponents per branch (+ and -): the
    Lorentzian's pole at mu - i W and ``pade`` Pade poles of the Fermi function.
    """

    depth: int = 3
    pade: int = 2

    def __post_init__(self):
        for name, low in (("depth", 1), ("pade", 1)):
            value = getattr(self, name)
            if isinstance(value, bool) or int(value) != value or value < low:
                raise NumericInputError(f"{name} = {value!r}: expected an integer >= {low}")
            object.__setattr__(self, name, int(value))

    @property
    def exponents(self) -> int:
        """Exponents in the hierarchy: 2 spins x 2 branches x (pade + 1)."""
        return 4 * (self.pade + 1)

    def text(self) -> str:
        return f"depth {self.depth}, {self.pade} Pade poles/branch ({self.exponents} exponents)"


def hierarchy_size(settings: HeomSettings) -> tuple[int, int]:
    """(number of ADOs, dimension of the generator): fermionic exponents are 0 or 1,
    so there are sum_{k <= depth} C(exponents, k) ADOs of 16 entries each."""
    n_ados = sum(math.comb(settings.exponents, k) for k in range(settings.depth + 1))
    return n_ados, n_ados * SUPEROP_DIM


def _memory_estimate(settings: HeomSettings) -> int:
    _, dim = hierarchy_size(settings)
    nnz = dim * (1 + settings.exponents) * SUPEROP_DIM
    # the even and odd generators, the steady-state solve, one LU alive at a time
    return _BYTES_PER_ENTRY * nnz * (2 + _FILL)


def _fermions():
    from qutip import fdestroy

    return fdestroy(2, 0), fdestroy(2, 1)  # Jordan-Wigner: d_up, d_dn anticommute


class SpectralSolver:
    """The HEOM of one dot at one temperature: the steady state and A(eps) of d_sigma
    (``spin`` 0 = up, the default; 1 = down, equal by symmetry, for checks)."""

    def __init__(self, dot: AndersonDot, temperature: float, settings: HeomSettings, spin: int = 0):
        try:
            import scipy.sparse as sp
            from qutip import spre
            from qutip.core.environment import LorentzianEnvironment
            from qutip.solver.heom import HEOMSolver
        except ImportError:
            raise NumericInputError(
                "the Anderson-dot HEOM needs QuTiP: pip install 'heatbounds[exact]'"
            ) from None
        self.dot, self.temperature, self.settings = dot, _temperature(temperature), settings
        n_ados, dim = hierarchy_size(settings)
        refuse_beyond_memory(
            _memory_estimate(settings),
            f"the Anderson-dot HEOM at {settings.text()} ({n_ados} ADOs, dimension {dim})",
            "lower the depth or the Pade poles",
        )
        if spin not in (0, 1):
            raise NumericInputError(f"spin = {spin!r}: expected 0 (up) or 1 (down)")
        d_up, d_dn = _fermions()
        n_up, n_dn = d_up.dag() * d_up, d_dn.dag() * d_dn
        hamiltonian = dot.eps0 * (n_up + n_dn) + dot.interaction * n_up * n_dn
        env = LorentzianEnvironment(T=self.temperature, mu=dot.mu, gamma=dot.gamma, W=dot.bandwidth)
        baths = [(env.approx_by_pade(settings.pade), d) for d in (d_up, d_dn)]
        options = {"progress_bar": False}
        even = HEOMSolver(hamiltonian, baths, settings.depth, options=options)
        odd = HEOMSolver(hamiltonian, baths, settings.depth, odd_parity=True, options=options)
        if even.ados.labels[0] != (0,) * len(even.ados.labels[0]):
            raise RuntimeError("QuTiP's first ADO is not the physical density matrix")
        rho, ados = even.steady_state(use_mkl=False)  # PARDISO hit zero pivots here
        state = np.asarray(ados._ado_state).reshape(-1)  # the solution vector, ADO by ADO
        self.occupation = float(np.real((rho * n_up).tr()))
        self._generator = odd.rhs(0).data.as_scipy().tocsc()
        self._generator.eliminate_zeros()
        identity = sp.identity(even._n_ados, format="csr")

        def on_all_ados(op):
            return sp.kron(identity, sp.csr_matrix(spre(op).full()))

        d = (d_up, d_dn)[spin]
        self._d_dag_rho = on_all_ados(d.dag()) @ state
        self._d_rho = on_all_ados(d) @ state
        # Tr[X Y] = vec(X^T) . vec(Y) for QuTiP's column-stacked vectors
        self._trace_d = d.full().T.reshape(-1, order="F")
        self._trace_d_dag = d.dag().full().T.reshape(-1, order="F")
        self.dimension = dim

    def spectral_function(self, eps) -> np.ndarray:
        """A(eps) of d_sigma (A_up = A_dn) at the given energies (one LU per distinct +-eps).

        The odd-parity generator has an exact zero mode (which the sources
        d^dag rho, d rho do not excite), so M + i 0 is singular: A(0) is the mean of
        A(+-delta), delta = 1e-6 Gamma (error O(delta^2 A'') and, from round-off
        on the zero mode, ~1e-16/delta).
        """
        import scipy.sparse as sp

        eps = np.asarray(eps, dtype=float)
        if not np.all(np.isfinite(eps)):
            raise NumericInputError("eps: energies must be finite")
        delta = 1e-6 * self.dot.gamma
        wanted = set(eps.ravel().tolist())
        if 0.0 in wanted:
            wanted = (wanted - {0.0}) | {delta, -delta}
        first, second = {}, {}
        identity = sp.identity(self.dimension, format="csc")
        rhs = np.column_stack([self._d_dag_rho, self._d_rho])
        block = SUPEROP_DIM
        for shift in sorted(wanted | {-e for e in wanted}):
            sol = _solve(self._generator + 1j * shift * identity, rhs)
            if shift in wanted:  # Tr[d (M + i eps)^-1 d^dag rho] at eps = shift
                first[shift] = self._trace_d @ sol[:block, 0]
            if -shift in wanted:  # Tr[d^dag (M - i eps)^-1 d rho] at eps = -shift
                second[-shift] = self._trace_d_dag @ sol[:block, 1]

        def value(e):
            if e == 0.0:
                return (value(delta) + value(-delta)) / 2
            return -2 * np.real(first[e] + second[e])

        return np.asarray([value(e) for e in eps.ravel().tolist()]).reshape(eps.shape)


_PARDISO_FROM = 6000  # dimension from which MKL's PARDISO beats SuperLU (measured)
_RESIDUAL = 1e-10


def _solve(matrix, rhs: np.ndarray) -> np.ndarray:
    """matrix^-1 rhs (sparse): MKL PARDISO (through QuTiP) for large hierarchies, SuperLU
    (ordering MMD_AT_PLUS_A) otherwise or whenever PARDISO fails or its residual
    exceeds 1e-10 of the right-hand side.

    Measured at dimension 12704 (depth 4, 2 Pade poles): PARDISO 0.2-0.3 s per
    factorisation, SuperLU 2-5 s; at 4784 SuperLU 0.03 s.
    """
    from scipy.sparse.linalg import splu

    scale = np.abs(rhs).max()
    if matrix.shape[0] >= _PARDISO_FROM:
        try:
            from qutip._mkl.spsolve import mkl_splu

            lu = mkl_splu(matrix.tocsr())
            try:
                sol = np.asarray(lu.solve(rhs)).reshape(rhs.shape, order="F")
            finally:
                lu.delete()
            if np.abs(matrix @ sol - rhs).max() <= _RESIDUAL * scale:
                return sol
        except Exception:  # no MKL, or PARDISO's pivoting failed: SuperLU below
            pass
    return splu(matrix.tocsc(), permc_spec="MMD_AT_PLUS_A").solve(rhs)


def noninteracting_spectral_function(dot: AndersonDot, eps) -> np.ndarray:
    """A(eps) at U = 0: -2 Im 1/(eps - eps0 - Sigma), Sigma = (Gamma W/2)/(eps - mu + i W).

    (The interaction is ignored: this is the U = 0 reference.)
    """
    eps = np.asarray(eps, dtype=float)
    sigma = (dot.gamma * dot.bandwidth / 2) / (eps - dot.mu + 1j * dot.bandwidth)
    return -2 * np.imag(1 / (eps - dot.eps0 - sigma))
