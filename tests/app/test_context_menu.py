"""Right-click menus on the canvas: real right clicks on the viewport; the popped-up menu is captured and
one of its actions triggered (it then really runs). (PySide6 ignores a monkeypatched QMenu.exec on
instances, so the window pops its menu up non-modally and the tests read it from there.)"""

from __future__ import annotations

import types

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu

from pflow_studio.app.actions import create_actions
from pflow_studio.app.context_menu import CanvasContextMenu
from tests.support.canvas import node_point, port_point


@pytest.fixture
def menus(window):
    """The menus the window pops up (`shown`, in order); `pick` (a menu text) is triggered in each as a
    user would: the menu closes, then the action runs."""
    capture = types.SimpleNamespace(shown=[], pick="")

    def popped(_pos, _ids):
        menu = window.context_menu.last_menu
        capture.shown.append(menu)
        if capture.pick:
            action = find(menu, capture.pick)
            assert action.isEnabled(), f"{capture.pick} is disabled"
            menu.hide()
            action.trigger()

    window.canvas.context_menu_requested.connect(popped)  # after the window's own slot: the menu exists
    yield capture
    window.canvas.context_menu_requested.disconnect(popped)
    if window.context_menu.last_menu is not None:
        window.context_menu.last_menu.hide()


def label(text: str) -> str:
    return text.split("\t")[0].replace("&", "")


def texts(menu: QMenu) -> list[str]:
    """The menu's entries as shown: "-" for a separator, "(x)" for a disabled entry x."""
    shown = []
    for action in menu.actions():
        if action.isSeparator():
            shown.append("-")
        elif action.isVisible():
            shown.append(label(action.text()) if action.isEnabled() else f"({label(action.text())})")
    return shown


def find(menu: QMenu, text: str):
    matches = [a for a in menu.actions() if not a.isSeparator() and label(a.text()) == text]
    assert matches, f"no {text!r} in {texts(menu)}"
    return matches[0]


def right_click(qtbot, window, point: QPoint) -> None:
    qtbot.mouseClick(window.canvas.widget.viewport(), Qt.MouseButton.RightButton, pos=point)


