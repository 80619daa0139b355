"""Derived sum rules evaluated through emitted numeric modules (issue 4).

The spectral cross-check must not trust SymPy for the symbolic side: a moment
m^(s)_{n,n'} (Eq. 7, 25) is emitted by :func:`heatbounds.codegen.emit.emit_function`
as a standalone NumPy module, loaded from its source, and called with the
parameter values, the tabulated bath couplings and the expectation values of
the state. What is checked is therefore the code a user would import.

An emitted function returns real float64 values, while m_{n,n'} of non-Hermitian
or crossed couplings is complex. A sum rule is linear in the expectation values
w: m = L(w) with L = L_R + i L_I, L_R and L_I having real coefficients. The two
are emitted as functions and called with real inputs only,
m = L_R(Re w) - L_I(Im w) + i [L_I(Re w) + L_R(Im w)],
so no complex cancellation is left to the module's complex-result check.

Examples
--------
>>> from heatbounds.symbolic.models import builtin_model
>>> from heatbounds.symbolic.sum_rules import moment
>>> m = moment(builtin_model("spin-boson"), 1)
>>> evaluate = EmittedEvaluator("reduced")
>>> evaluate(m, {"Delta": 2.0}, {}, {"sigma_x": -0.5})  # m_zz = -(Delta/hbar)<sigma_x>
(1+0j)
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from itertools import product
from types import ModuleType

import numpy as np
import sympy as sp

from heatbounds.codegen.arguments import collect_arguments
from heatbounds.codegen.emit import emit_function
from heatbounds.codegen.units import UNIT_SYSTEMS
from heatbounds.numeric.errors import NumericInputError
from heatbounds.symbolic.bounds import in_bath_couplings

__all__ = ["EmittedEvaluator", "load_module"]

CHUNK = 64  # terms per emitted function of a long sum rule


def load_module(source: str, name: str) -> ModuleType:
    """Execute an emitted module's source as a fresh module (no file is written)."""
    spec = importlib.util.spec_from_loader(name, loader=None)
    module = importlib.util.module_from_spec(spec)
    module.__file__ = f"<emitted {name}>"
    sys.modules[name] = module  # typing and dataclasses look a module up while it runs
    try:
        exec(compile(source, module.__file__, "exec"), module.__dict__)  # our own emitted code
    finally:
        sys.modules.pop(name, None)
    return module


class EmittedEvaluator:
    """``evaluate(expr, values, functions, expectations) -> complex`` through emitted code.

    ``values`` maps parameter names to numbers (``hbar`` and ``k_B`` are taken
    from the unit system, not from here); ``functions`` maps the names of the
    bath functions (``g_L``, ``omega_R``, ...) to callables of 1-based integer
    indices; ``expectations`` maps identifiers to scalars or arrays whose
    axes are the 0-based indices (mode axes of length ``M``). Modules are
    emitted once per expression and kept.
    """

    def __init__(self, units: str = "reduced") -> None:
        if units not in UNIT_SYSTEMS:
            raise NumericInputError(f"unknown units {units!r}; choose reduced or si")
        self.units = units
        self.description = f"emitted NumPy module ({units} units)"
        self._system = UNIT_SYSTEMS[units]
        self._cache: dict[str, tuple] = {}
        self.sources: dict[str, str] = {}

    def _part(self, expr: sp.Expr, part: str) -> list:
        """Emitted functions of L_R or L_I (``part`` "re" or "im"), with their arguments.

        A long expression (thousands of terms: the s = 3 moments of matrix-unit
        couplings with bath modes) is emitted in chunks of ``CHUNK`` terms whose
        values are added, since emission time grows faster than the length.
        """
        key = hashlib.sha256(f"{part}:{sp.srepr(expr)}".encode()).hexdigest()[:16]
        if key not in self._cache:
            iota = sp.Symbol("_iota", real=True)
            linear = expr.xreplace({sp.I: iota})
            body = linear.xreplace({iota: 0}) if part == "re" else sp.diff(linear, iota)
            body = _drop_zero_sums(body)
            terms = sp.Add.make_args(body)
            if len(terms) == 1 and len(sp.Add.make_args(sp.expand(body))) > CHUNK:
                terms = sp.Add.make_args(sp.expand(body))
            chunks = [sp.Add(*terms[k : k + CHUNK]) for k in range(0, len(terms), CHUNK)]
            self._cache[key] = [
                self._emit(chunk, f"{key}_{k}") for k, chunk in enumerate(chunks) if chunk != 0
            ]
        return self._cache[key]

    def _emit(self, body: sp.Expr, key: str) -> tuple:
        name = "moment"
        source = emit_function(
            body, name, (), units=self.units, source="a moment sum rule (heatbounds check)"
        )
        module = load_module(source, f"heatbounds_emitted_{key}")
        arguments = collect_arguments(
            in_bath_couplings(self._system.apply(body)), (), set(self._system.names)
        )
        self.sources[key] = source
        return getattr(module, name), arguments

    def __call__(self, expr, values: dict, functions: dict, expectations: dict) -> complex:
        real = {k: np.real(v) for k, v in expectations.items()}
        imag = {k: np.imag(v) for k, v in expectations.items()}
        has_imag = any(np.any(v != 0) for v in imag.values())
        total = 0j
        for part, weight in (("re", 1.0), ("im", 1j)):
            for function, arguments in self._part(expr, part):
                total += weight * self._call(function, arguments, values, functions, real)
                if has_imag:  # i * L(Im w)
                    total += 1j * weight * self._call(function, arguments, values, functions, imag)
        return complex(total)

    @staticmethod
    def _call(function, arguments, values, functions, expectations) -> float:
        kwargs = {a.name: _argument(a, values, functions, expectations) for a in arguments}
        try:
            return float(function(**kwargs))
        except ValueError as exc:  # the module refuses bad input by naming the argument
            raise NumericInputError(f"the emitted sum rule refused its input: {exc}") from exc


def _drop_zero_sums(expr: sp.Expr) -> sp.Expr:
    """Sums whose summand became 0 (taking L_R or L_I) vanish."""
    return expr.replace(lambda e: isinstance(e, sp.Sum) and e.function == 0, lambda e: sp.S.Zero)


def _argument(argument, values: dict, functions: dict, expectations: dict):
    name, axes = argument.name, argument.axes
    if argument.kind == "count":
        return int(values[name])
    if name in expectations:
        value = np.asarray(expectations[name])
        if axes:
            sizes = [int(values["M"]) if a == "M" else a for a in axes]
            if any(s > n for s, n in zip(sizes, value.shape, strict=True)):
                raise NumericInputError(f"{name}: expectation array {value.shape} too small")
            value = value[tuple(slice(0, s) for s in sizes)]
        return value
    if name in functions:
        sizes = [int(values["M"]) if a == "M" else a for a in axes]
        table = np.empty(sizes, dtype=float)
        for index in product(*(range(1, s + 1) for s in sizes)):
            table[tuple(i - 1 for i in index)] = np.real(functions[name](*index))
        return table
    if name in values:
        return values[name]
    raise NumericInputError(f"no value for {name!r}, an argument of the emitted sum rule")
