"""Emitted numeric modules (heatbounds.codegen.emit): cross-checks, contract, goldens.

Every built-in model with concrete levels is emitted in reduced and SI units
and its functions are compared with the SymPy expressions evaluated by
mpmath at 30 digits, at random points and at extreme temperatures (1e-3 and
1e3 times the model scale), with NumPy warnings turned into errors. The
current and ballistic bounds are compared with Eq. 9 and Eq. 2 for either
order of the temperatures, with |T_L - T_R| and |T_L^2 - T_R^2|.

Golden files: ``tests/codegen/golden/spin_boson_{reduced,si}.py`` are exactly
what ``heatbounds emit spin-boson --units reduced|si -o <that path>`` writes
(the header line with the tool versions is not compared). After a deliberate
change of the emitted code regenerate them with::

    HEATBOUNDS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/codegen/test_emit.py -k golden
"""

from __future__ import annotations

import ast
import difflib
import functools
import importlib.util
import inspect
import os
import subprocess
import sys
import warnings
from pathlib import Path

import mpmath
import numpy as np
import pytest
import scipy.constants
import sympy as sp
from fresh_processes import outputs_across_hash_seeds
from sympy.core.function import AppliedUndef

from heatbounds.codegen.emit import emit_module
from heatbounds.codegen.emit_plan import collect_arguments
from heatbounds.codegen.numpy_printer import CodegenError
from heatbounds.codegen.units import UNIT_SYSTEMS
from heatbounds.symbolic.bounds import (
    T_L,
    T_R,
    ballistic_bound,
    in_bath_couplings,
    quantum_of_conductance,
)
from heatbounds.symbolic.derivation import derive
from heatbounds.symbolic.errors import ModelError
from heatbounds.symbolic.expectation import Expectation
from heatbounds.symbolic.junction import SymmetricCoupling
from heatbounds.symbolic.models import builtin_model

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("HEATBOUNDS_UPDATE_GOLDEN") == "1"
MODELS = ("harmonic", "harmonic-bare", "anharmonic", "spin-boson", "three-level")
FUNCTIONS = (
    "sum_rule",
    "current_bound",
    "conductance_bound",
    "ballistic_bound",
    "quantum_of_conductance",
)
HBAR, K_B = scipy.constants.hbar, scipy.constants.k
SCALE = {"reduced": 1.0, "si": 1e12}  # omega0 or Delta, rad/s in SI
M = 3

_CACHE: dict = {}


def command(model: str, units: str) -> str:
    target = f"tests/codegen/golden/{model.replace('-', '_')}_{units}.py"
    return f"heatbounds emit {model} --units {units} -o {target}"


def emitted(model: str, units: str, moment: int = 1):
    """(source, loaded module) of one model, emitted once per test session."""
    key = (model, units, moment)
    if key not in _CACHE:
        source = emit_module(
            builtin_model(model), units=units, moment=moment, command=command(model, units)
        )
        _CACHE[key] = (source, load(source, f"emitted_{model}_{units}_{moment}".replace("-", "_")))
    return _CACHE[key]


def load(source: str, name: str):
    path = Path(os.environ.get("PYTEST_TMP", "/tmp")) / f"{name}_{os.getpid()}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def sources(model: str, moment: int = 1) -> dict:
    """The SymPy expressions behind each emitted function (paper notation).

    The bounds on the current are Eq. 9 and Eq. 2 for either order of the
    temperatures: T_L - T_R (Eq. 9 is that times Eq. 10) and T_L^2 - T_R^2
    become their absolute values.
    """
    d = derive(builtin_model(model), moment=moment)
    assert sp.expand(d.current_bound - (T_L - T_R) * d.conductance_bound) == 0
    return {
        "sum_rule": d.sum_rule,
        "current_bound": sp.Abs(T_L - T_R) * d.conductance_bound,
        "conductance_bound": d.conductance_bound,
        "ballistic_bound": ballistic_bound().xreplace({T_L**2 - T_R**2: sp.Abs(T_L**2 - T_R**2)}),
        "quantum_of_conductance": quantum_of_conductance(),
    }


