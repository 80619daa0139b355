"""What one emitted function needs: arguments, domain edges, prelude and kernel.

:func:`plan_function` turns a SymPy expression (units already chosen) into a
:class:`FunctionPlan`, the language-neutral decisions the template lays out:

- **arguments** and their validation kind, read off the SymPy assumptions
  (positive -> ``> 0``, nonnegative -> ``>= 0``, real -> finite; temperatures
  ``>= 0``; expectation values of non-Hermitian words may be complex);
  undefined functions and indexed expectations (``g_L(a, b, p)``) become
  arrays with leading axes ``(3, 3, "M")`` indexed 1-based;
- **edges**: denominators that vanish on the border of that domain
  (T = 0, alpha_L + alpha_R = 0). The emitted code substitutes a harmless
  value there and overwrites the result with the limit (computed here with
  :func:`sympy.limit`); an edge without a finite limit is refused at run time;
- **prelude**: every subexpression free of the per-point variables
  (temperatures, expectation values) -- scalar factors, mode sums -- computed
  once, before the blocked kernel;
- **kernel**: the rest, as in-place ufunc statements (:mod:`.kernel`).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from sympy import (
    Add,
    Dummy,
    Expr,
    I,
    Integer,
    Limit,
    Mul,
    Pow,
    Sum,
    Symbol,
    cse,
    expand,
    limit,
    nan,
    numbered_symbols,
    oo,
    zoo,
)
from sympy.calculus.accumulationbounds import AccumBounds
from sympy.core.function import AppliedUndef

from heatbounds.codegen.kernel import Kernel, compile_kernel
from heatbounds.codegen.numpy_printer import (
    CodegenError,
    StableNumPyPrinter,
    stabilise,
)
from heatbounds.symbolic.expectation import Expectation
from heatbounds.symbolic.junction import SymmetricCoupling
from heatbounds.symbolic.words import word_adjoint, word_key

__all__ = ["TEMPERATURES", "Argument", "Edge", "FunctionPlan", "plan_function"]

TEMPERATURES = ("T", "T_L", "T_R")


@dataclass(frozen=True)
class Argument:
    """One argument of an emitted function and how it is checked."""

    name: str
    kind: str  # temperature | positive | nonnegative | real | complex | count
    axes: tuple = ()  # leading index axes of an array argument: ints or "M"
    positional: bool = False
    per_point: bool = False  # checked block by block in the kernel loop (sweep variables)


@dataclass(frozen=True)
class Edge:
    """A border of the domain where a denominator vanishes."""

    mask: str  # name of the run-time mask variable
    symbols: tuple[str, ...]  # the edge is where all of these are zero
    temperature: bool  # True: a temperature <= floor counts as zero (T -> 0+)


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


def _indexed_name(atom) -> str:
    if isinstance(atom, Expectation):
        return atom.identifier
    return type(atom).__name__


def _is_indexed(atom) -> bool:
    if isinstance(atom, Expectation):
        return not all(i.is_Integer for i in atom.indices)
    return isinstance(atom, (AppliedUndef, SymmetricCoupling))


def _hermitian(atom: Expectation) -> bool:
    word = atom.word()
    return word_key(word_adjoint(word)) == word_key(word)


def _kind(obj) -> str:
    """Validation kind of a symbol, expectation atom or indexed function."""
    if isinstance(obj, Expectation):
        return "real" if _hermitian(obj) else "complex"
    if getattr(obj, "name", None) in TEMPERATURES:
        return "temperature"
    if obj.is_positive:
        return "positive"
    if obj.is_nonnegative:
        return "nonnegative"
    if obj.is_real:
        return "real"
    return "complex"


def _axes(expr: Expr) -> dict[str, tuple]:
    """Leading axes of every indexed argument: largest integer index or the sum limit."""
    sizes: dict[str, list] = {}
    limits: dict[Symbol, Expr] = {}
    for s in expr.atoms(Sum):
        for index, lower, upper in s.limits:
            if lower != 1 or not (upper.is_Integer or getattr(upper, "name", None) == "M"):
                raise CodegenError(f"a mode sum must run from 1 to M: {s}")
            limits[index] = upper
    atoms = [a for a in expr.atoms(Expectation, AppliedUndef, SymmetricCoupling) if _is_indexed(a)]
    for atom in atoms:
        args = atom.indices if isinstance(atom, Expectation) else atom.args
        slots = sizes.setdefault(_indexed_name(atom), [0] * len(args))
        if len(slots) != len(args):
            raise CodegenError(f"{_indexed_name(atom)} is used with different numbers of indices")
        for k, a in enumerate(args):
            if a.is_Integer:
                if slots[k] != "M":
                    slots[k] = max(slots[k], int(a))
            elif a in limits:
                slots[k] = "M" if not limits[a].is_Integer else max(slots[k], int(limits[a]))
            else:
                raise CodegenError(f"index {a} of {atom} is neither a number nor a mode index")
    return {name: tuple(s) for name, s in sorted(sizes.items())}


def _refuse_symbolic_counts(expr: Expr) -> None:
    """A symbolic number of levels (N_levels) leaves sums no array can stand for."""
    counts = {s for s in expr.free_symbols if s.is_integer and getattr(s, "name", "") != "M"}
    for s in expr.atoms(Sum):
        counts |= {u for _, _, u in s.limits if not u.is_Integer and getattr(u, "name", "") != "M"}
    counts -= {lim[0] for s in expr.atoms(Sum) for lim in s.limits}
    if counts:
        names = ", ".join(sorted(str(c) for c in counts))
        raise CodegenError(
            f"the expressions hold the symbolic count {names}: sums over a symbolic number "
            "of levels have no numeric form; use a model with concrete levels (three-level)"
        )


def collect_arguments(expr: Expr, positional: tuple[str, ...], constants: set[str]) -> tuple:
    """The arguments of a function of ``expr``: positional temperatures first, then sorted."""
    _refuse_symbolic_counts(expr)
    axes = _axes(expr)
    found: dict[str, Argument] = {}
    sum_indices = {lim[0] for s in expr.atoms(Sum) for lim in s.limits}
    for s in expr.free_symbols:
        if s in sum_indices or s.name in constants or isinstance(s, Expectation):
            continue
        if s.is_integer:
            if s.name != "M":
                raise CodegenError(
                    f"the expression still contains the symbolic count {s.name}; a numeric "
                    "module needs concrete levels (e.g. the three-level model)"
                )
            found["M"] = Argument("M", "count")
            continue
        found[s.name] = Argument(s.name, _kind(s))
    for atom in expr.atoms(Expectation):
        if _is_indexed(atom):
            name = atom.identifier
            kind = "complex" if not _hermitian(atom) else "real"
            if found.get(name, Argument(name, kind)).kind == "complex":
                kind = "complex"
            found[name] = Argument(name, kind, axes[name])
        else:
            found[str(atom)] = Argument(str(atom), _kind(atom), per_point=True)
    for atom in expr.atoms(AppliedUndef, SymmetricCoupling):
        name = type(atom).__name__
        found[name] = Argument(name, _kind(atom), axes[name])
    for name in positional:
        kind = found[name].kind if name in found else "temperature"
        found[name] = Argument(name, kind, positional=True, per_point=True)
    for name in TEMPERATURES:
        if name in found:
            found[name] = Argument(
                name, "temperature", positional=name in positional, per_point=True
            )
    keywords = sorted((a for a in found.values() if not a.positional), key=lambda a: a.name)
    return tuple(found[n] for n in positional) + tuple(keywords)


def _sweep_atoms(expr: Expr, sweep: set[str]) -> set:
    """The per-point atoms of expr: temperatures, sweep symbols, plain expectation values."""
    out = {s for s in expr.free_symbols if isinstance(s, Symbol) and s.name in sweep}
    out |= {a for a in expr.atoms(Expectation) if not _is_indexed(a)}
    return out


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


def _polynomial_form(expr: Expr, atoms: set) -> Expr:
    """A polynomial in the per-point atoms, written for cheap evaluation.

    expr = (T_L - T_R) K sum_m c_m m when it vanishes at T_L = T_R (Eq. 9
    against Eq. 10), with the common factor K of every coefficient pulled
    out; non-polynomial expressions are returned unchanged.
    """
    gens = sorted(atoms, key=str)
    terms = _terms(expr, gens) if gens else None
    if terms is None:
        return expr
    names = [str(g) for g in gens]
    factor = Integer(1)
    if "T_L" in names and "T_R" in names:
        il, ir = names.index("T_L"), names.index("T_R")
        groups: dict[tuple, list] = {}
        for powers, coeffs in terms.items():
            key = (*(p for k, p in enumerate(powers) if k not in (il, ir)), powers[il] + powers[ir])
            groups.setdefault(key, []).extend(coeffs)
        if all(Add(*c) == 0 for c in groups.values()):
            quotient: dict[tuple, list] = {}
            for powers, coeffs in terms.items():
                for k in range(powers[il]):
                    p = list(powers)
                    p[il], p[ir] = k, powers[ir] + powers[il] - 1 - k
                    quotient.setdefault(tuple(p), []).extend(coeffs)
            terms, factor = quotient, gens[il] - gens[ir]
    everything = [t for coeffs in terms.values() for t in coeffs]
    common = _common_factor(everything) if everything else Integer(1)
    body = Add(
        *(
            Add(*(c / common for c in coeffs))
            * Mul(*(g**p for g, p in zip(gens, powers, strict=True)))
            for powers, coeffs in sorted(terms.items())
        )
    )
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


def _zero_set(base: Expr) -> tuple | None:
    """The nonnegative symbols that all vanish where ``base`` (a sum of such terms) does."""
    terms = Add.make_args(base)
    found = []
    for term in terms:
        factors = [f.as_base_exp()[0] for f in Mul.make_args(term)]
        zeros = [f for f in factors if not f.is_positive]
        if len(zeros) != 1 or not (isinstance(zeros[0], Symbol) and zeros[0].is_nonnegative):
            return None
        found.append(zeros[0])
    return tuple(sorted(set(found), key=str))


def _edges(expr: Expr) -> list[tuple]:
    """Zero sets of the denominators that may vanish on the domain (temperatures may be 0).

    Each is a tuple of symbols that vanish together there: ``(T,)`` for a
    temperature, ``(alpha_L, alpha_R)`` for alpha_L (...) + alpha_R (...).
    """
    found = set()
    for p in expr.atoms(Pow):
        if not (p.exp.is_number and p.exp.is_negative):
            continue
        for factor in Mul.make_args(p.base):
            base = factor.as_base_exp()[0]
            if isinstance(base, Symbol) and base.name in TEMPERATURES:
                found.add((base,))
            elif base.is_positive or base.is_number:
                continue
            elif (zeros := _zero_set(base)) is not None:
                found.add(zeros)
            else:
                raise CodegenError(f"the denominator {base} may vanish and has no known limit")
    return sorted(found, key=lambda z: [str(s) for s in z])


def _freeze(expr: Expr, keep: set) -> tuple[Expr, dict]:
    """Replace maximal compound subexpressions free of ``keep`` by dummies (and back).

    :func:`sympy.limit` then sees only the variables it takes the limit in; a
    Bose function of the other temperature stays a Bose function.
    """
    frozen: dict = {}

    def walk(e):
        if isinstance(e, Symbol) or e.is_number:
            return e
        if not (e.free_symbols & keep):
            if e not in frozen:
                frozen[e] = Dummy(positive=True) if e.is_positive else Dummy(real=True)
            return frozen[e]
        return e.func(*(walk(a) for a in e.args))

    return walk(expr), {v: k for k, v in frozen.items()}


def _edge_limit(expr: Expr, zeros: tuple) -> Expr | None:
    """The limit of ``expr`` as the symbols ``zeros`` -> 0+ together (None: no finite limit).

    Several symbols go to zero along every ray (s_i = t r_i, t -> 0+); a
    limit that depends on the ray is no limit.
    """
    variables = set(zeros)
    body, thaw = _freeze(expr, variables)
    try:
        if len(zeros) == 1:
            value = limit(body, zeros[0], 0, "+")
        else:
            t = Dummy("t", positive=True)
            rays = {s: t * Dummy(positive=True) for s in sorted(variables, key=str)}
            value = limit(body.xreplace(rays), t, 0, "+")
            if value.free_symbols & {r for ray in rays.values() for r in ray.free_symbols}:
                return None
    except (NotImplementedError, ValueError):
        return None
    if value.has(oo, -oo, zoo, nan, Limit) or isinstance(value, AccumBounds):
        return None
    return value.xreplace(thaw)


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
    work = _polynomial_form(work, _sweep_atoms(work, per_point))
    edges, forbidden = [], []
    for k, zeros in enumerate(_edges(work)):
        temperature = len(zeros) == 1 and zeros[0].name in TEMPERATURES
        edge = Edge(f"_z{k}", tuple(s.name for s in zeros), temperature)
        finite = _edge_limit(expr, zeros) is not None
        (edges if finite else forbidden).append((edge, zeros))
    limits = []
    for size in range(1, len(edges) + 1):
        for subset in combinations(edges, size):
            value = expr
            for _, zeros in subset:
                value = _edge_limit(value, zeros)
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
