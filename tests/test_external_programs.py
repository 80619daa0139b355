"""The rule for tests that need an external program (pdflatex), checked both ways."""

from __future__ import annotations

import shutil

import latex_compile
import pytest


@pytest.fixture
def no_pdflatex(monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(
        latex_compile.shutil, "which", lambda name: None if name == "pdflatex" else real_which(name)
    )
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv(latex_compile.REQUIRE_VARIABLE, raising=False)
    return monkeypatch


def test_missing_pdflatex_skips_and_names_the_program_and_the_debian_package(no_pdflatex):
    with pytest.raises(pytest.skip.Exception) as skipped:
        latex_compile.require_pdflatex()
    assert "pdflatex" in str(skipped.value)
    assert "texlive-latex-base" in str(skipped.value)


@pytest.mark.parametrize(
    ("variable", "value"), [("CI", "true"), ("CI", "TRUE"), ("HEATBOUNDS_REQUIRE_PDFLATEX", "1")]
)
def test_missing_pdflatex_fails_where_it_is_required(no_pdflatex, variable, value):
    no_pdflatex.setenv(variable, value)
    with pytest.raises(pytest.fail.Exception) as failed:
        latex_compile.require_pdflatex()
    assert "texlive-latex-base" in str(failed.value)


@pytest.mark.parametrize(
    ("variable", "value"), [("CI", "false"), ("CI", ""), ("HEATBOUNDS_REQUIRE_PDFLATEX", "0")]
)
def test_other_settings_do_not_require_it(no_pdflatex, variable, value):
    no_pdflatex.setenv(variable, value)
    with pytest.raises(pytest.skip.Exception):
        latex_compile.require_pdflatex()


def test_compile_latex_goes_through_the_rule(no_pdflatex, tmp_path):
    with pytest.raises(pytest.skip.Exception):
        latex_compile.compile_latex("\\documentclass{article}", tmp_path)
    assert not (tmp_path / "document.tex").exists()


def test_present_pdflatex_is_used_whatever_the_settings(monkeypatch):
    monkeypatch.setattr(latex_compile.shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setenv("CI", "true")
    assert latex_compile.require_pdflatex() is None
