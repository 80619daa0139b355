"""Tests of ``heatbounds sigma-x`` (heatbounds/commands/sigma_x.py)."""

from __future__ import annotations

import io
import json
import math
import re
import sys

import pytest

from heatbounds import cli

BASE = ["sigma-x", "--alpha", "0.2", "--omega-c", "10"]


@pytest.fixture
def run(monkeypatch, capsys):
    """Run the real ``cli.main`` with only this subcommand registered."""
    monkeypatch.setattr(cli, "COMMANDS", ("sigma_x",))

    def _run(*argv: str) -> tuple[int, str, str]:
        status = cli.main(list(argv))
        out = capsys.readouterr()
        return status, out.out, out.err

    return _run


def test_sigma_x_is_registered_in_the_real_command_list():
    assert "sigma_x" in cli.COMMANDS
    assert "sigma-x" in cli.build_parser().format_help()


def test_json_arrays_and_reproducible_seed(run):
    argv = [*BASE, "--temperature", "1,3", "--tolerance", "1e-2", "--seed", "5", "--json"]
    status, out, err = run(*argv)
    assert status == 0 and err == ""
    data = json.loads(out)
    for key in ("temperature", "sigma_x", "stderr", "n_kinks", "sweeps", "seconds"):
        assert isinstance(data[key], list) and len(data[key]) == 2
    assert data["temperature"] == [1.0, 3.0] and data["seed"] == 5
    assert all(e <= 1e-2 for e in data["stderr"]) and all(data["converged"])
    for t, s, n in zip(data["temperature"], data["sigma_x"], data["n_kinks"], strict=True):
        assert s == pytest.approx(-2 * n * t, rel=1e-12)  # <sigma_x> = -2 <n> / (beta Delta)
        assert -math.tanh(0.5 / t) < s < 0  # coupling reduces the coherence
    assert json.loads(run(*argv)[1])["sigma_x"] == data["sigma_x"]


def test_table_output(run):
    status, out, _ = run(*BASE, "--temperature", "2", "--tolerance", "2e-2", "--seed", "1")
    assert status == 0
    assert "reduced units hbar = k_B = 1" in out and "sigma_x" in out
    assert len(out.strip().splitlines()) == 4


def test_time_limit_warns_and_flags_unconverged(run):
    status, out, err = run(
        *BASE, "--temperature", "1", "--tolerance", "1e-7", "--time-limit", "0.2", "--json"
    )
    assert status == 0
    assert "time limit reached" in err
    assert json.loads(out)["converged"] == [False]


def test_progress_bar_only_on_a_terminal(run, monkeypatch):
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    status, _, _ = run(*BASE, "--temperature", "1", "--tolerance", "2e-2", "--seed", "1")
    assert status == 0
    assert "[1/1]" in tty.getvalue() and "#" in tty.getvalue()


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["--alpha", "-0.1"], "--alpha: alpha must be >= 0"),
        (["--alpha", "1"], "localised"),
        (["--alpha", "__import__('os')"], "--alpha: .* is not a number"),
        (["--alpha", "inf"], "--alpha: 'inf' is not finite"),
        (["--temperature", "0"], "--temperature: '0' must be > 0"),
        (["--temperature", "-1"], "--temperature"),
        (["--temperature", "1,nan"], "--temperature: 'nan' is not finite"),
        (["--temperature", "1,,2"], "--temperature: empty entry"),
        (["--omega-c", "0"], "--omega-c: must be > 0"),
        (["--delta", "-2"], "--delta: must be > 0"),
        (["--tolerance", "0"], "--tolerance: must be > 0"),
        (["--seed", "1.5"], "--seed"),
    ],
)
def test_refusals_exit_2_and_name_the_option(run, argv, match):
    args = {"--alpha": "0.2", "--omega-c": "10", "--temperature": "1"}
    args.update(dict(zip(argv[::2], argv[1::2], strict=True)))
    flat = [x for kv in args.items() for x in kv]
    status, out, err = run("sigma-x", *flat)
    assert status == 2 and out == ""
    assert err.startswith("heatbounds sigma-x: error: ")
    assert re.search(match, err)


def test_a_point_cut_in_burn_in_is_null_in_json_and_warned(run):
    """T = 1e-3 needs minutes of burn-in: the time limit holds and the point has no
    estimate (null, not a traceback on nan), flagged not converged and not burned in."""
    argv = [*BASE, "--temperature", "1e-3,2", "--tolerance", "2e-2", "--seed", "1"]
    status, out, err = run(*argv, "--time-limit", "0.5", "--json")
    assert status == 0
    data = json.loads(out)
    assert data["sigma_x"][0] is None and data["stderr"][0] is None
    assert data["converged"] == [False, True] and data["burned_in"] == [False, True]
    assert data["seconds"][0] < 0.5 + 2.0  # generous: the limit is 0.5 s per temperature
    assert -1 < data["sigma_x"][1] < 0
    assert "T = 0.001: time limit reached during burn-in: no estimate" in err
    assert "T = 2:" not in err
