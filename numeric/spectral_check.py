"""The spectral cross-check: sum rules against Eq. 24 in a finite matrix model.

For a junction, parameter values and a stationary state (thermal at T, or any
populations in the eigenbasis of the full finite H), every requested odd
moment is computed twice:

* *spectral*: from the discrete lines of Im chi (Eq. 24,
  :mod:`heatbounds.numeric.spectral`);
* *symbolic*: the derived sum rule <[A_n'^dagger, ad_H^s A_n]>/(2 hbar^(s+1))
  evaluated with the expectation values Tr(rho W) of the same state, through
  the emitted numeric module of that moment (:mod:`.emitted_moments`; the
  SymPy-tree walker :func:`evaluate_symbolic` remains as a second reference).

The identity is exact for every finite matrix model *except* through the
boson cutoff: the symbolic side is the untruncated algebra, the spectral side
the truncated H. A state with weight near a cutoff is therefore flagged (the
row is reported with ``truncated=True`` and the check does not pass), never
silently compared.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from itertools import product

import numpy as np
import sympy as sp
from scipy import sparse
from sympy.core.function import AppliedUndef

from heatbounds.numeric.check_defaults import check_values, default_values
from heatbounds.numeric.check_limits import check_spectral_memory
from heatbounds.numeric.check_report import CheckReport, CheckRow
from heatbounds.numeric.emitted_moments import EmittedEvaluator
from heatbounds.numeric.errors import NumericInputError
from heatbounds.numeric.matrices import MatrixJunction, evaluate_coefficient
from heatbounds.numeric.spectral import eigensystem, spectral_lines, thermal_populations
from heatbounds.symbolic.expectation import Expectation
from heatbounds.symbolic.indices import Index
from heatbounds.symbolic.junction import Junction
from heatbounds.symbolic.sum_rules import moment

__all__ = [
    "CheckReport",
    "CheckRow",
    "default_values",  # re-exported from check_defaults (notebooks import it from here)
    "evaluate_symbolic",
    "expectation_inputs",
    "spectral_check",
    "units_of",
]


def _pairs(junction: Junction) -> list:
    c = junction.couplings
    if c.level_sums is not None:
        # A representative set: transitions, a population, and two cross pairs.
        n = int(c.level_sums.size)
        return [
            ((1, 2), (1, 2)),
            ((n - 1, n), (n - 1, n)),
            ((1, 1), (1, 1)),
            ((1, 2), (2, 1)),
            ((1, 1), (2, 2)),
        ]
    labels = c.labels
    return [(a, b) for a in labels for b in labels]


def _label(pair) -> str:
    def one(x):
        return "".join(str(v) for v in x) if isinstance(x, tuple) else str(x)

    return f"{one(pair[0])},{one(pair[1])}"


def expectation_inputs(expr, matrices: MatrixJunction, rho: np.ndarray) -> dict:
    """Tr(rho W) for every expectation in ``expr``: scalars for plain atoms, arrays
    (axis per index, 0-based for 1-based indices) for indexed ones."""
    out: dict = {}
    for atom in expr.atoms(Expectation):
        if not atom.free_symbols and all(i.is_Integer for i in atom.indices):
            out[str(atom)] = _trace(rho, matrices.word_matrix(atom.word(), dense=False))
            continue
        name = atom.identifier
        if name in out:
            continue
        sizes = [_axis_size(atom, p, matrices) for p in range(len(atom.indices))]
        values = np.zeros(sizes, dtype=complex)
        for idx in product(*(range(1, s + 1) for s in sizes)):
            concrete = atom.func(atom.args[0], *(sp.Integer(i) for i in idx))
            values[tuple(i - 1 for i in idx)] = _trace(
                rho, matrices.word_matrix(concrete.word(), dense=False)
            )
        out[name] = values
    return out


def _trace(rho: np.ndarray, word) -> complex:
    """Tr(rho W) = sum_ij rho_ij W_ji for a sparse W, in O(nnz W) (no D^3 product)."""
    w = word.tocoo()
    return complex(np.sum(rho[w.col, w.row] * w.data))


def _axis_size(atom, position: int, matrices: MatrixJunction) -> int:
    template = atom.word()
    from heatbounds.symbolic.words import word_indices

    kinds = [v.kind if isinstance(v, Index) else None for v in word_indices(template)]
    kind = kinds[position]
    if kind == "mode" or (kind is None and _is_mode_position(template, position)):
        return matrices.bath_modes
    levels = matrices.junction.couplings.level_sums
    if levels is not None:
        return int(levels.size)
    return int(next(iter(matrices.level_sizes.values())))


def _is_mode_position(word, position: int) -> bool:
    kinds = [
        kind
        for segment in word
        for sector, content in segment
        for kind in sector.family.index_kinds(content)
    ]
    return position < len(kinds) and kinds[position] == "mode"


def evaluate_symbolic(expr, values: dict, functions: dict, expectations: dict) -> complex:
    """Evaluate a derived sum rule by walking the SymPy tree (a reference evaluator)."""

    def lookup(name, *args):
        if name in expectations:
            v = expectations[name]
            return v if np.ndim(v) == 0 else v[tuple(a - 1 for a in args)]
        return functions[name](*args)

    table = {name: (lambda *a, n=name: lookup(n, *a)) for name in (*functions, *expectations)}
    replaced = expr.replace(
        lambda e: isinstance(e, Expectation) and not e.indices,
        lambda e: sp.Symbol(str(e)),
    )
    replaced = replaced.replace(
        lambda e: isinstance(e, Expectation),
        lambda e: (
            (
                sp.Function(str(e))
                if all(i.is_Integer for i in e.indices)
                else sp.Function(e.identifier)
            )(*e.indices)
            if not all(i.is_Integer for i in e.indices)
            else sp.Symbol(str(e))
        ),
    )
    scalars = {k: v for k, v in expectations.items() if np.ndim(v) == 0}
    return evaluate_coefficient(replaced, {**values, **scalars}, table)


def units_of(values: dict) -> str:
    """ "reduced" or "si", read off the values of hbar and k_B (the emitted modules'
    two unit systems); anything else is refused."""
    from scipy import constants

    pair = (float(values.get("hbar", 1.0)), float(values.get("k_B", 1.0)))
    if pair == (1.0, 1.0):
        return "reduced"
    if pair == (constants.hbar, constants.k):
        return "si"
    raise NumericInputError(
        f"hbar = {pair[0]!r}, k_B = {pair[1]!r}: use reduced units (both 1) or SI "
        "(the scipy.constants values), the unit systems of the emitted modules"
    )


def _has_system_boson(mj: MatrixJunction) -> bool:
    return any(sector.family.matrix_form.truncated for sector, _ in mj.system_factors)


def _quiet(step: str) -> None:
    """The default progress callback: says nothing."""


def _state(mj: MatrixJunction, temperature, populations, progress=_quiet):
    progress(f"building the {mj.dimension}-dimensional Hamiltonian")
    hamiltonian = _real_if_real(mj.hamiltonian())  # real symmetric: 4x fewer flops
    progress(f"diagonalising the {mj.dimension}-dimensional Hamiltonian")
    energies, vectors = eigensystem(hamiltonian)
    del hamiltonian
    if populations is None:
        if temperature is None:
            raise NumericInputError("give a temperature or populations for the state")
        p = thermal_populations(energies, temperature, k_B=float(mj.values["k_B"]))
        state = {"kind": "thermal", "temperature": temperature}
    else:
        p = np.asarray(populations, dtype=float)
        if p.shape != energies.shape or np.any(p < 0) or not np.isclose(p.sum(), 1):
            raise NumericInputError(
                f"populations must be {energies.size} non-negative numbers summing to 1"
            )
        state = {"kind": "populations"}
    return energies, vectors, p, state


def _real_if_real(matrix):
    """The real part of a (dense or sparse) complex matrix whose imaginary part is 0,
    so that products with real eigenvectors stay real; else the matrix itself."""
    imag = matrix.imag.data if sparse.issparse(matrix) else matrix.imag
    return matrix if np.any(imag) else matrix.real


def _spectral_values(mj: MatrixJunction, energies, vectors, p, plan, progress=_quiet) -> list:
    """m^(s) of every (s, pair) of the plan; the lines of a pair are made once for all s,
    from sparse A_n (one dense product with the eigenvectors each instead of two)."""
    progress(f"computing the spectral lines of {len({pair for _, pair in plan})} pair(s)")
    couplings = mj.coupling_matrices(dense=False)
    hbar = float(mj.values["hbar"])
    out: list = [None] * len(plan)
    for pair in dict.fromkeys(pair for _, pair in plan):  # one pair's lines at a time
        a, b = (_real_if_real(couplings[label]) for label in pair)
        lines = spectral_lines(energies, vectors, p, a, b, hbar=hbar)
        for k, (s, other) in enumerate(plan):
            if other == pair:
                out[k] = lines.moment(s)
    return out


def spectral_check(
    junction: Junction,
    values: dict,
    *,
    temperature: float | None = 0.5,
    populations: np.ndarray | None = None,
    moments: tuple = (1, 3),
    boson_levels: int = 24,
    bath_modes: int = 0,
    bath_levels: int = 10,
    tolerance: float = 1e-10,
    evaluate: Callable | None = None,
    cutoff_tolerance: float = 1e-10,
    level_sizes: dict | None = None,
    pairs: list | None = None,
    memory_limit: int | float | None = None,
    progress: Callable[[str], None] | None = None,
) -> CheckReport:
    """Compare every requested moment, symbolic vs spectral, in one stationary state.

    Before anything is computed, every parameter value is checked against its
    domain (:func:`~heatbounds.numeric.check_defaults.check_values`) and the
    memory the dense matrices need against ``memory_limit`` bytes (default: the
    memory available; :func:`~heatbounds.numeric.check_limits.check_spectral_memory`).
    ``progress(step)``, if given, is called with the name of each step as it
    starts ("building the 480-dimensional Hamiltonian", "diagonalising ...",
    "computing the spectral lines ...", "deriving the s = 3 sum rule m_z,z",
    "evaluating ...", and for the convergence run the same with
    "(convergence check, N boson levels)" appended).

    ``evaluate(expr, values, functions, expectations) -> complex`` evaluates a
    derived moment; the default emits it as a NumPy module
    (:class:`~heatbounds.numeric.emitted_moments.EmittedEvaluator`) in the
    units the values are in (reduced: hbar = k_B = 1; SI: the scipy.constants
    values) and calls that.

    Truncation is checked twice: the state's weight on basis states that the
    moment's steps of H carry past a cutoff must stay below ``cutoff_tolerance``,
    and, for a thermal state of a model with a system boson, the spectral moments
    must not move by more than the tolerance when ``boson_levels`` grows by 8
    (operators such as x^4 grow fast enough near the cutoff that a small weight
    alone is not enough).

    ``pairs`` chooses the (n, n') pairs compared (default: every pair of a few
    couplings; for matrix units a representative set of transitions, a
    population and cross pairs). Each row reports ``rel_error``, its residual
    over the scale the pass/fail test uses (the largest ``|spectral|`` of that
    order s), and the report the largest as ``max_rel_error``.

    Raises
    ------
    NumericInputError
        A parameter outside its domain, a bad temperature or populations, or a
        model too large for the memory (naming the options and the GiB needed).
    """
    progress = progress or _quiet
    levels = junction.couplings.level_sums
    if levels is not None and not levels.size.is_Integer:
        raise NumericInputError(
            f"model {junction.name!r} has a symbolic number of levels "
            f"{levels.size}: matrices need a concrete one "
            "(three-level, or a model file with levels:N)"
        )
    check_values(junction, values)
    if populations is None and not (temperature is not None and 0 < temperature < math.inf):
        raise NumericInputError(f"temperature must be positive and finite, got {temperature}")

    def matrices(levels: int, modes: int = bath_modes, limit=memory_limit) -> MatrixJunction:
        return MatrixJunction(
            junction,
            values,
            boson_levels=levels,
            bath_modes=modes,
            bath_levels=bath_levels,
            level_sizes=level_sizes or {},
            memory_limit=limit,
        )

    subsystem = matrices(boson_levels, 0, math.inf)  # its factors only: nothing is built
    check_spectral_memory(
        subsystem.factors,
        boson_levels=boson_levels,
        bath_modes=bath_modes,
        bath_levels=bath_levels,
        convergence=populations is None,
        memory_limit=memory_limit,
    )
    mj = matrices(boson_levels)
    evaluate = evaluate or EmittedEvaluator(units_of(mj.values))
    energies, vectors, p, state = _state(mj, temperature, populations, progress)
    state.update(
        {
            "dimension": int(energies.size),
            "boson_levels": boson_levels,
            "bath_modes": bath_modes,
            "bath_levels": bath_levels,
            "evaluated_by": getattr(evaluate, "description", getattr(evaluate, "__name__", "")),
        }
    )
    progress("forming the state rho")
    rho = (vectors * p) @ vectors.conj().T
    depth = max(moments) + 1
    cutoff_weight = float(np.real(np.diag(rho)) @ mj.cutoff_projector(depth))
    plan = []
    for s in moments:
        chosen = list(pairs) if pairs is not None else _pairs(junction)
        if pairs is None and levels is not None and s > 1 and bath_modes:
            chosen = chosen[:1]  # thousands of terms each: slow to derive and to emit
        plan += [(s, pair) for pair in chosen]
    spectral = _spectral_values(mj, energies, vectors, p, plan, progress)
    rows, notes = [], []
    for (s, pair), spec in zip(plan, spectral, strict=True):
        progress(f"deriving the s = {s} sum rule m_{_label(pair)}")
        expr = moment(junction, s, pair)
        if bath_modes == 0:
            expr = expr.replace(lambda e: isinstance(e, sp.Sum), lambda e: sp.Integer(0))
        progress(f"evaluating the s = {s} sum rule m_{_label(pair)}")
        inputs = expectation_inputs(expr, mj, rho)
        symbolic = complex(evaluate(expr, {**mj.values, "M": bath_modes}, mj.functions, inputs))
        rows.append(CheckRow(s, _label(pair), symbolic, spec, abs(symbolic - spec)))
    # Residuals are judged relative to the size of each moment order (SI or reduced).
    scales = {
        s: max([abs(r.spectral) for r in rows if r.moment == s] + [0.0]) or 1.0 for s in moments
    }
    rows = [replace(r, rel_error=r.abs_error / scales[r.moment]) for r in rows]
    truncation_change = 0.0
    if populations is None and _has_system_boson(mj):
        bigger = matrices(boson_levels + 8)

        def again_progress(step: str) -> None:
            progress(f"{step} (convergence check, {boson_levels + 8} boson levels)")

        e2, v2, p2, _ = _state(bigger, temperature, None, again_progress)
        again = _spectral_values(bigger, e2, v2, p2, plan, again_progress)
        truncation_change = max(
            abs(a - b) / scales[s] for (s, _), a, b in zip(plan, spectral, again, strict=True)
        )
        state["truncation_change"] = truncation_change
    if cutoff_weight > cutoff_tolerance:
        notes.append(
            f"state has weight {cutoff_weight:.2e} within {depth} steps of a boson cutoff: "
            "raise --boson-levels/--bath-levels or lower the temperature; rows not trusted"
        )
    if truncation_change > tolerance:
        notes.append(
            f"spectral moments move by {truncation_change:.2e} (relative) with 8 more boson "
            "levels: the truncation is not converged; rows not trusted"
        )
    worst = max(r.abs_error for r in rows)
    within = all(r.abs_error <= tolerance * scales[r.moment] for r in rows)
    passed = within and cutoff_weight <= cutoff_tolerance and truncation_change <= tolerance
    return CheckReport(
        junction.name,
        state,
        rows,
        worst,
        tolerance,
        cutoff_weight,
        passed,
        notes,
        max_rel_error=max(r.rel_error for r in rows),
    )


def _functions_used(expr) -> set:
    return {type(f).__name__ for f in expr.atoms(AppliedUndef)}
