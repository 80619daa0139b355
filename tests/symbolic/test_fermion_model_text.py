"""Fermionic model files (symbolic/fermion_model_text.py): what they declare and refuse."""

from __future__ import annotations

import pytest
import sympy as sp

from heatbounds.symbolic.errors import ModelFileError
from heatbounds.symbolic.fermion_junction import FermionJunction, weighted_spectral_moment
from heatbounds.symbolic.model_text import junction_from_table
from heatbounds.symbolic.parameters import hbar, symbol


def table(**model) -> dict:
    return {
        "name": "dot",
        "operators": {"d_up": "fermion", "d_dn": "fermion"},
        "parameters": {"eps_d": "real", "U": "nonnegative"},
        "model": {
            "statistics": "fermion",
            "hamiltonian": "eps_d*(dag(d_up)*d_up + dag(d_dn)*d_dn) "
            "+ U*dag(d_up)*d_up*dag(d_dn)*d_dn",
            "coupling": ["d_up", "d_dn"],
            **model,
        },
    }


def test_a_fermionic_file_gives_a_fermionic_junction():
    j = junction_from_table(table(), source="dot.toml")
    assert isinstance(j, FermionJunction) and j.statistics == "fermion"
    assert j.labels == ("A1", "A2") and j.flags == sp.eye(2) and j.right_scale == 1
    assert weighted_spectral_moment(j, 0) == 2


def test_builtin_names_gamma_and_mu_may_appear_in_expressions():
    j = junction_from_table(
        table(hamiltonian="(eps_d - mu)*dag(d_up)*d_up", coupling=["d_up"]), source="dot.toml"
    )
    assert sp.expand(weighted_spectral_moment(j, 1) - (symbol("eps_d") - symbol("mu")) / hbar) == 0


def test_proportional_lead_flags_fold_their_factor_into_gamma_r():
    j = junction_from_table(
        table(flags={"L": [[1, 0], [0, 1]], "R": [[3, 0], [0, 3]]}), source="dot.toml"
    )
    assert j.right_scale == 3 and j.flags == sp.eye(2)


def test_a_statistics_boson_file_is_the_bosonic_junction():
    data = {
        "name": "osc",
        "operators": {"a": "boson"},
        "parameters": {"omega0": "positive"},
        "model": {
            "statistics": "boson",
            "hamiltonian": "hbar*omega0*dag(a)*a",
            "coupling": ["a + dag(a)"],
        },
    }
    assert junction_from_table(data, source="osc.toml").statistics == "boson"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"coupling": ["d_up", "dag(d_up)"]},
            "model: coupling operators A1 and A2 are a Hermitian",
        ),
        ({"coupling": ["dag(d_up)*d_up"]}, "model: coupling operator A1 is not odd"),
        ({"dissipation": "ohmic"}, "model.dissipation: mixing bosonic baths and fermionic leads"),
        ({"counterterm": True}, "model.counterterm: mixing bosonic baths and fermionic leads"),
        (
            {"flags": {"L": [[1, 0], [0, 1]], "R": [[1, 0], [0, 2]]}},
            "model.flags: non-proportional leads",
        ),
        ({"flags": {"L": [[1, 0], [0, 1]]}}, "model.flags: expected one matrix, or a table"),
        ({"flags": [[1, 0]]}, "model.flags: expected 2 rows of 2 entries"),
        ({"statistics": "anyon"}, "model.statistics: expected boson or fermion"),
        ({"hamiltonian": "dag(d_up)*d_dn"}, "model.hamiltonian, column 1: H_s is not Hermitian"),
        ({"coupling": []}, "model.coupling: expected a non-empty array"),
        ({"coupling": ["eps_d"]}, "model.coupling[0], column 1: a coupling operator A_n must"),
        ({"leads": "wide-band"}, "model: unknown key 'leads'"),
    ],
)
def test_bad_fermionic_files_are_refused_in_one_line(change, message):
    with pytest.raises(ModelFileError) as error:
        junction_from_table(table(**change), source="dot.toml")
    text = str(error.value)
    assert text.startswith("dot.toml: ") and message in text and "\n" not in text


def test_a_builtin_name_cannot_be_declared_as_a_parameter():
    data = table()
    data["parameters"] = {**data["parameters"], "mu": "real"}
    with pytest.raises(ModelFileError, match=r"parameters\.mu: 'mu' is built in"):
        junction_from_table(data, source="dot.toml")
