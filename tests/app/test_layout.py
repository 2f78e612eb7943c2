"""The default layout at 1280x800: the canvas keeps at least 60% of the window, the right column holds
Nodes | Properties | Results | Cluster as tabs, the bottom Errors | Work Items (| Console) tabs open when
needed, each dock usable without scrolling; a dock state saved by an older layout is not restored."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QDockWidget

from pflow_studio.app.layout import BOTTOM_HEIGHT, STATE_KEY
from pflow_studio.app.main_window import MainWindow
from pflow_studio.app.resources import stylesheet
from pflow_studio.app.settings import make_settings
from pflow_studio.cluster_panel.manager import ClusterManager
from pflow_studio.cluster_panel.model import EngineInfo
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.operations import wrap_in_map
from tests.support.window import canvas_share

RIGHT = ("dock_nodes", "dock_properties", "dock_results", "dock_cluster")


@pytest.fixture
def make_window(qtbot, tmp_path, dialogs):
    """Shown 1280x800 windows with a Cluster dock (its manager never starts a cluster), settings in tmp_path."""
    made: list[MainWindow] = []

    def make() -> MainWindow:
        manager = ClusterManager("default", ipython_dir=tmp_path / "ipython")
        win = MainWindow(settings=make_settings(tmp_path / "settings.ini"), cluster_manager=manager,
                         check_leftovers=False)
        made.append(win)
        win.setStyleSheet(stylesheet())  # as the app's QApplication has it: paddings count in what fits
        win.resize(1280, 800)
        win.show()
        qtbot.waitExposed(win)
        qtbot.waitUntil(lambda: not win.cluster.dock.busy, timeout=5000)
        return win

    yield make
    for win in made:
        win.canvas.undo_stack.setClean()
        win.close()
        win.deleteLater()


def dock(window: MainWindow, name: str) -> QDockWidget:
    return window.findChild(QDockWidget, name)


def in_front(widget) -> bool:
    return widget.isVisible() and not widget.visibleRegion().isEmpty()


def fully_shown(widget) -> bool:
    """Whether all of `widget` is on screen (no part scrolled or clipped away)."""
    return in_front(widget) and widget.visibleRegion().boundingRect().size() == widget.size()


def test_default_layout_gives_the_canvas_60_percent_and_tabs_the_docks(make_window):
    window = make_window()
    assert canvas_share(window) >= 0.60
    right = dock(window, "dock_nodes")
    assert {d.objectName() for d in window.tabifiedDockWidgets(right)} == set(RIGHT) - {"dock_nodes"}
    assert all(window.dockWidgetArea(dock(window, name)) == window.dockWidgetArea(right) for name in RIGHT)
    assert in_front(window.palette)  # an empty window starts from the node palette
    errors, work_items = window.docks["errors"], window.work_items.dock
    assert not errors.isVisible() and not work_items.isVisible()  # until there is something to show
    window.layout_manager.show_bottom(errors)
    work_items.show()
    assert window.tabifiedDockWidgets(errors) == [work_items]
    assert window.dockWidgetArea(errors) == Qt.DockWidgetArea.BottomDockWidgetArea


def test_cluster_tab_shows_four_engines_and_its_log(make_window, qtbot):
    window = make_window()
    cluster = window.cluster.dock
    cluster.raise_()
    cluster.table.show_engines([EngineInfo(n, "localhost", 1000 + n, 1.0, 2 << 20, 0, True) for n in range(4)])
    for line in range(6):
        cluster.log(f"line {line}")
    qtbot.waitUntil(lambda: in_front(cluster.table))
    table = cluster.table
    last = table.visualRect(table.model().index(table.rowCount() - 1, 0))  # the last engine (a host row above)
    assert last.isValid() and last.bottom() < table.viewport().height()
    assert table.viewport().width() >= table.horizontalHeader().length()  # every column in view
    log = cluster.log_view
    assert in_front(log) and log.viewport().height() >= 5 * log.fontMetrics().lineSpacing()
    assert fully_shown(cluster.engine_spin) and fully_shown(cluster.cleanup_button)


def test_other_machines_section_starts_collapsed_and_leaves_its_room_to_the_engine_table(make_window, qtbot):
    window = make_window()
    cluster = window.cluster.dock
    cluster.raise_()
    section, table = cluster.other_machines, cluster.table
    qtbot.waitUntil(lambda: in_front(table))
    assert not section.is_open and fully_shown(section.toggle) and not cluster.address.listen.isVisible()

    def table_rows() -> int:
        return table.viewport().height() // table.verticalHeader().defaultSectionSize()

    collapsed, field_x = table_rows(), cluster.profile_combo.x()
    qtbot.mouseClick(section.toggle, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: fully_shown(cluster.ssh.test_button))
    assert cluster.profile_combo.x() == field_x  # the fields above do not shift sideways
    assert all(fully_shown(w) for w in (cluster.address.listen, cluster.address.copy_button, cluster.ssh.hosts_edit))
    opened = table_rows()
    assert collapsed >= opened + 3, (collapsed, opened)  # five rows of fields: at least three engine rows
    assert opened >= 3


def test_host_rows_of_the_engine_table_are_readable(make_window, qtbot):
    window = make_window()
    cluster = window.cluster.dock
    cluster.raise_()
    cluster.table.show_engines([
        EngineInfo(0, "workstation", 11605, 1.0, 67 << 20, 0, True, "this session", True, 12.5),
        EngineInfo(1, "node-17.cluster", 11605, 99.0, 1 << 30, 3, False, load=10.25),
        EngineInfo(2, "node-18.cluster", 42, 50.0, 1 << 30, 1, True, "left running", load=1.5)])
    qtbot.waitUntil(lambda: in_front(cluster.table))
    table = cluster.table
    for host in ("workstation", "node-17.cluster", "node-18.cluster"):
        item = table.host_row(host)
        assert item is not None and item.font().bold()
        assert QFontMetrics(item.font()).horizontalAdvance(item.text()) < table.viewport().width(), item.text()


@pytest.mark.parametrize("host", ["vm", "localhost"])
def test_every_engine_column_header_is_readable(make_window, qtbot, host):
    window = make_window()
    cluster = window.cluster.dock
    cluster.raise_()
    cluster.table.show_engines([EngineInfo(0, host, 11605, 0.0, 67 << 20, 0, True)])
    qtbot.waitUntil(lambda: in_front(cluster.table))
    header = cluster.table.horizontalHeader()
    for column in range(cluster.table.columnCount()):
        label = cluster.table.horizontalHeaderItem(column).text()
        assert header.sectionSize(column) >= header.fontMetrics().horizontalAdvance(label), label
    assert cluster.table.viewport().width() >= header.length()


def test_a_failed_run_opens_errors_with_five_rows_in_view(window, workflows, qtbot):
    window.canvas.set_workflow(workflows.failing())
    with qtbot.waitSignal(window.runs.finished, timeout=30_000):
        window.run_all()
    errors = window.errors
    qtbot.waitUntil(lambda: in_front(errors.list))
    for n in range(6):
        errors.add_error(("fine",), f"Node {n}", "a problem")
    assert errors.list.viewport().height() >= 5 * errors.list.visualItemRect(errors.row(0)).height()
    assert window.docks["errors"].height() >= BOTTOM_HEIGHT - 10


def test_map_properties_fit_without_scrolling(make_window, qtbot):
    window = make_window()
    workflow = Workflow()
    workflow.add_node("py.code", {"code": "y = a + b + c + d", "inputs": ["a", "b", "c", "d"], "outputs": ["y"]},
                      id="code")
    wrap_in_map(workflow, "code", mapped=["a", "b"], map_id="map", registry=window.registry)
    window.canvas.set_workflow(workflow)
    window.canvas.select(["map"])
    window.docks["properties"].raise_()
    panel = window.properties
    qtbot.waitUntil(lambda: "mapped:d" in panel.editors and in_front(panel.editors["mapped:d"]))
    assert panel.scroll.verticalScrollBar().maximum() == 0
    assert all(fully_shown(editor) for key, editor in panel.editors.items() if key.startswith("mapped:"))
    window.canvas.go_to(("map",))
    window.canvas.select(["code"])
    qtbot.waitUntil(lambda: "prop:code" in panel.editors and in_front(panel.editors["prop:code"]))
    assert fully_shown(panel.editors["prop:code"])  # the code editor, whole


def test_a_layout_saved_by_an_older_version_is_not_restored(make_window, tmp_path):
    first = make_window()
    first.splitDockWidget(first.docks["properties"], first.cluster_dock, Qt.Orientation.Vertical)  # the old split
    first.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, first.docks["results"])
    first.settings.setValue(STATE_KEY, first.saveState())  # version 0, as versions before the layout's
    first.settings.sync()
    first.canvas.undo_stack.setClean()
    first.cluster.shutdown()
    second = make_window()
    assert canvas_share(second) >= 0.60
    assert second.cluster_dock in second.tabifiedDockWidgets(second.docks["palette"])


def test_results_of_a_run_keep_the_canvas_share(window, workflows, qtbot):
    workflow = workflows.map()
    workflow.nodes["map"].ui["label"] = "A Map with a rather long label for its results header"
    window.canvas.set_workflow(workflow)
    with qtbot.waitSignal(window.runs.finished, timeout=30_000):
        window.run_all()
    window.canvas.select(["map"])
    window.docks["results"].raise_()
    qtbot.waitUntil(lambda: in_front(window.results))
    qtbot.wait(300)  # the viewers are made, the docks laid out again
    assert canvas_share(window) >= 0.60


def test_a_run_brings_results_to_the_front(window, workflows, qtbot):
    window.canvas.set_workflow(workflows.adding())
    window.canvas.select(["add"])
    assert not in_front(window.results)
    with qtbot.waitSignal(window.runs.finished, timeout=30_000):
        window.run_all()
    qtbot.waitUntil(lambda: in_front(window.results))
    assert not window.docks["errors"].isVisible()  # nothing failed