# ---- values and the mpmath reference ------------------------------------------------------
def sample(arguments, units: str, rng, temperature: float | None = None) -> dict:
    """Random values in each argument's domain (temperatures fixed if given)."""
    omega = SCALE[units]
    theta = omega * (HBAR / K_B if units == "si" else 1.0)  # temperature of the scale
    energy = omega * (HBAR if units == "si" else 1.0)
    values = {}
    for arg in arguments:
        shape = tuple(M if a == "M" else a for a in arg.axes)
        if arg.kind == "count":
            values[arg.name] = M
        elif arg.kind == "temperature":
            # At a fixed temperature the right bath is colder (T_L = T_R is exactly 0).
            fixed = temperature * (0.5 if arg.name == "T_R" else 1.0) if temperature else None
            values[arg.name] = theta * (fixed or rng.uniform(0.2, 5.0))
        elif arg.name.startswith("alpha"):
            values[arg.name] = rng.uniform(0.05, 0.5, shape) if shape else rng.uniform(0.05, 0.5)
        elif arg.kind == "positive":
            values[arg.name] = omega * rng.uniform(0.5, 2.0, shape or None)
        elif arg.name.startswith(("E_", "g_", "lam")):
            values[arg.name] = energy * rng.uniform(-1.0, 1.0, shape or None)
        else:
            values[arg.name] = rng.uniform(-1.0, 1.0, shape or None)
    return values


_REFERENCES: dict = {}


def reference(expr: sp.Expr, values: dict, units: str) -> mpmath.mpf:
    """``expr`` at ``values``, evaluated by mpmath with 30 significant digits."""
    key = (expr, units)
    if key not in _REFERENCES:
        body = in_bath_couplings(UNIT_SYSTEMS[units].apply(expr))
        if units == "si":
            body = body.xreplace({sp.Symbol("hbar", positive=True): sp.Float(HBAR, 30)})
            body = body.xreplace({sp.Symbol("k_B", positive=True): sp.Float(K_B, 30)})
        if body.has(sp.Sum):
            body = body.xreplace({s: sp.Integer(M) for s in body.free_symbols if s.name == "M"})
            body = body.doit()
        # Every indexed value becomes a symbol: (name, 0-based index) tells where to read it.
        where = {}
        for atom in body.atoms(Expectation, AppliedUndef, SymmetricCoupling):
            if isinstance(atom, Expectation):
                plain = all(i.is_Integer for i in atom.indices) and not atom.identifier.startswith(
                    ("A_b", "sigma_x_b", "sigma_y_b", "sigma_x_bdag", "sigma_y_bdag")
                )
                name, args = (str(atom), ()) if plain else (atom.identifier, atom.indices)
            else:
                name, args = type(atom).__name__, atom.args
            where[atom] = (name, tuple(int(a) - 1 for a in args))
        stand_ins = {a: sp.Symbol(f"_v{k}") for k, a in enumerate(sorted(where, key=str))}
        symbols = sorted(body.free_symbols, key=str)
        body = body.xreplace(stand_ins)
        args = [*symbols, *stand_ins.values()]
        fn = sp.lambdify(args, body, "mpmath", dummify=False, cse=False)
        getters = [(s.name, ()) for s in symbols] + [where[a] for a in stand_ins]
        _REFERENCES[key] = (fn, getters)
    fn, getters = _REFERENCES[key]
    with mpmath.workdps(30):
        point = [mpmath.mpf(float(values[n] if not i else values[n][i])) for n, i in getters]
        return mpmath.re(fn(*point))


def check_function(module, name: str, expr: sp.Expr, units: str, rng, temperature=None):
    fn = getattr(module, name)
    arguments = collect_arguments(
        in_bath_couplings(UNIT_SYSTEMS[units].apply(expr)),
        tuple(
            p.name
            for p in inspect.signature(fn).parameters.values()
            if p.kind == p.POSITIONAL_OR_KEYWORD
        ),
        set(UNIT_SYSTEMS[units].names),
    )
    values = sample(arguments, units, rng, temperature)
    positional = [values[a.name] for a in arguments if a.positional]
    keywords = {a.name: values[a.name] for a in arguments if not a.positional}
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        got = fn(*positional, **keywords)
    want = reference(expr, values, units)
    assert isinstance(got, np.float64)
    scale = abs(want) if want != 0 else mpmath.mpf(1e-300)
    assert abs(mpmath.mpf(float(got)) - want) <= 1e-12 * scale, (name, got, want, values)


@pytest.mark.parametrize("units", ["reduced", "si"])
@pytest.mark.parametrize("model", MODELS)
def test_functions_equal_the_sympy_expressions_in_mpmath(model, units):
    _, module = emitted(model, units)
    rng = np.random.default_rng(abs(hash((model, units))) % 2**32)
    for name, expr in sources(model).items():
        for _ in range(2):
            check_function(module, name, expr, units, rng)
        for extreme in (1e-3, 1e3):
            check_function(module, name, expr, units, rng, temperature=extreme)


