"""Sum-rule inputs from a HEOM steady state, with the system-bath correlations of Eq. 12.

Reduced units throughout: hbar = k_B = 1.

**System expectation values** are Tr(W rho) of the reduced density matrix.

**Mode sums.** In the s = 1 sum rule (Eq. 7, 12) the bath modes enter only as

.. math::

    \\sum_p g^n_{\\nu p} \\langle W (\\hat b_{\\nu p} + \\hat b^\\dagger_{\\nu p})\\rangle
    = \\langle W X^n_\\nu \\rangle .

The HEOM writes the bath operators through its independent baths,
X^n_nu = sum_m u^n_m Xi_{nu m} (u^n_m = V_nm sqrt(lambda_m), or 1 for both
orders of a pair of matrix units; :mod:`heatbounds.numeric.heom_steady`), and
gives <W Xi_{nu m}> from the first-tier ADOs. The emitted module sums over a
mode axis of length M of the tables g_nu(..., p), <W b_{nu p}> and
<W b^dagger_{nu p}>. Taking the "modes" p = m to be the independent baths,

.. math::

    g_\\nu(\\ldots, m) = u^n_m, \\qquad
    \\langle W b_{\\nu m}\\rangle = \\langle W b^\\dagger_{\\nu m}\\rangle
    = \\tfrac12 \\langle W \\Xi_{\\nu m}\\rangle ,

makes every mode sum exactly sum_m u^n_m <W Xi_{nu m}> = <W X^n_nu>. That
needs two facts of the expression, which :func:`check_mode_sums` checks and
refuses otherwise: each mode sum is a sum of c g_nu(..., p) <W b_{nu p}> (or
b^dagger) terms, one g and one bath atom of the same side and nothing else
depending on p; and <W b> and <W b^dagger> always come with equal
coefficients. The tables mean nothing one entry at a time (the <W b_p> of a
discretised bath are not <W Xi_m>/2), only inside these sums.

**The direct f-sum.** :func:`direct_moment` evaluates m_{A,B} =
<[B^dagger, [H, A]]>/2 (Eq. 7) straight from the HEOM, with H = H_s +
sum_m Q_m Xi_m + H_B: <[B^dagger, [H_s, A]]> + sum_m <[B^dagger, [Q_m, A]] Xi_m>.
:func:`realised_sum_rule` is sum_m m_{Q_m, Q_m}, which is sum h m of Eq. 9 for
the flags h the HEOM realises (h = V diag(lambda) V^T gives sum_m Q_m ... Q_m =
sum_nn' h_nn' A_n ... A_n'^dagger).

**Matrix units and their flags** (Eq. 11-12). With g(a, b, k) = g(b, a, k),
Eq. 4 gives J^{ab,ba} = J^{ab,ab}: the flags of the model are h_{ab,ba} =
h_{ab,ab} = 1, which the HEOM realises with one bath per pair (Q_ab = A_ab +
A_ba). The package derives Eq. 9 for three-level with the identity flags h =
delta_ik delta_jl, i.e. sum_ij m_{ij,ij}, and leaves out

.. math::

    \\sum_{i \\neq j} m_{ij,ji} = \\sum_{i \\neq j} \\langle \\hat A_{ij} X^{ij} \\rangle
    = \\sum_{a < b} \\langle \\hat Q_{ab} X^{ab} \\rangle

(X^{ij} summed over both baths; [A_ij, [H_s, A_ij]] = 0 for i != j, and
[A_ij, [H_SB, A_ij]] = 2 A_ij X^{ji}): the interaction energy of the
off-diagonal couplings. In equilibrium it is <= 0 (the free energy is concave
in a factor lambda on these couplings and stationary at lambda = 0, where the
state is diagonal in the levels), so the derived bound is the Eq. 9 bound of
the model plus abs(sum_{a<b} <Q_ab X^{ab}>): still a bound, looser than Eq. 9.
The HEOM finds the same sign out of equilibrium. For omega_c >> E it is
about -alpha omega_c (N - 1) (the static displacement of each pair's bath,
<Q_ab^2> summed over pairs = N - 1). Numbers (E = 0, 1, 2.5; omega_c = 10;
depth 2, 8 exponents per bath):

* alpha_L = alpha_R = 0.01: sum_{a<b} <Q_ab X^ab> between -0.31 and -0.39 at
  (T_L, T_R) = (1, 1), (2, 2), (1.5, 0.5), (3, 0.5), (0.6, 0.3), also for
  E_3 = 1.3;
* alpha_L = alpha_R = 0.05, (1.5, 0.5): sum_ij m_ij,ij = 8.47, sum h m = 6.83
  (cross terms -1.64); J_Q = 0.087 <= 0.537 (Eq. 9 of the model) <= 0.665
  (the derived bound);
* alpha_L = alpha_R = 0.005, (1.5, 0.5): J_Q = 0.00918 <= 0.02129 <= 0.02267.

:func:`heatbounds.numeric.heom_transport.exact_transport` reports both bounds
and says so in its notes; ``tests/numeric/test_heom_levels.py`` shows the
difference. The symbolic engine (identity flags only for matrix units) is
left as it is.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from heatbounds.numeric.errors import NumericInputError
from heatbounds.symbolic.expectation import Expectation
from heatbounds.symbolic.families import BATH
from heatbounds.symbolic.indices import ModeIndex

__all__ = [
    "check_mode_sums",
    "coupling_tables",
    "direct_moment",
    "expectation_values",
    "flag_notes",
    "realised_sum_rule",
]

_MODE = ModeIndex("_p")  # one dummy for every mode sum while checking


def _bath_part(atom: Expectation):
    """(side, "b" or "bdag", mode index, system word) of <W b_{nu p}> or
    <W b^dagger_{nu p}>; None for a system word. Refuses other bath content."""
    system, bath_ops = [], []
    for segment in atom.word():
        if not isinstance(segment, tuple):
            raise NumericInputError(f"{atom}: abstract operators have no HEOM value")
        kept = tuple(item for item in segment if item[0].family is not BATH)
        for _, (creations, annihilations) in (i for i in segment if i[0].family is BATH):
            bath_ops += [("bdag", nu, k) for nu, k in creations]
            bath_ops += [("b", nu, k) for nu, k in annihilations]
        if kept:
            system.append(kept)
    if not bath_ops:
        return None
    if len(bath_ops) != 1:
        raise NumericInputError(
            f"{atom}: the HEOM gives correlations with one bath operator b or b^dagger "
            "(first-tier ADOs); this expectation holds more"
        )
    kind, side, mode = bath_ops[0]
    return side, kind, mode, tuple(system)


def _flatten(expr):
    """Each mode sum replaced by its summand with the common dummy ``_MODE``."""

    def is_mode_sum(e):
        return isinstance(e, sp.Sum) and any(isinstance(v, ModeIndex) for v, *_ in e.limits)

    def summand(e):
        if len(e.limits) != 1:
            raise NumericInputError(f"a nested mode sum {e} has no HEOM value")
        return e.function.xreplace({e.limits[0][0]: _MODE})

    return expr.replace(is_mode_sum, summand)


def _coupling_side(function) -> str | None:
    """The side nu of a bath coupling function g_nu or g_nu_<label>; None otherwise."""
    parts = type(function).__name__.split("_")
    if len(parts) >= 2 and parts[0] == "g" and parts[1] in ("L", "R"):
        return parts[1]
    return None


def check_mode_sums(expr) -> None:
    """Refuse a sum rule whose mode sums are not all sum_p c g_nu(..., p) <W b_{nu p}>
    (or b^dagger) with <W b> and <W b^dagger> at equal coefficients (module docstring)."""
    for term in sp.Add.make_args(sp.expand(_flatten(expr))):
        atoms = [a for a in term.atoms(Expectation) if _bath_part(a)]
        if not atoms and not term.has(_MODE):
            continue
        couplings = [f for f in term.atoms(sp.Function) if _coupling_side(f)]
        factors = [f for f in sp.Mul.make_args(term) if f.has(_MODE)]
        side = _bath_part(atoms[0])[0] if len(atoms) == 1 else None
        if (
            len(atoms) != 1
            or len(factors) != 2
            or set(factors) != {atoms[0], *couplings}
            or len(couplings) != 1
            or _coupling_side(couplings[0]) != side
            or _bath_part(atoms[0])[2] != _MODE
        ):
            raise NumericInputError(
                f"the sum rule term {term} is not g_nu(..., p) <W b_nu,p> summed over the modes "
                "p: the HEOM's bath correlations cannot give it"
            )
    flat = _flatten(expr)
    symbols: dict = {}
    replacement = {}
    for atom in flat.atoms(Expectation):
        part = _bath_part(atom)
        if part:  # <W b> -> w, <W b^dagger> -> -w: what is left must not hold w
            side, kind, mode, system = part
            symbol = symbols.setdefault((side, repr(system), mode), sp.Dummy(f"w_{side}"))
            replacement[atom] = symbol if kind == "b" else -symbol
    if sp.expand(flat.xreplace(replacement)).free_symbols & set(symbols.values()):
        raise NumericInputError(
            "the sum rule holds <W b> and <W b^dagger> with different coefficients; the HEOM "
            "gives only their sum <W (b + b^dagger)>"
        )


def _level_size(state) -> int:
    levels = state.matrices.junction.couplings.level_sums
    if levels is not None:
        return int(levels.size)
    sizes = set(state.matrices.level_sizes.values())
    if len(sizes) != 1:
        raise NumericInputError("level indices of an expectation need one concrete N")
    return int(sizes.pop())


def _bath_indices(state) -> list[int]:
    return sorted({bath.index for bath in state.baths})


def expectation_values(expr, state) -> dict:
    """identifier -> value in the HEOM steady state ``state`` for every expectation of
    ``expr``: Tr(W rho) for system words (scalars, or arrays over level indices as in
    :func:`heatbounds.numeric.spectral_check.expectation_inputs`), and for <W b_{nu p}>,
    <W b^dagger_{nu p}> arrays whose mode axis runs over the independent baths m,
    filled with <W Xi_{nu m}>/2 (complex). Checks the mode sums first."""
    from heatbounds.numeric.spectral_check import expectation_inputs

    atoms = expr.atoms(Expectation)
    bath_atoms = [a for a in atoms if _bath_part(a)]
    system = sp.Tuple(*(a for a in atoms if not _bath_part(a)))
    out = expectation_inputs(system, state.matrices, state.rho)
    if not bath_atoms:
        return out
    check_mode_sums(expr)
    indices = _bath_indices(state)
    for atom in bath_atoms:
        name = atom.identifier
        if name in out:
            continue
        side, _, mode, _ = _bath_part(atom)
        positions = [p for p, v in enumerate(atom.indices) if v == mode]
        if len(positions) != 1:
            raise NumericInputError(f"{atom}: the mode index must appear once")
        sizes = [
            len(indices) if p in positions else _level_size(state) for p in range(len(atom.indices))
        ]
        values = np.zeros(sizes, dtype=complex)
        for where in np.ndindex(*sizes):
            args = [sp.Integer(1 if p in positions else i + 1) for p, i in enumerate(where)]
            word = _bath_part(atom.func(atom.args[0], *args))[3]
            operator = state.matrices.word_matrix(word)
            m = indices[where[positions[0]]]
            values[where] = state.side_correlation(operator, side, m) / 2
        out[name] = values
    return out


def coupling_tables(expr, state) -> dict:
    """The tables the emitted module sums over, for the mode sums of ``expr``:
    g_nu(..., m) = u^n_m (how X^n_nu is made of the independent baths Xi_{nu m})
    for every bath coupling function of ``expr``, and ``M``, the number of baths per
    side. Empty without mode sums."""
    functions = {type(f).__name__: f for f in expr.atoms(sp.Function) if _coupling_side(f)}
    if not functions:
        return {}
    indices = _bath_indices(state)
    weights = {}
    for bath in state.baths:
        weights.setdefault(bath.index, bath.weights)
    matrix_units = state.matrices.junction.couplings.level_sums is not None
    out: dict = {"M": len(indices)}
    for name, function in functions.items():
        label_text = name.split("_", 2)[2] if name.count("_") >= 2 else None
        if matrix_units:
            n = _level_size(state)
            table = np.zeros((n, n, len(indices)))
            for a, b, k in np.ndindex(n, n, len(indices)):
                table[a, b, k] = weights[indices[k]].get((a + 1, b + 1), 0.0)
        else:
            if len(function.args) != 1:
                raise NumericInputError(f"{function}: no table for this coupling function")
            table = np.zeros(len(indices))
            for k, m in enumerate(indices):
                labels = [lab for lab in weights[m] if label_text in (None, str(lab))]
                if len(labels) != 1:
                    raise NumericInputError(f"{function}: no coupling label matches {name!r}")
                table[k] = weights[m][labels[0]]
        out[name] = table
    return out


def direct_moment(state, a: np.ndarray, b: np.ndarray) -> complex:
    """m_{A,B} = <[B^dagger, [H, A]]>/2 (Eq. 7, hbar = 1) from the HEOM steady state,
    with the bath inside H: <[B^dagger, [H_s, A]]> from rho plus, for every independent
    bath (nu, m), <[B^dagger, [Q_m, A]] Xi_{nu m}> from its first-tier ADOs.

    H_s is the state's Hamiltonian (with the counterterm where the model has one);
    truncated bosons make [a, a^dagger] differ from 1 at the cutoff, so for models
    with bosons this differs from the symbolic sum rule by the truncation error."""
    bd = np.asarray(b).conj().T
    inner = state.hamiltonian @ a - a @ state.hamiltonian
    total = state.expect(bd @ inner - inner @ bd)
    for bath in state.baths:
        c = bath.operator @ a - a @ bath.operator
        total += state.bath_correlation(bd @ c - c @ bd, bath)
    return complex(total / 2)


def realised_sum_rule(state) -> float:
    """sum_m m_{Q_m, Q_m} over the independent baths (one set, both sides share it):
    sum h m of Eq. 9 for the flags h the HEOM realises (reduced units)."""
    operators = {}
    for bath in state.baths:
        operators.setdefault(bath.index, bath.operator)
    return float(sum(direct_moment(state, q, q) for q in operators.values()).real)


def flag_notes(junction, summed: float, direct: float, prefactor: float) -> list[str]:
    """Notes on what the emitted sum rule ``summed`` (the package's flags) and the direct
    f-sum ``direct`` of the HEOM's baths (the flags it realises) say about each other;
    ``prefactor`` = (pi alpha gamma / 4) abs(T_L - T_R) turns them into Eq. 9 bounds."""
    difference = direct - summed
    if junction.couplings.level_sums is not None:
        verdict = (
            "still a bound on |J_Q|, looser by that much"
            if difference <= 0
            else "BELOW the Eq. 9 bound of the model, so it need not hold"
        )
        return [
            f"model {junction.name!r}: the derived Eq. 9 bound uses the identity flags "
            f"h = delta_ik delta_jl (sum_ij m_ij,ij = {summed:.6g}); the symmetric coupling "
            "g(a, b, k) = g(b, a, k) also gives h_ab,ba = 1 (Eq. 4), which the HEOM realises "
            "(one bath per pair {a, b}). Eq. 9 of that model adds sum_(a != b) m_ab,ba = "
            f"sum_(a<b) <Q_ab X^ab> = {difference:.6g}: sum h m = {direct:.6g}, bound "
            f"{prefactor * direct:.6g} (heom.current_bound_direct) against the derived "
            f"{prefactor * summed:.6g}, {verdict}"
        ]
    scale = max(abs(summed), abs(direct), 1e-300)
    if abs(difference) > 1e-6 * scale:
        return [
            f"the emitted sum rule {summed:.8g} and the direct f-sum of the HEOM baths "
            f"{direct:.8g} differ by {abs(difference) / scale:.1e} of it (with system "
            "bosons: [a, a^dagger] != 1 on the top kept level; raise the boson levels)"
        ]
    return []
