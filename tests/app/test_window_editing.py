"""Main window editing: palette (double-click, drop), properties dock edits (undoable), Map settings,
Edit menu actions, title star, breadcrumb, dock layout restored from settings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from pflow_studio.app.drop_target import graphics_view
from pflow_studio.app.main_window import MainWindow
from pflow_studio.app.palette import NODE_TYPE_MIME
from pflow_studio.app.settings import make_settings
from tests.support.canvas import type_into


def root_ids(window) -> list[str]:
    return list(window.canvas.workflow().nodes)


def node(window, *path: str):
    return window.canvas.node_at(tuple(path))


def select(qtbot, window, *ids: str) -> None:
    window.canvas.select(list(ids))
    if len(ids) == 1:
        qtbot.waitUntil(lambda: window.properties.shown_id == ids[0] and not window.properties.pending)


def test_double_click_in_the_palette_adds_a_node_in_the_middle(qtbot, window):
    item = window.palette.item_for("math.add")
    window.palette.tree.itemDoubleClicked.emit(item, 0)
    assert [node(window, i).type_name for i in root_ids(window)] == ["math.add"]
    view = graphics_view(window.canvas.widget)
    centre = view.mapToScene(view.viewport().rect().center())
    x, y = node(window, root_ids(window)[0]).position
    assert abs(x - centre.x()) < 300 and abs(y - centre.y()) < 300
    assert window.canvas.undo_stack.canUndo()


def test_dropping_a_palette_item_adds_the_node_at_the_drop_point(qtbot, window):
    view = graphics_view(window.canvas.widget)
    viewport = view.viewport()
    data = window.palette.tree.mimeData([window.palette.item_for("const.int")])
    assert data.hasFormat(NODE_TYPE_MIME)
    point = QPoint(viewport.width() // 4, viewport.height() // 3)
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(point), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, drop)
    (added,) = root_ids(window)
    assert node(window, added).type_name == "const.int"
    scene = view.mapToScene(point)
    x, y = node(window, added).position
    assert abs(x - scene.x()) < 200 and abs(y - scene.y()) < 200


def test_property_and_input_edits_in_the_dock_are_undoable(qtbot, window, workflows):
    window.canvas.set_workflow(workflows.adding())
    select(qtbot, window, "two")
    type_into(qtbot, window.properties.editors["prop:value"], "7")
    assert node(window, "two").properties["value"] == 7
    assert window.canvas.undo_stack.canUndo()
    select(qtbot, window, "add")
    assert "input:a" not in window.properties.editors  # connected inputs take no value
    type_into(qtbot, window.properties.editors["input:b"], "4.5")
    assert node(window, "add").input_values["b"] == 4.5
    type_into(qtbot, window.properties.editors["label"], "Sum")
    assert node(window, "add").label == "Sum"
    window.undo_action.trigger()
    assert node(window, "add").label == "Add"
    window.undo_action.trigger()
    assert node(window, "add").input_values["b"] == 3
    window.undo_action.trigger()
    assert node(window, "two").properties["value"] == 2
    window.redo_action.trigger()
    assert node(window, "two").properties["value"] == 7
    select(qtbot, window, "add")
    assert window.properties.editors["input:b"].text() == "3"
    qtbot.keyClick(window.properties.editors["input:b"], Qt.Key.Key_Return)  # unchanged: no edit
    assert node(window, "add").input_values["b"] == 3
    assert type(node(window, "add").input_values["b"]) is int
    type_into(qtbot, window.properties.editors["input:b"], "")  # blank: back to the port default
    assert "b" not in node(window, "add").input_values
    window.undo_action.trigger()
    assert node(window, "add").input_values["b"] == 3


def test_map_settings_mapped_inputs_and_combine(qtbot, window, workflows):
    window.canvas.set_workflow(workflows.map())
    select(qtbot, window, "map")
    editors = window.properties.editors
    assert editors["mapped:a"].isChecked() and not editors["mapped:b"].isChecked()
    editors["mapped:b"].click()
    assert node(window, "map").properties["mapped"] == ["a", "b"]
    qtbot.waitUntil(lambda: "prop:combine" in window.properties.editors
                    and window.properties.editors["mapped:b"].isChecked())
    combo = window.properties.editors["prop:combine"]
    combo.activated.emit(combo.findText("product"))
    assert node(window, "map").properties["combine"] == "product"
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert node(window, "map").properties["mapped"] == ["a"]
    assert node(window, "map").properties.get("combine", "zip") == "zip"


def test_title_star_follows_the_undo_stack(qtbot, window, workflows):
    assert window.windowTitle().startswith("Untitled —")
    window.add_node_at_centre("math.add")
    assert window.windowTitle().startswith("Untitled* —")
    window.undo_action.trigger()
    assert window.windowTitle().startswith("Untitled —")
    window.redo_action.trigger()
    assert "*" in window.windowTitle()


def test_edit_menu_group_ungroup_wrap_rename_delete(qtbot, window, workflows, dialogs):
    window.canvas.set_workflow(workflows.adding())
    before = window.canvas.workflow().canonical()
    window.canvas.select(["two", "add"])
    window.actions["group"].trigger()
    (group,) = root_ids(window)
    assert node(window, group).type_name == "core.group"
    window.canvas.select([group])
    window.actions["ungroup"].trigger()
    assert window.canvas.workflow().canonical() == before
    window.canvas.select(["add"])
    window.actions["wrap_map"].trigger()
    wrapped = [i for i in root_ids(window) if node(window, i).type_name == "core.map"]
    assert len(wrapped) == 1
    window.undo_action.trigger()
    assert window.canvas.workflow().canonical() == before
    select(qtbot, window, "add")
    dialogs.answers["getText"] = ("Plus", True)
    window.actions["rename"].trigger()
    assert node(window, "add").label == "Plus"
    window.canvas.select(["two"])
    window.actions["delete"].trigger()
    assert root_ids(window) == ["add"]
    window.actions["select_all"].trigger()
    assert window.canvas.selected_node_ids() == ["add"]


def test_breadcrumb_follows_the_open_level_and_goes_up(qtbot, window, workflows):
    window.canvas.set_workflow(workflows.map())
    window.canvas.open_container("map")
    qtbot.waitUntil(lambda: len(window.breadcrumb.buttons) == 2)
    assert window.canvas.level_path() == ("map",)
    qtbot.mouseClick(window.breadcrumb.buttons[0], Qt.MouseButton.LeftButton)
    assert window.canvas.level_path() == ()
    qtbot.waitUntil(lambda: len(window.breadcrumb.buttons) == 1)


def test_geometry_and_docks_are_restored_from_settings(qtbot, tmp_path, dialogs):
    settings_file = tmp_path / "layout.ini"
    first = MainWindow(settings=make_settings(settings_file))
    qtbot.addWidget(first)
    first.show()
    first.resize(720, 520)  # within the offscreen screen (800x600), or restoreGeometry clamps it
    first.docks["palette"].hide()
    qtbot.wait(50)
    first.close()
    second = MainWindow(settings=make_settings(settings_file))
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert (second.width(), second.height()) == (720, 520)
    assert not second.docks["palette"].isVisible()
    assert second.docks["properties"].isVisible()


def test_cluster_dock_hook(qtbot, window):
    from PySide6.QtWidgets import QDockWidget, QLabel

    action = window.actions["cluster_panel"]
    assert not action.isEnabled()
    dock = QDockWidget("Cluster")
    dock.setWidget(QLabel("engines"))
    window.add_cluster_dock(dock)
    assert action.isEnabled() and dock.objectName() == "dock_cluster"
    action.setChecked(False)
    assert not dock.isVisible()
    action.setChecked(True)
    assert dock.isVisible()


def test_drop_ignores_other_data(qtbot, window):
    viewport = graphics_view(window.canvas.widget).viewport()
    data = QMimeData()
    data.setData("application/x-something", b"x")
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, drop)
    assert root_ids(window) == []


@pytest.mark.fault
def test_dock_refuses_a_property_value_that_does_not_fit(qtbot, window):
    """The dock checks typed values with the check of load and validation: VisTrails-mode `input_ports` takes
    a list of input names, so `[1]` is refused (the old value stays, nothing to undo) and `["a"]` is taken."""
    from pflow_studio.runtime.model import Workflow

    body = Workflow()
    body.add_node("math.add", id="fn")
    wf = Workflow()
    wf.add_node("core.map", {"mode": "vistrails", "input_ports": ["b"]}, id="map", body=body)
    window.canvas.set_workflow(wf)
    select(qtbot, window, "map")
    editor = window.properties.editors["prop:input_ports"]
    type_into(qtbot, editor, "[1]")
    assert node(window, "map").properties["input_ports"] == ["b"]
    assert editor.toolTip() == "Not accepted: 'input_ports' must be a list of input names"
    assert not window.canvas.undo_stack.canUndo()
    type_into(qtbot, window.properties.editors["prop:input_ports"], '["a"]')
    assert node(window, "map").properties["input_ports"] == ["a"]