def _swapped(values: dict) -> dict:
    """The same point with the baths exchanged: T_L <-> T_R, alpha_L <-> alpha_R."""
    out = dict(values)
    for left, right in (("T_L", "T_R"), ("alpha_L", "alpha_R")):
        if left in values:
            out[left], out[right] = values[right], values[left]
    return out


@pytest.mark.parametrize("units", ["reduced", "si"])
@pytest.mark.parametrize("model", MODELS)
def test_current_bounds_for_t_left_below_t_right_are_the_swapped_eq_9_in_mpmath(model, units):
    """|J_Q| bounds at T_L < T_R: Eq. 9 (Eq. 2) with the baths swapped, and >= 0 (fix 1)."""
    _, module = emitted(model, units)
    d = derive(builtin_model(model))
    rng = np.random.default_rng(7)
    theta = SCALE[units] * (HBAR / K_B if units == "si" else 1.0)
    for name, eq in (("current_bound", d.current_bound), ("ballistic_bound", ballistic_bound())):
        fn = getattr(module, name)
        expr = in_bath_couplings(UNIT_SYSTEMS[units].apply(eq))
        arguments = collect_arguments(expr, ("T_L", "T_R"), set(UNIT_SYSTEMS[units].names))
        for cold, hot in ((0.3, 2.0), (1e-3, 1e3), (1.0, 1.0 + 1e-9)):
            values = sample(arguments, units, rng)
            values["T_L"], values["T_R"] = cold * theta, hot * theta
            keywords = {a.name: values[a.name] for a in arguments if not a.positional}
            with np.errstate(all="raise"):
                got = fn(values["T_L"], values["T_R"], **keywords)
                swapped = _swapped(values)
                exchanged = fn(swapped["T_L"], swapped["T_R"], **_swapped(keywords))
                reversed_ = fn(values["T_R"], values["T_L"], **keywords)
            # the symmetric bound: Eq. 9 (Eq. 2) of the swapped baths, and |T_L - T_R| itself
            want = reference(eq, swapped, units)
            assert abs(mpmath.mpf(float(got)) - want) <= 1e-12 * abs(want), (name, got, want)
            assert abs(reference(sources(model)[name], values, units) - want) <= 1e-20 * abs(want)
            assert got == reversed_ and got == pytest.approx(exchanged, rel=1e-14)
            if name == "ballistic_bound":
                assert got > 0
            else:  # |T_L - T_R| times the conductance bound's factor: the sign of that factor
                kappa = module.conductance_bound(theta, **keywords)
                assert got * kappa >= 0 and got == pytest.approx(abs(hot - cold) * theta * kappa)


def test_spin_boson_current_bound_is_nonnegative_and_symmetric_for_physical_states():
    """With <sigma_x> < 0 (any stationary state, Eq. 17) the bound is >= 0 for every T_L, T_R."""
    m = emitted("spin-boson", "reduced")[1]
    T_L, T_R = np.meshgrid(np.linspace(0.0, 3.0, 31), np.linspace(0.0, 3.0, 31))
    kw = {"Delta": 1.0, "alpha_L": 0.1, "alpha_R": 0.3, "sigma_x": -0.4}
    bound = m.current_bound(T_L, T_R, **kw)
    assert np.all(bound >= 0.0) and np.all(bound[T_L != T_R] > 0.0)
    swapped = m.current_bound(T_R, T_L, **{**kw, "alpha_L": 0.3, "alpha_R": 0.1})
    np.testing.assert_allclose(bound, swapped, rtol=1e-15)  # alpha_L alpha_R rounds either way
    np.testing.assert_array_equal(bound, m.current_bound(T_R, T_L, **kw))
    assert m.current_bound(0.5, 2.0, **kw) == m.current_bound(2.0, 0.5, **kw) > 0
    ballistic = m.ballistic_bound(T_L, T_R)
    np.testing.assert_allclose(ballistic, np.pi / 12 * np.abs(T_L**2 - T_R**2), rtol=1e-15)
    np.testing.assert_array_equal(ballistic, m.ballistic_bound(T_R, T_L))


def test_either_order_refuses_what_is_not_a_symmetric_difference():
    from heatbounds.codegen.emit_plan import either_order

    assert either_order(3 * (T_L - T_R)) == 3 * sp.Abs(T_L - T_R)
    assert either_order(T_R - T_L) == -sp.Abs(T_L - T_R)  # q = -1: the sign stays with q
    for bad in (T_L + T_R, T_L**2 - T_R, (T_L - T_R) * T_L, sp.exp(T_L) - sp.exp(T_R)):
        with pytest.raises(CodegenError):
            either_order(bad)


