"""Model files as text: a loaded TOML table -> a :class:`Junction` (Eq. 3), never evaluated.

A model file declares the subsystem's operators and parameters and gives H_s,
the coupling operators A_n of Eq. 3, the flags h_{nn'} of Eq. 8 and the
dissipation Jtilde (Eq. 5, 8). This module checks the tables and declarations;
the expressions are read by :func:`~heatbounds.symbolic.expression_parser.parse_expression`
(re-exported here), whose own parser builds SymPy and operator objects directly;
user text is never passed to ``eval``, ``sympify`` or any other evaluator.

Every refusal is a :class:`~heatbounds.symbolic.errors.ModelFileError` naming
the source, the field and, for an expression, the column.

>>> from heatbounds.symbolic.sum_rules import moment
>>> j = junction_from_table({"name": "osc", "operators": {"a": "boson"},
...     "parameters": {"omega0": "positive"},
...     "model": {"hamiltonian": "hbar*omega0*(dag(a)*a + 1/2)", "coupling": ["a + dag(a)"]}},
...     source="osc.toml")
>>> moment(j, 1)
omega0/hbar
"""

from __future__ import annotations

import builtins
import keyword
import math
import re

import sympy
from sympy import Basic, Expr, Integer, Rational, Symbol

from heatbounds.symbolic.dissipation import ETA, OMEGA_C, OMEGA_R, Lorentzian, Ohmic, PowerLaw
from heatbounds.symbolic.errors import HeatboundsError, ModelFileError
from heatbounds.symbolic.expression_parser import (
    CONSTANTS,
    FUNCTIONS,
    MAX_DECIMAL_EXPONENT,
    MAX_DEPTH,
    MAX_EXPRESSION,
    TOML_INTEGER_LIMIT,
    _error,
    parse_expression,
)
from heatbounds.symbolic.families import BOSON, FERMIONS, LEVELS, SPIN
from heatbounds.symbolic.fermion_junction import FermionJunction
from heatbounds.symbolic.junction import Junction, MatrixUnits, ModelOrigin
from heatbounds.symbolic.operators import Boson, Fermion, Levels, OperatorExpr, Spin
from heatbounds.symbolic.parameters import MEANINGS, symbol

__all__ = ["MAX_DEPTH", "MAX_EXPRESSION", "junction_from_table", "parse_expression"]

KINDS = {"positive": {"positive": True}, "nonnegative": {"nonnegative": True}}
KINDS["real"] = {"real": True}
# Names the bath, bounds and printers use; never user parameters or operators.
RESERVED = {*CONSTANTS, *FUNCTIONS, "dag", "alpha", "gamma", "alpha_L", "alpha_R", "omega"}
RESERVED |= {"omega_c", "omega_L", "omega_R", "omega_res", "eta", "T", "T_L", "T_R", "M"}
RESERVED |= {"N_levels", "np", "energy", "numpy", "math"}
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}")
_MODEL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_DESCRIPTION = re.compile(r"[A-Za-z0-9 ,.;:()'/+=_-]{0,300}")
TOP_KEYS = {"name", "description", "operators", "parameters", "model"}
MODEL_KEYS = {"hamiltonian", "coupling", "flags", "dissipation", "counterterm", "statistics"}


def _table(data, source: str, field: str, keys: set | None, required: set = frozenset()) -> dict:
    """``data`` as a table with only ``keys`` (any if None) and every ``required`` key."""
    if not isinstance(data, dict):
        raise _error(source, field, f"expected a table, got {type(data).__name__}")
    unknown = sorted(set(data) - keys) if keys is not None else []
    if unknown:
        expected = f"expected one of {', '.join(sorted(keys))}"
        raise _error(source, field, f"unknown key {unknown[0]!r}; {expected}")
    missing = sorted(required - set(data))
    if missing:
        raise _error(source, field, f"missing required key {missing[0]!r}")
    return data


def _string(value, source: str, field: str) -> str:
    if not isinstance(value, str):
        raise _error(source, field, f"expected a string, got {type(value).__name__}")
    return value


def _declare(name: str, source: str, field: str, taken: dict) -> None:
    if not _NAME.fullmatch(name):
        raise _error(source, field, "a name is a letter, then letters, digits or '_' (<= 32)")
    if name in RESERVED or keyword.iskeyword(name) or hasattr(builtins, name):
        raise _error(source, field, f"{name!r} is reserved; choose another name")
    if hasattr(sympy, name) and name not in MEANINGS:
        raise _error(source, field, f"{name!r} is a SymPy name (printed strings would misread it)")
    if name in taken:
        raise _error(source, field, f"{name!r} is declared twice")


# What a model file's operator declaration gives, per declarable family (in the
# order the error message lists them); each family parses its own kind text.
_DECLARATIONS = (
    (BOSON, lambda name: Boson(name).annihilate),
    (SPIN, Spin),
    (LEVELS, Levels),
    (FERMIONS, lambda name: Fermion(name).annihilate),
)


