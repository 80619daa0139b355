"""The family interface (symbolic/operator_family.py): sectors, the family table,
immutable singleton families, parity, and the matrix-form slot."""

from __future__ import annotations

import copy
import pickle

import pytest

from heatbounds.symbolic.errors import OperatorAlgebraError
from heatbounds.symbolic.families import BATH, BOSON, FAMILIES, LEVELS, SPIN
from heatbounds.symbolic.indices import LevelIndex
from heatbounds.symbolic.operator_family import FamilyTable, OperatorFamily, Sector, index_text


class Toy(OperatorFamily):
    """A family outside the table, for the interface's own behaviour."""

    key, rank = "toy", 7


def test_unknown_family_is_refused():
    with pytest.raises(OperatorAlgebraError, match="unknown operator family 'anyon'"):
        FAMILIES["anyon"]
    with pytest.raises(
        OperatorAlgebraError,
        match="known: levels, spin, boson, bath, fermion, spin_chain, boson_sites",
    ):
        FAMILIES[3]
    assert "anyon" not in FAMILIES and FAMILIES.get("anyon") is None
    assert FAMILIES.get("spin") is SPIN and FAMILIES[SPIN] is SPIN
    assert len(FAMILIES) == 7
    assert repr(FAMILIES) == "FAMILIES(levels, spin, boson, bath, fermion, spin_chain, boson_sites)"


def test_table_orders_by_rank():
    toy = Toy()
    table = FamilyTable((toy, BOSON, LEVELS))
    assert list(table) == ["levels", "boson", "toy"] and table["toy"] is toy


def test_families_are_immutable_singletons():
    for family in FAMILIES.values():
        assert pickle.loads(pickle.dumps(family)) is family
        assert copy.deepcopy(family) is family and copy.copy(family) is family
        with pytest.raises(AttributeError, match="immutable"):
            family.rank = 7
    sector = SPIN.sector("s")
    assert pickle.loads(pickle.dumps(sector)).family is SPIN


def test_odd_families_are_refused_until_merging_has_signs():
    class Odd(OperatorFamily):
        key, rank, parity = "fermion", 4, 1

    with pytest.raises(OperatorAlgebraError, match="odd"):
        Odd()
    assert Toy().parity == 0


def test_sectors_sort_as_plain_triples():
    sectors = [BATH.sector("b"), BOSON.sector("a"), LEVELS.sector("A"), SPIN.sector("s")]
    sectors += [BOSON.sector("c"), SPIN.sector("r")]
    plain = sorted((s.rank, s.family.key, s.name) for s in sectors)
    assert [tuple(s) for s in sorted(sectors)] == plain
    assert SPIN.sector("s") == (1, "spin", "s") and isinstance(SPIN.sector("s"), Sector)
    assert hash(SPIN.sector("s")) == hash((1, "spin", "s"))
    assert repr(SPIN.sector("s")) == "Sector(rank=1, family='spin', name='s')"


def test_defaults_of_the_interface():
    toy = Toy()
    assert toy.indices("c") == toy.index_kinds("c") == ()
    assert toy.rename("c", {}) == toy.with_indices("c", iter(())) == "c"
    assert toy.model_arguments("toy") is None and toy.model_help() is None
    for method in (toy.multiply, toy.text, toy.latex, toy.identifier):
        with pytest.raises(NotImplementedError):
            method("a", "b")
    with pytest.raises(NotImplementedError):
        toy.adjoint("c")


def test_matrix_form_slot():
    toy = Toy()
    with pytest.raises(OperatorAlgebraError, match="'toy' has no matrix form"):
        _ = toy.matrix_form
    form = object()
    toy.register_matrix_form(form)
    assert toy.matrix_form is form


def test_index_text():
    assert index_text(LevelIndex("n")) == "n" and index_text(3) == "3"
