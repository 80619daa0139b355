"""The command line starts light, lists its exit statuses, and ends quietly on a closed pipe."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from heatbounds import cli
from heatbounds.commands import conductance

HEAVY = ("numba", "matplotlib", "scipy")

PROBE = """
import json, sys
from heatbounds import cli
try:
    cli.main({argv!r})
except SystemExit:
    pass
sys.stdout.flush()
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}})), file=sys.stderr)
"""


def loaded_packages(argv: list[str]) -> set[str]:
    """Top-level packages imported by ``heatbounds ARGV`` in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("argv", [["--help"], ["models"], ["check", "--help"]])
def test_building_the_parser_imports_no_heavy_package(argv):
    loaded = loaded_packages(argv)
    assert not loaded & set(HEAVY), loaded & set(HEAVY)
    assert "sympy" not in loaded  # not even SymPy for --help and models


def test_derive_imports_neither_numba_nor_matplotlib_nor_scipy():
    loaded = loaded_packages(["derive", "spin-boson"])
    assert "sympy" in loaded  # the probe really ran the derivation
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_the_probe_sees_heavy_imports_where_there_are_some():
    # the assertion above could fail: conductance imports SciPy when it runs
    loaded = loaded_packages(
        [
            "conductance",
            "harmonic",
            "--temperature",
            "1",
            "--alpha-l",
            "0.1",
            "--alpha-r",
            "0.1",
            "--omega-c",
            "10",
        ]
    )
    assert "scipy" in loaded


def test_help_of_the_command_and_of_each_subcommand_lists_the_exit_statuses(capsys):
    parser = cli.build_parser()
    subparsers = parser._subparsers._group_actions[0].choices
    for p in [parser, *subparsers.values()]:
        text = p.format_help()
        for line in ("0  success", "1  a check failed", "2  input refused"):
            assert line in text, (p.prog, line)


def test_chi_forms_offered_are_those_of_the_numeric_wing():
    from heatbounds.numeric.harmonic_response import ChiForm

    assert conductance.CHI_FORMS == tuple(f.value for f in ChiForm)


def test_closed_pipe_ends_quietly_with_status_0():
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line is written
    try:
        result = subprocess.run(
            [sys.executable, "-m", "heatbounds", "models"],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write)
    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    assert "BrokenPipeError" not in result.stderr


def test_a_bug_is_exit_status_3_with_its_traceback_never_1(run_command, monkeypatch):
    from heatbounds.commands import models

    def broken(args):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(models, "handler", broken)
    status, _, err = run_command("models")
    assert status == 3
    assert "ZeroDivisionError" in err and "internal error" in err


def test_every_option_of_every_subcommand_says_what_it_does():
    parser = cli.build_parser()
    for name, subparser in parser._subparsers._group_actions[0].choices.items():
        for action in subparser._actions:
            assert action.help, (name, action.option_strings or action.dest)
