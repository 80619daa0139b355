"""The built-in models' names and descriptions (symbolic/catalogue.py)."""

from __future__ import annotations

import doctest
import subprocess
import sys

from heatbounds.symbolic import catalogue
from heatbounds.symbolic.catalogue import BUILTIN_MODEL_DESCRIPTIONS


def test_doctests():
    assert doctest.testmod(catalogue).failed == 0


def test_names_are_command_line_words_with_an_equation():
    for name, description in BUILTIN_MODEL_DESCRIPTIONS.items():
        assert name == name.lower() and " " not in name and not name.endswith(".toml")
        assert description and "Eq." in description and "\n" not in description


def test_catalogue_imports_no_sympy():
    # It is read by `heatbounds models` and `--help`, which must start fast.
    code = (
        "import sys, heatbounds.symbolic.catalogue as c; "
        "assert c.BUILTIN_MODEL_DESCRIPTIONS; "
        "print('sympy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