def _operators(data, source: str, names: dict) -> None:
    for name, kind in _table(data, source, "operators", None).items():
        field = f"operators.{name}"
        _declare(name, source, field, names)
        kind = _string(kind, source, field)
        for family, declare in _DECLARATIONS:
            arguments = family.model_arguments(kind)
            if arguments is not None:
                names[name] = declare(name, *arguments)
                break
        else:
            kinds = [family.model_help() for family, _ in _DECLARATIONS]
            expected = f"expected {', '.join(kinds[:-1])} or {kinds[-1]}"
            raise _error(source, field, f"unknown operator kind {kind[:40]!r}; {expected}")
    if not names:
        raise _error(source, "operators", "declare at least one operator")


def _parameters(data, source: str, names: dict) -> dict:
    meanings = {}
    for name, kind in _table(data, source, "parameters", None).items():
        field = f"parameters.{name}"
        _declare(name, source, field, names)
        if not isinstance(kind, str) or kind not in KINDS:
            expected = "expected positive, nonnegative or real"
            got = repr(kind[:40]) if isinstance(kind, str) else f"of type {type(kind).__name__}"
            raise _error(source, field, f"unknown parameter kind {got}; {expected}")
        names[name] = Symbol(name, **KINDS[kind])
        builtin = symbol(name)  # the built-in models' symbol, with its assumptions
        if name in MEANINGS or name.startswith("E_"):
            if names[name] != builtin:
                own = next(k for k, v in KINDS.items() if Symbol(name, **v) == builtin)
                message = f"built-in parameter {name!r} has other assumptions; declare it {own!r}"
                raise _error(source, field, message)
            names[name] = builtin
        meanings[name] = MEANINGS.get(name, f"model parameter {name} ({kind})")
    return meanings


def _dissipation(text, source: str, names: dict):
    field = "model.dissipation"
    text = _string(text, source, field)
    if text == "ohmic":
        return Ohmic()
    if re.fullmatch(r"power:[1-9]", text):
        return PowerLaw(int(text[6:]))
    if text.startswith("lorentzian:") and text.count(",") == 1:
        env = {**names, "omega_res": OMEGA_R, "eta": ETA, "omega_c": OMEGA_C}
        values, offset = [], 12
        for label, part in zip(("OMEGA_R", "ETA"), text[11:].split(","), strict=True):
            try:
                value = parse_expression(part, env, source=source, field=f"{field} {label}")
            except ModelFileError as exc:
                # exc names the file and "model.dissipation OMEGA_R, column c" already
                raise ModelFileError(f"{exc} (the text starts at column {offset})") from None
            if isinstance(value, OperatorExpr):
                raise _error(source, field, f"{label} must be a c-number", offset)
            values.append(value)
            offset += len(part) + 1
        return Lorentzian(*values)
    expected = "expected ohmic, power:S (S in 1..9) or lorentzian:OMEGA_R,ETA"
    raise _error(source, field, f"unknown dissipation {text[:40]!r}; {expected}")


def _toml_number(entry: int | float, source: str, field: str) -> Expr:
    """A TOML integer or float as an exact number, refused outside the documented range
    (see :mod:`~heatbounds.symbolic.expression_parser`); never converted to text first."""
    if isinstance(entry, int):
        if abs(entry) >= TOML_INTEGER_LIMIT:
            message = f"integer of {entry.bit_length()} bits is out of range"
            raise _error(source, field, f"{message}; a TOML integer must have |n| < 2**63")
        return Integer(entry)
    low, high = float(f"1e-{MAX_DECIMAL_EXPONENT}"), float(f"1e{MAX_DECIMAL_EXPONENT}")
    if not math.isfinite(entry) or (entry != 0 and not low <= abs(entry) <= high):  # inf, nan
        bounds = f"between 1e-{MAX_DECIMAL_EXPONENT} and 1e{MAX_DECIMAL_EXPONENT} in magnitude"
        message = f"expected a finite c-number; a non-zero TOML float must be {bounds}"
        raise _error(source, field, message)
    return Rational(repr(entry))


def _flags(data, source: str, names: dict, n: int, field: str = "model.flags") -> list:
    """The flag matrix h at ``field``: n rows of n finite c-numbers."""
    if not isinstance(data, list) or not all(isinstance(row, list) for row in data):
        raise _error(source, field, "expected an array of arrays (h of Eq. 8)")
    if len(data) != n or any(len(row) != n for row in data):
        message = f"expected {n} rows of {n} entries, one per coupling operator"
        raise _error(source, field, message)
    out = []
    for r, row in enumerate(data):
        out.append([])
        for c, entry in enumerate(row):
            entry_field = f"{field}[{r}][{c}]"
            if isinstance(entry, bool) or not isinstance(entry, int | float | str):
                raise _error(source, entry_field, f"expected a number, got {type(entry).__name__}")
            if isinstance(entry, str):
                value = parse_expression(entry, names, source=source, field=entry_field)
            else:
                value = _toml_number(entry, source, entry_field)
            if isinstance(value, OperatorExpr) or not value.is_finite:
                raise _error(source, entry_field, "expected a finite c-number")
            out[-1].append(value)
    return out


