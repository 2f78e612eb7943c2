"""The Cluster dock without a running cluster: actions, errors shown (never raised), the table, the banner."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from pflow_studio.cluster_panel.dock.leftovers import LeftoverBanner
from pflow_studio.cluster_panel.dock.panel import ERROR_COLOUR, ClusterDock
from pflow_studio.cluster_panel.dock.table import EngineTable, format_memory
from pflow_studio.cluster_panel.model import EngineInfo, Leftover
from tests.support.dock import button_of


@pytest.fixture
def dock(qtbot, manager):
    d = ClusterDock(manager, refresh_ms=300)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitUntil(lambda: d.worker.in_flight == 0, timeout=20_000)  # the start-up look for leftovers
    yield d
    d.shutdown()


@pytest.mark.timeout(60)
def test_actions_are_the_buttons_and_the_menu_entries(dock):
    names = ["start", "connect", "refresh", "change_profile", "cleanup_terminate", "cleanup_leave", "shutdown"]
    assert dock.actions() == [dock.action(n) for n in names]
    assert all(a.text() and a.toolTip() for a in dock.actions())
    assert dock.cleanup_button.menu().actions() == [dock.action("cleanup_terminate"), dock.action("cleanup_leave")]
    assert not dock.action("shutdown").isEnabled()  # not connected
    assert dock.action("start").isEnabled() and not dock.progress.isVisible()
    assert dock.engine_spin.value() >= 1 and dock.profile_combo.currentText() == "default"
    assert "not connected" in dock.status_text and "&#" not in dock.status_label.text()


@pytest.mark.timeout(60)
def test_connect_without_a_cluster_is_an_error_in_the_log_and_status(qtbot, dock):
    qtbot.mouseClick(button_of(dock, "connect"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "failed" in dock.log_view.toPlainText(), timeout=20_000)
    assert "no running cluster found for profile 'default'" in dock.log_view.toPlainText()
    assert ERROR_COLOUR in dock.log_view.document().toHtml()
    assert "no running cluster found" in dock.status_text
    assert ERROR_COLOUR in dock.status_label.text()
    qtbot.waitUntil(lambda: not dock.busy and dock.action("connect").isEnabled(), timeout=10_000)


@pytest.mark.timeout(60)
def test_a_bad_profile_name_is_reported_and_the_chooser_restored(qtbot, dock):
    dock.change_profile("a/b")
    qtbot.waitUntil(lambda: "not a profile name" in dock.status_text, timeout=20_000)
    qtbot.waitUntil(lambda: not dock.busy, timeout=10_000)
    assert dock.profile_combo.currentText() == "default"
    assert dock.manager.profile == "default"


@pytest.mark.timeout(60)
def test_shutdown_request_asks_first(qtbot, dock, monkeypatch):
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Cancel)
    dock.request_shutdown()
    assert asked and "not requested" in dock.log_view.toPlainText() and dock.worker.in_flight == 0


@pytest.mark.timeout(60)
def test_profile_change_when_not_connected_needs_no_confirmation(qtbot, dock, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("asked"))
    line = dock.profile_combo.lineEdit()
    line.selectAll()
    qtbot.keyClicks(line, "second")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dock.manager.profile == "second" and not dock.busy, timeout=20_000)
    qtbot.waitUntil(lambda: "Profile 'second'" in dock.status_text, timeout=10_000)
    assert dock.profile_combo.currentText() == "second"
    assert "second" in [dock.profile_combo.itemText(i) for i in range(dock.profile_combo.count())]
    assert (dock.manager.profile_dir.name == "profile_second") and dock.manager.profile_dir.is_dir()


def test_engine_table_rows_and_activity(qtbot):
    table = EngineTable()
    qtbot.addWidget(table)
    engines = [EngineInfo(0, "node1", 101, 12.3, 50 * 1024 * 1024, 2, True),
               EngineInfo(1, "", None, None, None, 0, False)]
    table.set_activity(1, True)  # before the row exists: kept
    table.show_engines(engines)
    assert table.engine_ids == [0, 1]
    assert [table.cell_text(0, c) for c in ("host", "pid", "CPU %", "memory", "queue", "ours")] == \
        ["node1", "101", "12", "50 MiB", "2", "yes"]
    assert table.cell_text(1, "pid") == "-" and table.cell_text(1, "ours") == "-"  # not answered yet
    assert table.is_highlighted(1) and not table.is_highlighted(0)
    table.set_activity(0, True)
    table.set_activity(1, False)
    table.show_engines(engines[:1])  # a refresh keeps the highlight
    assert table.is_highlighted(0) and table.engine_ids == [0]
    table.show_engines([])
    assert table.rowCount() == 0
    assert format_memory(3 * 1024 ** 3) == "3.00 GiB"


def test_dock_highlights_busy_engines(qtbot, dock):
    dock.table.show_engines([EngineInfo(4, "h", 1, None, None, 0, True)])
    dock.set_engine_activity(4, True)
    assert dock.table.is_highlighted(4)
    dock.set_engine_activity(4, False)
    assert not dock.table.is_highlighted(4)


def test_banner_offers_each_leftover_in_turn(qtbot):
    banner = LeftoverBanner()
    qtbot.addWidget(banner)
    reused, ended = [], []
    banner.reuse_requested.connect(reused.append)
    banner.end_requested.connect(ended.append)
    first = Leftover("default", "c1", [1, 2], True, True, "t1")
    second = Leftover("default", "c2", [3], False, False, "t2")
    third = Leftover("default", "c3", [4], True, True, "t3")
    banner.show_leftovers([first, second, third])
    assert not banner.isHidden()
    assert "c1" in banner.label.text() and "left running on purpose" in banner.label.text()
    assert "2 more" in banner.label.text()
    qtbot.mouseClick(banner.reuse_button, Qt.MouseButton.LeftButton)
    assert reused == [first] and "orphaned by a crash" in banner.label.text()
    assert not banner.reuse_button.isEnabled()  # its controller is gone: only End or Ignore
    qtbot.mouseClick(banner.end_button, Qt.MouseButton.LeftButton)
    assert ended == [second]
    qtbot.mouseClick(banner.ignore_button, Qt.MouseButton.LeftButton)
    assert banner.isHidden() and banner.current is None and reused == [first] and ended == [second]


def test_engine_table_groups_engines_by_host(qtbot):
    table = EngineTable()
    qtbot.addWidget(table)
    table.show_engines([EngineInfo(0, "h2", 7, None, 1 << 30, 0, False, load=0.5),
                        EngineInfo(1, "here", 7, 1.0, 1 << 20, 0, True, "this session", True, 1.25),
                        EngineInfo(2, "h2", 8, None, None, 0, True, "left running"),
                        EngineInfo(3, "", None, None, None, 0, False)])
    assert table.engine_ids == [1, 0, 2, 3]  # this machine first, engines by host
    assert table.rowCount() == 7
    assert table.host_row_text("here") == "here: 1 engine, 1 ours, load 1.25"
    assert table.host_row_text("h2") == "h2: 2 engines, 1 ours, load 0.50"
    assert table.host_row_text("") == "host not known yet: 1 engine, 0 ours"
    assert table.cell(2, "ours").toolTip() == "Ours: left running"
    assert table.cell_text(0, "ours") == "no" and table.cell_text(3, "ours") == "-"
    table.show_engines([EngineInfo(0, "here", 7, 1.0, 1 << 20, 0, True, "this session", True, 1.25)])
    assert table.rowCount() == 1 and table.host_row_text("here") == ""  # all on this machine: no host rows


def test_the_log_keeps_its_newest_line_in_view_when_it_shrinks(qtbot):
    from PySide6.QtWidgets import QWidget

    from pflow_studio.cluster_panel.dock.widgets import log_view

    parent = QWidget()
    qtbot.addWidget(parent)
    view = log_view(parent)
    view.resize(300, 300)
    parent.show()
    for i in range(60):
        view.appendPlainText(f"line {i}")
    bar = view.verticalScrollBar()
    assert bar.value() == bar.maximum() > 0
    view.resize(300, 80)  # the engine table above it grew
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())
    bar.setValue(0)  # the user scrolled up to read: left there
    view.resize(300, 60)
    assert bar.value() == 0
