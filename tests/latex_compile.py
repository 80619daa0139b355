"""Compile LaTeX with pdflatex in a temporary directory (shared by the LaTeX tests).

pdflatex is required, never optional: ``.ci/run`` installs it (Debian's
texlive-latex-base), so a missing pdflatex fails the test instead of skipping it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

PDFLATEX = ("pdflatex", "-interaction=nonstopmode", "-halt-on-error")


def compile_latex(tex: str, directory: Path, name: str = "document") -> Path:
    """Compile ``tex``; fail (with the end of the log) on any LaTeX error. Returns the PDF."""
    assert shutil.which("pdflatex"), (
        "pdflatex is missing: install Debian's texlive-latex-base (.ci/run does)"
    )
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
