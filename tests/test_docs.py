"""The documentation under docs/ is tested: every example on its pages runs.

How a page's code blocks run (all of a page's blocks in order, in one
temporary directory holding a copy of ``models/``; that directory is also first
on ``sys.path``, so a module written there by ``heatbounds emit -o`` imports):

* ````` ```sh `````: each line that starts with ``heatbounds`` is run through
  :func:`heatbounds.cli.main` (split with :mod:`shlex`, ``#`` comments dropped, a
  trailing backslash continues the line). Other lines (``python3 -m venv``,
  ``pip install``, ...) set up a machine and are not run here.
* ````` ```console `````: each line ``$ heatbounds ...`` is run the same way;
  the lines after it, up to the next ``$``, are its expected output, compared
  with its stdout followed by its stderr as a doctest compares (``...`` stands
  for any text, runs of whitespace are equal). No lines: output not checked.
* ````` ```python `````: executed, in one namespace per page.
* ````` ```toml `````: must parse; with ``% doctest: file=NAME`` right above the
  block it is also written to NAME, for the commands after it.

A command must exit with status 0, unless the MyST comment line
``% doctest: status=N`` stands right above its block (a documented refusal:
the expected output is then the error message). ``% ...`` lines are comments
in MyST and do not show on the page.

The other tests keep the pages from falling behind the code: every option of
every subcommand is on the command-line page, every page is reachable from the
index, every notebook has its page, and the numbers of the Figure 3 caption are
those of the data.
"""

from __future__ import annotations

import doctest
import importlib
import io
import json
import re
import shlex
import shutil
import sys
import tomllib
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest

from heatbounds import cli

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
NOTEBOOKS = ROOT / "notebooks"
SKIP_DIRS = {"_build", "_ext", "jupyter_execute", ".ipynb_checkpoints"}


def _pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if not SKIP_DIRS & set(p.relative_to(DOCS).parts))


PAGES = _pages()

