"""The app's element store: where it is (the preference, unless PFLOW_STUDIO_CACHE_DIR says), runs keeping
their elements under the project's path, the Element Store dialog (sizes, cap, clearing, another
directory), and the store closed with the window."""

from __future__ import annotations

import pathlib

import pytest
from PySide6.QtWidgets import QMessageBox

from pflow_studio.app.main_window import MainWindow
from pflow_studio.app.preferences import (
    open_element_store,
    set_store_cap,
    set_store_directory_choice,
    store_cap,
)
from pflow_studio.app.settings import make_settings
from pflow_studio.runtime.element_store.location import DEFAULT_MAX_BYTES, ENV_VAR
from tests.support.window import run_window
from tests.support.work_items import scoring_map

pytestmark = pytest.mark.timeout(120)


def test_the_store_is_where_the_preferences_say_unless_the_environment_says(tmp_path, monkeypatch):
    settings = make_settings(tmp_path / "settings.ini")
    assert store_cap(settings) == DEFAULT_MAX_BYTES
    set_store_directory_choice(settings, str(tmp_path / "chosen"))
    set_store_cap(settings, 500 * 1024**2)
    store = open_element_store(settings, print)
    assert store.path.parent == pathlib.Path(tmp_path / "element-store")  # the test's PFLOW_STUDIO_CACHE_DIR
    assert store.max_bytes == 500 * 1024**2
    monkeypatch.delenv(ENV_VAR)
    assert open_element_store(settings, print).path.parent == tmp_path / "chosen"


def test_runs_keep_their_elements_under_the_projects_path(qtbot, window, dialogs, tmp_path):
    window.canvas.set_workflow(scoring_map())
    assert run_window(qtbot, window).status == "ok"
    store = window.work_items.store
    assert store.last_run("", ("map",)).total == 12  # unsaved: the "" scope
    project = tmp_path / "scores.pflow"
    dialogs.answers["getSaveFileName"] = (str(project), "")
    window.files.save_as()
    assert window.canvas.store_badge_text("map") == ""  # the saved project has no run yet
    assert run_window(qtbot, window).status == "ok"
    run = store.last_run(str(project.resolve()), ("map",))
    assert run.counts == {"ok": 0, "failed": 2, "cached": 10, "not_run": 0}
    assert window.canvas.store_badge_text("map") == "2 failed"


def test_the_dialog_shows_sizes_sets_the_cap_and_clears(qtbot, window, dialogs):
    window.canvas.set_workflow(scoring_map())
    assert run_window(qtbot, window).status == "ok"
    session = window.work_items
    dialog = session.show_store_dialog()
    assert str(session.store.path) in dialog.location.text() and ENV_VAR in dialog.location.text()
    assert not dialog.buttons["directory"].isEnabled()  # the environment fixes it
    qtbot.waitUntil(lambda: "This project's Maps" in dialog.size.text(), timeout=10_000)
    assert "12 element(s) (10 ok, 2 failed) in 1 Map run(s)" in dialog.size.text()
    dialog.cap.setText("nonsense")
    dialog.buttons["cap"].click()
    assert "not a size" in dialog.message.text() and session.store.max_bytes == DEFAULT_MAX_BYTES
    dialog.cap.setText("500M")
    dialog.buttons["cap"].click()
    assert session.store.max_bytes == 500 * 1024**2 == store_cap(window.settings)
    qtbot.waitUntil(lambda: not session.worker.busy, timeout=10_000)
    dialog.buttons["clear_project"].click()
    qtbot.waitUntil(lambda: "Forgot 12 stored element(s)" in dialog.message.text(), timeout=10_000)
    assert session.store.info().elements == 0 and window.canvas.store_badge_text("map") == ""
    dialogs.answers["question"] = QMessageBox.StandardButton.No
    dialog.buttons["clear_all"].click()
    assert dialogs.names() == ["question"] and dialog.message.text().startswith("Forgot 12")


def test_another_directory_is_used_from_then_on(qtbot, tmp_path, dialogs, monkeypatch):
    monkeypatch.delenv(ENV_VAR)
    settings = make_settings(tmp_path / "settings.ini")
    set_store_directory_choice(settings, str(tmp_path / "first"))
    window = MainWindow(settings=settings)
    window.show()
    try:
        window.canvas.set_workflow(scoring_map())
        assert run_window(qtbot, window).status == "ok"
        dialogs.answers["getExistingDirectory"] = str(tmp_path / "second")
        dialog = window.work_items.show_store_dialog()
        dialog.buttons["directory"].click()
        assert window.work_items.store.path.parent == tmp_path / "second"
        assert window.canvas.store_badge_text("map") == ""  # the new store has no run of it
        assert run_window(qtbot, window).status == "ok"
        assert window.work_items.store.last_run("", ("map",)).counts["ok"] == 10
        assert (tmp_path / "first" / "elements.sqlite3").exists()  # left as it was
    finally:
        window.canvas.undo_stack.setClean()
        window.close()
        window.deleteLater()


def test_closing_the_window_closes_the_store(qtbot, tmp_path, dialogs):
    window = MainWindow(settings=make_settings(tmp_path / "settings.ini"))
    window.show()
    window.canvas.set_workflow(scoring_map())
    assert run_window(qtbot, window).status == "ok"
    window.canvas.select(["map"])
    store = window.work_items.store
    assert store._connections
    window.canvas.undo_stack.setClean()
    window.close()
    assert store._connections == []
    window.deleteLater()


def test_a_new_window_on_the_project_finds_its_elements(qtbot, tmp_path, dialogs):
    """An app restart: the second window shows the last run of the first, and its run computes only the
    failed elements (the others are served from the store)."""
    project = tmp_path / "scores.pflow"
    first = MainWindow(settings=make_settings(tmp_path / "settings.ini"))
    first.show()
    first.canvas.set_workflow(scoring_map())
    dialogs.answers["getSaveFileName"] = (str(project), "")
    first.files.save_as()
    assert run_window(qtbot, first).status == "ok"
    first.close()
    first.deleteLater()
    second = MainWindow(settings=make_settings(tmp_path / "settings.ini"))
    second.show()
    try:
        assert second.files.open(str(project))
        second.canvas.select(["map"])
        panel = second.work_items.panel
        assert panel.model.rowCount() == 12
        assert second.canvas.store_badge_text("map") == "2 failed"
        assert run_window(qtbot, second).status == "ok"
        run = second.work_items.store.last_run(str(project.resolve()), ("map",))
        assert run.counts == {"ok": 0, "failed": 2, "cached": 10, "not_run": 0}
    finally:
        second.canvas.undo_stack.setClean()
        second.close()
        second.deleteLater()
