"""Files from the window: save -> reopen equality, damaged and newer files, the unsaved-changes prompt
(close, New, Open, Revert), recent files, opening by drop."""

from __future__ import annotations

import json
import os

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from pflow_studio.app.drop_target import graphics_view
from pflow_studio.app.run_record_view import saved_entry
from pflow_studio.app.settings import recent_files
from pflow_studio.project import file_format as project_file
from tests.support.files import sparse_file

Button = QMessageBox.StandardButton


def ui_free(workflow) -> dict:
    """What must survive a round trip: the canonical model plus every node's position and label."""
    hints = {node.id: (node.position, node.label) for node, _ in workflow.walk()}
    return {"model": workflow.canonical(), "hints": hints}


def test_save_then_reopen_gives_the_same_project(qtbot, window, workflows, dialogs, tmp_path):
    assert window.files.load(str(workflows.examples / "square_offset_map.pflow"))
    original = ui_free(window.canvas.workflow())
    window.canvas.select(["offset"])
    window.canvas.set_property("offset", "value", 1.25)
    window.canvas.select(["map"])
    window.canvas.set_property("map", "combine", "product")
    window.canvas.collapse_selection()  # a group around the Map: groups and Map settings both saved
    edited = ui_free(window.canvas.workflow())
    assert edited != original
    target = tmp_path / "saved.pflow"
    dialogs.answers["getSaveFileName"] = (str(target), "")
    window.actions["save_as"].trigger()
    assert target.is_file()
    assert window.canvas.undo_stack.isClean()
    assert window.windowTitle().startswith("saved.pflow —")
    window.files.new()
    assert window.canvas.workflow().nodes == {}
    dialogs.answers["getOpenFileName"] = (str(target), "")
    window.actions["open"].trigger()
    assert ui_free(window.canvas.workflow()) == edited
    assert project_file.load(target).meta == project_file.load(workflows.examples /
                                                                 "square_offset_map.pflow").meta


def test_save_without_a_name_asks_for_one_and_adds_the_suffix(qtbot, window, workflows, dialogs, tmp_path):
    window.add_node_at_centre("const.int")
    dialogs.answers["getSaveFileName"] = (str(tmp_path / "plain"), "")
    window.actions["save"].trigger()
    assert (tmp_path / "plain.pflow").is_file()
    assert window.files.path == str(tmp_path / "plain.pflow")
    window.add_node_at_centre("const.int")
    window.actions["save"].trigger()  # known name: no dialog
    assert dialogs.names().count("getSaveFileName") == 1
    assert len(project_file.load(tmp_path / "plain.pflow").workflow.nodes) == 2


def test_a_damaged_file_gives_an_error_and_the_document_stays(qtbot, window, workflows, dialogs, tmp_path):
    window.canvas.set_workflow(workflows.adding())
    window.add_node_at_centre("const.str")
    before = window.canvas.workflow().canonical()
    damaged = tmp_path / "damaged.pflow"
    damaged.write_text('{"format": "pflow-studio", "version": 1, "workflow": {"nodes": [', encoding="utf-8")
    newer = tmp_path / "newer.pflow"
    newer.write_text(json.dumps({"format": "pflow-studio", "version": 99, "workflow": {}}), encoding="utf-8")
    dialogs.answers["critical"] = Button.Ok
    for path in (damaged, newer):
        assert not window.files.load(str(path))
        assert window.canvas.workflow().canonical() == before
        assert not window.canvas.undo_stack.isClean()
    messages = [args[2] for name, args in dialogs.calls if name == "critical"]
    assert "damaged.pflow" in messages[0] and "invalid JSON" in messages[0]
    assert "newer.pflow" in messages[1] and "newer" in messages[1]
    assert window.files.path is None
    window.add_node_at_centre("const.int")  # the app goes on


def test_the_unsaved_changes_prompt_on_close_new_and_open(qtbot, window, workflows, dialogs, tmp_path):
    window.add_node_at_centre("const.int")
    before = window.canvas.workflow().canonical()
    dialogs.answers["question"] = Button.Cancel
    assert not window.close()
    assert window.isVisible()
    window.actions["new"].trigger()
    window.actions["open"].trigger()
    assert dialogs.names() == ["question"] * 3
    assert window.canvas.workflow().canonical() == before
    dialogs.answers["question"] = Button.Discard
    window.actions["new"].trigger()
    assert window.canvas.workflow().nodes == {} and window.canvas.undo_stack.isClean()
    window.add_node_at_centre("const.int")
    target = tmp_path / "kept.pflow"
    dialogs.answers["question"] = Button.Save
    dialogs.answers["getSaveFileName"] = (str(target), "")
    assert window.close()
    assert len(project_file.load(target).workflow.nodes) == 1