def empty_point(window) -> QPoint:
    """A viewport point with nothing drawn under it."""
    view = window.canvas.widget
    rect = view.viewport().rect()
    for y in range(rect.height() // 8, rect.height(), rect.height() // 8):
        for x in range(rect.width() // 8, rect.width(), rect.width() // 8):
            if not view.items(QPoint(x, y)):
                return QPoint(x, y)
    raise AssertionError("no empty point on the canvas")


def test_right_click_on_a_node_selects_it_and_shows_the_node_menu(qtbot, window, workflows, menus):
    window.canvas.set_workflow(workflows.adding())
    window.canvas.select(["two"])
    right_click(qtbot, window, node_point(window.canvas, "add"))
    assert window.canvas.selected_node_ids() == ["add"]
    (menu,) = menus.shown
    assert texts(menu) == ["Rename…", "-", "Copy", "Cut", "Delete", "-", "Group", "Wrap in Map", "Wrap in For",
                           "Wrap in While", "Bypass", "Add Backdrop…", "-", "Run This Node"]
    assert window.canvas.undo_stack.count() == 0  # a right click edits nothing
    assert find(menu, "Group") is window.actions["group"]  # the window's own actions, shortcuts included
    assert "Shift+F5" in find(menu, "Run This Node").text()


def test_group_from_the_menu_groups_the_selected_nodes(qtbot, window, workflows, menus):
    canvas = window.canvas
    canvas.set_workflow(workflows.adding())
    canvas.select(["two", "add"])
    menus.pick = "Group"
    right_click(qtbot, window, node_point(canvas, "add"))  # on a selected node: the selection stays
    (group,) = canvas.workflow().nodes.values()
    assert group.type_name == "core.group"
    assert set(group.body.nodes) == {"two", "add"}
    assert "(Rename…)" in texts(menus.shown[0])  # one node only
    canvas.undo_stack.undo()
    assert set(canvas.workflow().nodes) == {"two", "add"}


def test_wrap_in_map_then_the_map_menu_opens_unwraps_and_shows_its_record(qtbot, window, workflows, menus):
    canvas = window.canvas
    canvas.set_workflow(workflows.adding())
    menus.pick = "Wrap in Map"
    right_click(qtbot, window, node_point(canvas, "add"))
    (map_id,) = [n for n, node in canvas.workflow().nodes.items() if node.type_name == "core.map"]
    assert set(canvas.node_at((map_id,)).body.nodes) == {"add"}

    menus.pick = ""
    right_click(qtbot, window, node_point(canvas, map_id))
    menu = menus.shown[-1]
    assert texts(menu)[0] == "Open" and menu.defaultAction() is find(menu, "Open")
    assert {"Unwrap Map", "Show Run Record…"} <= set(texts(menu))
    assert "Ungroup" not in texts(menu)

    menus.pick = "Open"
    right_click(qtbot, window, node_point(canvas, map_id))
    assert canvas.level_path() == (map_id,)

    menus.pick = "Go Up a Level"
    right_click(qtbot, window, empty_point(window))
    assert canvas.level_path() == ()

    menus.pick = "Unwrap Map"
    right_click(qtbot, window, node_point(canvas, map_id))
    assert [n.type_name for n in canvas.workflow().nodes.values()] == ["const.int", "math.add"]


def test_ungroup_is_offered_for_a_group(qtbot, window, workflows, menus):
    canvas = window.canvas
    canvas.set_workflow(workflows.adding())
    canvas.select(["two", "add"])
    group_id = canvas.collapse_selection()
    menus.pick = "Ungroup"
    right_click(qtbot, window, node_point(canvas, group_id))
    assert "Open" in texts(menus.shown[0]) and "Unwrap Map" not in texts(menus.shown[0])
    assert set(canvas.workflow().nodes) == {"two", "add"}


def test_empty_canvas_menu_and_paste_enabled_by_a_copy(qtbot, window, workflows, menus):
    canvas = window.canvas
    canvas.set_workflow(workflows.adding())
    QApplication.clipboard().clear()
    canvas.select(["two"])
    right_click(qtbot, window, empty_point(window))
    assert texts(menus.shown[-1]) == ["Add Node…", "(Paste)", "Add Backdrop…", "-", "Select All", "Frame All"]
    assert canvas.selected_node_ids() == ["two"]  # a right click on empty canvas keeps the selection

    canvas.copy()
    menus.pick = "Paste"
    right_click(qtbot, window, empty_point(window))
    assert len(canvas.workflow().nodes) == 3

    menus.pick = "Select All"
    right_click(qtbot, window, empty_point(window))
    assert len(canvas.selected_node_ids()) == 3


def test_add_node_opens_quick_add_and_adds_where_clicked(qtbot, window, menus):
    canvas = window.canvas
    point = QPoint(300, 200)
    menus.pick = "Add Node…"
    right_click(qtbot, window, point)
    popup = canvas._quick_add
    assert popup.isVisible()
    qtbot.keyClicks(popup.filter, "subtract")
    qtbot.keyClick(popup.filter, Qt.Key.Key_Return)
    (node,) = canvas.workflow().nodes.values()
    assert node.type_name == "math.subtract"
    scene = canvas.widget.mapToScene(point)
    assert node.position == pytest.approx((scene.x(), scene.y()), abs=1.0)


def test_right_click_on_a_connected_port_keeps_the_wire(qtbot, window, workflows, menus):
    """NodeGraphQt starts a wire (dropping the old one) on any button pressed on a port: not on ours."""
    canvas = window.canvas
    canvas.set_workflow(workflows.adding())
    edges = list(canvas.workflow().edges)
    right_click(qtbot, window, port_point(canvas, "add", "a", False))
    assert canvas.workflow().edges == edges
    assert canvas.undo_stack.count() == 0
    assert not canvas.widget._LIVE_PIPE.isVisible()
    assert len(canvas.view_node("add").inputs()["a"].view.connected_pipes) == 1
    assert canvas.selected_node_ids() == ["add"]  # the port's node


def test_platform_context_menu_events_open_one_menu(qtbot, window, workflows, menus):
    """A right click through the window system (press, release and the context-menu event Qt makes of
    them) opens our menu once; NodeGraphQt's own menus never open; the Menu key opens the selection's."""
    canvas = window.canvas
    canvas.set_workflow(workflows.adding())
    viewport = canvas.widget.viewport()
    point = node_point(canvas, "add")
    handle = window.windowHandle()
    QTest.mouseClick(handle, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier,
                     viewport.mapTo(window, point))
    qtbot.wait(50)
    assert len(menus.shown) == 1 and canvas.selected_node_ids() == ["add"]
    mouse_event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, viewport.mapToGlobal(point))
    QApplication.sendEvent(viewport, mouse_event)
    assert len(menus.shown) == 1
    empty = empty_point(window)
    key_event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, empty, viewport.mapToGlobal(empty))
    QApplication.sendEvent(viewport, key_event)
    assert len(menus.shown) == 2 and "Group" in texts(menus.shown[1])


def test_run_this_node_runs_it(qtbot, window, workflows, menus):
    canvas = window.canvas
    canvas.set_workflow(workflows.adding())
    menus.pick = "Run This Node"
    right_click(qtbot, window, node_point(canvas, "two"))
    qtbot.waitUntil(lambda: not window.runs.running and window.runs.last is not None, timeout=30_000)
    assert canvas.node_state("two") == "finished"
    assert canvas.node_state("add") == ""  # only the node and what it needs


def test_the_menu_needs_no_window_only_a_canvas_actions_and_the_selected_map(qtbot, canvas, workflows):
    """Built on a bare canvas with actions of a plain QMainWindow: what it offers comes from the canvas's
    selection and the given `selected_map_path`."""
    host = QMainWindow()
    qtbot.addWidget(host)
    actions = create_actions(host, {})
    actions["show_run_record"] = QAction("Show Run &Record…", host)
    selected_map: list[tuple[str, ...] | None] = [None]
    context_menu = CanvasContextMenu(canvas, actions, lambda: selected_map[0], host)
    canvas.set_workflow(workflows.map())
    menu = context_menu.build(QPoint(0, 0), ["map"])
    assert texts(menu)[0] == "Open" and "Unwrap Map" in texts(menu)
    assert "Show Run Record…" not in texts(menu)
    selected_map[0] = ("map",)
    assert "Show Run Record…" in texts(context_menu.build(QPoint(0, 0), ["map"]))
    with qtbot.waitSignal(canvas.context_menu_requested):
        canvas.context_menu_requested.emit(QPoint(0, 0), [])
    assert context_menu.last_menu is not None and context_menu.last_menu.parent() is host
    assert texts(context_menu.last_menu)[:1] == ["Add Node…"]
    context_menu.last_menu.hide()
