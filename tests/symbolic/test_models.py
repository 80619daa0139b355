"""Built-in models (symbolic/models.py): factories, level energies and their printing."""

from __future__ import annotations

import doctest

import pytest
import sympy as sp

from heatbounds.symbolic import models
from heatbounds.symbolic.catalogue import BUILTIN_MODEL_DESCRIPTIONS
from heatbounds.symbolic.errors import ModelError
from heatbounds.symbolic.indices import LevelIndex
from heatbounds.symbolic.junction import MatrixUnits
from heatbounds.symbolic.models import (
    BUILTIN_MODELS,
    LevelEnergy,
    builtin_model,
    energy,
    harmonic,
    n_level,
    n_level_concrete,
    spin_boson,
)
from heatbounds.symbolic.operators import Boson, Spin
from heatbounds.symbolic.parameters import hbar, symbol

n, m = LevelIndex("n"), LevelIndex("m")


def test_doctests():
    assert doctest.testmod(models).failed == 0


def test_every_builtin_builds_under_its_name():
    assert list(BUILTIN_MODELS) == list(BUILTIN_MODEL_DESCRIPTIONS)
    for name in BUILTIN_MODELS:
        junction = builtin_model(name)
        assert junction.name == name and junction.description
        assert builtin_model(name) is not junction  # a fresh junction each time
    with pytest.raises(ModelError, match="unknown model 'nope'; built-in models are harmonic"):
        builtin_model("nope")


def test_harmonic_and_spin_boson_are_the_papers_models():
    a, s = Boson("a"), Spin("sigma")
    omega0, delta = symbol("omega0"), symbol("Delta")
    assert harmonic().system_hamiltonian == hbar * omega0 * (a.number + sp.Rational(1, 2))
    assert harmonic().couplings.as_dict() == {"x": a.x} and harmonic().counterterm
    assert not harmonic(counterterm=False).counterterm
    x4 = harmonic(anharmonic_order=4)
    assert x4.name == "anharmonic-x4" and "lam" in x4.parameters
    assert x4.system_hamiltonian - harmonic().system_hamiltonian == models.lam * a.x**4
    for order in (2, 3.0, "4"):
        with pytest.raises(ModelError, match="integer >= 3"):
            harmonic(anharmonic_order=order)
    assert spin_boson().system_hamiltonian == hbar * delta / 2 * s.x
    assert spin_boson().couplings.as_dict() == {"z": s.z}


def test_n_level_models():
    symbolic = n_level()
    assert isinstance(symbolic.couplings, MatrixUnits)
    assert str(symbolic.couplings.levels.size) == "N_levels"
    three = n_level_concrete([1, 2, 5])
    assert three.name == "3-level" and three.couplings.levels.size == 3
    assert n_level_concrete([1, 2], include_bath=False).hamiltonian == (
        n_level_concrete([1, 2], include_bath=False).system_hamiltonian
    )
    with pytest.raises(ModelError, match="at least two energies"):
        n_level_concrete([1])
    with pytest.raises(ModelError, match="numbers or SymPy expressions"):
        n_level_concrete(["1 + 1", 2])  # text is never parsed
    assert builtin_model("three-level").parameters == {
        f"E_{k}": f"energy of level {k}" for k in (1, 2, 3)
    }


def test_level_energies_live_on_their_function():
    energies = (sp.Integer(1), sp.Integer(2), sp.Integer(5))
    first, second = models._level_energy(energies), models._level_energy(energies)
    other = models._level_energy((1, 2, 7))
    assert first.energies == energies and other.energies == (1, 2, 7)
    assert first(2) == 2 and first(3) == 5 and other(3) == 7
    assert isinstance(first(n), LevelEnergy) and first(n).is_real
    # Equal energies give equal terms; different ones never do.
    assert first == second and hash(first) == hash(second) and first(n) == second(n)
    assert first != other and first(n) != other(n)
    assert first(n).xreplace({n: sp.Integer(2)}) == 2
    assert not hasattr(models, "_LEVEL_ENERGIES")
    # Two models with equal energies have equal Hamiltonians.
    assert n_level_concrete([1, 2, 5]).hamiltonian == n_level_concrete([1, 2, 5]).hamiltonian
    assert n_level_concrete([1, 2, 5]).hamiltonian != n_level_concrete([1, 2, 7]).hamiltonian


@pytest.mark.parametrize(
    "function", [energy, models._level_energy((sp.Symbol("E_1"), sp.Symbol("E_2")))]
)
def test_level_energy_latex_takes_powers(function):
    # SymPy's LaTeX printer passes exp= to a function's _latex for f(x)**k (issue 13).
    assert sp.latex(function(n)) == "E_{n}"
    assert sp.latex(function(n) ** 2) == "E_{n}^{2}"
    assert sp.latex(function(m) ** 3 * function(n)) in (
        "E_{m}^{3} E_{n}",
        "E_{n} E_{m}^{3}",
    )
    assert sp.latex(sp.sqrt(function(n))) == r"\sqrt{E_{n}}"
    assert str(function(n) ** 2).endswith("(n)**2")


def test_papers_printer_prints_powers_of_every_custom_function():
    from heatbounds.codegen.latex_printer import PaperLatexPrinter

    printer = PaperLatexPrinter()
    assert printer.doprint(energy(n) ** 2) == "E_{n}^{2}"
    from heatbounds.symbolic.junction import symmetric_coupling

    k = sp.Symbol("k")
    g = symmetric_coupling("g_L")(n, m, k)
    # g^{mn}_{L k} has a superscript, so its square needs parentheses to compile.
    assert printer.doprint(g**2) == r"\left(g^{mn}_{L k}\right)^{2}"
    assert printer.doprint(g) == "g^{mn}_{L k}"
