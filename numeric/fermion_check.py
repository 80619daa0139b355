"""The spectral check of a fermionic junction: mu^(k) against the lines of its spectral function.

The dot and M discretised modes per lead are written as Jordan-Wigner matrices
(:mod:`heatbounds.numeric.jordan_wigner`), with lead energies eps_{nu k} and
real tunnelling amplitudes t_{nu,n}(k) from fixed tables. In the thermal state
of the full H every requested moment is computed twice:

* *spectral*: from the lines of the spectral function in the eigenbasis,
  A_{nn'}(omega) = 2 pi sum_ab (p_a + p_b) (A_n)_ab (A_n'^dag)_ba
  delta(omega - omega_ba), omega_ba = (E_b - E_a)/hbar, so that
  mu^(k)_{nn'} = sum_ab (p_a + p_b) (A_n)_ab (A_n'^dag)_ba omega_ba^k;
* *symbolic*: the derived mu^(k)_{nn'} = <{L^k A_n, A_n'^dag}>
  (:func:`~heatbounds.symbolic.fermion_junction.spectral_moment`), its lead sums
  written out over the M modes and its expectation values Tr(rho W) of the
  same state.

The identity holds exactly in any finite model (no truncation: fermion modes
are finite), so the residuals are rounding only.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from scipy import sparse

from heatbounds.numeric.check_defaults import USER_OTHER, USER_POSITIVE
from heatbounds.numeric.check_report import CheckReport, CheckRow
from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.jordan_wigner import (
    MAX_MODES,
    content_matrix,
    jordan_wigner_annihilators,
    mode_order,
)
from heatbounds.numeric.matrices import evaluate_coefficient
from heatbounds.numeric.spectral import eigensystem, thermal_populations
from heatbounds.numeric.spectral_check import evaluate_symbolic
from heatbounds.symbolic.expectation import Expectation
from heatbounds.symbolic.fermion_junction import (
    FermionJunction,
    lead_energy,
    spectral_moment,
    tunnelling,
)
from heatbounds.symbolic.fermions import FERMIONS
from heatbounds.symbolic.leads import LEAD_NAME, LEADS
from heatbounds.symbolic.parameters import symbol

__all__ = ["check_fermion_values", "fermion_check", "fermion_default_values", "lead_tables"]

MAX_DIMENSION = 4096  # dense eigendecomposition: 4096^2 complex = 256 MiB per matrix


def lead_tables(junction: FermionJunction, lead_modes: int) -> dict:
    """Fixed tables of the discretised leads: name -> {k: value} for eps_nu(k), t_{nu,n}(k).

    Lead energies spread over [-1.2, 1.1] (shifted between the leads), amplitudes
    between 0.2 and 0.5, different for every lead, coupling and mode.
    """
    out = {}
    for a, nu in enumerate(LEADS):
        energies = np.linspace(-1.2 + 0.1 * a, 1.1 - 0.05 * a, lead_modes)
        out[lead_energy(nu).__name__] = {k + 1: float(e) for k, e in enumerate(energies)}
        for b, label in enumerate(junction.labels):
            out[tunnelling(nu, label).__name__] = {
                k: 0.2 + 0.3 * ((0.37 * k + 0.23 * a + 0.61 * b) % 1.0)
                for k in range(1, lead_modes + 1)
            }
    return out


def _parameter_symbols(junction: FermionJunction) -> dict:
    """name -> symbol of every parameter of H_s and the couplings, hbar and k_B."""
    out = {"hbar": symbol("hbar"), "k_B": symbol("k_B")}
    for op in (junction.dot_hamiltonian, *junction.couplings.values()):
        for coeff in op.terms.values():
            out.update((sym.name, sym) for sym in getattr(coeff, "free_symbols", ()))
    return out


def fermion_default_values(junction: FermionJunction) -> dict:
    """hbar = k_B = 1, and each parameter of H_s and the couplings USER_POSITIVE (1.0) if
    declared positive, else USER_OTHER (0.1), as for bosonic model files."""
    out = {
        name: USER_POSITIVE if sym.is_positive else USER_OTHER
        for name, sym in _parameter_symbols(junction).items()
    }
    out.update(hbar=1.0, k_B=1.0)
    return dict(sorted(out.items()))


def check_fermion_values(junction: FermionJunction, values: dict, label: str) -> None:
    """Refuse a value outside its parameter's declared domain (before any matrix is built)."""
    domains = _parameter_symbols(junction)
    for name, value in values.items():
        sym = domains.get(name)
        if sym is None:
            continue
        if not math.isfinite(value):
            raise NumericInputError(f"{label.format(name=name)} = {value!r}: not finite")
        if sym.is_positive and value <= 0:
            raise NumericInputError(f"{label.format(name=name)} = {value!r}: must be > 0")
        if sym.is_nonnegative and value < 0:
            raise NumericInputError(f"{label.format(name=name)} = {value!r}: must be >= 0")


