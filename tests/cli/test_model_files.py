"""Model files on the command line: models/*.toml end to end, and refused files."""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import json
import math
from pathlib import Path

import pytest
import sympy as sp
from contracts import DERIVE_JSON_KEYS
from latex_compile import compile_latex

from heatbounds.model_files import MAX_FILE_BYTES, load_model
from heatbounds.symbolic import expression_parser, model_text
from heatbounds.symbolic.derivation import derive
from heatbounds.symbolic.errors import ModelFileError
from heatbounds.symbolic.expression_parser import MAX_DECIMAL_EXPONENT, MAX_NUMBER_CHARACTERS

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "models"
FILES = ["harmonic", "spin-boson", "three-level", "kerr", "lambda-system"]
# The paper's models and the built-in model each file reproduces.
PAPER = {"harmonic": "harmonic-bare", "spin-boson": "spin-boson", "three-level": "three-level"}
BAD = 'name = "bad"\n[operators]\na = "boson"\n[model]\nhamiltonian = "a"\ncoupling = ["a"]\n'


def path_of(name: str) -> str:
    return str(MODELS / f"{name}.toml")


FERMION_FILES = ["anderson-dot", "resonant-level"]  # tested in test_fermion_cli.py


def test_every_model_file_is_tested():
    assert sorted(p.stem for p in MODELS.glob("*.toml")) == sorted(FILES + FERMION_FILES)


@pytest.mark.parametrize("name", ["kerr", "lambda-system", "spin-boson"])
def test_derive_json_contract(run_command, name):
    status, out, err = run_command("derive", path_of(name), "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    assert set(data) == DERIVE_JSON_KEYS and data["model"] == name
    listed = set(data["parameters"]) | set(data["expectations"])
    for key in ("sum_rule", "current_bound", "conductance_bound"):
        expr = sp.sympify(data[key]["sympy"])
        assert {s.name for s in expr.free_symbols} <= listed, key
        assert data[key]["latex"]


def test_derive_kerr_text(run_command):
    status, out, _ = run_command("derive", path_of("kerr"))
    assert status == 0 and "model: kerr -- Kerr oscillator" in out


@pytest.mark.parametrize("name", sorted(PAPER))
def test_paper_models_derive_as_the_builtin_models(name):
    from_file, builtin = derive(load_model(path_of(name))), derive(load_model(PAPER[name]))
    for key in ("sum_rule", "current_bound", "conductance_bound"):
        assert sp.simplify(getattr(from_file, key) - getattr(builtin, key)) == 0, key


@pytest.mark.parametrize("name", FILES)
def test_latex_document_renders(run_command, name):
    status, out, err = run_command("latex", path_of(name))
    assert status == 0, err
    assert "\n\\documentclass" in out and out.rstrip().endswith("\\end{document}")
    assert "\\begin{document}" in out


def test_kerr_document_compiles(run_command, tmp_path):
    status, out, _ = run_command("latex", path_of("kerr"))
    assert status == 0
    compile_latex(out, tmp_path, "kerr")


def load_module(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", FILES)
def test_emit_module_loads_and_evaluates(run_command, tmp_path, name):
    target = tmp_path / f"{name.replace('-', '_')}.py"
    status, out, err = run_command("emit", path_of(name), "-o", str(target))
    assert status == 0 and out == "", err
    module = load_module(target)
    assert callable(module.sum_rule) and callable(module.conductance_bound)
    arguments = inspect.signature(module.sum_rule).parameters
    if any(p.annotation in ("int", int) for p in arguments.values()):
        return  # bath mode sums (the matrix-unit model): loading is the check here
    values = {n: 0.3 for n in arguments if n != "out"}
    assert math.isfinite(float(module.sum_rule(**values)))


def test_check_kerr_passes_with_user_parameter_defaults(run_command):
    status, out, err = run_command("check", path_of("kerr"), "--moments", "1", "--json")
    assert status == 0, err
    data = json.loads(out)
    assert data["passed"] and data["parameters"]["U"] == 0.1
    assert data["parameters"]["omega0"] == 1.0


def test_check_kerr_text_and_set(run_command):
    status, out, _ = run_command("check", path_of("kerr"), "--moments", "1", "--set", "U=0.05")
    assert status == 0 and out.rstrip().endswith("PASSED")


@pytest.mark.parametrize("name", ["lambda-system", "spin-boson"])
def test_check_other_model_files(run_command, name):
    status, out, err = run_command("check", path_of(name), "--set", "omega0=1.5", "--json")
    if name == "spin-boson":
        assert status == 2 and "unknown parameter 'omega0'" in err
        status, out, err = run_command("check", path_of(name), "--json")
    assert status == 0, err
    assert json.loads(out)["passed"]


@pytest.fixture
def bad_file(tmp_path) -> Path:
    path = tmp_path / "bad.toml"
    path.write_text(BAD)
    return path


@pytest.mark.parametrize("command", ["derive", "latex", "emit", "check"])
def test_refused_file_exits_2_with_empty_stdout(run_command, bad_file, command):
    status, out, err = run_command(command, str(bad_file))
    assert status == 2 and out == ""
    assert f"{bad_file}: model.hamiltonian, column 1: H_s is not Hermitian" in err


@pytest.mark.parametrize("command", ["emit", "latex"])
def test_refused_model_writes_no_file(run_command, bad_file, tmp_path, command):
    target = tmp_path / "out.txt"
    status, out, _ = run_command(command, str(bad_file), "-o", str(target))
    assert status == 2 and out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]


@pytest.mark.parametrize(
    ("spec", "content", "message"),
    [
        ("missing.toml", None, "missing.toml: no such model file"),
        ("bad.toml", "name = ", "bad.toml: not valid TOML"),
        ("bad.toml", b"\xff\xfe", "bad.toml: not UTF-8 text"),
        ("kerr", None, "unknown model 'kerr': give a built-in model"),
        ("d.toml/", "dir", "not a regular file"),
    ],
)
def test_unreadable_files_are_refused(tmp_path, monkeypatch, spec, content, message):
    monkeypatch.chdir(tmp_path)
    if content == "dir":
        (tmp_path / spec).mkdir()
    elif isinstance(content, bytes):
        (tmp_path / spec).write_bytes(content)
    elif content is not None:
        (tmp_path / spec).write_text(content)
    with pytest.raises(ModelFileError, match=message):
        load_model(spec.rstrip("/") if content == "dir" else spec)


def test_huge_file_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.toml"
    path.write_text('name = "x"\n[model]\nhamiltonian = "' + "a+" * 5_000_000 + 'a"\n')
    # The size comes from stat: not one byte of the 10 MB is read, nor parsed as TOML.
    read = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda p: read.append(p.name) or read_bytes(p))
    with pytest.raises(ModelFileError, match=f"over the limit of {MAX_FILE_BYTES}"):
        load_model(str(path))
    assert read == []
    small = tmp_path / "small.toml"
    small.write_text('name = "x"\n')
    with pytest.raises(ModelFileError):
        load_model(str(small))
    assert read == ["small.toml"]  # the spy sees the reads that do happen


