"""The exception classes (symbolic/errors.py): one hierarchy, all ValueErrors."""

from __future__ import annotations

import pytest

from heatbounds.symbolic import errors
from heatbounds.symbolic.errors import HeatboundsError, ModelError, ModelFileError


@pytest.mark.parametrize("name", errors.__all__)
def test_every_error_is_a_heatbounds_error_and_a_value_error(name):
    cls = getattr(errors, name)
    assert issubclass(cls, HeatboundsError) and issubclass(cls, ValueError)
    assert cls.__doc__ and cls.__module__ == errors.__name__
    with pytest.raises(HeatboundsError, match="message"):
        raise cls("message")


def test_model_file_errors_are_model_errors():
    assert issubclass(ModelFileError, ModelError)
    assert not issubclass(errors.BoundConditionError, ModelError)


def test_all_lists_every_exception_class():
    classes = {
        name
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, Exception)
    }
    assert classes == set(errors.__all__)
