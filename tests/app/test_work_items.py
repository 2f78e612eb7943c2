"""The Work items dock after real (serial) runs: it follows the selected Map (also inside a Group), lists its
last run from the element store with status colours, filters by status, searches, sorts by a header click
(in the store), shows the selected element's detail with pflow-studio's frames folded, and the Map's badge
on the canvas opens it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from pflow_studio.app.work_items.item_model import COLUMNS
from pflow_studio.app.work_items.texts import status_color
from pflow_studio.canvas.run_state import STATE_COLORS
from tests.support.window import run_window
from tests.support.work_items import column, ran, scoring_map

pytestmark = pytest.mark.timeout(120)


def test_the_view_follows_the_selected_map_and_lists_its_last_run(qtbot, window):
    panel = ran(qtbot, window)
    assert panel.path == ("map",)
    assert "Score: last run" in panel.header.text() and "12 elements: 10 ok, 2 failed" in panel.header.text()
    assert column(panel, "#") == [str(i) for i in range(12)]
    assert column(panel, "Status") == ["failed" if i in (3, 7) else "ok" for i in range(12)]
    assert column(panel, "Inputs")[:3] == ["0", "1", "2"]
    outputs = column(panel, "Output / error")
    assert outputs[2] == "20" and outputs[3] == "node 'score' failed: ValueError: no score for 3"
    assert all(column(panel, "Host")) and all(column(panel, "Duration"))
    model = panel.model
    swatch = model.data(model.index(3, 1), Qt.ItemDataRole.DecorationRole)
    assert swatch.toImage().pixelColor(5, 5) == QColor(*STATE_COLORS["failed"]) == QColor(*status_color("failed"))
    window.canvas.select(["numbers"])  # not a Map: the view stays on the Map
    assert panel.path == ("map",) and model.rowCount() == 12


def test_a_map_inside_a_group_is_followed_by_its_full_path(qtbot, window):
    panel = ran(qtbot, window, scoring_map(group=True), ("g", "map"))
    assert panel.path == ("g", "map") and panel.model.rowCount() == 12
    assert window.canvas.store_badge_text("map") == "2 failed"


def test_filter_by_status_and_search(qtbot, window):
    panel = ran(qtbot, window)
    panel.filters[1].setChecked(False)  # ok
    assert column(panel, "#") == ["3", "7"] and "Showing 2." in panel.header.text()
    panel.filters[2].setChecked(False)  # failed too: nothing
    assert panel.model.rowCount() == 0
    for box in panel.filters.values():
        box.setChecked(True)
    qtbot.keyClicks(panel.search, "110")
    qtbot.waitUntil(lambda: column(panel, "#") == ["11"], timeout=5000)  # its output
    panel.search.setText("score for 7")
    qtbot.waitUntil(lambda: column(panel, "#") == ["7"], timeout=5000)  # its error
    panel.search.clear()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 12, timeout=5000)


def test_a_header_click_sorts_in_the_store(qtbot, window):
    panel = ran(qtbot, window)
    header = panel.table.horizontalHeader()
    status = [name for name, _ in COLUMNS].index("Status")
    click = QPoint(header.sectionViewportPosition(status) + 10, header.height() // 2)
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=click)
    qtbot.waitUntil(lambda: not panel.model.loading and panel.model.wanted.order == "status", timeout=10_000)
    first = column(panel, "Status")
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=click)  # and the other way round
    qtbot.waitUntil(lambda: not panel.model.loading and panel.model.wanted.descending, timeout=10_000)
    assert {first[0], first[-1]} == {"ok", "failed"}
    assert column(panel, "Status")[:2] == ["failed", "failed"] and column(panel, "#")[:2] == ["3", "7"]
    assert column(panel, "Status") == list(reversed(first))


def test_the_detail_shows_inputs_outputs_printed_and_the_users_frames_first(qtbot, window):
    panel = ran(qtbot, window)
    detail = panel.detail
    panel.select_rows([2])
    assert detail.title.text().startswith("Element 2: ok")
    assert detail.inputs.values == {"x": 2, "offset (broadcast)": 0} and detail.outputs.values == {"y": 20}
    assert "scoring 2" in detail.printed.toPlainText()
    panel.select_rows([3])
    assert detail.current_tab() == "error"
    text = detail.error.toPlainText()
    assert text.startswith("node 'score' failed: ValueError: no score for 3")
    assert "pflow-studio frames …" in text and "raise ValueError" in text and "python_code.py" not in text
    assert text.splitlines()[1] == "  at line 3 of the code:  raise ValueError(f'no score for {x}')"  # seen first
    assert text.index("pflow-studio frames") < text.index("  File \"<py.code-")
    detail.show_all.setChecked(True)
    assert "python_code.py" in detail.error.toPlainText()
    detail.show_all.setChecked(False)
    assert "python_code.py" not in detail.error.toPlainText()


def test_the_badge_says_what_the_last_run_left_and_a_click_opens_the_view(qtbot, window):
    ran(qtbot, window)
    canvas = window.canvas
    assert canvas.store_badge_text("map") == "2 failed"
    window.work_items.dock.hide()
    badge = canvas.view_node("map").view._pf_store_badge
    view = canvas.widget
    canvas.frame_all()
    qtbot.wait(50)
    centre = view.mapFromScene(badge.mapToScene(badge.rect().center()))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert window.work_items.dock.isVisible() and window.work_items.panel.path == ("map",)
    canvas.set_workflow(scoring_map(failing="False"))
    assert run_window(qtbot, window).status == "ok"
    assert canvas.store_badge_text("map") == "12 stored"


def test_the_node_menu_offers_show_work_items(qtbot, window):
    ran(qtbot, window)
    window.work_items.dock.hide()
    menu = window.context_menu.build(QPoint(0, 0), ["map"])
    show = next(action for action in menu.actions() if action.objectName() == "action_show_work_items")
    show.trigger()
    assert window.work_items.dock.isVisible() and window.work_items.panel.path == ("map",)
    menu = window.context_menu.build(QPoint(0, 0), ["numbers"])
    assert "action_show_work_items" not in [action.objectName() for action in menu.actions()]


def test_a_map_whose_elements_are_never_kept_says_so(qtbot, window):
    workflow = scoring_map()
    workflow.nodes["map"].body.nodes["score"].properties["never_cache"] = True
    panel = ran(qtbot, window, workflow)
    assert "its elements are not kept in the element store" in panel.header.text()
    assert panel.model.rowCount() == 0 and window.canvas.store_badge_text("map") == ""
