"""Shared fixtures of the command-line tests."""

from __future__ import annotations

import pytest

from heatbounds import cli


@pytest.fixture
def run_command(monkeypatch, capsys):
    """``run_command(COMMAND, *args) -> (status, stdout, stderr)``: the real
    ``cli.main`` with only COMMAND registered."""

    def _run(*argv: str) -> tuple[int, str, str]:
        monkeypatch.setattr(cli, "COMMANDS", (argv[0].replace("-", "_"),))
        status = cli.main(list(argv))
        out = capsys.readouterr()
        return status, out.out, out.err

    return _run
