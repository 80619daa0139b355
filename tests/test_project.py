"""Project-level checks: the README's commands, docstring examples, packaging."""

from __future__ import annotations

import ast
import doctest
import importlib
import math
import pkgutil
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

import heatbounds
from heatbounds import cli

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", quick, flags=re.S)


def test_readme_quick_start_has_two_commands_and_ci_runs_the_second():
    commands = readme_commands()
    assert len(commands) == 2
    assert "heatbounds derive spin-boson" in commands[0]
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert commands[1] in ci


WINGS = ("heatbounds.symbolic", "heatbounds.codegen", "heatbounds.numeric")


def _modules():
    # The wings live in their own top-level folders (pyproject package-dir), so
    # walking heatbounds.__path__ alone would never reach them.
    yield from WINGS
    packages = [("heatbounds.", heatbounds.__path__)]
    packages += [(f"{w}.", importlib.import_module(w).__path__) for w in WINGS]
    for prefix, path in packages:
        for info in pkgutil.walk_packages(path, prefix):
            if not info.name.endswith("__main__"):
                yield info.name


@pytest.mark.parametrize("name", sorted(_modules()))
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def test_data_flows_one_way():
    """symbolic imports neither other wing; codegen not numeric; nothing imports the CLI."""
    forbidden = {
        "symbolic": (
            "heatbounds.codegen",
            "heatbounds.numeric",
            "heatbounds.cli",
            "heatbounds.commands",
        ),
        "codegen": ("heatbounds.numeric", "heatbounds.cli", "heatbounds.commands"),
        "numeric": ("heatbounds.cli", "heatbounds.commands"),
    }
    for wing, prefixes in forbidden.items():
        for path in (ROOT / wing).glob("*.py"):
            bad = [m for m in _imports(path) if m.startswith(prefixes)]
            assert not bad, (path, bad)


@pytest.mark.slow
def test_regular_wheel_contains_the_three_wings(tmp_path):
    """A regular (non-editable) build installs heatbounds.symbolic etc., never bare names."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("heatbounds-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for wing in ("symbolic", "codegen", "numeric", "commands"):
        assert f"heatbounds/{wing}/__init__.py" in names
    assert not any(n.startswith(("symbolic/", "codegen/", "numeric/")) for n in names)


def readme_blocks(language: str) -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(rf"```{language}\n(.*?)\n```", text, flags=re.S)


def test_readme_python_examples_run(tmp_path, monkeypatch):
    """The README's Python blocks run in order, after its ``emit`` example wrote the module."""
    shutil.copytree(ROOT / "models", tmp_path / "models")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    emit = next(line for b in readme_blocks("sh") for line in b.splitlines() if " emit " in line)
    assert cli.main(emit.split()[1:]) == 0
    namespace: dict = {}
    for block in readme_blocks("python"):
        exec(compile(block, "README.md", "exec"), namespace)
    # the examples compute what their comments say
    names = {s.name: s for s in namespace["m"].free_symbols}
    assert namespace["m"].subs(names["U"], 0) == names["omega0"] / names["hbar"]
    assert namespace["document"].startswith("%") and "\\end{document}" in namespace["document"]
    kappa = namespace["sb"].conductance_bound(
        [0.5, 1.0], Delta=1e11, alpha_L=0.1, alpha_R=0.1, sigma_x=-0.6
    )
    k_b = 1.380649e-23
    assert np.allclose(kappa, math.pi * 0.2 * 1.0 / 4 * k_b * 0.6 * 1e11, rtol=1e-14)


def test_readme_lists_exactly_the_reserved_names():
    from heatbounds.symbolic.model_text import RESERVED

    text = " ".join((ROOT / "README.md").read_text().split())
    listed = re.search(r"these are reserved and refused as names: `([^`]*)`", text)
    assert listed is not None
    assert set(listed.group(1).split()) == set(RESERVED)


def test_user_documentation_does_not_point_outside_the_project():
    # ../shared is the team's folder; users do not have it
    for path in [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]:
        assert "../shared" not in path.read_text(), path


SPHINX_BUILD = ".venv/bin/python -m sphinx -W --keep-going -b html docs docs/_build/html"


def test_readme_names_the_docs_build_and_ci_runs_it_after_the_tests():
    readme = (ROOT / "README.md").read_text()
    assert SPHINX_BUILD in readme
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert SPHINX_BUILD in ci
    assert ci.index(SPHINX_BUILD) > ci.index(readme_commands()[1])
    assert "export CI=true" in ci  # a missing pdflatex fails in CI (tests/latex_compile.py)


# Symbolic modules whose test module has another name than test_<module>.py.
_SYMBOLIC_TEST_MODULES = {"canonical": "test_canonical_form.py"}


def test_every_symbolic_module_has_a_test_module():
    """Issue 13: the engine's hard path is tested module by module."""
    modules = sorted(p.stem for p in (ROOT / "symbolic").glob("*.py") if p.stem != "__init__")
    missing = [
        name
        for name in modules
        if not (
            ROOT / "tests" / "symbolic" / _SYMBOLIC_TEST_MODULES.get(name, f"test_{name}.py")
        ).is_file()
    ]
    assert missing == [], f"symbolic modules without a test module: {missing}"
