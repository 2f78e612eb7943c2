"""The Results dock: one viewer per output; a pinned viewer stays while other nodes are shown; Compare opens the
pinned and the current value side by side; a cell double-clicked opens its value in a tab of its own."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from pflow_studio.app.result_inspector import ResultInspector

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def dock(qtbot):
    inspector = ResultInspector()
    qtbot.addWidget(inspector)
    inspector.resize(1000, 400)
    inspector.show()
    qtbot.waitExposed(inspector)
    return inspector


def test_a_pinned_viewer_stays_while_other_nodes_are_shown(qtbot, dock):
    first = np.sin(np.linspace(0, 6, 500))
    dock.show_outputs("Element 3", {"curve": first, "score": 0.5})
    assert [frame.title for frame in dock.frames()] == ["Element 3.curve", "Element 3.score"]
    assert not dock.compare_button.isEnabled()
    pinned = dock.pin()
    assert pinned.value is first and dock.pinned.isVisible()
    dock.show_outputs("Element 7", {"curve": np.cos(np.linspace(0, 6, 500)), "score": 0.9})
    dock.show_nothing()
    assert [(frame.title, frame.value is first) for frame in dock.pinned_frames()] == [("Element 3.curve", True)]
    assert not dock.pin_button.isEnabled() and dock.pin() is None
    dock.pinned.tabCloseRequested.emit(0)
    assert not dock.pinned_frames() and not dock.pinned.isVisible()


def test_compare_shows_the_pinned_and_the_current_value_side_by_side(qtbot, dock):
    first, second = np.arange(10.0), np.arange(10.0) ** 2
    dock.show_outputs("A", {"y": first})
    dock.pin()
    dock.show_outputs("B", {"y": second})
    assert dock.compare_button.isEnabled()
    window = dock.compare()
    qtbot.waitExposed(window)
    left, right = window.widget(0), window.widget(1)
    assert (left.title, right.title) == ("A.y", "B.y")
    assert left.value is first and right.value is second
    assert left.geometry().right() < right.geometry().left()  # side by side
    assert window.windowTitle() == "Compare A.y and B.y"
    window.close()
    qtbot.waitUntil(lambda: not dock.comparisons)


def test_a_double_clicked_cell_opens_its_own_viewer(qtbot, dock):
    dock.show_outputs("Node", {"rows": [{"name": "a", "data": [1, 2, 3]}, {"name": "b", "data": [4, 5]}]})
    table = dock.frames()[0].viewer.table
    qtbot.wait(20)
    rect = table.visualRect(table.model().index(1, 1))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # Qt 6: press, then double
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    opened = dock.frames()[-1]
    assert (opened.title, opened.value, opened.entry.name) == ("Node.rows[1][data]", [4, 5], "list")
    assert dock.tabs.currentWidget() is opened
    dock.tabs.tabCloseRequested.emit(dock.tabs.indexOf(opened))
    assert len(dock.frames()) == 1


def test_a_tree_entry_opens_its_own_viewer_and_any_value_can_be_pinned(qtbot, dock):
    dock.show_outputs("Node", {"config": {"sizes": [1, 2, 3], "name": "x"}})
    tree = dock.frames()[0].viewer.tree
    sizes = tree.topLevelItem(0)
    assert sizes.text(0) == "'sizes'" and sizes.childCount() == 0  # children appear when opened
    tree.expandItem(sizes)
    assert [sizes.child(i).text(2) for i in range(sizes.childCount())] == ["1", "2", "3"]
    tree.itemDoubleClicked.emit(sizes, 0)
    opened = dock.frames()[-1]
    assert (opened.title, opened.value, opened.entry.name) == ("Node.config['sizes']", [1, 2, 3], "list")
    frame = dock.pin_value("Map element 4.y", (4, 16))
    assert dock.pinned_frames() == [frame] and frame.value == (4, 16)