def _dot_modes(junction: FermionJunction) -> list:
    found = []
    for op in (junction.dot_hamiltonian, *junction.couplings.values()):
        for _, word in op.terms:
            for segment in word:
                for sector, content in segment:
                    if sector.family is not FERMIONS:
                        raise NumericInputError(
                            f"the fermionic check takes dots of fermion modes only; "
                            f"{sector.name} is a {sector.family} operator"
                        )
                    found += [*content[0], *content[1]]
    return list(mode_order(found))


class _Matrices:
    """Jordan-Wigner matrices of the dot's modes and M modes per lead."""

    def __init__(self, junction: FermionJunction, lead_modes: int):
        dot = _dot_modes(junction)
        leads = [(LEAD_NAME, nu, k) for nu in LEADS for k in range(1, lead_modes + 1)]
        modes = dot + leads
        if len(modes) > MAX_MODES or 2 ** len(modes) > MAX_DIMENSION:
            need = 2 ** len(modes)
            raise NumericInputError(
                f"{len(dot)} dot modes and {lead_modes} modes per lead make a "
                f"{need} x {need} Hamiltonian ({need * need * 16 / 2**20:.0f} MiB per dense "
                f"matrix); at most {MAX_DIMENSION} states: use fewer lead modes"
            )
        self.annihilators = dict(zip(modes, jordan_wigner_annihilators(len(modes)), strict=True))
        self.dimension = 2 ** len(modes)
        self.lead_modes = lead_modes

    def word(self, word, mapping: dict) -> sparse.csr_matrix:
        out = sparse.identity(self.dimension, format="csr")
        for segment in word:
            for _, content in segment:
                creators, destroyed = (
                    tuple((n, nu, mapping.get(k, k)) for n, nu, k in modes) for modes in content
                )
                out = out @ content_matrix((creators, destroyed), self.annihilators)
        return out

    def operator(self, op, values: dict, functions: dict) -> np.ndarray:
        """An OperatorExpr with its mode sums written out over 1..M."""
        out = sparse.csr_matrix((self.dimension, self.dimension), dtype=complex)
        for (dummies, word), coeff in op.terms.items():
            symbols = [d for d, _ in dummies]
            for values_k in np.ndindex(*([self.lead_modes] * len(symbols))):
                mapping = {d: int(v) + 1 for d, v in zip(symbols, values_k, strict=True)}
                env = {d: complex(v) for d, v in mapping.items()}
                weight = evaluate_coefficient(coeff, values, functions, env)
                if weight != 0:
                    out = out + weight * self.word(word, mapping)
        return out.toarray()


