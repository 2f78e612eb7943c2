"""What the window tells while the user edits, before any run: the workflow's validation problems, and which
results of the last run are from before an edit.

`EditFeedback` checks `DEBOUNCE_MS` after the last edit (undo and redo included, and after a run ends), on the
GUI thread (about 40 ms for 2,000 nodes, see docs/benchmarks.md):

- Validation (`runtime.validation`): the problems go to the Errors panel (replacing the ones shown before; the
  run's failures stay) and each node at fault gets a mark on the canvas with the problem as its tooltip. A
  problem fixed or undone goes at the next check.
- Stale results: a node whose edit key (`runtime.edit_keys`) differs from the one it had in the workflow the
  last run ran has its run state shown as from before the edit (the canvas's stale look), and so has everything
  downstream of it; an edit undone back to the same key shows it as current again. While a run goes on, nothing
  is stale (its states are coming in).

`checked` is emitted after every check; `stale(path)` says whether the result of the node at `path` is from
before an edit.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from pflow_studio.runtime.edit_keys import edit_keys
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.validation import Problem, validate

DEBOUNCE_MS = 250
Path = tuple[str, ...]


class EditFeedback(QObject):
    """See the module docstring. `window` is the main window (its canvas, runs, errors panel and registry)."""

    checked = Signal()

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.canvas, self.runs, self.errors, self.registry = window.canvas, window.runs, window.errors, window.registry
        self.problems: list[Problem] = []
        self.seconds = 0.0  # how long the last check took
        self._ran: tuple[Workflow, dict[Path, str]] | None = None  # the last run's workflow and its edit keys
        self.timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.timer.timeout.connect(self.check)
        self.canvas.changed.connect(self.timer.start)
        self.runs.finished.connect(lambda _outcome: self.check())

    def check(self) -> None:
        """Validate the workflow and mark the stale results now."""
        self.timer.stop()
        started = time.perf_counter()
        workflow = self.canvas.workflow()
        self.problems = validate(workflow, self.registry)
        self._show_problems(workflow)
        self.canvas.set_stale(self._stale_paths(workflow))
        self.seconds = time.perf_counter() - started
        self.checked.emit()

    def stale(self, path: Path) -> bool:
        return tuple(path) in self.canvas.stale_paths()

    def _show_problems(self, workflow: Workflow) -> None:
        labels = {node.id: node.label for node, _ in workflow.walk()}
        rows, marks = [], {}
        for problem in self.problems:
            where = " \u203a ".join(labels.get(part, part) for part in problem.path)
            rows.append((problem.path, where + (f" ({problem.port})" if problem.port else ""), problem.message))
            text = f"{problem.port}: {problem.message}" if problem.port else problem.message
            marks[problem.path] = f"{marks[problem.path]}\n{text}" if problem.path in marks else text
        self.errors.set_problems(rows)
        self.canvas.set_problems(marks)

    def _stale_paths(self, workflow: Workflow) -> set[Path]:
        """The nodes whose key changed since the last run (none while a run goes on or before the first)."""
        ran = self.runs.workflow
        if self.runs.running or self.runs.last is None or ran is None:
            return set()
        if self._ran is None or self._ran[0] is not ran:
            self._ran = (ran, edit_keys(ran, self.registry))
        now = edit_keys(workflow, self.registry)
        return {path for path, key in self._ran[1].items() if now.get(path) != key}
