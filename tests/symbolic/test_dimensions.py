"""Parameter dimensions read off H_s: each term an energy, each A_n dimensionless."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import sympy as sp

from heatbounds.codegen.emit import emit_module
from heatbounds.model_files import load_model
from heatbounds.symbolic.dimensions import dimension_text, parameter_dimensions
from heatbounds.symbolic.model_text import junction_from_table
from heatbounds.symbolic.models import BUILTIN_MODELS, builtin_model

ROOT = Path(__file__).resolve().parents[2]
LAM, MU = sp.symbols("lambda mu", positive=True)  # J -> lambda J, s -> mu s


def model(hamiltonian: str, coupling: str = "a + dag(a)", parameters=None, operators=None):
    return junction_from_table(
        {
            "name": "m",
            "operators": operators or {"a": "boson"},
            "parameters": parameters or {"w": "positive", "U": "real"},
            "model": {"hamiltonian": hamiltonian, "coupling": [coupling]},
        },
        source="m.toml",
    )


def assert_h_scales_as_an_energy(junction, dims):
    """Independent route: rescale J and s; every H_s coefficient must scale as J."""
    coefficients = [sp.sympify(c) for c in junction.system_hamiltonian.terms.values()]
    scale = {}
    for sym in set().union(*(c.free_symbols for c in coefficients)):
        if sym.name == "hbar":
            scale[sym] = sym * LAM * MU
        elif sym.name in dims:
            a, b = dims[sym.name]
            scale[sym] = sym * LAM**a * MU**b
    for coefficient in coefficients:
        ratio = sp.simplify(sp.sympify(coefficient).xreplace(scale) / coefficient)
        assert ratio == LAM, (coefficient, ratio)


@pytest.mark.parametrize("name", ["kerr", "lambda-system", "three-level", "harmonic"])
def test_model_files_get_dimensions_that_make_every_term_an_energy(name):
    junction = load_model(str(ROOT / "models" / f"{name}.toml"))
    dims = parameter_dimensions(junction)
    assert set(dims) == set(junction.parameters) and None not in dims.values()
    assert_h_scales_as_an_energy(junction, dims)


def test_kerr_and_lambda_system_values():
    kerr = parameter_dimensions(load_model(str(ROOT / "models" / "kerr.toml")))
    assert kerr == {"U": (1, 0), "omega0": (0, -1)}
    lam = parameter_dimensions(load_model(str(ROOT / "models" / "lambda-system.toml")))
    assert lam["c"] == (0, 0) and lam["delta"] == (0, -1)  # c sits in A_n: dimensionless


@pytest.mark.parametrize("name", list(BUILTIN_MODELS))
def test_builtin_models_agree_with_their_names(name):
    dims = parameter_dimensions(builtin_model(name))
    frequency = {"omega0", "Delta"}
    for parameter, dim in dims.items():
        if parameter in frequency:
            assert dim == (0, -1)
        if parameter == "lam":
            assert dim == (1, 0)


def test_what_the_hamiltonian_says_wins_over_the_name():
    # w without hbar is an energy, whatever it is called; then hbar U w is one
    # when U is J^-1 s^-1
    dims = parameter_dimensions(model("w*dag(a)*a + hbar*U*w*dag(a)*dag(a)*a*a"))
    assert dims == {"w": (1, 0), "U": (-1, -1)}


def test_a_symbolic_power_fixes_no_dimension_and_is_not_an_error():
    # U**w: neither U nor w can be read off this term (it was a TypeError from SymPy)
    junction = model(
        "hbar*w*dag(a)*a + U**w*(a*a + dag(a)*dag(a))",
        parameters={"w": "positive", "U": "positive"},
    )
    assert parameter_dimensions(junction) == {"w": (0, -1), "U": None}


@pytest.mark.parametrize(
    "hamiltonian",
    [
        # inconsistent: w both a frequency and an energy
        "hbar*w*dag(a)*a + w*(a*a + dag(a)*dag(a))",
        "hbar*w*dag(a)*a + exp(U)*(a*a + dag(a)*dag(a))",  # U only inside exp
    ],
)
def test_unfixed_dimensions_are_none_and_say_so_in_the_module(hamiltonian, tmp_path):
    junction = model(hamiltonian)
    dims = parameter_dimensions(junction)
    assert dims["U"] is None
    if "exp" in hamiltonian:
        assert dims["w"] == (0, -1)
    source = emit_module(junction, units="si", command="test")
    path = tmp_path / "m.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("m_module", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if "exp" in hamiltonian:  # U is an argument of the module, with no unit to give
        assert module.PARAMETERS["U"][1] == "unit not fixed by H_s"
    else:  # no consistent solution: w is not given a unit either
        assert module.PARAMETERS["w"][1] == "unit not fixed by H_s"


@pytest.mark.parametrize(("units", "expected"), [("si", "J"), ("reduced", "energy unit")])
def test_emitted_kerr_module_gives_u_the_unit_of_an_energy(tmp_path, units, expected):
    source = emit_module(load_model(str(ROOT / "models" / "kerr.toml")), units=units, command="t")
    path = tmp_path / f"kerr_{units}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(f"kerr_{units}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.PARAMETERS["U"][1] == expected
    assert module.PARAMETERS["omega0"][1] == (
        "rad/s" if units == "si" else "hbar omega in the energy unit"
    )


def test_dimension_text():
    assert [dimension_text(d) for d in [(1, 0), (0, -1), (0, 0), (1, 1), (2, -1)]] == [
        "J",
        "rad/s",
        "1",
        "J s",
        "J^2 s^-1",
    ]