def test_models_help_mentions_files(run_command):
    from heatbounds.cli import build_parser

    parser = build_parser()
    for command in ("derive", "latex", "emit", "check"):
        sub = parser._subparsers._group_actions[0].choices[command]
        assert "FILE.toml" in sub.format_help()
    assert "0.1" in parser._subparsers._group_actions[0].choices["check"].format_help()


CLASHES = {
    # a parameter called like the identifier of <a^2>: the emitted module would
    # have taken one argument a2 for both, silently
    "parameter": (
        'omega0 = "positive"\na2 = "real"',
        "hbar*omega0*(dag(a)*a + 1/2) + a2*dag(a)*dag(a)*a*a",
        "a + dag(a)",
        "the parameter 'a2' has the name of the expectation value <a^2>",
    ),
    # operators a and adag: <adag adag> and <a^dag a^dag> would both be adag2
    "operators": (
        'omega0 = "positive"\ng = "real"',
        "hbar*omega0*(dag(a)*a + dag(adag)*adag) + g*(dag(a)*a)*(adag + dag(adag))",
        "a + dag(a) + adag*a + dag(a)*dag(adag)",
        "two expectation values would both be called 'adag2'",
    ),
}


@pytest.mark.parametrize("case", sorted(CLASHES))
@pytest.mark.parametrize("command", ["derive", "emit"])
def test_names_that_would_clash_are_refused(run_command, tmp_path, case, command):
    parameters, hamiltonian, coupling, message = CLASHES[case]
    operators = 'a = "boson"\nadag = "boson"' if case == "operators" else 'a = "boson"'
    model = tmp_path / "clash.toml"
    model.write_text(
        f'name = "clash"\n[operators]\n{operators}\n[parameters]\n{parameters}\n'
        f'[model]\nhamiltonian = "{hamiltonian}"\ncoupling = ["{coupling}"]\n'
    )
    target = tmp_path / "clash.py"
    extra = ["-o", str(target)] if command == "emit" else []
    status, out, err = run_command(command, str(model), *extra)
    assert status == 2 and out == ""
    assert err.startswith(f"heatbounds {command}: error: model 'clash': ") and message in err
    assert not target.exists()


