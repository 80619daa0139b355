"""Sphinx helpers of the heatbounds documentation (loaded by ``docs/conf.py``).

* :func:`read_nblink`: the myst-nb reader of ``*.nblink`` files. Such a file is
  one line of JSON, ``{"path": "notebooks/NAME.ipynb"}`` (relative to the
  repository root), so that the notebooks are rendered from where they are
  committed, never copied. The reader puts one hidden cell first that changes
  into the notebook's folder, so it runs there as in Jupyter and in
  ``tests/test_notebooks.py`` (the notebooks read ``../models``).
* The API pages: a line ``<!-- api-modules: PACKAGE -->`` in a page is replaced,
  when Sphinx reads the page, by one section per public module of PACKAGE (every
  module whose name does not start with ``_``), each an ``automodule`` whose
  members are the module's ``__all__``. A module added to a wing is therefore
  documented without editing the page.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from pathlib import Path

import nbformat

__all__ = ["api_section", "public_modules", "read_nblink", "setup"]

_API_MARKER = re.compile(r"^<!-- api-modules: (?P<package>[\w.]+) -->$", re.M)
_HIDDEN = ["remove-cell"]  # myst-nb: run the cell, show nothing of it


def read_nblink(text: str, root: str) -> nbformat.NotebookNode:
    """The notebook named by an ``.nblink`` file, with a hidden first cell that
    changes into the notebook's folder."""
    link = json.loads(text)
    path = (Path(root) / link["path"]).resolve()
    notebook = nbformat.read(path, as_version=4)
    setup = nbformat.v4.new_code_cell(f"import os\nos.chdir({str(path.parent)!r})")
    setup.metadata["tags"] = list(_HIDDEN)
    setup["id"] = "heatbounds-docs-setup"
    notebook.cells.insert(0, setup)
    return notebook


def public_modules(package: str) -> list[str]:
    """The importable modules of ``package`` whose names do not start with ``_``."""
    path = importlib.import_module(package).__path__
    names = (info.name for info in pkgutil.iter_modules(path) if not info.ispkg)
    return [f"{package}.{name}" for name in sorted(names) if not name.startswith("_")]


def api_section(module: str) -> str:
    """One MyST section documenting ``module``: its docstring, then its ``__all__``."""
    return "\n".join(
        [
            f"## `{module.rsplit('.', 1)[1]}`",
            "",
            "```{eval-rst}",
            f".. automodule:: {module}",
            "   :members:",
            "   :undoc-members:",
            "",
            "```",
            "",
        ]
    )


def _expand_api_markers(app, docname: str, source: list[str]) -> None:
    def sections(match: re.Match) -> str:
        modules = public_modules(match["package"])
        return "\n".join(api_section(m) for m in modules)

    source[0] = _API_MARKER.sub(sections, source[0])


def setup(app) -> dict:
    app.connect("source-read", _expand_api_markers)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
