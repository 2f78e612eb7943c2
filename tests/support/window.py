"""Main-window fixtures: `workflows` (sample workflows), `dialogs` (scripted modal dialogs) and `window`."""

from __future__ import annotations

import types

import pytest

from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.operations import wrap_in_map
from pflow_studio.runtime.registry import default_registry
from tests.support.paths import EXAMPLES


def _adding_workflow() -> Workflow:
    """two (const.int 2) -> add.a, add.b = 3: add gives 5."""
    workflow = Workflow()
    workflow.add_node("const.int", {"value": 2}, id="two", label="Two", pos=(0, 0))
    workflow.add_node("math.add", id="add", label="Add", inputs={"b": 3}, pos=(250, 0))
    workflow.connect("two", "value", "add", "a")
    return workflow


def _failing_workflow() -> Workflow:
    """A division by zero in node 'divide', and an independent node 'fine'."""
    workflow = Workflow()
    workflow.add_node("const.int", {"value": 0}, id="zero", label="Zero", pos=(0, 0))
    workflow.add_node("math.divide", id="divide", label="Divide", inputs={"a": 1}, pos=(250, 0))
    workflow.add_node("const.str", {"value": "ok"}, id="fine", label="Fine", pos=(0, 200))
    workflow.connect("zero", "value", "divide", "b")
    return workflow


def _sleepy_map(items: int, seconds: float) -> Workflow:
    """A Map 'map' over range(items) whose function node 'sleep' sleeps `seconds` per element."""
    workflow = Workflow()
    workflow.add_node("list.range", id="numbers", inputs={"start": 0, "stop": items}, pos=(0, 0))
    workflow.add_node("py.expression", {"expression": f"(__import__('time').sleep({seconds}), x)[1]",
                                        "inputs": ["x"]}, id="sleep", pos=(250, 0))
    workflow.connect("numbers", "result", "sleep", "x")
    wrap_in_map(workflow, "sleep", mapped=["x"], map_id="map", registry=default_registry())
    return workflow


def _map_workflow() -> Workflow:
    """A Map 'map' over math.add 'add': input 'a' mapped ([1, 2, 3]), 'b' broadcast (10)."""
    workflow = Workflow()
    workflow.add_node("math.add", id="add", inputs={"a": 1, "b": 10}, pos=(0, 0))
    wrap_in_map(workflow, "add", mapped=["a"], map_id="map", registry=default_registry())
    workflow.nodes["map"].input_values["a"] = [1, 2, 3]
    return workflow


def run_window(qtbot, window, action: str = "run", timeout: int = 60_000, trigger=None):
    """Trigger the window's `action` ("run" or "run_selected"; or call `trigger`) and return the `RunOutcome`
    the run finishes with."""
    with qtbot.waitSignal(window.runs.finished, timeout=timeout) as blocker:
        (trigger or window.actions[action].trigger)()
    return blocker.args[0]


def canvas_share(window) -> float:
    """The canvas view's viewport area as a fraction of the window's area."""
    from pflow_studio.app.drop_target import graphics_view

    viewport = graphics_view(window.canvas.widget).viewport()
    return viewport.width() * viewport.height() / (window.width() * window.height())


@pytest.fixture
def workflows():
    """Builders of small workflows for window tests."""
    return types.SimpleNamespace(adding=_adding_workflow, failing=_failing_workflow, sleepy_map=_sleepy_map,
                                  map=_map_workflow, examples=EXAMPLES)


@pytest.fixture
def dialogs(monkeypatch):
    """Modal dialogs cannot be clicked offscreen: every static dialog call is recorded here and
    answered from `answers` (a test sets e.g. dialogs.answers["question"] = QMessageBox.Cancel;
    "trust" is the question about a project's code: True trusts it).
    An unexpected dialog fails the test instead of blocking it."""
    from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

    calls: list[tuple[str, tuple]] = []
    answers: dict[str, object] = {}

    def fake(name):
        def call(*args, **kwargs):
            calls.append((name, args))
            if name not in answers:
                raise AssertionError(f"unexpected dialog {name}: {args[1:3]}")
            answer = answers[name]
            return answer(*args) if callable(answer) else answer
        return call

    for name in ("question", "critical", "warning", "information"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(fake(name)))
    for name in ("getOpenFileName", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(fake(name)))
    for name in ("getText", "getMultiLineText"):
        monkeypatch.setattr(QInputDialog, name, staticmethod(fake(name)))
    monkeypatch.setattr("pflow_studio.app.trust_gate.ask_with_dialog", fake("trust"))  # the code question
    return types.SimpleNamespace(calls=calls, answers=answers,
                                  names=lambda: [name for name, _ in calls])


@pytest.fixture
def window(qtbot, tmp_path, dialogs):
    """A shown MainWindow with settings in a temporary INI file; at the end its run is stopped and it
    is closed without the unsaved-changes prompt (not through qtbot.addWidget, which closes first)."""
    from pflow_studio.app.main_window import MainWindow
    from pflow_studio.app.settings import make_settings

    win = MainWindow(settings=make_settings(tmp_path / "settings.ini"))
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.runs.stop()
    assert win.runs.wait(30_000)
    win.canvas.undo_stack.setClean()  # closing must not prompt
    win.close()
    win.deleteLater()