def _expectation_values(expr, matrices: _Matrices, rho: np.ndarray) -> dict:
    """Tr(rho W) of every expectation value in ``expr``, as
    :func:`~heatbounds.numeric.spectral_check.evaluate_symbolic` takes them: a
    number for a concrete atom, an array over the lead modes (1-based indices,
    0-based axes) for one with mode indices."""
    out: dict = {}
    for atom in expr.atoms(Expectation):
        concrete = all(i.is_Integer for i in atom.indices)
        name = str(atom) if concrete else atom.identifier
        if name in out:
            continue
        shape = () if concrete else (matrices.lead_modes,) * len(atom.indices)
        values = np.zeros(shape, dtype=complex)
        for index in np.ndindex(*shape):
            filled = atom.indices if concrete else (sp.Integer(i + 1) for i in index)
            w = matrices.word(atom.func(atom.args[0], *filled).word(), {}).tocoo()
            values[index] = np.sum(rho[w.col, w.row] * w.data)
        out[name] = values if shape else complex(values)
    return out


def fermion_check(
    junction: FermionJunction,
    values: dict,
    *,
    temperature: float = 0.5,
    moments: tuple = (0, 1, 2, 3),
    lead_modes: int = 2,
    tolerance: float = 1e-10,
) -> CheckReport:
    """Compare every mu^(k)_{nn'} (k in ``moments``) derived and spectral (module docstring).

    ``values`` gives every parameter of H_s and the couplings (``hbar`` among
    them); the residual of each row is judged relative to the largest
    abs(spectral) of its order k.
    """
    if not isinstance(lead_modes, int) or lead_modes < 1:
        raise NumericInputError(f"lead modes: at least 1 per lead, got {lead_modes!r}")
    if not math.isfinite(temperature) or temperature <= 0:
        raise NumericInputError(f"temperature must be positive and finite, got {temperature}")
    matrices = _Matrices(junction, lead_modes)
    functions = {
        name: (lambda k, t=table: t[k]) for name, table in lead_tables(junction, lead_modes).items()
    }
    values = {**values, "M": lead_modes}
    hamiltonian = matrices.operator(junction.hamiltonian, values, functions)
    energies, vectors = eigensystem(hamiltonian)
    populations = thermal_populations(energies, temperature, k_B=values.get("k_B", 1.0))
    rho = (vectors * populations) @ vectors.conj().T
    hbar = float(values.get("hbar", 1.0))
    omega = (energies[None, :] - energies[:, None]) / hbar  # omega_ba at [a, b]
    weight = populations[:, None] + populations[None, :]
    eig = {
        label: vectors.conj().T @ matrices.operator(op, values, functions) @ vectors
        for label, op in junction.couplings.items()
    }
    rows = []
    for k in moments:
        order_rows = []
        for n in junction.labels:
            for n_prime in junction.labels:
                lines = weight * eig[n] * eig[n_prime].conj()  # (A_n)_ab (A_n'^dag)_ba
                spectral = complex(np.sum(lines * omega**k))
                expr = spectral_moment(junction, k, (n, n_prime))
                atoms = _expectation_values(expr, matrices, rho)
                symbolic = evaluate_symbolic(expr, values, functions, atoms)
                order_rows.append((k, f"{n},{n_prime}", symbolic, spectral))
        scale = max((abs(r[3]) for r in order_rows), default=0.0) or 1.0
        rows += [
            CheckRow(k, pair, sym, spec, abs(sym - spec), abs(sym - spec) / scale)
            for k, pair, sym, spec in order_rows
        ]
    worst = max((r.rel_error for r in rows), default=0.0)
    return CheckReport(
        model=junction.name,
        state={"kind": "thermal", "temperature": temperature, "lead_modes": lead_modes},
        rows=rows,
        max_abs_error=max((r.abs_error for r in rows), default=0.0),
        tolerance=tolerance,
        cutoff_weight=0.0,
        passed=worst <= tolerance,
        notes=[
            "fermionic junction: mu^(k)_{nn'} = <{L^k A_n, A_n'^dag}> against the lines of "
            f"the spectral function, {lead_modes} discretised modes per lead (Jordan-Wigner)"
        ],
        max_rel_error=worst,
    )
