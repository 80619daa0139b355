"""Time emitted NumPy functions against ``np.multiply(a, b, out=c)`` and ``sympy.lambdify``.

Run: ``.venv/bin/python benchmarks/bench_emit.py`` (about two minutes; ``--sizes
1e6`` for a quick run). Everything is measured in this one run:

- every bound function of the emitted spin-boson, harmonic and three-level
  modules (reduced units), and -- emitted through the same printer and template
  with ``emit_function`` -- the Bloch-Redfield conductance (pi/8)(Delta^3/T^2)
  alpha gamma / sinh(Delta/T) and the weak-coupling Bose-function current
  pi Delta^2 e^(-Delta/omega_c) alpha_L alpha_R (n_L - n_R) /
  (alpha_L (1 + 2 n_L) + alpha_R (1 + 2 n_R)), n = 1/(exp(Delta/T) - 1);
- inputs: the per-point arguments (temperatures, expectation values) are
  arrays of N points, model parameters scalars (the three-level mode arrays
  have M = 8 modes); the ``arrays`` column counts the N-point inputs;
- ratios to ``np.multiply(a, b, out=c)`` on two N-point arrays, timed next to
  each function, all four timed round-robin and the minimum of each kept
  (the machine is shared and noisy):
  ``emit+out`` calls the emitted function with a preallocated ``out`` (like the
  multiply), ``emit`` lets it allocate its result (like lambdify);
  ``lambdify`` is ``sympy.lambdify`` of the same expression; the last column
  is lambdify / emit (>1: the emitted code is faster). Validation is included
  in the emitted times, not in lambdify's.

Targets (issue 3): emitted bound functions within 3.5x of the multiply,
never slower than lambdify, and at least 2.5x faster than lambdify for the
transcendental ones (Bloch-Redfield, the Bose current).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from heatbounds.codegen.emit import emit_function, emit_module
from heatbounds.codegen.emit_plan import collect_arguments
from heatbounds.symbolic.bounds import ballistic_bound, in_bath_couplings, quantum_of_conductance
from heatbounds.symbolic.derivation import derive
from heatbounds.symbolic.expectation import Expectation
from heatbounds.symbolic.junction import SymmetricCoupling
from heatbounds.symbolic.models import builtin_model
from heatbounds.symbolic.parameters import alpha, gamma, hbar, k_B, symbol

MODES = 8
REDUCED = {hbar: 1, k_B: 1}
T, T_L, T_R, DELTA, OMEGA_C = (symbol(n) for n in ("T", "T_L", "T_R", "Delta", "omega_c"))
A_L, A_R = symbol("alpha_L"), symbol("alpha_R")


def bose(t):
    return 1 / (sp.exp(DELTA / t) - 1)


BLOCH_REDFIELD = sp.pi / 8 * DELTA**3 / T**2 * alpha * gamma / sp.sinh(DELTA / T)
BOSE_CURRENT = (
    sp.pi
    * DELTA**2
    * sp.exp(-DELTA / OMEGA_C)
    * A_L
    * A_R
    * (bose(T_L) - bose(T_R))
    / (A_L * (1 + 2 * bose(T_L)) + A_R * (1 + 2 * bose(T_R)))
)


def load(source: str, name: str, directory: Path):
    path = directory / f"{name}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def jobs(directory: Path) -> list[tuple[str, object, sp.Expr, tuple[str, ...]]]:
    """(label, emitted function, its SymPy expression in reduced units, positional names)."""
    out = []
    for model in ("spin-boson", "harmonic", "three-level"):
        module = load(
            emit_module(builtin_model(model), command="bench"), model.replace("-", "_"), directory
        )
        d = derive(builtin_model(model))
        exprs = {
            "sum_rule": (d.sum_rule, ()),
            "current_bound": (d.current_bound, ("T_L", "T_R")),
            "conductance_bound": (d.conductance_bound, ("T",)),
        }
        if model == "spin-boson":
            exprs["ballistic_bound"] = (ballistic_bound(), ("T_L", "T_R"))
            exprs["quantum_of_conductance"] = (quantum_of_conductance(), ("T",))
        for name, (expr, positional) in exprs.items():
            expr = in_bath_couplings(expr.subs(REDUCED))
            out.append((f"{model} {name}", getattr(module, name), expr, positional))
    for label, expr, positional in (
        ("Bloch-Redfield kappa", BLOCH_REDFIELD, ("T",)),
        ("Bose current", BOSE_CURRENT, ("T_L", "T_R")),
    ):
        name = label.split()[0].lower().replace("-", "_")
        module = load(emit_function(expr, name, positional, summary=label), name, directory)
        out.append((label, getattr(module, name), in_bath_couplings(expr), positional))
    return out


def inputs(expr, positional, n: int, rng) -> tuple[dict, int]:
    """Values for every argument: N-point arrays for per-point ones; how many arrays."""
    values, arrays = {}, 0
    t = 10 ** rng.uniform(-1, 1, n)
    for arg in collect_arguments(expr, positional, set()):
        shape = tuple(MODES if a == "M" else a for a in arg.axes)
        if arg.kind == "count":
            values[arg.name] = MODES
        elif arg.per_point:
            arrays += 1
            if arg.name == "T_R":
                values[arg.name] = t * rng.uniform(0.5, 0.95, n)
            elif arg.kind == "temperature":
                values[arg.name] = t
            else:
                values[arg.name] = rng.uniform(-1.0, 1.0, n)
        elif arg.axes:
            values[arg.name] = rng.uniform(-0.1, 0.1, shape)
        elif arg.name.startswith("alpha"):
            values[arg.name] = 0.1 if arg.name.endswith("L") else 0.3
        elif arg.name == "omega_c":
            values[arg.name] = 10.0
        else:
            values[arg.name] = 1.0 + 0.1 * rng.uniform()
    return values, arrays


def lambdified(expr, values: dict):
    """sympy.lambdify of ``expr`` with indexed values as callables (mode sums as generators)."""
    stand_ins, calls = {}, {}
    for atom in expr.atoms(Expectation):
        if all(i.is_Integer for i in atom.indices) and str(atom) in values:
            stand_ins[atom] = sp.Symbol(str(atom))
        else:
            stand_ins[atom] = sp.Function(atom.identifier)(*atom.indices)
    for atom in expr.atoms(AppliedUndef, SymmetricCoupling):
        stand_ins.setdefault(atom, sp.Function(type(atom).__name__)(*atom.args))
    body = expr.xreplace(stand_ins)
    for f in body.atoms(AppliedUndef):
        array = values[type(f).__name__]
        calls[type(f).__name__] = lambda *i, a=array: a[tuple(k - 1 for k in i)]
    names = sorted(s.name for s in body.free_symbols)
    fn = sp.lambdify([sp.Symbol(n) for n in names], body, modules=[calls, "numpy"])
    return lambda: fn(*(values[n] for n in names))


def interleaved(candidates: dict, repeats: int) -> dict:
    """Best time of each candidate, timed round-robin so that noise hits all alike."""
    times = {name: [] for name in candidates}
    for _ in range(repeats):
        for name, fn in candidates.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: min(t) for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e6,1e7", help="comma-separated numbers of points")
    parser.add_argument("--repeats", type=int, default=9, help="repeats at 1e6 (half above)")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print(f"numpy {np.__version__}, sympy {sp.__version__}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        work = jobs(Path(tmp))
        for size in (int(float(s)) for s in args.sizes.split(",")):
            repeats = max(3, args.repeats if size <= 10**6 else args.repeats // 2)
            a, b, c = rng.uniform(1, 2, size), rng.uniform(1, 2, size), np.empty(size)
            print(f"\nN = {size:.0e} points, best of {repeats} (multiply, emitted, lambdify)")
            header = (
                f"{'function':34s} {'arrays':>6s} {'emit+out':>9s} {'emit':>7s} "
                f"{'lambdify':>9s} {'lambdify/emit':>14s}"
            )
            print(header)
            print("-" * len(header))
            for label, fn, expr, positional in work:
                values, arrays = inputs(expr, positional, size, rng)
                if not arrays:
                    print(f"{label:34s} {'(no per-point argument: scalar only)':>48s}")
                    continue
                pos = [values[n] for n in positional]
                kw = {k: v for k, v in values.items() if k not in positional}
                result = np.empty(size)
                lamb = lambdified(expr, values)
                best = interleaved(
                    {
                        "multiply": lambda: np.multiply(a, b, out=c),  # noqa: B023
                        "emit+out": lambda: fn(*pos, **kw, out=result),  # noqa: B023
                        "emit": lambda: fn(*pos, **kw),  # noqa: B023
                        "lambdify": lamb,
                    },
                    repeats,
                )
                base = best["multiply"]
                scalar = np.ndim(lamb()) == 0  # lambdify of an expression without arrays
                ratio = "-" if scalar else f"{best['lambdify'] / best['emit']:.2f}"
                row = (
                    f"{label:34s} {arrays:6d} {best['emit+out'] / base:9.2f} "
                    f"{best['emit'] / base:7.2f} {best['lambdify'] / base:9.2f} {ratio:>14s}"
                )
                print(row, flush=True)


if __name__ == "__main__":
    main()
