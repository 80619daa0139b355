"""Tests of ``heatbounds conductance`` (heatbounds/commands/conductance.py)."""

from __future__ import annotations

import contextlib
import io
import json
import math
import time

import pytest

from heatbounds import cli

ARGS = ["--alpha-l", "0.4", "--alpha-r", "0.4", "--omega-c", "10"]


@pytest.fixture
def run(monkeypatch, capsys):
    """Run the real ``cli.main`` with only this subcommand registered."""
    monkeypatch.setattr(cli, "COMMANDS", ("conductance",))

    def _run(*argv: str) -> tuple[int, str, str]:
        status = cli.main(list(argv))
        out = capsys.readouterr()
        return status, out.out, out.err

    return _run


def test_json_has_the_named_keys_in_reduced_units(run):
    status, out, _ = run("conductance", "harmonic", "--temperature", "0.1,1,10", *ARGS, "--json")
    assert status == 0
    data = json.loads(out)
    for key in ("temperature", "kappa", "sum_rule_bound", "kappa_Q"):
        assert isinstance(data[key], list) and len(data[key]) == 3
    assert data["temperature"] == [0.1, 1.0, 10.0]
    assert data["chi"] == "exact" and data["model"] == "harmonic"
    assert data["parameters"]["gamma"] == 1.0
    # the couplings are named as in every other command (derive, emit, check --set)
    assert data["parameters"]["alpha_L"] == 0.4 and data["parameters"]["alpha_R"] == 0.4
    assert "alpha_left" not in out and "alpha_right" not in out
    assert data["sum_rule_bound"] == pytest.approx([math.pi * 0.8 / 4] * 3, rel=1e-15)
    assert data["kappa_Q"] == pytest.approx([math.pi * t / 6 for t in (0.1, 1, 10)], rel=1e-15)
    assert all(0 < k < min(b, q) for k, b, q in zip(data["kappa"], data["sum_rule_bound"],
                                                    data["kappa_Q"], strict=True))  # fmt: skip


def test_chi_form_and_omega0_are_passed_through(run):
    from heatbounds.numeric.harmonic_transport import exact_conductance

    _, out, _ = run("conductance", "harmonic", "--temperature", "2", *ARGS, "--omega0", "2",
                    "--chi", "paper", "--json")  # fmt: skip
    data = json.loads(out)
    expected = exact_conductance(2.0, alpha_L=0.4, alpha_R=0.4, omega_c=10.0,
                                 omega0=2.0, form="paper")  # fmt: skip
    assert data["chi"] == "paper" and data["kappa"] == [expected]
    assert data["sum_rule_bound"] == pytest.approx([math.pi * 0.8 / 4 * 2], rel=1e-15)


def test_text_output_is_an_aligned_table(run):
    status, out, _ = run("conductance", "harmonic", "--temperature", "0.5, 5", *ARGS)
    assert status == 0
    lines = out.strip().splitlines()
    header = next(line for line in lines if line.split()[:2] == ["T", "kappa"])
    rows = lines[lines.index(header) + 1 :]
    assert len(rows) == 2 and len({len(row) for row in [header, *rows]}) == 1
    assert float(rows[0].split()[0]) == 0.5 and "reduced units" in out


@pytest.mark.parametrize(
    ("option", "value", "needle"),
    [
        ("--temperature", "1,0", "--temperature"),
        ("--temperature", "1,-2", "--temperature"),
        ("--temperature", "nan", "--temperature"),
        ("--temperature", "inf", "--temperature"),
        ("--temperature", "1,,2", "--temperature"),
        ("--temperature", "__import__('os')", "--temperature"),
        ("--alpha-l", "-0.1", "--alpha-l"),
        ("--alpha-r", "x", "--alpha-r"),
        ("--omega-c", "0", "--omega-c"),
        ("--omega0", "-1", "--omega0"),
    ],
)
def test_bad_numbers_are_refused_with_exit_2(run, option, value, needle):
    argv = {"--temperature": "1", "--alpha-l": "0.4", "--alpha-r": "0.4", "--omega-c": "10"}
    argv[option] = value
    flat = [item for pair in argv.items() for item in pair]
    status, out, err = run("conductance", "harmonic", *flat)
    assert status == 2 and out == ""
    assert err.startswith("heatbounds conductance: error:") and needle in err


def test_no_coupling_and_unknown_models_are_refused(run):
    status, _, err = run("conductance", "harmonic", "--temperature", "1", "--alpha-l", "0",
                         "--alpha-r", "0", "--omega-c", "10")  # fmt: skip
    assert status == 2 and "--alpha-l" in err
    status, _, err = run("conductance", "kerr", "--temperature", "1", *ARGS)
    assert status == 2 and "'kerr'" in err and "harmonic, spin-boson" in err


