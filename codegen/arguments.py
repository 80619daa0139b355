"""The arguments of an emitted function, read off a SymPy expression and its assumptions.

Symbols become scalar-or-array arguments checked by their assumptions
(positive -> ``> 0``, nonnegative -> ``>= 0``, real -> finite; temperatures
``>= 0``). Expectation values of Hermitian words are real, the others may
be complex. Undefined functions and indexed expectations (``g_L(a, b, p)``,
``A_b_L(a, b, p)``) become arrays whose leading axes are indexed 1-based by
the function's arguments: level axes sized by the largest index used, mode
axes of length ``M`` (the upper limit of the mode sums).

Examples
--------
>>> from sympy import Symbol
>>> [(a.name, a.kind) for a in collect_arguments(Symbol("omega0", positive=True), ("T",), set())]
[('T', 'temperature'), ('omega0', 'positive')]
"""

from __future__ import annotations

from dataclasses import dataclass

from sympy import Expr, Sum, Symbol
from sympy.core.function import AppliedUndef

from heatbounds.codegen.numpy_printer import CodegenError
from heatbounds.symbolic.expectation import Expectation
from heatbounds.symbolic.junction import SymmetricCoupling
from heatbounds.symbolic.words import word_adjoint, word_key

__all__ = ["TEMPERATURES", "Argument", "collect_arguments", "is_indexed"]

TEMPERATURES = ("T", "T_L", "T_R")


@dataclass(frozen=True)
class Argument:
    """One argument of an emitted function and how it is checked."""

    name: str
    kind: str  # temperature | positive | nonnegative | real | complex | count
    axes: tuple = ()  # leading index axes of an array argument: ints or "M"
    positional: bool = False
    per_point: bool = False  # checked block by block in the kernel loop (sweep variables)


def _indexed_name(atom) -> str:
    if isinstance(atom, Expectation):
        return atom.identifier
    return type(atom).__name__


def is_indexed(atom) -> bool:
    """An array argument: an undefined function or an expectation with a symbolic index."""
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


def _axes(expr: Expr, found: dict | None = None) -> dict[str, tuple]:
    """Leading axes of every indexed argument: largest integer index or the sum limit.

    ``found`` is :func:`_atoms` of ``expr`` where the caller has it.
    """
    found = found or _atoms(expr)
    sizes: dict[str, list] = {}
    limits: dict[Symbol, Expr] = {}
    for s in found["sums"]:
        for index, lower, upper in s.limits:
            if lower != 1 or not (upper.is_Integer or getattr(upper, "name", None) == "M"):
                raise CodegenError(f"a mode sum must run from 1 to M: {s}")
            limits[index] = upper
    atoms = [a for a in found["indexed"] if is_indexed(a)]
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


def _atoms(expr: Expr) -> dict:
    """The sums, indexed atoms (expectation values, functions) and free symbols of
    ``expr``, found in one walk (the free symbols from the sums found)."""
    indexed = (Expectation, AppliedUndef, SymmetricCoupling)
    atoms = expr.atoms(Sum, *indexed)
    return {
        "sums": {a for a in atoms if isinstance(a, Sum)},
        "indexed": {a for a in atoms if isinstance(a, indexed)},
        "free": expr.free_symbols,
    }


def _refuse_symbolic_counts(expr: Expr, found: dict | None = None) -> None:
    """A symbolic number of levels (N_levels) leaves sums no array can stand for."""
    found = found or _atoms(expr)
    counts = {s for s in found["free"] if s.is_integer and getattr(s, "name", "") != "M"}
    for s in found["sums"]:
        counts |= {u for _, _, u in s.limits if not u.is_Integer and getattr(u, "name", "") != "M"}
    counts -= {lim[0] for s in found["sums"] for lim in s.limits}
    if counts:
        names = ", ".join(sorted(str(c) for c in counts))
        raise CodegenError(
            f"the expressions hold the symbolic count {names}: sums over a symbolic number "
            "of levels have no numeric form; use a model with concrete levels (three-level)"
        )


def collect_arguments(expr: Expr, positional: tuple[str, ...], constants: set[str]) -> tuple:
    """The arguments of a function of ``expr``: positional temperatures first, then sorted."""
    atoms = _atoms(expr)
    _refuse_symbolic_counts(expr, atoms)
    axes = _axes(expr, atoms)
    found: dict[str, Argument] = {}
    sum_indices = {lim[0] for s in atoms["sums"] for lim in s.limits}
    for s in atoms["free"]:
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
    for atom in (a for a in atoms["indexed"] if isinstance(a, Expectation)):
        if is_indexed(atom):
            name = atom.identifier
            kind = "complex" if not _hermitian(atom) else "real"
            if found.get(name, Argument(name, kind)).kind == "complex":
                kind = "complex"
            found[name] = Argument(name, kind, axes[name])
        else:
            found[str(atom)] = Argument(str(atom), _kind(atom), per_point=True)
    for atom in (a for a in atoms["indexed"] if isinstance(a, (AppliedUndef, SymmetricCoupling))):
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
