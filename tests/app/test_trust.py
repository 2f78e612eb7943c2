"""Trust (issue 11): a project from elsewhere that holds code is asked about once per content before anything
of it runs; "Do not run" refuses runs with a message saying how to trust later; the user's own files and files
without code are never asked about."""

from __future__ import annotations

import pathlib

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from pflow_studio.app.trust_gate import DECLINE_BUTTON, DECLINED, TRUSTED, ask_with_dialog
from pflow_studio.project import file_format as project_file
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.operations import collapse
from tests.support.window import run_window
from tests.support.work_items import scoring_map

pytestmark = pytest.mark.fault


def marking(marker: pathlib.Path, extra: str = "") -> Workflow:
    """A Group 'Group 1' holding py.code 'Code', which writes `marker` when it runs (y = x + 1)."""
    workflow = Workflow()
    workflow.add_node("const.int", {"value": 2}, id="two", label="Two", pos=(0, 0))
    code = f"open({str(marker)!r}, 'w').write('ran')\ny = x + 1{extra}\n"
    workflow.add_node("py.code", {"code": code, "inputs": ["x"], "outputs": ["y"]}, id="code", label="Code",
                      pos=(250, 0), is_output=True)
    workflow.connect("two", "value", "code", "x")
    collapse(workflow, ["two", "code"], group_id="g", label="Group 1")
    return workflow


def from_elsewhere(tmp_path: pathlib.Path, workflow: Workflow, name: str = "downloaded.pflow") -> str:
    """`workflow` saved as a file the app never saw (as if downloaded)."""
    path = tmp_path / name
    project_file.save(project_file.Project(workflow), path)
    return str(path)


def questions(dialogs) -> list[tuple]:
    return [args for name, args in dialogs.calls if name == "trust"]


def test_an_untrusted_file_names_its_code_and_nothing_runs_before_the_answer(qtbot, window, dialogs, tmp_path):
    marker = tmp_path / "ran.txt"
    tries = []

    def answer(parent, name, places):
        tries.append((window.run_all(), window.runs.running, window.trust.refusal()))
        return False

    dialogs.answers["trust"] = answer
    assert window.files.load(from_elsewhere(tmp_path, marking(marker)))
    [(_parent, name, places)] = questions(dialogs)
    assert (name, places) == ("downloaded.pflow", ["Group 1/Code"])
    [(started, running, refusal)] = tries
    assert (started, running) == (False, False) and "Answer the question" in refusal
    assert window.trust.state == DECLINED and window.trust.label.isVisibleTo(window)
    window.canvas.select(["g"])
    for trigger in (window.run_all, window.run_selected):
        assert trigger() is False
        assert "File > Trust This Project's Code" in window.statusBar().currentMessage()
    qtbot.wait(200)
    assert not marker.exists() and window.runs.last is None


def test_trusting_lets_it_run_and_the_same_content_is_not_asked_about_again(qtbot, window, dialogs, tmp_path):
    marker = tmp_path / "ran.txt"
    path = from_elsewhere(tmp_path, marking(marker))
    dialogs.answers["trust"] = True
    assert window.files.load(path)
    assert window.trust.state == TRUSTED and not window.trust.label.isVisibleTo(window)
    assert run_window(qtbot, window).status == "ok" and marker.read_text() == "ran"
    assert window.files.load(from_elsewhere(tmp_path, marking(marker), "copy.pflow"))  # same content, elsewhere
    assert len(questions(dialogs)) == 1 and window.trust.state == TRUSTED


def test_work_items_do_not_run_untrusted_code_either(qtbot, window, dialogs, tmp_path):
    """Re-run failed and Run element here on a Map whose code was changed outside the app and not trusted."""
    project = tmp_path / "scores.pflow"
    window.canvas.set_workflow(scoring_map())
    dialogs.answers["getSaveFileName"] = (str(project), "")
    assert window.files.save_as() and run_window(qtbot, window).status == "ok"
    project.write_text(project.read_text(encoding="utf-8").replace("x * 10", "x * 11"), encoding="utf-8")
    dialogs.answers["trust"] = False
    assert window.files.load(str(project)) and window.trust.state == DECLINED
    window.canvas.select(["map"])
    panel = window.work_items.panel
    assert panel.model.rowCount() == 12  # the elements of the trusted run are still shown
    assert window.work_items.rerun_failed(("map",)) is False
    assert window.work_items.run_here(("map",), panel.model.item(3)) is False
    assert "File > Trust This Project's Code" in panel.detail.here.toPlainText()
    assert window.work_items.local_run is None and not window.runs.running