_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```(?P<lang>[\w-]+)[^\n]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$",
    re.M | re.S,
)
_MARKER = "% doctest:"
_ENVIRONMENT = re.compile(r"[A-Z_][A-Z0-9_]*=\S*")
_CHECKER = doctest.OutputChecker()
_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@dataclass
class Block:
    lang: str
    body: str
    line: int  # of the opening fence, from 1
    options: dict = field(default_factory=dict)


def blocks(page: Path) -> list[Block]:
    """The fenced code blocks of a page with the options of a marker line right above."""
    text = page.read_text(encoding="utf-8")
    out = []
    for match in _FENCE.finditer(text):
        indent = match["indent"]
        body = "\n".join(
            line[len(indent) :] if line.startswith(indent) else line
            for line in match["body"].splitlines()
        )
        before = text[: match.start()].splitlines()
        options = {}
        if before and before[-1].strip().startswith(_MARKER):
            for item in before[-1].strip()[len(_MARKER) :].split():
                key, _, value = item.partition("=")
                options[key] = value
        line = text.count("\n", 0, match.start()) + 1
        out.append(Block(match["lang"], body, line, options))
    return out


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """``heatbounds ARGV`` in this process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = cli.main(argv)
        except SystemExit as exc:  # argparse: --version, --help and usage errors
            status = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    return status, out.getvalue(), err.getvalue()


def sh_commands(body: str) -> list[tuple[str, list[str]]]:
    """(expected output, argv) of each ``heatbounds`` line of a sh block (no output)."""
    commands, pending = [], ""
    for raw in body.splitlines():
        line = pending + raw.strip()
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        if "heatbounds" not in line:
            continue  # machine set-up (python3 -m venv, pip install): not run here
        words = shlex.split(line, comments=True)
        while words and _ENVIRONMENT.fullmatch(words[0]):  # VAR=value heatbounds ...
            words = words[1:]  # (run here without it: it acts on a new process only)
        if words and words[0] == "heatbounds":
            commands.append(("", words[1:]))
    return commands


def console_commands(body: str) -> list[tuple[str, list[str]]]:
    """(expected output, argv) of each ``$ heatbounds`` line of a console block."""
    commands: list[tuple[list[str], str]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            commands.append(([], line[2:]))
        elif commands:
            commands[-1][0].append(line)
    return [
        ("\n".join(want).strip("\n"), shlex.split(command, comments=True)[1:])
        for want, command in commands
        if command.startswith("heatbounds")
    ]


def check_command(page: Path, block: Block, want: str, argv: list[str]) -> None:
    where = f"{page.relative_to(ROOT)}:{block.line}: heatbounds {shlex.join(argv)}"
    expected = int(block.options.get("status", 0))
    status, out, err = run_cli(argv)
    got = out + err
    assert status == expected, f"{where}: exit status {status}, not {expected}\n{got}"
    if want:
        assert _CHECKER.check_output(want + "\n", got, _FLAGS), (
            f"{where}: output differs from the page\n--- page:\n{want}\n--- got:\n{got}"
        )


def run_page(page: Path, workdir: Path) -> int:
    """Run every block of ``page`` in ``workdir``; returns how many blocks ran."""
    namespace: dict = {"__name__": f"docs_{page.stem.replace('-', '_')}"}
    ran = 0
    for block in blocks(page):
        if block.lang == "toml":
            data = tomllib.loads(block.body)
            assert data is not None
            if "file" in block.options:
                (workdir / block.options["file"]).write_text(block.body + "\n")
            ran += 1
        elif block.lang in ("sh", "console"):
            parse = sh_commands if block.lang == "sh" else console_commands
            for want, argv in parse(block.body):
                check_command(page, block, want, argv)
                ran += 1
        elif block.lang == "python":
            importlib.invalidate_caches()  # modules just written by `heatbounds emit -o`
            code = compile(block.body, f"{page.relative_to(ROOT)}:{block.line}", "exec")
            exec(code, namespace)
            ran += 1
    return ran


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """A scratch directory with a copy of models/, the cwd and first on sys.path."""
    shutil.copytree(ROOT / "models", tmp_path / "models")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("HEATBOUNDS_CACHE_DIR", str(tmp_path / "heatbounds-cache"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    before = set(sys.modules)
    yield tmp_path
    for name in set(sys.modules) - before:  # modules emitted into tmp_path
        if str(getattr(sys.modules[name], "__file__", "") or "").startswith(str(tmp_path)):
            del sys.modules[name]


PAGES_WITH_EXAMPLES = [p for p in PAGES if any(b.lang != "text" for b in blocks(p))]


@pytest.mark.parametrize(
    "page", PAGES_WITH_EXAMPLES, ids=[str(p.relative_to(DOCS)) for p in PAGES_WITH_EXAMPLES]
)
def test_page_examples_run(page, workdir):
    assert run_page(page, workdir) > 0


def test_the_pages_have_examples_of_every_kind():
    langs = {b.lang for p in PAGES for b in blocks(p)}
    assert {"sh", "console", "python", "toml"} <= langs
    refusals = [b for p in PAGES for b in blocks(p) if b.options.get("status") == "2"]
    assert len(refusals) >= 4


# --- the command-line page cannot fall behind the parser ------------------------------


def _subparsers():
    parser = cli.build_parser()
    actions = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    assert len(actions) == 1
    return actions[0].choices


def test_cli_page_names_every_subcommand_and_option():
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    missing = []
    for name, subparser in _subparsers().items():
        heading = f"## `heatbounds {name}`"
        if heading not in text:
            missing.append(f"section {heading}")
            continue
        section = text.split(heading, 1)[1].split("\n## ", 1)[0]  # this command's own
        for action in subparser._actions:
            if "-h" in action.option_strings:
                continue
            names = action.option_strings or [action.metavar or action.dest]
            for option in names:
                if not re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", section):
                    missing.append(f"{name} {option}")
    assert not missing, f"docs/cli.md does not mention: {', '.join(missing)}"


def test_cli_page_documents_the_derive_json_contract():
    from contracts import DERIVE_JSON_KEYS

    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    derive = text.split("## `heatbounds derive`", 1)[1].split("\n## ", 1)[0]
    missing = [key for key in sorted(DERIVE_JSON_KEYS) if f"`{key}`" not in derive]
    assert not missing, f"derive's JSON keys missing on docs/cli.md: {missing}"


def _json_table_keys(command: str, table_number: int = 0) -> set[str]:
    """The keys of a JSON table (``| key | type | content |``) in a command's section:
    the first, or the ``table_number``-th counted from 0."""
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    section = text.split(f"## `heatbounds {command}`", 1)[1].split("\n## ", 1)[0]
    table = section.split("| key | type | content |")[1 + table_number].split("\n\n", 1)[0]
    return set(re.findall(r"^\| `(\w+)` \|", table, flags=re.M))


@pytest.mark.parametrize(
    "argv",
    [
        ["derive", "spin-boson", "--format", "json"],
        ["check", "harmonic", "--moments", "1", "--json"],
        [
            "conductance",
            "harmonic",
            "--temperature",
            "1",
            "--alpha-l",
            "0.4",
            "--alpha-r",
            "0.4",
            "--omega-c",
            "10",
            "--json",
        ],
        [
            "sigma-x",
            "--alpha",
            "0.2",
            "--omega-c",
            "10",
            "--temperature",
            "1",
            "--tolerance",
            "0.05",
            "--seed",
            "1",
            "--json",
        ],
    ],
    ids=lambda argv: argv[0],
)
def test_cli_page_json_tables_list_exactly_the_keys_printed(argv):
    status, out, err = run_cli(argv)
    assert status == 0, err
    assert _json_table_keys(argv[0]) == set(json.loads(out))


def test_cli_page_lists_exactly_the_spin_boson_conductance_keys(monkeypatch, tmp_path):
    pytest.importorskip("qutip", reason="needs heatbounds[exact] (QuTiP)")
    monkeypatch.setenv("HEATBOUNDS_CACHE_DIR", str(tmp_path))
    argv = "conductance spin-boson --temperature 1 --alpha-l 0.1 --alpha-r 0.1 --omega-c 10"
    status, out, err = run_cli([*argv.split(), "--tolerance", "0.05", "--json"])
    assert status == 0, err
    data = json.loads(out)
    assert _json_table_keys("conductance", 1) == set(data)
    checks = (DOCS / "cli.md").read_text(encoding="utf-8").split("| `checks` |", 1)[1]
    assert all(f"`{key}`" in checks.split("\n", 1)[0] for key in data["checks"])


# --- structure: toctrees, notebooks, API pages, conf.py, citation -----------------------

_TOCTREE = re.compile(r"^```\{toctree\}[^\n]*\n(?P<body>.*?)^```", re.M | re.S)


def _docname(path: Path) -> str:
    return path.relative_to(DOCS).with_suffix("").as_posix()


def test_every_page_is_reachable_from_the_index():
    documents = {_docname(p): p for p in PAGES}
    documents |= {_docname(p): p for p in DOCS.glob("tutorials/*.nblink")}
    reached, todo = set(), ["index"]
    while todo:
        name = todo.pop()
        if name in reached:
            continue
        reached.add(name)
        page = documents[name]
        if page.suffix != ".md":
            continue
        for toctree in _TOCTREE.finditer(page.read_text(encoding="utf-8")):
            for entry in toctree["body"].splitlines():
                entry = entry.strip()
                if entry and not entry.startswith(":"):
                    target = (Path(name).parent / entry).as_posix().removeprefix("./")
                    assert target in documents, f"{page.name}: toctree entry {entry!r}"
                    todo.append(target)
    assert set(documents) - reached == set()


def test_every_notebook_has_a_page_and_every_page_a_notebook():
    links = {p.stem: json.loads(p.read_text())["path"] for p in DOCS.glob("tutorials/*.nblink")}
    assert set(links) == {p.stem for p in NOTEBOOKS.glob("*.ipynb")}
    for stem, path in links.items():
        assert (ROOT / path).is_file() and Path(path).stem == stem


def test_the_api_pages_cover_the_three_wings():
    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        import heatbounds_docs
    finally:
        sys.path.remove(str(DOCS / "_ext"))
    for wing in ("symbolic", "codegen", "numeric"):
        page = (DOCS / "api" / f"{wing}.md").read_text(encoding="utf-8")
        assert f"<!-- api-modules: heatbounds.{wing} -->" in page
        modules = heatbounds_docs.public_modules(f"heatbounds.{wing}")
        assert modules and not [m for m in modules if m.rsplit(".", 1)[1].startswith("_")]
        for module in modules:  # autodoc imports each one; so must a reader
            importlib.import_module(module)


def test_conf_keeps_notebook_caches_out_of_home(monkeypatch, tmp_path):
    for name in ("HEATBOUNDS_CACHE_DIR", "JUPYTER_PATH", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        monkeypatch.setenv(name, "unchanged")
    monkeypatch.setenv("MPLBACKEND", "unchanged")
    monkeypatch.setattr(sys, "path", list(sys.path))
    conf: dict = {"__file__": str(DOCS / "conf.py")}
    exec(compile((DOCS / "conf.py").read_text(), str(DOCS / "conf.py"), "exec"), conf)
    import os

    cache = Path(os.environ["HEATBOUNDS_CACHE_DIR"])
    assert not cache.is_relative_to(Path.home())
    assert conf["release"] == metadata.version("heatbounds")
    assert conf["nb_execution_mode"] == "force"
    assert conf["html_theme"] == "furo"


def test_the_docs_extra_lists_the_build_dependencies():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    names = {re.split(r"[<>=!~\[; ]", req, maxsplit=1)[0].lower() for req in extras["docs"]}
    assert {"sphinx", "furo", "myst-nb", "ipykernel"} <= names


def test_the_citation_takes_the_version_from_the_package():
    text = (DOCS / "citing.md").read_text(encoding="utf-8")
    assert "version   = {|release|}" in text  # Sphinx substitutes the package version


# --- the figure captions say what the data say ------------------------------------------


def test_figure3_caption_numbers_are_the_data():
    from heatbounds.numeric.figures23 import figure3_data

    text = (DOCS / "figures.md").read_text(encoding="utf-8")
    caption = text.split("figure3.png", 1)[1].split("```", 1)[0]
    data = figure3_data()
    kappa, temperature = data.kappa["exact"], data.temperature
    to_quantum = kappa / data.kappa_Q
    peak = to_quantum.argmax()
    to_bound = kappa / data.sum_rule_bound
    assert round(float(to_quantum[peak]), 2) == 0.68 and "0.68" in caption
    assert 0.4 < temperature[peak] < 0.7 and "T = 0.5" in caption
    assert round(float(to_bound[-1]), 2) == 0.76 and "0.76" in caption
    assert np.all(np.abs(np.diff(to_bound[temperature > 30])) < 1e-4)  # it has levelled off
