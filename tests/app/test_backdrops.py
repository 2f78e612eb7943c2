"""Backdrops in the window: Edit > Add Backdrop asks for the text and frames the selection; they are saved in
the project's `meta.ui.backdrops` and reopen exactly; a project without any is saved as before; the context
menu edits or removes the one clicked; a double-click edits its text."""

from __future__ import annotations

import json

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction


def context_menu_at(qtbot, window, point: QPoint) -> dict[str, QAction]:
    """Right-click at viewport `point`: the menu's actions by their text (mnemonics and shortcuts left out)."""
    qtbot.mouseClick(window.canvas.widget.viewport(), Qt.MouseButton.RightButton, pos=point)
    menu = window.context_menu.last_menu
    menu.hide()
    return {a.text().split("\t")[0].replace("&", ""): a for a in menu.actions() if not a.isSeparator()}


def add_backdrop(window, dialogs, text: str) -> str:
    dialogs.answers["getMultiLineText"] = (text, True)
    before = {b.id for b in window.canvas.backdrops.level()}
    window.actions["add_backdrop"].trigger()
    (added,) = {b.id for b in window.canvas.backdrops.level()} - before
    return added


def title_point(window, backdrop_id: str) -> QPoint:
    x, y, width, _height = window.canvas.backdrops.backdrop(backdrop_id).rect
    return window.canvas.widget.mapFromScene(x + width / 2, y + 8)


def test_backdrops_are_saved_in_the_project_and_reopen_exactly(window, workflows, dialogs, tmp_path):
    window.canvas.set_workflow(workflows.adding())
    window.canvas.select(["two", "add"])
    backdrop_id = add_backdrop(window, dialogs, "Inputs\nwhere the sum starts")
    assert window.actions["add_backdrop"].shortcut().toString() == "Ctrl+Shift+B"
    assert window.files.is_modified()
    path = tmp_path / "documented.pflow"
    dialogs.answers["getSaveFileName"] = (str(path), "")
    assert window.files.save_as()
    document = json.loads(path.read_text(encoding="utf-8"))
    saved = document["meta"]["ui"]["backdrops"]
    assert [b["text"] for b in saved[""]] == ["Inputs\nwhere the sum starts"]
    assert "backdrop" not in json.dumps(document["workflow"])  # not part of the workflow
    expected = window.canvas.backdrops.saved()
    window.files.new()
    assert window.canvas.backdrops.saved() == {}
    assert window.files.open(str(path))
    assert window.canvas.backdrops.saved() == expected
    assert window.canvas.backdrops.items[backdrop_id].view.name == "Inputs"
    assert not window.files.is_modified()
    before = path.read_bytes()
    assert window.files.save() and path.read_bytes() == before


def test_a_project_without_backdrops_is_saved_as_before(window, workflows, dialogs, tmp_path):
    window.canvas.set_workflow(workflows.adding())
    path = tmp_path / "plain.pflow"
    dialogs.answers["getSaveFileName"] = (str(path), "")
    assert window.files.save_as()
    assert "ui" not in json.loads(path.read_text(encoding="utf-8"))["meta"]


def test_context_menu_edits_and_removes_the_backdrop_clicked(qtbot, window, workflows, dialogs):
    window.canvas.set_workflow(workflows.adding())
    window.canvas.select(["two"])
    backdrop_id = add_backdrop(window, dialogs, "Notes")
    window.canvas.frame_all()
    point = title_point(window, backdrop_id)
    entries = context_menu_at(qtbot, window, point)
    assert {"Add Backdrop…", "Edit Backdrop Text…", "Remove Backdrop"} <= set(entries)
    dialogs.answers["getMultiLineText"] = ("Renamed\nby the menu", True)
    entries["Edit Backdrop Text…"].trigger()
    assert window.canvas.backdrops.backdrop(backdrop_id).text == "Renamed\nby the menu"
    context_menu_at(qtbot, window, point)["Remove Backdrop"].trigger()
    assert window.canvas.backdrops.level() == [] and set(window.canvas.workflow().nodes) == {"two", "add"}
    window.canvas.undo_stack.undo()
    assert window.canvas.backdrops.backdrop(backdrop_id).title == "Renamed"


def test_double_click_edits_the_text(qtbot, window, workflows, dialogs):
    window.canvas.set_workflow(workflows.adding())
    window.canvas.select([])
    backdrop_id = add_backdrop(window, dialogs, "Notes")
    window.canvas.frame_all()
    dialogs.answers["getMultiLineText"] = ("Edited", True)
    qtbot.mouseDClick(window.canvas.widget.viewport(), Qt.MouseButton.LeftButton, pos=title_point(window, backdrop_id))
    assert window.canvas.backdrops.backdrop(backdrop_id).text == "Edited"
    assert dialogs.names().count("getMultiLineText") == 2
