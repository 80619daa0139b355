"""Tests of ``heatbounds conductance`` (heatbounds/commands/conductance.py)."""

from __future__ import annotations

import json
import math

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
    status, _, err = run("conductance", "spin-boson", "--temperature", "1", *ARGS)
    assert status == 2 and "spin-boson" in err and "harmonic" in err


def test_unknown_chi_form_is_an_argparse_error(run):
    with pytest.raises(SystemExit) as exc:
        run("conductance", "harmonic", "--temperature", "1", *ARGS, "--chi", "kubo")
    assert exc.value.code == 2


def test_registered_in_the_full_command_line(capsys):
    assert "conductance" in cli.COMMANDS
    status = cli.main(["conductance", "harmonic", "--temperature", "1", *ARGS, "--json"])
    assert status == 0 and json.loads(capsys.readouterr().out)["kappa"][0] > 0