def test_the_options_of_the_other_model_are_refused(run):
    status, out, err = run("conductance", "harmonic", "--temperature", "1", *ARGS,
                           "--delta", "2", "--no-cache")  # fmt: skip
    assert status == 2 and out == ""
    assert "--delta, --no-cache: not an option of conductance harmonic" in err


def test_unknown_chi_form_is_an_argparse_error(run):
    with pytest.raises(SystemExit) as exc:
        run("conductance", "harmonic", "--temperature", "1", *ARGS, "--chi", "kubo")
    assert exc.value.code == 2


def test_registered_in_the_full_command_line(capsys):
    assert "conductance" in cli.COMMANDS
    status = cli.main(["conductance", "harmonic", "--temperature", "1", *ARGS, "--json"])
    assert status == 0 and json.loads(capsys.readouterr().out)["kappa"][0] > 0


# --- conductance spin-boson: the exact kappa by the HEOM (one cheap point, T = Delta) ---------

SPIN_BOSON = ["--alpha-l", "0.1", "--alpha-r", "0.1", "--omega-c", "10", "--tolerance", "0.05"]
SPIN_BOSON_KEYS = {"temperature", "kappa", "kappa_error", "sum_rule_bound", "sigma_x", "kappa_Q",
                   "kappa_bloch_redfield"}  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def private_cache(tmp_path_factory):
    """This module's own cache of finished points (never the user's ~/.cache)."""
    with pytest.MonkeyPatch.context() as patch:
        directory = tmp_path_factory.mktemp("conductance-cache")
        patch.setenv("HEATBOUNDS_CACHE_DIR", str(directory))
        yield directory


@pytest.fixture(scope="module")
def spin_boson_point(private_cache):
    """``conductance spin-boson --temperature 1 --json``, computed once (about 5 s)."""
    pytest.importorskip("qutip")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(["conductance", "spin-boson", "--temperature", "1", *SPIN_BOSON,
                           "--json"])  # fmt: skip
    assert status == 0, err.getvalue()
    assert err.getvalue() == ""  # nothing on stderr when it is not a terminal
    return json.loads(out.getvalue())


@pytest.fixture
def no_solver(monkeypatch):
    """Make any HEOM or QMC run fail the test."""
    from heatbounds.numeric import heom_susceptibility, spin_boson_qmc

    def refuse(*args, **kwargs):
        raise AssertionError("recomputed a cached point")

    monkeypatch.setattr(heom_susceptibility, "spin_boson_conductance", refuse)
    monkeypatch.setattr(spin_boson_qmc, "static_susceptibility", refuse)
    monkeypatch.setattr(spin_boson_qmc, "sigma_x", refuse)


def test_spin_boson_json_contract_and_the_bound_holds(spin_boson_point):
    data = spin_boson_point
    assert set(data) >= SPIN_BOSON_KEYS
    assert data["model"] == "spin-boson" and data["temperature"] == [1.0]
    p = data["parameters"]
    assert (p["alpha"], p["gamma"], p["omega_c"], p["delta"]) == (0.2, 1.0, 10.0, 1.0)
    assert data["converged"] == [True] and data["notes"] == [""]
    (kappa,), (error,), (bound,), (bound_error,) = (
        data[k] for k in ("kappa", "kappa_error", "sum_rule_bound", "sum_rule_bound_error")
    )
    # kappa(Delta) = 0.0321 at alpha = 0.2, omega_c = 10 (converged to 1 %)
    assert kappa == pytest.approx(0.0321, rel=0.01) and 0 < error < 0.05 * kappa
    assert bound == pytest.approx(math.pi * 0.2 / 4 * -data["sigma_x"][0], rel=1e-12)  # Eq. 18
    assert bound_error == pytest.approx(math.pi * 0.2 / 4 * data["sigma_x_stderr"][0])
    assert kappa < bound - 2 * bound_error  # the bound holds, by many error bars
    assert data["kappa_Q"] == pytest.approx([math.pi / 6], rel=1e-15)
    printed = math.pi / 8 * 0.2 / math.sinh(1.0)  # Bloch-Redfield as printed, T = Delta
    assert data["kappa_bloch_redfield"] == pytest.approx([printed], rel=1e-12)
    assert data["kappa_bloch_redfield_finite_cutoff"] == pytest.approx(
        [printed * math.exp(-0.1)], rel=1e-12
    )
    checks = data["checks"]  # the f-sum rule and the static limit against the QMC
    assert checks["f_sum"][0] == pytest.approx(
        -data["sigma_x"][0], abs=3 * data["sigma_x_stderr"][0]
    )
    assert checks["static_susceptibility"][0] == pytest.approx(
        checks["static_susceptibility_qmc"][0], rel=5e-3
    )
    heom = data["heom"][0]
    assert heom["ados"] > 0 and heom["refinements"] and set(heom["changes"]) >= {"depth"}


