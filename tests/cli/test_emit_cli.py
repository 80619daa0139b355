"""Tests of ``heatbounds emit`` (heatbounds/commands/emit.py)."""

from __future__ import annotations

import importlib.util
import os
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


def _unwritable_targets(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """Targets that cannot be written -> (the -o argument, the reason printed)."""
    (tmp_path / "file").write_text("not a directory\n")
    (tmp_path / "dir").mkdir()
    return {
        "directory": (str(tmp_path / "dir"), "is a directory"),
        "directory with slash": (f"{tmp_path / 'dir'}/", "is a directory"),
        "missing parent": (
            str(tmp_path / "missing" / "x.py"),
            f"no such directory: {tmp_path / 'missing'}",
        ),
        "parent is a file": (
            str(tmp_path / "file" / "x.py"),
            f"not a directory: {tmp_path / 'file'}",
        ),
    }


@pytest.mark.parametrize(
    "case", ["directory", "directory with slash", "missing parent", "parent is a file"]
)
def test_unwritable_target_is_refused_naming_the_path_given(run, tmp_path, case):
    """Fix 3: exit 2, one line naming the -o argument (never a temporary file), nothing left."""
    target, reason = _unwritable_targets(tmp_path)[case]
    before = sorted(tmp_path.rglob("*"))
    status, out, err = run("emit", "spin-boson", "-o", target)
    assert (status, out) == (2, "")
    assert err == f"heatbounds emit: error: -o {target}: {reason}\n"
    assert ".tmp" not in err and "Traceback" not in err
    assert sorted(tmp_path.rglob("*")) == before


def test_write_failure_is_refused_naming_the_path_given(run, tmp_path, monkeypatch):
    """A place that cannot be written (here: creating the temporary file is not permitted)."""
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / ".x.py.abc.tmp"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    target = str(tmp_path / "x.py")
    status, out, err = run("emit", "spin-boson", "-o", target)
    assert (status, out) == (2, "")
    assert err == (
        f"heatbounds emit: error: -o {target}: cannot create a file in {tmp_path}: "
        "permission denied\n"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only directory")
def test_read_only_directory_is_refused(run, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        status, _, err = run("emit", "spin-boson", "-o", str(locked / "x.py"))
        assert status == 2 and err.startswith(f"heatbounds emit: error: -o {locked / 'x.py'}: ")
        assert "permission denied" in err and list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)


def test_failed_rename_leaves_nothing_and_names_the_path(tmp_path, monkeypatch):
    """write_atomically (also behind figures --out): the temporary file is removed."""
    from heatbounds.commands import _files
    from heatbounds.symbolic.errors import HeatboundsError, OutputFileError

    def fail(source, destination):
        raise IsADirectoryError(21, "Is a directory", source, None, destination)

    monkeypatch.setattr(_files.os, "replace", fail)
    with pytest.raises(OutputFileError) as info:
        _files.write_atomically(tmp_path / "figure2.png", b"png")
    assert str(info.value) == f"{tmp_path / 'figure2.png'}: cannot write: is a directory"
    assert isinstance(info.value, HeatboundsError) and ".tmp" not in str(info.value)
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