def test_save_in_the_prompt_that_fails_keeps_the_document(qtbot, window, dialogs):
    window.add_node_at_centre("const.int")
    dialogs.answers["question"] = Button.Save
    dialogs.answers["getSaveFileName"] = ("", "")  # the user cancels the save dialog
    window.actions["new"].trigger()
    assert len(window.canvas.workflow().nodes) == 1


def test_revert_reloads_the_file_after_asking(qtbot, window, workflows, dialogs, tmp_path):
    path = tmp_path / "revert.pflow"
    project_file.save(project_file.Project(workflows.adding()), path)
    assert window.files.load(str(path))
    window.canvas.set_property("two", "value", 40)
    dialogs.answers["question"] = Button.Cancel
    window.actions["revert"].trigger()
    assert window.canvas.node_at(("two",)).properties["value"] == 40
    dialogs.answers["question"] = Button.Discard
    window.actions["revert"].trigger()
    assert window.canvas.node_at(("two",)).properties["value"] == 2
    assert window.canvas.undo_stack.isClean()


def test_recent_files_menu(qtbot, window, workflows, dialogs, tmp_path):
    paths = []
    for name in ("one", "two"):
        path = tmp_path / f"{name}.pflow"
        project_file.save(project_file.Project(workflows.adding()), path)
        assert window.files.load(str(path))
        paths.append(str(path))
    menu = window.menus["recent"]
    assert [a.data() for a in menu.actions()] == paths[::-1]
    assert recent_files(window.settings) == paths[::-1]
    menu.actions()[1].trigger()
    assert window.files.path == paths[0]
    (tmp_path / "two.pflow").unlink()
    dialogs.answers["critical"] = Button.Ok
    next(a for a in menu.actions() if a.data() == paths[1]).trigger()
    assert window.files.path == paths[0]
    assert [a.data() for a in menu.actions()] == [paths[0]]


def test_dropping_a_project_file_on_the_canvas_opens_it(qtbot, window, workflows, tmp_path):
    path = tmp_path / "dropped.pflow"
    project_file.save(project_file.Project(workflows.adding()), path)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    viewport = graphics_view(window.canvas.widget).viewport()
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, enter)
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, drop)
    assert window.files.path == str(path)
    assert set(window.canvas.workflow().nodes) == {"two", "add"}


def test_main_opens_a_file_given_on_the_command_line(qtbot, workflows, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QApplication as App

    import pflow_studio.app as app_package
    from pflow_studio.app import main_window

    opened = []
    monkeypatch.setenv("PFLOW_STUDIO_SETTINGS", str(tmp_path / "s.ini"))
    monkeypatch.setattr(App, "exec", lambda self=None: opened.append(App.activeWindow()) or 0)
    created = []
    real = main_window.MainWindow

    class Recording(real):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            created.append(self)

    monkeypatch.setattr(main_window, "MainWindow", Recording)
    assert app_package.main([str(workflows.examples / "word_report.pflow")]) == 0
    (window,) = created
    qtbot.addWidget(window)
    assert window.files.path.endswith("word_report.pflow")
    assert window.windowTitle().startswith("word_report.pflow —")


@pytest.mark.fault
@pytest.mark.timeout(60)
def test_a_fifo_a_device_or_a_huge_file_is_refused_and_the_app_goes_on(qtbot, window, workflows, dialogs, tmp_path):
    window.canvas.set_workflow(workflows.adding())
    before = window.canvas.workflow().canonical()
    fifo = tmp_path / "pipe.pflow"
    os.mkfifo(fifo)
    huge = sparse_file(tmp_path / "huge.pflow", project_file.MAX_PROJECT_BYTES + 1)
    dialogs.answers["critical"] = Button.Ok
    dialogs.answers["question"] = Button.Discard
    for path in (fifo, "/dev/zero", huge):
        assert not window.files.open(str(path))  # returns instead of blocking on the FIFO or reading /dev/zero
        assert window.canvas.workflow().canonical() == before
    messages = [args[2] for name, args in dialogs.calls if name == "critical"]
    assert len(messages) == 3
    assert f"Cannot open {fifo}" in messages[0] and "not a regular file (a FIFO)" in messages[0]
    assert "Cannot open /dev/zero" in messages[1] and "not a regular file (a character device)" in messages[1]
    assert f"Cannot open {huge}" in messages[2] and "the limit is 67108864 bytes" in messages[2]
    assert window.files.path is None
    window.add_node_at_centre("const.int")  # the app goes on


@pytest.mark.fault
@pytest.mark.timeout(60)
def test_a_fifo_in_place_of_the_run_record_shows_no_record(tmp_path):
    os.mkfifo(tmp_path / "p.run.json")
    assert saved_entry(str(tmp_path / "p.pflow"), ("map",)) is None  # instead of waiting for a writer
