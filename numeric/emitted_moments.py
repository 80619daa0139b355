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

import importlib.util
import sys
from itertools import product
from types import ModuleType

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from heatbounds.codegen.emit import emit_function_and_arguments
from heatbounds.codegen.units import UNIT_SYSTEMS
from heatbounds.numeric.errors import NumericInputError
from heatbounds.symbolic.expectation import Expectation
from heatbounds.symbolic.junction import SymmetricCoupling
from heatbounds.symbolic.term_order import fast_sum_symbols, fast_term_order

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
        self._numbers: dict[sp.Expr, int] = {}
        self.sources: dict[str, str] = {}

    def _part(self, expr: sp.Expr, part: str) -> list:
        """Emitted functions of L_R or L_I (``part`` "re" or "im"), with their arguments.

        A long expression (thousands of terms: the s = 3 moments of matrix-unit
        couplings with bath modes) is emitted in chunks of ``CHUNK`` terms whose
        values are added, since emission time grows faster than the length.
        """
        # One key per expression and part, for this evaluator's cache and the names of
        # its modules (which are never written anywhere): a running number, not a
        # digest of the expression's srepr, which takes seconds for a long moment.
        number = self._numbers.setdefault(expr, len(self._numbers))
        key = f"{number}_{part}"
        if key not in self._cache:
            with fast_term_order(), fast_sum_symbols():  # the same results, fast
                self._cache[key] = self._emit_part(expr, part, key)
        return self._cache[key]

    def _emit_part(self, expr: sp.Expr, part: str, key: str) -> list:
        iota = sp.Symbol("_iota", real=True)
        linear = expr.xreplace({sp.I: iota})
        body = linear.xreplace({iota: 0}) if part == "re" else sp.diff(linear, iota)
        body = _drop_zero_sums(body)
        terms = sp.Add.make_args(body)
        if len(terms) == 1:  # c * (sum): the terms of its expansion, if many
            expanded = _expanded_terms(body)
            if len(expanded) > CHUNK:
                terms = expanded
        chunks = [sp.Add(*terms[k : k + CHUNK]) for k in range(0, len(terms), CHUNK)]
        return [self._emit(chunk, f"{key}_{k}") for k, chunk in enumerate(chunks) if chunk != 0]

    def _emit(self, body: sp.Expr, key: str) -> tuple:
        name = "moment"
        # The arguments are those the emitted function takes (read off the body in
        # these units, alpha and gamma in alpha_L, alpha_R); the module is executed,
        # never read, so its docstring leaves the formula out.
        source, arguments = emit_function_and_arguments(
            body,
            name,
            (),
            units=self.units,
            summary="A moment sum rule, or a part of one (heatbounds check)",
            source="a moment sum rule (heatbounds check)",
            formula=False,
        )
        module = load_module(source, f"heatbounds_emitted_{key}")
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


def _is_plain(factor: sp.Expr) -> bool:
    """A factor expand leaves as it is: a number, an integer power of a symbol, an
    expectation value or a function of numbers and symbols."""
    if factor.is_Number or factor is sp.I:
        return True
    base, e = factor.as_base_exp()
    if not e.is_Integer:
        return False
    if isinstance(base, (sp.Symbol, Expectation)):
        return True
    if isinstance(base, (AppliedUndef, SymmetricCoupling)):
        return all(a.is_Integer or a.is_Symbol for a in base.args)
    return False


def _is_monomial_sum(e: sp.Expr) -> bool:
    return all(_is_plain(f) for t in sp.Add.make_args(e) for f in sp.Mul.make_args(t))


def _monomials(term: sp.Expr) -> tuple | None:
    """The terms of ``expand(term)`` where it only distributes, else None.

    ``term`` a product of plain factors (:func:`_is_plain`) and at most one sum:
    a sum of plain products, or a mode sum whose summand is such a product
    (expand splits it into one mode sum per term of the summand, as
    ``Sum._eval_expand_basic`` does). The terms are the plain part times each
    term of the sum, as ``Mul._eval_expand_mul`` forms them.
    """
    plain, sums = [], []
    for f in sp.Mul.make_args(term):
        if _is_plain(f):
            plain.append(f)
        elif f.is_Add and _is_monomial_sum(f):
            sums.append(f.args)
        elif isinstance(f, sp.Sum) and f.is_commutative and f.has_finite_limits is not False:
            inner = _monomials(f.function)
            if inner is None or any(isinstance(m, sp.Sum) for m in inner):
                return None
            summand = sp.Add(*inner)
            if summand.is_Add:
                sums.append(tuple(sp.Sum(m, *f.limits) for m in summand.args))
            else:
                plain.append(sp.Sum(summand, *f.limits))
        else:
            return None
    if len(sums) > 1:
        return None
    if not sums:
        return (sp.Mul(*plain),)
    head = sp.Mul(*plain)
    return tuple(sp.Mul(head, t) for t in sums[0])


def _expanded_terms(body: sp.Expr) -> tuple:
    """``Add.make_args(expand(body))``.

    A moment is c * (t_1 + ... + t_n): c a product of plain factors, each t_k a
    product with at most one sum of plain products or one mode sum of them
    (:func:`_monomials`). expand then only distributes: it splits each mode sum
    over its summand's terms and multiplies out, and the sum of those products,
    collected by SymPy as it adds them, is its result. Other expressions are expanded.
    """
    factors = sp.Mul.make_args(body)
    sums = [f for f in factors if f.is_Add]
    if len(sums) == 1 and all(_is_plain(f) for f in factors if f is not sums[0]):
        c = sp.Mul(*(f for f in factors if f is not sums[0]))
        pieces = [_monomials(t) for t in sums[0].args]
        if all(p is not None for p in pieces):
            return sp.Add.make_args(sp.Add(*(c * m for p in pieces for m in p)))
    return sp.Add.make_args(sp.expand(body))


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