def _hermitian(op: OperatorExpr, source: str, field: str, what: str) -> None:
    if not (op.dagger() - op).is_zero():
        why = "Eq. 3 needs a Hermitian H_s and total coupling sum_n g^n A_n (b + b^dagger), g real"
        raise _error(source, field, f"{what} is not Hermitian ({why})", 1)


def _couplings(model: dict, source: str, names: dict):
    spec = model["coupling"]
    if spec == "matrix-units":
        operators = [v for v in names.values() if not isinstance(v, Basic)]
        if len(operators) != 1 or not isinstance(operators[0], Levels):
            message = "matrix-units needs exactly one operator, of kind levels:N"
            raise _error(source, "model.coupling", message)
        return MatrixUnits(operators[0])
    if not isinstance(spec, list) or not spec:
        message = 'expected a non-empty array of operator strings or "matrix-units"'
        raise _error(source, "model.coupling", message)
    out = coupling_operators(spec, source, names)
    for n, op in enumerate(out.values()):
        _hermitian(op, source, f"model.coupling[{n}]", f"coupling operator A_{n + 1}")
    return out


def coupling_operators(spec: list, source: str, names: dict) -> dict:
    """``model.coupling`` (a list of expressions) as {"A1": A_1, ...}, each involving an
    operator (the checks of its kind -- Hermitian, odd -- are the caller's)."""
    out = {}
    for n, text in enumerate(spec):
        field = f"model.coupling[{n}]"
        op = parse_expression(_string(text, source, field), names, source=source, field=field)
        if not isinstance(op, OperatorExpr) or op.is_scalar():
            raise _error(source, field, "a coupling operator A_n must involve an operator", 1)
        out[f"A{n + 1}"] = op
    return out


def _model_header(data: dict, source: str) -> tuple[str, str]:
    """The checked ``name`` and ``description`` of a model file."""
    name = _string(data["name"], source, "name")
    if not _MODEL_NAME.fullmatch(name):
        raise _error(source, "name", "expected letters, digits, '.', '_' or '-' (at most 64)")
    description = _string(data.get("description", ""), source, "description")
    if not _DESCRIPTION.fullmatch(description):
        allowed = "letters, digits, spaces and , . ; : ( ) ' / + = _ -"
        raise _error(source, "description", f"expected at most 300 {allowed}")
    return name, description


def _statistics(data: dict, source: str) -> str:
    """``model.statistics``: "boson" (baths of oscillators, the default) or "fermion"."""
    model = data["model"]
    if not isinstance(model, dict) or "statistics" not in model:
        return "boson"
    value = _string(model["statistics"], source, "model.statistics")
    if value not in ("boson", "fermion"):
        raise _error(source, "model.statistics", f"expected boson or fermion, got {value[:40]!r}")
    return value


def junction_from_table(
    data: dict, *, source: str, origin: ModelOrigin | None = None
) -> Junction | FermionJunction:
    """The junction (Eq. 3) described by a loaded model-file table; ``source`` labels messages.

    Its ``level_sizes`` hold the N of each ``levels:N`` operator, which
    ``heatbounds check`` needs to build its matrices; ``origin`` (the file's
    path and sha256) is kept as the junction's ``origin``.
    """
    _table(data, source, "top level", TOP_KEYS, {"name", "operators", "model"})
    if _statistics(data, source) == "fermion":
        from heatbounds.symbolic.fermion_model_text import fermion_junction_from_table

        return fermion_junction_from_table(data, source=source, origin=origin)
    name, description = _model_header(data, source)
    names: dict = {}
    _operators(data["operators"], source, names)
    meanings = _parameters(data.get("parameters", {}), source, names)
    model = _table(data["model"], source, "model", MODEL_KEYS, {"hamiltonian", "coupling"})
    field = "model.hamiltonian"
    h_s = parse_expression(
        _string(model["hamiltonian"], source, field), names, source=source, field=field
    )
    h_s = h_s if isinstance(h_s, OperatorExpr) else OperatorExpr.scalar(h_s)
    _hermitian(h_s, source, field, "H_s")
    couplings, flags = _couplings(model, source, names), None
    if "flags" in model:
        if model["coupling"] == "matrix-units":
            raise _error(source, "model.flags", "matrix-units couplings take no flags")
        flags = _flags(model["flags"], source, names, len(couplings))
    counterterm = model.get("counterterm", False)
    if not isinstance(counterterm, bool):
        raise _error(source, "model.counterterm", "expected true or false")
    dissipation = _dissipation(model.get("dissipation", "ohmic"), source, names)
    try:
        junction = Junction(
            name=name,
            description=description,
            system_hamiltonian=h_s,
            couplings=couplings,
            flags=flags,
            dissipation=dissipation,
            counterterm=counterterm,
            parameters=meanings,
            level_sizes={k: int(v.size) for k, v in names.items() if isinstance(v, Levels)},
            origin=origin,
        )
    except HeatboundsError as exc:  # the Junction's own checks (flags, Hermiticity)
        raise _error(source, "model", str(exc)) from None
    return junction