def test_spin_boson_third_moment_emits_and_matches_mpmath():
    _, module = emitted("spin-boson", "reduced", moment=3)
    expr = sources("spin-boson", moment=3)["sum_rule"]
    rng = np.random.default_rng(3)
    arguments = collect_arguments(in_bath_couplings(UNIT_SYSTEMS["reduced"].apply(expr)), (), set())
    values = sample(arguments, "reduced", rng)
    # Hermitian-consistent data: <sigma_y b^dag> = <sigma_y b>^* (here real and equal).
    for nu in "LR":
        values[f"sigma_y_bdag_{nu}"] = values[f"sigma_y_b_{nu}"]
    with np.errstate(all="raise"):
        got = module.sum_rule(**values)
    want = reference(expr, values, "reduced")
    assert abs(mpmath.mpf(float(got)) - want) <= 1e-12 * abs(want)


def test_n_level_with_symbolic_level_count_is_refused():
    with pytest.raises(CodegenError, match="N_levels") as info:
        emit_module(builtin_model("n-level"), command="x")
    assert isinstance(info.value, ModelError)


# ---- the file itself -------------------------------------------------------------------------
def _masked(text: str) -> str:
    return "".join(line for line in text.splitlines(True) if not line.startswith("# Versions:"))


@pytest.mark.parametrize("units", ["reduced", "si"])
def test_golden_spin_boson(units):
    source, _ = emitted("spin-boson", units)
    path = GOLDEN / f"spin_boson_{units}.py"
    if UPDATE:
        path.write_text(source)
    expected = path.read_text()
    if _masked(source) != _masked(expected):
        diff = difflib.unified_diff(
            expected.splitlines(True), source.splitlines(True), str(path), "emitted"
        )
        pytest.fail("emitted module differs from the golden file:\n" + "".join(diff))


def test_emitted_modules_pass_ruff(tmp_path):
    root = Path(__file__).resolve().parents[2]
    for model in MODELS:
        for units in ("reduced", "si"):
            (tmp_path / f"{model.replace('-', '_')}_{units}.py").write_text(
                emitted(model, units)[0]
            )
    ruff = Path(sys.executable).with_name("ruff")
    config = ["--config", str(root / "pyproject.toml"), "--no-cache"]
    for args in (["check", *config], ["format", "--check", *config]):
        run = subprocess.run([str(ruff), *args, str(tmp_path)], capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr


def test_emission_is_byte_identical_across_processes():
    """Same model, same bytes: across hash seeds and after other emissions in this process."""
    script = (
        "import sys; from heatbounds.codegen.emit import emit_module;"
        "from heatbounds.symbolic.models import builtin_model;"
        "sys.stdout.write(emit_module(builtin_model('spin-boson'), moment=3, command=sys.argv[1]))"
    )
    outputs = outputs_across_hash_seeds(script, command("spin-boson", "reduced"))
    assert outputs == {emitted("spin-boson", "reduced", 3)[0]}


def test_module_imports_only_numpy_and_runs_without_heatbounds(tmp_path):
    source, _ = emitted("three-level", "si")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])
    assert imported == {"numpy"}
    for marker in (
        "generated, do not edit",
        "Template: python/module.py.jinja",
        "sha256",
        "Regenerate:",
    ):
        assert marker.lower() in source.lower()
    path = tmp_path / "emitted_three_level.py"
    path.write_text(source)
    script = (
        "import sys\n"
        "for name in ('heatbounds', 'sympy', 'scipy', 'jinja2'): sys.modules[name] = None\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "import emitted_three_level as m\n"
        "print(m.quantum_of_conductance(1.0), sorted(m.PARAMETERS)[:2])\n"
    )
    run = subprocess.run(
        [sys.executable, "-I", "-c", script, str(tmp_path)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert float(run.stdout.split()[0]) == pytest.approx(np.pi * K_B**2 / (6 * HBAR))


def test_parameters_name_every_argument_with_meaning_and_unit():
    for model in ("spin-boson", "three-level"):
        for units in ("reduced", "si"):
            m = emitted(model, units)[1]
            names = set()
            for name in FUNCTIONS:
                names |= {p for p in inspect.signature(getattr(m, name)).parameters if p != "out"}
            assert names == set(m.PARAMETERS)
            for meaning, unit in m.PARAMETERS.values():
                assert meaning and unit
            if units == "si":
                assert m.PARAMETERS["T"][1] == "K"
