"""The viewer chosen for each kind of value, the fallback, and viewers added by plug-ins through the entry point."""

from __future__ import annotations

import importlib.metadata
import io

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from pflow_studio.app.viewers.builtin import builtin_registry, default_registry
from pflow_studio.app.viewers.registry import ENTRY_POINT_GROUP, ViewerEntry
from tests.support.viewer_plugin import Money
from tests.support.viewers import shown_frame


def png() -> bytes:
    figure = Figure(figsize=(1, 1))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def line_figure() -> Figure:
    figure = Figure()
    figure.add_subplot().plot([1, 3, 2])
    return figure


CASES = [
    (42, "scalar", "ScalarViewer"),
    (2.5, "scalar", "ScalarViewer"),
    (None, "scalar", "ScalarViewer"),
    (np.float64(1.5), "scalar", "ScalarViewer"),
    ("short text", "scalar", "ScalarViewer"),
    ("line\n" * 100, "text", "LongTextViewer"),
    ("x" * 500, "text", "LongTextViewer"),
    ([1, 2, 3], "list", "SequenceViewer"),
    ((1.0, 2.0), "list", "SequenceViewer"),
    ([{"a": 1, "b": 2}, {"a": 3}], "records", "SequenceViewer"),
    ({"a": [1, 2], "b": {"c": 3}}, "tree", "TreeViewer"),
    ([[1, 2], [3, [4]]], "tree", "TreeViewer"),
    (np.arange(10.0), "array", "ArrayViewer"),
    (np.zeros((3, 4, 5)), "array", "ArrayViewer"),
    (np.zeros((8, 9), np.uint8), "image", "ImageViewer"),
    (np.zeros((8, 9, 3), np.uint8), "image", "ImageViewer"),
    (png(), "image", "ImageViewer"),
    (line_figure(), "figure", "FigureViewer"),
    (pd.DataFrame({"a": [1, 2]}), "frame", "FrameViewer"),
    (pd.Series([1.0, 2.0]), "frame", "FrameViewer"),
    ({1, 2}, "text of repr()", "ReprViewer"),
    (object(), "text of repr()", "ReprViewer"),
]


@pytest.mark.parametrize(("value", "name", "widget"), CASES, ids=[f"{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_each_kind_of_value_gets_its_viewer(qtbot, value, name, widget):
    frame = shown_frame(qtbot, value)
    assert frame.entry.name == name
    assert type(frame.viewer).__name__ == widget
    assert frame.viewer.value is value


def test_a_plugin_adds_a_viewer_through_the_entry_point(qtbot):
    registry = builtin_registry()
    assert registry.choose(Money(150)).name == "text of repr()"
    failures = registry.load_entry_points([
        importlib.metadata.EntryPoint("money", "tests.support.viewer_plugin:entries", ENTRY_POINT_GROUP),
        importlib.metadata.EntryPoint("bad", "tests.support.viewer_plugin:broken", ENTRY_POINT_GROUP),
        importlib.metadata.EntryPoint("gone", "tests.support.no_such_module:entries", ENTRY_POINT_GROUP),
    ])
    assert len(failures) == 2 and "'bad'" in failures[0] and "'gone'" in failures[1]
    assert registry.choose(Money(150)).name == "money"
    viewer = registry.create(Money(150))
    qtbot.addWidget(viewer)
    assert viewer.text() == "1.50 €"
    assert registry.choose([1, 2]).name == "list"  # the others are untouched


def test_a_viewer_that_fails_falls_back_to_text(qtbot):
    registry = builtin_registry()

    def explode(_value, _parent):
        raise ValueError("no")

    registry.register(ViewerEntry("exploding", lambda value: value == "boom", explode, 100))
    registry.register(ViewerEntry("bad check", lambda value: 1 / 0, explode, 100))
    viewer = registry.create("boom")
    qtbot.addWidget(viewer)
    assert type(viewer).__name__ == "ReprViewer" and viewer.toPlainText() == "'boom'"
    assert registry.choose(3).name == "scalar"


def test_the_app_registry_loads_the_installed_plugins_once():
    assert default_registry() is default_registry()
    assert {entry.name for entry in builtin_registry().entries()} <= {e.name for e in default_registry().entries()}
