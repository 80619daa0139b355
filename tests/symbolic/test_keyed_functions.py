"""Function classes that carry their data (symbolic/keyed_functions.py)."""

from __future__ import annotations

import sympy as sp

from heatbounds.symbolic.keyed_functions import KeyedFunctionClass, symmetric_coupling


def test_symmetric_coupling_orders_its_level_arguments():
    g = symmetric_coupling("g_L")
    a, b, k = sp.symbols("a b k")
    assert g(a, b, k) == g(b, a, k) and g(2, 1, k) == g(1, 2, k)
    assert g(a, b, k).is_real


def test_classes_with_equal_name_and_data_are_equal_and_others_are_not():
    assert symmetric_coupling("g_L") == symmetric_coupling("g_L")
    assert hash(symmetric_coupling("g_L")) == hash(symmetric_coupling("g_L"))
    assert symmetric_coupling("g_L") != symmetric_coupling("g_R")
    first = KeyedFunctionClass("E", (sp.Function,), energies=(1, 2))
    same = KeyedFunctionClass("E", (sp.Function,), energies=(1, 2))
    other = KeyedFunctionClass("E", (sp.Function,), energies=(1, 3))
    x = sp.Symbol("x")
    assert first == same and first(x) == same(x)
    assert first != other and first(x) != other(x)