def test_one_character_of_code_changed_asks_again(qtbot, window, dialogs, tmp_path):
    marker = tmp_path / "ran.txt"
    dialogs.answers["trust"] = True
    assert window.files.load(from_elsewhere(tmp_path, marking(marker)))
    text = pathlib.Path(window.files.path).read_text(encoding="utf-8")
    pathlib.Path(window.files.path).write_text(text.replace("x + 1", "x + 2"), encoding="utf-8")
    dialogs.answers["trust"] = False
    assert window.files.revert()
    assert len(questions(dialogs)) == 2 and window.trust.state == DECLINED


def test_do_not_run_is_remembered_and_the_menu_action_trusts_later(qtbot, window, dialogs, tmp_path):
    marker = tmp_path / "ran.txt"
    path = from_elsewhere(tmp_path, marking(marker))
    dialogs.answers["trust"] = False
    assert window.files.load(path)
    assert window.files.load(path)  # answered before: not asked, still refused
    assert len(questions(dialogs)) == 1 and window.trust.state == DECLINED
    assert not window.run_all()
    assert window.trust.action.isEnabled()
    dialogs.answers["trust"] = True
    window.trust.action.trigger()
    assert window.trust.state == TRUSTED and not window.trust.action.isEnabled()
    assert run_window(qtbot, window).status == "ok" and marker.exists()
    assert window.files.load(path) and len(questions(dialogs)) == 2  # trusted from now on: not asked on open


def test_files_the_user_saved_and_new_projects_are_not_asked_about(qtbot, window, dialogs, tmp_path):
    marker = tmp_path / "ran.txt"
    window.files.new()
    window.canvas.set_workflow(marking(marker))
    dialogs.answers["getSaveFileName"] = (str(tmp_path / "mine.pflow"), "")
    assert window.files.save_as()
    assert window.files.load(str(tmp_path / "mine.pflow"))
    assert questions(dialogs) == [] and window.trust.state == TRUSTED
    assert run_window(qtbot, window).status == "ok" and marker.exists()


def test_a_declined_project_saved_by_the_user_is_still_asked_about(qtbot, window, dialogs, tmp_path):
    dialogs.answers["trust"] = False
    assert window.files.load(from_elsewhere(tmp_path, marking(tmp_path / "ran.txt")))
    dialogs.answers["getSaveFileName"] = (str(tmp_path / "kept.pflow"), "")
    assert window.files.save_as()  # saving someone else's code does not make it the user's
    window.trust.store.path.unlink()  # forget the "Do not run" answer
    dialogs.answers["trust"] = True
    assert window.files.load(str(tmp_path / "kept.pflow")) and len(questions(dialogs)) == 2


def test_files_without_code_and_the_bundled_examples_are_never_asked_about(qtbot, window, dialogs, workflows,
                                                                           tmp_path):
    assert window.files.load(from_elsewhere(tmp_path, workflows.adding()))
    assert run_window(qtbot, window).status == "ok"
    copy = tmp_path / "word_report.pflow"  # an example with py.code, copied out of the app's resources
    copy.write_bytes((workflows.examples / "word_report.pflow").read_bytes())
    assert window.files.load(str(copy))
    assert questions(dialogs) == [] and window.trust.state == TRUSTED


def test_the_real_dialog_names_the_code_and_do_not_run_is_its_safe_answer(qtbot, window, dialogs, tmp_path):
    window.trust.ask = ask_with_dialog  # the real dialog (the `dialogs` fixture stands in for it elsewhere)
    seen = []

    def click_do_not_run() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, click_do_not_run)
            return
        seen.append((box.text(), [button.text() for button in box.buttons()]))
        next(button for button in box.buttons() if button.text() == DECLINE_BUTTON).click()

    QTimer.singleShot(50, click_do_not_run)
    assert window.files.load(from_elsewhere(tmp_path, marking(tmp_path / "ran.txt")))
    [(text, buttons)] = seen
    assert "downloaded.pflow" in text and "Group 1/Code" in text
    assert sorted(buttons) == ["Do not run", "Trust and allow runs"]
    assert window.trust.state == DECLINED and not window.run_all()
