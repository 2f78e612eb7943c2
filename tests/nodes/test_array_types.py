"""The `array` and `figure` port types (`nodes.types`): declared from numpy / matplotlib classes, which types
feed them, which values fit them."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from pflow_studio.nodes.api import In, Out
from pflow_studio.nodes.types import compatible, value_matches


def test_numpy_and_matplotlib_classes_declare_the_types():
    assert In("x", np.ndarray).type == "array" and Out("f", Figure).type == "figure"
    assert In("x", "array").type == "array"


@pytest.mark.parametrize(("source", "target"), [("array", "array"), ("list", "array"), ("float", "array"),
                                                ("int", "array"), ("array", "float"), ("array", "list"),
                                                ("figure", "figure"),
                                                ("figure", "any"), ("any", "figure")])
def test_what_feeds_what(source, target):
    assert compatible(source, target)


@pytest.mark.parametrize(("source", "target"), [("array", "int"), ("array", "str"), ("array", "dict"),
                                                ("figure", "array"), ("str", "figure"), ("float", "figure")])
def test_what_is_refused(source, target):
    assert not compatible(source, target)


def test_values_that_fit():
    assert value_matches(np.zeros(2), "array") and value_matches([1, 2], "array") and value_matches(3.0, "array")
    assert not value_matches("text", "array") and not value_matches({"a": 1}, "array")
    assert value_matches(Figure(), "figure") and not value_matches([1], "figure")
