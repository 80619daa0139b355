"""Sphinx configuration of the heatbounds documentation.

Build (from the repository root, warnings are errors)::

    .venv/bin/python -m sphinx -W --keep-going -b html docs docs/_build/html

The four tutorials under ``notebooks/`` are rendered where they are: each
``docs/tutorials/*.nblink`` names one, and :mod:`heatbounds_docs` (in
``docs/_ext``) reads it for myst-nb, which executes it at build time in the
notebook's own folder. Nothing is copied and nothing is written back, so the
notebooks stay committed without outputs. The build leaves nothing in the
home directory: the heatbounds QMC cache, the Jupyter runtime files and the
IPython profile go to a temporary directory removed at exit.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from importlib import metadata
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))

# --- the environment of the executed notebooks (set before any kernel starts) ------
_SCRATCH = tempfile.mkdtemp(prefix="heatbounds-docs-")
atexit.register(shutil.rmtree, _SCRATCH, ignore_errors=True)
os.environ["HEATBOUNDS_CACHE_DIR"] = os.path.join(_SCRATCH, "heatbounds-cache")
os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(_SCRATCH, "jupyter-runtime")
os.environ["IPYTHONDIR"] = os.path.join(_SCRATCH, "ipython")
os.environ["MPLBACKEND"] = "Agg"
# The "python3" kernel is this interpreter (the one running Sphinx), whatever
# kernelspecs the user has installed: a kernelspec for it goes first on JUPYTER_PATH.
_KERNELS = os.path.join(_SCRATCH, "jupyter")
os.environ["JUPYTER_PATH"] = os.pathsep.join(
    p for p in (_KERNELS, os.environ.get("JUPYTER_PATH", "")) if p
)

from ipykernel.kernelspec import write_kernel_spec  # noqa: E402

write_kernel_spec(os.path.join(_KERNELS, "kernels", "python3"))

# --- project ----------------------------------------------------------------------
project = "heatbounds"
author = "the heatbounds developers"
copyright = "the heatbounds developers"
release = metadata.version("heatbounds")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_nb",  # MyST Markdown pages and the executed notebooks (includes myst_parser)
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",  # numpydoc-style sections in the docstrings
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",  # MathJax shipped with the pages: equations render offline
    "heatbounds_docs",  # docs/_ext: the .nblink reader and the API module lists
]

root_doc = "index"
exclude_patterns = ["_build", "jupyter_execute", "**/.ipynb_checkpoints", "_ext"]
templates_path: list[str] = []

# --- MyST and the notebooks -------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
nb_custom_formats = {".nblink": ["heatbounds_docs.read_nblink", {"root": str(ROOT)}]}
nb_execution_mode = "force"  # every build runs every notebook top to bottom
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_kernel_rgx_aliases = {".*": "python3"}

# --- API reference ----------------------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_default_options = {"show-inheritance": True}
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False

# --- HTML -------------------------------------------------------------------------------
html_theme = "furo"
html_title = f"heatbounds {release}"
html_static_path: list[str] = []
