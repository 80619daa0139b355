"""Tests of ``heatbounds emit`` (heatbounds/commands/emit.py)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from heatbounds import cli
from heatbounds.codegen.emit import emit_module
from heatbounds.symbolic.models import builtin_model

GOLDEN = Path(__file__).resolve().parents[1] / "codegen" / "golden"


@pytest.fixture
def run(monkeypatch, capsys):
    """Run the real ``cli.main`` with only this subcommand registered."""
    monkeypatch.setattr(cli, "COMMANDS", ("emit",))

    def _run(*argv: str) -> tuple[int, str, str]:
        status = cli.main(list(argv))
        out = capsys.readouterr()
        return status, out.out, out.err

    return _run


def _masked(text: str) -> str:
    return "".join(line for line in text.splitlines(True) if not line.startswith("# Versions:"))


def test_emit_is_registered_in_the_real_command_list():
    assert "emit" in cli.COMMANDS
    assert "emit" in cli.build_parser().format_help()


def test_stdout_is_the_module_with_the_command_in_its_header(run):
    status, out, err = run("emit", "harmonic", "--units", "si")
    assert status == 0 and err == ""
    assert out == emit_module(
        builtin_model("harmonic"), units="si", command="heatbounds emit harmonic --units si"
    )
    assert "# Regenerate: heatbounds emit harmonic --units si\n" in out


def test_output_file_is_written_whole_and_reproduces_the_golden(run, tmp_path, monkeypatch):
    """The command recorded in a golden file regenerates it byte for byte."""
    monkeypatch.chdir(tmp_path)
    target = Path("tests/codegen/golden/spin_boson_reduced.py")
    target.parent.mkdir(parents=True)
    status, out, err = run("emit", "spin-boson", "--units", "reduced", "-o", str(target))
    assert (status, out, err) == (0, "", "")
    assert _masked(target.read_text()) == _masked((GOLDEN / target.name).read_text())
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temp file left
    first = target.read_bytes()
    assert run("emit", "spin-boson", "--units", "reduced", "-o", str(target))[0] == 0
    assert target.read_bytes() == first
    spec = importlib.util.spec_from_file_location("cli_emitted", target)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.sum_rule(Delta=2.0, sigma_x=-0.5) == 1.0


def test_moment_option_reaches_the_sum_rule(run, tmp_path):
    target = tmp_path / "sb3.py"
    assert run("emit", "spin-boson", "--moment", "3", "-o", str(target))[0] == 0
    text = target.read_text()
    assert "--moment 3" in text and "sigma_x_b_L_b_L" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("n-level",), "N_levels"),
        (("no-such-model",), "unknown model"),
        (("harmonic", "--moment", "2"), "even moment"),
    ],
)
def test_refusals_exit_2_and_write_nothing(run, tmp_path, argv, message):
    target = tmp_path / "out.py"
    status, out, err = run("emit", *argv, "-o", str(target))
    assert status == 2 and out == ""
    assert err.startswith("heatbounds emit: error:") and message in err
    assert list(tmp_path.iterdir()) == []


def test_unwritable_target_exits_2(run, tmp_path):
    status, _, err = run("emit", "harmonic", "-o", str(tmp_path / "missing" / "x.py"))
    assert status == 2 and "cannot write" in err
    assert list(tmp_path.iterdir()) == []


def test_bad_units_are_an_argparse_error(run):
    with pytest.raises(SystemExit) as info:
        run("emit", "harmonic", "--units", "cgs")
    assert info.value.code == 2


def test_module_entry_point(tmp_path):
    target = tmp_path / "h.py"
    done = subprocess.run(
        [sys.executable, "-m", "heatbounds", "emit", "harmonic", "-o", str(target)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert target.read_text().startswith("# Generated, do not edit")