def test_spin_boson_points_are_read_from_the_cache(spin_boson_point, run, no_solver):
    status, out, err = run("conductance", "spin-boson", "--temperature", "1.0", *SPIN_BOSON,
                           "--json")  # fmt: skip
    assert status == 0 and err == ""
    again = json.loads(out)
    assert again["kappa"] == spin_boson_point["kappa"] and again["cached"] == [True]
    status, out, _ = run("conductance", "spin-boson", "--temperature", "1", *SPIN_BOSON)
    assert status == 0 and "Eq. 18 bound" in out and "0.6385" in out  # kappa / bound
    # every parameter is part of the key: another one computes...
    for extra in (["--delta", "1.5"], ["--omega-c", "20"], ["--tolerance", "0.02"],
                  ["--alpha-l", "0.05", "--alpha-r", "0.15"], ["--no-cache"]):  # fmt: skip
        status, _, err = run("conductance", "spin-boson", "--temperature", "1", *SPIN_BOSON,
                             *extra)  # fmt: skip
        assert status == 3 and "recomputed a cached point" in err, extra


def test_spin_boson_progress_on_a_terminal_only(spin_boson_point, run, monkeypatch):
    from heatbounds.numeric import heom_susceptibility
    from heatbounds.numeric.figure4 import exact_conductance_points

    (record,) = exact_conductance_points([1.0], alpha=0.2, omega_c=10.0, tolerance=0.05)
    assert record.pop("cached") is True  # the point of the module fixture

    class Result:  # what spin_boson_conductance returns, as if computed at T
        def __init__(self, temperature):
            self.temperature = temperature

        def to_dict(self):
            return {**record, "temperature": self.temperature}

    monkeypatch.setattr(heom_susceptibility, "spin_boson_conductance",
                        lambda temperature, **kwargs: Result(temperature))  # fmt: skip

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    status, _, _ = run("conductance", "spin-boson", "--temperature", "1,2", *SPIN_BOSON,
                       "--no-cache")  # fmt: skip
    assert status == 0
    lines = terminal.getvalue().splitlines()
    steps = len(record["history"])
    assert len(lines) == 2 * (2 + steps)  # per point: its start, each hierarchy, its result
    assert lines[0] == "[1/2] T = 1: QMC checks and HEOM refinement ..."
    assert lines[1].startswith("[1/2] T = 1:   depth 3, 10 exponents") and " ADOs, " in lines[1]
    assert lines[steps + 1].startswith("[1/2] T = 1: kappa = 0.0320965 +- ")
    assert lines[-1].startswith("[2/2] T = 2: kappa = ")
    # a pipe sees nothing (the module fixture checks stderr == "" while computing)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--alpha-l", "0.5", "--alpha-r", "0.5"], "alpha = alpha_L + alpha_R must be < 1, got 1"),
        (["--alpha-l", "-0.1"], "--alpha-l: coupling must be >= 0, got -0.1"),
        (["--temperature", "1,0"], "--temperature: '0' must be > 0"),
        (["--temperature", "-1"], "--temperature: '-1' must be > 0"),
        (["--omega-c", "0"], "--omega-c: must be > 0, got 0"),
        (["--omega-c", "-10"], "--omega-c: must be > 0, got -10"),
        (["--delta", "0"], "--delta: must be > 0, got 0"),
        (["--tolerance", "0"], "--tolerance: must be > 0, got 0"),
        (["--time-limit", "0"], "--time-limit: must be > 0, got 0"),
        (["--chi", "paper"], "--chi: not an option of conductance spin-boson"),
        (["--omega0", "2"], "--omega0: not an option of conductance spin-boson"),
    ],
)
def test_spin_boson_bad_input_is_refused_before_any_solver_starts(run, no_solver, extra, message):
    argv = ["--temperature", "1", *SPIN_BOSON, *extra]
    status, out, err = run("conductance", "spin-boson", *argv)
    assert status == 2 and out == ""
    assert err.startswith("heatbounds conductance: error:") and message in err


def test_spin_boson_time_limit_exits_2_naming_it(run, monkeypatch):
    pytest.importorskip("qutip")
    from heatbounds.numeric import heom_susceptibility

    monkeypatch.setattr(heom_susceptibility, "spin_boson_conductance",
                        lambda *args, **kwargs: time.sleep(30))  # fmt: skip
    clock = time.perf_counter()
    status, out, err = run("conductance", "spin-boson", "--temperature", "3", *SPIN_BOSON,
                           "--time-limit", "0.5")  # fmt: skip
    assert time.perf_counter() - clock < 10
    assert status == 2 and out == ""
    assert "--time-limit 0.5: the HEOM conductance of the spin-boson model did not finish" in err
    assert "the finished temperatures are cached" in err
