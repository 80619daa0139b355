"""Compile LaTeX with pdflatex in a temporary directory (shared by the LaTeX tests).

pdflatex is an external program, not a Python package, so a fresh machine with
only python3 does not have it. The rule (:func:`require_pdflatex`):

* where pdflatex is on PATH, the LaTeX tests compile;
* where it is missing, they skip, naming the program and Debian's package
  ``texlive-latex-base`` (which has every package the documents use:
  amsmath, amssymb, geometry);
* where ``CI=true`` (CI sets it) or ``HEATBOUNDS_REQUIRE_PDFLATEX=1``, a missing
  pdflatex fails the test instead. ``.ci/run`` installs texlive-latex-base, so
  in CI the LaTeX tests always run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

PDFLATEX = ("pdflatex", "-interaction=nonstopmode", "-halt-on-error")
DEBIAN_PACKAGE = "texlive-latex-base"
REQUIRE_VARIABLE = "HEATBOUNDS_REQUIRE_PDFLATEX"


def pdflatex_required() -> bool:
    """True where a missing pdflatex fails the tests: CI=true or HEATBOUNDS_REQUIRE_PDFLATEX=1."""
    return (
        os.environ.get("CI", "").strip().lower() == "true"
        or os.environ.get(REQUIRE_VARIABLE, "").strip() == "1"
    )


def require_pdflatex() -> None:
    """Return if pdflatex is on PATH; otherwise skip the test, or fail it where required."""
    if shutil.which("pdflatex"):
        return
    reason = (
        f"pdflatex is not installed: install Debian's {DEBIAN_PACKAGE} "
        f"(apt-get install {DEBIAN_PACKAGE}) to compile the LaTeX documents"
    )
    if pdflatex_required():
        pytest.fail(f"{reason}; it is required here (CI=true or {REQUIRE_VARIABLE}=1)")
    pytest.skip(reason)


def compile_latex(tex: str, directory: Path, name: str = "document") -> Path:
    """Compile ``tex``; fail (with the end of the log) on any LaTeX error. Returns the PDF."""
    require_pdflatex()
    source = directory / f"{name}.tex"
    source.write_text(tex, encoding="utf-8")
    result = subprocess.run(
        [*PDFLATEX, source.name],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    log = directory / f"{name}.log"
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else result.stdout[-3000:]
    assert result.returncode == 0, f"pdflatex failed on {name}.tex:\n{tail}"
    pdf = directory / f"{name}.pdf"
    assert pdf.stat().st_size > 0
    return pdf
