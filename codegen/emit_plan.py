"""What one emitted function needs: arguments, domain edges, prelude and kernel.

:func:`plan_function` turns a SymPy expression (units already chosen) into a
:class:`FunctionPlan`, the language-neutral decisions the template lays out:

- **arguments** and their validation kind (:mod:`.arguments`);
- **edges**: denominators that vanish on the border of the domain, with
  their limits (:mod:`.edges`);
- **form**: a polynomial in the per-point variables is written as
  (T_L - T_R) K sum_m c_m m when it vanishes at T_L = T_R (Eq. 9 is Eq. 10
  times T_L - T_R), with the common factor K pulled out; a factor
  ``|T_L - T_R|`` (:func:`either_order`, the bound on ``|J_Q|`` for either order of
  the temperatures) stays in front of that form;
- **prelude**: every subexpression free of the per-point variables
  (temperatures, expectation values) -- scalar factors, mode sums -- computed
  once, before the blocked kernel;
- **kernel**: the rest, as in-place ufunc statements (:mod:`.kernel`).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from sympy import (
    Abs,
    Add,
    Dummy,
    Expr,
    I,
    Integer,
    Mul,
    Sum,
    Symbol,
    cse,
    expand,
    numbered_symbols,
)

from heatbounds.codegen.arguments import TEMPERATURES, Argument, collect_arguments, is_indexed
from heatbounds.codegen.edges import Edge, domain_edges, edge_limit
from heatbounds.codegen.kernel import Kernel, compile_kernel
from heatbounds.codegen.numpy_printer import (
    CodegenError,
    StableNumPyPrinter,
    stabilise,
)
from heatbounds.symbolic.expectation import Expectation

__all__ = [
    "TEMPERATURES",
    "Argument",
    "Edge",
    "FunctionPlan",
    "collect_arguments",
    "either_order",
    "plan_function",
]


@dataclass(frozen=True)
class FunctionPlan:
    """Everything the template needs to write one function."""

    name: str
    arguments: tuple[Argument, ...]
    edges: tuple[Edge, ...]  # parameter edges, masked before the prelude
    temperature_edges: tuple[Edge, ...]  # found block by block, masked after the kernel
    forbidden: tuple[Edge, ...]  # parameter edges with no finite limit: refused at run time
    prelude: tuple[tuple[str, Expr], ...]  # (name, expression), in order
    kernel: Kernel
    kernel_inputs: tuple[str, ...]
    checks: tuple[tuple[int, str, str], ...]  # (kernel input index, name, kind) per block
    complex: bool
    limits: tuple[tuple[tuple[str, ...], tuple[str, ...], Expr], ...]  # (on, off, value)


def _sweep_atoms(expr: Expr, sweep: set[str]) -> set:
    """The per-point atoms of expr: temperatures, sweep symbols, plain expectation values."""
    out = {s for s in expr.free_symbols if isinstance(s, Symbol) and s.name in sweep}
    out |= {a for a in expr.atoms(Expectation) if not is_indexed(a)}
    return out


def _out_of_sums(expr: Expr, atoms: set) -> Expr:
    """Move per-point factors out of mode sums: Sum(<sigma_x> g(p)^2) -> <sigma_x> Sum(g(p)^2).

    The hoister then sees each sum as a per-call constant (one einsum in the
    prelude) instead of a per-point expression it cannot split.
    """
    if not atoms:
        return expr

    def pull(s: Sum) -> Expr:
        if not s.function.has(*atoms):
            return s
        bound = {lim[0] for lim in s.limits}
        groups: dict[Expr, list] = {}
        for term in Add.make_args(expand(s.function)):
            outside, inside = [], []
            for factor in Mul.make_args(term):
                fixed = factor.has(*atoms) and not factor.free_symbols & bound
                (outside if fixed else inside).append(factor)
            groups.setdefault(Mul(*outside), []).append(Mul(*inside))
        if any(Add(*terms).has(*atoms) for terms in groups.values()):
            raise CodegenError(f"a per-point value depends on a mode index in {s}")
        return Add(*(k * Sum(Add(*terms), *s.limits) for k, terms in groups.items()))

    return expr.replace(lambda e: isinstance(e, Sum), pull)


def _terms(expr: Expr, gens: list) -> dict | None:
    """expr as {exponents of gens: [coefficient terms]}, or None if not polynomial in gens."""
    stand_ins = {g: Dummy() for g in gens}
    if not expr.xreplace(stand_ins).is_polynomial(*stand_ins.values()):
        return None
    index = {g: k for k, g in enumerate(gens)}
    out: dict[tuple, list] = {}
    for term in Add.make_args(expand(expr)):
        powers, rest = [0] * len(gens), []
        for factor in Mul.make_args(term):
            base, e = factor.as_base_exp()
            if base in index:
                powers[index[base]] += int(e)
            else:
                rest.append(factor)
        out.setdefault(tuple(powers), []).append(Mul(*rest))
    return out


def _common_factor(terms: list) -> Expr:
    """The largest product of powers (and number) dividing every term."""
    dicts = [t.as_powers_dict() for t in terms]
    common = {}
    for base in dicts[0]:
        if base.is_Rational or not all(base in d for d in dicts):
            continue
        exps = [d[base] for d in dicts]
        if all(x.is_Integer and x > 0 for x in exps):
            common[base] = min(exps)
        elif all(x.is_Integer and x < 0 for x in exps):
            common[base] = max(exps)
    numbers = {t.as_coeff_Mul()[0] for t in terms}
    number = numbers.pop() if len(numbers) == 1 else 1
    return number * Mul(*(b**e for b, e in common.items()))


def _difference_quotient(terms: dict, il: int, ir: int) -> dict | None:
    """The terms of q with p = (T_L - T_R) q (gens il, ir), or None if p(T_L = T_R) != 0."""
    groups: dict[tuple, list] = {}
    for powers, coeffs in terms.items():
        key = (*(p for k, p in enumerate(powers) if k not in (il, ir)), powers[il] + powers[ir])
        groups.setdefault(key, []).extend(coeffs)
    if not all(Add(*c) == 0 for c in groups.values()):
        return None
    quotient: dict[tuple, list] = {}
    for powers, coeffs in terms.items():
        for k in range(powers[il]):
            p = list(powers)
            p[il], p[ir] = k, powers[ir] + powers[il] - 1 - k
            quotient.setdefault(tuple(p), []).extend(coeffs)
    return quotient


def _factored(terms: dict, gens: list) -> tuple[Expr, Expr]:
    """(K, body): the terms summed as K body, K the common factor of every coefficient."""
    everything = [t for coeffs in terms.values() for t in coeffs]
    common = _common_factor(everything) if everything else Integer(1)
    body = Add(
        *(
            Add(*(c / common for c in coeffs))
            * Mul(*(g**p for g, p in zip(gens, powers, strict=True)))
            for powers, coeffs in sorted(terms.items())
        )
    )
    return common, body


def _temperatures(expr: Expr) -> tuple[Symbol, Symbol] | None:
    found = {s.name: s for s in expr.free_symbols if isinstance(s, Symbol)}
    if "T_L" in found and "T_R" in found:
        return found["T_L"], found["T_R"]
    return None


def _magnitude_factor(expr: Expr) -> Expr | None:
    """The factor ``|T_L - T_R|`` of a product (see :func:`either_order`), if it has one."""
    for factor in Mul.make_args(expr):
        if isinstance(factor, Abs) and (pair := _temperatures(factor)) is not None:
            if factor == Abs(pair[0] - pair[1]):
                return factor
    return None


def either_order(expr: Expr) -> Expr:
    """``|T_L - T_R| q`` for expr = (T_L - T_R) q, q symmetric in T_L and T_R: a bound on ``|J_Q|``.

    Eq. 9, J_Q <= (pi alpha gamma / 4) hbar k_B (T_L - T_R) sum h m, and the
    ballistic bound Eq. 2, J_Q <= (pi k_B^2 / 12 hbar)(T_L^2 - T_R^2), are
    written for T_L >= T_R. Both are symmetric in the two baths: swapping
    T_L <-> T_R and alpha_L <-> alpha_R (alpha and gamma are symmetric) turns
    J_Q into -J_Q and the bound (T_L - T_R) q into (T_R - T_L) q. So for
    either order ``|J_Q| <= |T_L - T_R| q``, which is Eq. 9 (Eq. 2) at
    T_L >= T_R; for Eq. 2, ``|T_L - T_R| (T_L + T_R) = |T_L^2 - T_R^2|``.

    Raises :class:`~heatbounds.codegen.numpy_printer.CodegenError` unless
    ``expr`` is a polynomial in T_L, T_R that vanishes at T_L = T_R with a
    symmetric quotient q.

    >>> from heatbounds.symbolic.bounds import ballistic_bound
    >>> either_order(ballistic_bound())
    pi*k_B**2*(T_L + T_R)*Abs(T_L - T_R)/(12*hbar)
    """
    pair = _temperatures(expr)
    terms = None if pair is None else _terms(expr, list(pair))
    quotient = None if terms is None else _difference_quotient(terms, 0, 1)
    if quotient is None:
        raise CodegenError(f"not (T_L - T_R) times a polynomial in T_L, T_R: {str(expr)[:80]}")
    sums = {p: Add(*c) for p, c in quotient.items()}
    for p, total in sums.items():
        if p != p[::-1] and expand(total - sums.get(p[::-1], 0)) != 0:
            raise CodegenError(f"(T_L - T_R) q with q not symmetric in T_L, T_R: {str(expr)[:80]}")
    common, body = _factored(quotient, list(pair))
    return Mul(Abs(pair[0] - pair[1]), common, body)


def _polynomial_form(expr: Expr, atoms: set) -> Expr:
    """A polynomial in the per-point atoms, written for cheap evaluation.

    expr = (T_L - T_R) K sum_m c_m m when it vanishes at T_L = T_R (Eq. 9
    against Eq. 10), with the common factor K pulled out; a factor
    ``|T_L - T_R|`` (:func:`either_order`) is kept in front of the form of the
    rest; non-polynomial expressions are returned unchanged.
    """
    magnitude = _magnitude_factor(expr)
    if magnitude is not None:
        rest = _polynomial_form(Mul(*(f for f in Mul.make_args(expr) if f != magnitude)), atoms)
        return Mul(magnitude, *(f for f in Mul.make_args(rest) if f != 1), evaluate=False)
    gens = sorted(atoms, key=str)
    terms = _terms(expr, gens) if gens else None
    if terms is None:
        return expr
    names = [str(g) for g in gens]
    factor = Integer(1)
    if "T_L" in names and "T_R" in names:
        il, ir = names.index("T_L"), names.index("T_R")
        quotient = _difference_quotient(terms, il, ir)
        if quotient is not None:
            terms, factor = quotient, gens[il] - gens[ir]
    common, body = _factored(terms, gens)
    # Unevaluated: SymPy would distribute a lone rational factor over the sum.
    return Mul(factor, common, body, evaluate=False)


class _Hoister:
    """Replace every maximal subexpression free of per-point atoms by a prelude symbol."""

    def __init__(self, atoms: set):
        self.atoms = atoms
        self.prelude: dict[Expr, Symbol] = {}
        self.names = numbered_symbols("_p")

    def depends(self, expr: Expr) -> bool:
        return bool(self.atoms) and expr.has(*self.atoms)

    def symbol(self, expr: Expr) -> Expr:
        if expr.is_Atom:
            return expr
        if expr not in self.prelude:
            self.prelude[expr] = next(self.names)
        return self.prelude[expr]

    def __call__(self, expr: Expr) -> Expr:
        if not self.depends(expr):
            return self.symbol(expr)
        if isinstance(expr, (Add, Mul)):
            fixed = [a for a in expr.args if not self.depends(a)]
            varying = [self(a) for a in expr.args if self.depends(a)]
            if len(fixed) == 1 and fixed[0].is_number:
                return expr.func(fixed[0], *varying)
            head = [self.symbol(expr.func(*fixed))] if fixed else []
            return expr.func(*head, *varying)
        if not expr.args or isinstance(expr, (Expectation, Symbol)):
            return expr
        return expr.func(*(self(a) for a in expr.args))


def plan_function(
    name: str,
    expr: Expr,
    *,
    positional: tuple[str, ...],
    printer: StableNumPyPrinter,
    constants: set[str] = frozenset(),
    sweep: tuple[str, ...] = (),
) -> FunctionPlan:
    """Plan the emitted function ``name`` computing ``expr`` (see the module docstring)."""
    arguments = collect_arguments(expr, positional, set(constants))
    work = stabilise(expr)
    per_point = set(TEMPERATURES) | set(sweep)
    work = _out_of_sums(work, _sweep_atoms(work, per_point))
    work = _polynomial_form(work, _sweep_atoms(work, per_point))
    edges, forbidden = [], []
    for k, zeros in enumerate(domain_edges(work)):
        temperature = len(zeros) == 1 and zeros[0].name in TEMPERATURES
        edge = Edge(f"_z{k}", tuple(s.name for s in zeros), temperature)
        finite = edge_limit(expr, zeros) is not None
        (edges if finite else forbidden).append((edge, zeros))
    limits = []
    for size in range(1, len(edges) + 1):
        for subset in combinations(edges, size):
            value = expr
            for _, zeros in subset:
                value = edge_limit(value, zeros)
                if value is None:
                    raise CodegenError(f"{name}: no finite joint limit at the edges {subset}")
            on = tuple(e.mask for e, _ in subset)
            off = tuple(e.mask for e, _ in edges if e.mask not in on)
            limits.append((on, off, stabilise(value)))
    hoist = _Hoister(_sweep_atoms(work, per_point))
    kernel_expr = hoist(work)
    prelude_exprs = list(hoist.prelude.items())
    # Mode sums are atoms for CSE (their summands hold bound indices): one einsum each.
    sums = {
        s: Symbol(f"_s{k}")
        for k, s in enumerate(sorted({a for e, _ in prelude_exprs for a in e.atoms(Sum)}, key=str))
    }
    prelude = [(str(v), s) for s, v in sums.items()]
    replacements, reduced = cse(
        [e.xreplace(sums) for e, _ in prelude_exprs],
        symbols=numbered_symbols("_c"),
        order="canonical",
    )
    prelude += [(str(s), v) for s, v in replacements]
    prelude += [(str(s), v) for (_, s), v in zip(prelude_exprs, reduced, strict=True)]
    expectations = {str(a): a for a in kernel_expr.atoms(Expectation)}
    kernel_expr = kernel_expr.xreplace({a: Symbol(n) for n, a in expectations.items()})
    free = {s.name for s in kernel_expr.free_symbols} - set(constants)
    inputs = sorted(n for n in free if not n.startswith("_p"))
    inputs += sorted((n for n in free if n.startswith("_p")), key=lambda n: int(n[2:]))
    # Per-point arguments the kernel does not use are still checked block by block.
    inputs += [a.name for a in arguments if a.per_point and a.name not in free]
    edge_of = {e.symbols[0]: e for e, _ in edges if e.temperature}
    checks = []
    for arg in arguments:
        if arg.per_point:
            kind = arg.kind
            if arg.kind == "temperature":
                kind = "edge" if arg.name in edge_of else "temperature"
                if any(e.temperature and e.symbols == (arg.name,) for e, _ in forbidden):
                    kind = "positive"
            checks.append((inputs.index(arg.name), arg.name, kind))
    kernel = compile_kernel(f"_{name}_kernel", [Symbol(n) for n in inputs], kernel_expr, printer)
    return FunctionPlan(
        name=name,
        arguments=arguments,
        edges=tuple(e for e, _ in edges if not e.temperature),
        temperature_edges=tuple(edge_of.values()),
        forbidden=tuple(e for e, _ in forbidden if not e.temperature),
        prelude=tuple(prelude),
        kernel=kernel,
        kernel_inputs=tuple(inputs),
        checks=tuple(checks),
        complex=bool(kernel_expr.has(I)),
        limits=tuple(limits),
    )
