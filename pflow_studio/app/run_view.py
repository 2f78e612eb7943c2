"""Shows runs: executor events -> node states and Map progress on the canvas (before a Map's elements run:
"37 of 1,000 will run", the others being served from the element store), the status bar's progress bar and
message, failures and validation problems in the errors panel.

A Map whose elements partly failed shows `k of N failed`; each failed element gets an errors-panel
row (an error when the Map failed, on_error "fail"; a warning when it went on, "skip" / "none",
and the Map then shows the "warning" state). A node's `warning` event (a While stopped at its
max_iterations) is a warning row, and the node shows the "warning" state with that message.
`items_by_path` keeps the last run's per-Map item records (the `items` event details) for the run-record
viewer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QProgressBar, QStatusBar

from pflow_studio.app.errors_panel import ErrorsPanel
from pflow_studio.app.run_controller import RunController, RunOutcome
from pflow_studio.app.work_items.tracebacks import user_first
from pflow_studio.runtime import events as ev
from pflow_studio.runtime.model import Workflow


def path_labels(workflow: Workflow | None) -> dict[str, str]:
    """Node id -> label for every node of the workflow (nested ones included)."""
    return {node.id: node.label for node, _ in workflow.walk()} if workflow is not None else {}


class RunView(QObject):
    """Connects a RunController to the canvas, the errors panel and the status bar."""

    def __init__(self, controller: RunController, canvas: Any, errors: ErrorsPanel, status: QStatusBar,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller, self.canvas, self.errors, self.status = controller, canvas, errors, status
        self.labels: dict[str, str] = {}
        self.items_by_path: dict[tuple[str, ...], dict[str, Any]] = {}
        """The last run's `items` details per Map path (plus its `done` and `total` counts)."""
        self._failed_elements: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        self._warnings: dict[tuple[str, ...], str] = {}
        self.progress = QProgressBar(status)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.setFormat("%v/%m nodes")
        self.progress.hide()
        status.addPermanentWidget(self.progress)
        controller.started.connect(self._started)
        controller.event.connect(self.on_event)
        controller.finished.connect(self._finished)

    def where(self, path: tuple[str, ...]) -> str:
        return " \u203a ".join(self.labels.get(part, part) for part in path)

    def _started(self) -> None:
        self.labels = path_labels(self.controller.workflow)
        self.canvas.clear_run_state()
        self.errors.clear()
        self.items_by_path = {}
        self._failed_elements = {}
        self._warnings = {}
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.showMessage("Running…")

    def on_event(self, event: ev.Event) -> None:
        if event.kind == ev.PROGRESS:
            stored = event.details.get("stored") if isinstance(event.details, dict) else None
            if not event.path:
                self.progress.setRange(0, max(event.total, 1))
                self.progress.setValue(event.done)
            elif stored is not None and event.done == stored < event.total:  # none of those to run ran yet
                self.canvas.set_will_run(event.path, event.total - stored, event.total)
            else:
                self.canvas.set_progress(event.path, event.done, event.total)
            return
        if event.kind == ev.ITEMS:
            self._items(event)
            return
        if event.kind == ev.WARNING:
            self._warnings[event.path] = event.message
            self.errors.add_warning(event.path, self.where(event.path), event.message)
            return
        state = "cached" if event.kind == ev.FINISHED and event.cached else event.kind
        message = user_first(event.message, event.traceback)[0] if event.traceback else event.message
        partly = self._failed_elements.get(event.path)
        if event.kind == ev.FINISHED and partly:
            state = "warning"
            message = f"{len(partly)} of {self.items_by_path[event.path].get('total', '?')} elements failed " \
                      "and were left out or replaced by None (on_error); see the Errors panel"
        if event.kind == ev.FINISHED and event.path in self._warnings:
            state, message = "warning", self._warnings[event.path]
        self.canvas.set_node_state(event.path, state, message)
        if event.kind == ev.FAILED:
            self.errors.add_error(event.path, self.where(event.path), event.message, event.traceback)
            elements = event.details if isinstance(event.details, list) else partly or []
            self._element_rows(event.path, elements, self.errors.add_error)
        elif event.kind == ev.FINISHED and partly:
            self._element_rows(event.path, partly, self.errors.add_warning)

    def _items(self, event: ev.Event) -> None:
        """A Map's elements all ran: keep their records; show `k of N failed` when some failed."""
        details = event.details if isinstance(event.details, dict) else {}
        self.items_by_path[event.path] = {**details, "done": event.done, "total": event.total}
        failed = event.total - event.done
        if failed > 0:
            self._failed_elements[event.path] = list(details.get("failures") or [])
            self.canvas.set_item_failures(event.path, failed, event.total)

    def _element_rows(self, path: tuple[str, ...], elements: list, add: Callable[..., None]) -> None:
        """One errors-panel row per failed element: index, input, engine, host, error, traceback."""
        for element in elements:
            if not isinstance(element, dict):
                continue
            where = f"{self.where(path)} [element {element.get('index')}]"
            engine = element.get("engine")
            ran_on = f" on engine {engine}" if engine is not None else ""
            ran_on += f" @ {element['host']}" if element.get("host") else ""
            text = f"{element.get('error', '')} (input {element.get('input')!r:.80}{ran_on})"
            add(path, where, text, element.get("traceback") or element.get("error", ""))
        table = self.items_by_path.get(path, {}).get("table")
        more = len(table.failures) - len(elements) if table is not None else 0
        if more > 0:  # only the first ones are detailed (mapping.FAILURE_DETAILS)
            add(path, f"{self.where(path)} [{more:,} more elements]",
                f"… and {more:,} more failed elements: every one is in the Work Items dock and the run record", "")

    def _finished(self, outcome: RunOutcome) -> None:
        self.progress.hide()
        if outcome.status == "invalid":
            self.errors.set_problems([(problem.path, self.where(problem.path) + (f" ({problem.port})" if problem.port
                                                                                   else ""), problem.message)
                                      for problem in outcome.problems])
            self.status.showMessage(f"Not run: the workflow has {len(outcome.problems)} problem(s); "
                                    "see the Errors panel")
        elif outcome.status == "crashed":
            self.errors.add_error((), "run", outcome.error.strip().splitlines()[-1], outcome.error)
            self.status.showMessage("The run stopped on an unexpected error; see the Errors panel")
        elif outcome.status == "failed":
            count = len(outcome.result.failures) if outcome.result else 0
            self.status.showMessage(f"Run failed: {count} node(s) failed; see the Errors panel")
        elif outcome.status == "cancelled":
            self.status.showMessage("Run cancelled")
        elif self._warnings:
            self.status.showMessage(f"Run finished with {len(self._warnings)} warning(s); see the Errors panel")
        else:
            self.status.showMessage("Run finished", 5000)
