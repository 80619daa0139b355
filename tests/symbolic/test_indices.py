"""Typed indices (symbolic/indices.py): kinds, sort keys and decided deltas."""

from __future__ import annotations

import pickle

import pytest
from sympy import Integer, KroneckerDelta, Symbol

from heatbounds.symbolic.errors import IndexMismatchError
from heatbounds.symbolic.indices import (
    Index,
    LevelIndex,
    ModeIndex,
    delta,
    index_key,
    index_kind,
)

i, j = LevelIndex("i"), LevelIndex("j")
k = ModeIndex("k")


def test_indices_are_integer_symbols_of_one_kind():
    assert isinstance(i, Index) and isinstance(i, Symbol) and i.is_integer
    assert (index_kind(i), index_kind(k), index_kind(3)) == ("level", "mode", None)
    assert LevelIndex("n") == LevelIndex("n")
    assert LevelIndex("n") != ModeIndex("n")  # same name, different kind
    assert LevelIndex("n") != Symbol("n", integer=True)
    assert pickle.loads(pickle.dumps(i)) == i


def test_index_key_orders_numbers_first_then_names():
    values = [j, 2, i, k, 1]
    assert sorted(values, key=index_key) == [1, 2, i, j, k]


def test_delta_is_decided_where_it_can_be():
    assert delta(i, i) == 1 and delta(2, 2) == 1
    assert delta(1, 2) == 0
    assert delta(i, j) == KroneckerDelta(i, j)
    assert delta(i, 2) == KroneckerDelta(i, Integer(2))
    with pytest.raises(IndexMismatchError):
        delta(i, k)