def test_lorentzian_resonance_and_right_bath_frequencies_stay_apart(run_command, tmp_path):
    # The paper writes the Lorentzian's resonance omega_R and the right bath's mode
    # frequencies omega_{R k}; in plain text they are omega_res and omega_R(k), and the
    # s = 3 sum rule of the spin boson contains both.
    text = (MODELS / "spin-boson.toml").read_text()
    model = tmp_path / "lorentzian.toml"
    model.write_text(text.replace('"ohmic"', '"lorentzian:omega_res,eta"'))
    status, out, err = run_command("derive", str(model), "--moment", "3", "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    assert data["parameters"]["omega_res"].startswith("resonance frequency omega_R")
    assert data["parameters"]["omega_R"].startswith("frequency omega_{R k} of mode k")
    rule = sp.sympify(data["sum_rule"]["sympy"])
    assert "omega_res" in {s.name for s in rule.free_symbols}
    assert "omega_R" in {type(f).__name__ for f in rule.atoms(sp.Function)}
    assert (
        r"\omega_{R}" in data["sum_rule"]["latex"] and r"\omega_{R p}" in data["sum_rule"]["latex"]
    )
    old = tmp_path / "old.toml"
    old.write_text(text.replace('"ohmic"', '"lorentzian:omega_R,eta"'))
    status, _, err = run_command("derive", str(old))
    assert status == 2 and "undeclared name 'omega_R'" in err and "column 12" in err
    assert err.count(str(old)) == 1


KERR_TEXT = (MODELS / "kerr.toml").read_text()
LONG = "1" * 5000  # over Python's 4300-digit limit of int(str), where tomllib itself fails


def kerr_file(tmp_path: Path, old: str, new: str) -> Path:
    assert old in KERR_TEXT
    path = tmp_path / "x.toml"
    path.write_text(KERR_TEXT.replace(old, new))
    return path


NUMBERS_REFUSED = [
    ("flags = [[1]]", f"flags = [[{LONG}]]", "line 16, column 11: integer of 5000 digits"),
    (
        "flags = [[1]]",
        f"flags = [\n  [\n   -{'1_' * 4400}1]]",
        "line 18, column 4: integer of 4401",
    ),
    # digits in comments and strings are not TOML integers: the scan skips them
    (
        "flags = [[1]]",
        f'# {LONG}\ncounterterm = """\n{LONG}"""\nflags = [[{LONG}]]',
        "line 19, column 11: integer of 5000 digits",
    ),
    ("flags = [[1]]", "flags = [[9223372036854775808]]", "model.flags[0][0]: integer of 64 bits"),
    ("flags = [[1]]", "flags = [[-9223372036854775808]]", "model.flags[0][0]: integer of 64"),
    ("flags = [[1]]", f"flags = [[0x{'f' * 9000}]]", "model.flags[0][0]: integer of 36000 bits"),
    ("flags = [[1]]", "flags = [[5e-324]]", "model.flags[0][0]: expected a finite c-number; a"),
    ("flags = [[1]]", "flags = [[1e301]]", "model.flags[0][0]: expected a finite c-number; a"),
    ("flags = [[1]]", "flags = [[1e400]]", "model.flags[0][0]: expected a finite c-number; a"),
    ("flags = [[1]]", "flags = " + "[" * 5000, "arrays or tables nested too deeply"),
    ("hbar*omega0", "1e-999999*hbar*omega0", "model.hamiltonian, column 1: the exponent of"),
    ("hbar*omega0", "1e99999999*hbar*omega0", "model.hamiltonian, column 1: the exponent of"),
    ("U*dag(a)", "1e301*U*dag(a)", "model.hamiltonian, column 32: the exponent of a number"),
    ("U*dag(a)", "1e-301*U*dag(a)", "model.hamiltonian, column 32: the exponent of a number"),
    ('["a + dag(a)"]', '["a + dag(a)*1000e298"]', "model.coupling[0], column 12: a non-zero"),
    ("flags = [[1]]", 'flags = [["1e-301"]]', "model.flags[0][0], column 1: the exponent of"),
]


@pytest.mark.parametrize(("old", "new", "message"), NUMBERS_REFUSED)
def test_numbers_out_of_range_are_refused_quickly_with_their_place(
    tmp_path, monkeypatch, old, new, message
):
    # Refused on the text or the TOML value: no number past the documented range
    # (40 digits times 1e300) is ever built on the way.
    built = []
    for module in (expression_parser, model_text):
        for name in ("Integer", "Rational"):
            original = getattr(module, name)
            monkeypatch.setattr(
                module, name, lambda *args, _make=original: built.append(args) or _make(*args)
            )
    path = kerr_file(tmp_path, old, new)
    with pytest.raises(ModelFileError) as info:
        load_model(str(path))
    largest = 10 ** (MAX_NUMBER_CHARACTERS + MAX_DECIMAL_EXPONENT)
    sizes = [abs(sp.Rational(value)) for args in built for value in args]
    assert all(size.q <= largest and size.p <= largest for size in sizes)
    assert str(info.value).startswith(f"{path}: ") and message in str(info.value)
    assert "\n" not in str(info.value) and len(str(info.value)) < 200


@pytest.mark.parametrize(("old", "new", "message"), NUMBERS_REFUSED[:1] + NUMBERS_REFUSED[-6:-4])
def test_numbers_out_of_range_exit_2_with_one_line(run_command, tmp_path, old, new, message):
    path = kerr_file(tmp_path, old, new)
    status, out, err = run_command("derive", str(path))
    assert status == 2 and out == ""
    assert err.startswith(f"heatbounds derive: error: {path}: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    ("old", "new", "value"),
    [
        ("flags = [[1]]", "flags = [[9223372036854775807]]", sp.Integer(2**63 - 1)),
        ("flags = [[1]]", "flags = [[1e300]]", sp.Integer(10) ** 300),
        ("flags = [[1]]", "flags = [[1e-300]]", sp.Rational(1, 10**300)),
        ("flags = [[1]]", f'flags = [["{"1" * 40}"]]', sp.Integer(int("1" * 40))),
        ("flags = [[1]]", 'flags = [["1e300*1e-300"]]', 1),
    ],
)
def test_numbers_at_the_edges_of_the_range_are_accepted_exactly(tmp_path, old, new, value):
    assert load_model(str(kerr_file(tmp_path, old, new))).flags[0, 0] == value


def test_edge_literals_in_an_expression_derive(run_command, tmp_path):
    path = kerr_file(tmp_path, "U*dag(a)", "1e300*1e-300*U*dag(a)")
    status, out, err = run_command("derive", str(path))
    assert status == 0 and "model: kerr" in out, err


def test_emit_and_latex_name_the_model_file_not_the_builtin(run_command, tmp_path, monkeypatch):
    """Fix 2: models/harmonic.toml has name = "harmonic" but is not the built-in harmonic."""
    monkeypatch.chdir(ROOT)
    sha256 = hashlib.sha256((MODELS / "harmonic.toml").read_bytes()).hexdigest()
    target = tmp_path / "harmonic_file.py"
    status, _, err = run_command("emit", "models/harmonic.toml", "-o", str(target))
    assert status == 0, err
    header = [line for line in target.read_text().splitlines() if line.startswith("#")]
    assert header[3:6] == [
        "# Source: model file models/harmonic.toml",
        f"# sha256 of the model file: {sha256}",
        "# Derived as: heatbounds derive models/harmonic.toml --moment 1",
    ]
    assert header[7].startswith("# Regenerate: heatbounds emit models/harmonic.toml --units")
    assert not any("built-in" in line or "derive harmonic " in line for line in header)
    status, out, _ = run_command("latex", "models/harmonic.toml")
    assert status == 0
    assert "% regenerate with: heatbounds latex models/harmonic.toml --moments 1\n" in out
    assert f"% model: model file models/harmonic.toml (sha256 {sha256})\n" in out
    status, out, _ = run_command("emit", "harmonic")
    assert status == 0 and "# Source: heatbounds derive harmonic --moment 1\n" in out


@pytest.mark.parametrize(("factor", "status"), [("1e300", 0), ("1e-300", 0), ("1e300*1e300", 2)])
def test_emit_takes_numbers_at_the_edge_of_the_range_and_refuses_beyond_float64(
    run_command, tmp_path, factor, status
):
    """1e300 in H_s is a valid literal: emit wrote it as 301 digits, which the line
    layout could not split (a bug, exit 3). 10^600 is exact in SymPy but beyond the
    float64 the module computes in: refused with exit 2, naming it."""
    text = (ROOT / "models" / "kerr.toml").read_text()
    old = 'hamiltonian = "hbar*omega0*(dag(a)*a + 1/2) + U*dag(a)*dag(a)*a*a"'
    assert old in text
    path = tmp_path / "big.toml"
    path.write_text(text.replace(old, f'hamiltonian = "{factor}*hbar*omega0*dag(a)*a"'))
    code, _, err = run_command("emit", str(path), "-o", str(tmp_path / "big.py"))
    assert code == status, err
    if status == 0:
        module = load_module(tmp_path / "big.py")
        assert module.sum_rule(omega0=1.0) == pytest.approx(float(factor))
    else:
        assert "beyond float64" in err and not (tmp_path / "big.py").exists()
