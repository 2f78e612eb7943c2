"""Run element here: one element of a Map run again in the app's process, with the Map's current body.

`local_task(workflow, path, registry)` is the element task of the Map at `path` as the canvas has it now
(`BodyTask` of a copy of its body: an edit not yet run can be tried); `element_bindings(store, run, detail)`
are the element's inputs as its run had them (the run's broadcast values and the element's stored mapped
values). `LocalRun(task, index, bindings)` runs the task on a thread of its own (never the GUI thread) and
emits `outcome(ItemOutcome)`: `run_item`'s outcome, as a Map runner's (value or error and traceback, times,
what it printed). What the thread prints is captured by routing `sys.stdout` and `sys.stderr` by thread
(`ThreadOutput`), so other threads' output is untouched. Python cannot stop a thread: `abandon()` drops
the outcome and lets the thread end on its own (a daemon thread: it never holds the app open). Nothing is
written to the element store. Each function returns a message instead when it cannot do its part.
"""

from __future__ import annotations

import io
import sys
import threading
from collections.abc import Callable
from typing import Any, TextIO

from PySide6.QtCore import QObject, Signal

from pflow_studio.canvas.levels import node_at
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime.body_task import BodyTask
from pflow_studio.runtime.container_types import FUNCTION_CONTAINER_TYPES
from pflow_studio.runtime.element_store.records import ElementDetail
from pflow_studio.runtime.element_store.store import ElementStore
from pflow_studio.runtime.model import ModelError, Workflow
from pflow_studio.runtime.outcomes import ItemOutcome, OutputCapture, run_item


def local_task(workflow: Workflow, path: tuple[str, ...], registry: Registry) -> BodyTask | str:
    """The element task of the Map (or Filter) at `path` in `workflow`, or why there is none."""
    try:
        node = node_at(workflow, path)
    except ModelError:
        return "the Map is no longer in the workflow"
    if node.type_name not in FUNCTION_CONTAINER_TYPES or node.body is None:
        return "the node is not a Map or Filter any more"
    if len(node.body.nodes) != 1:
        return "the Map's body must hold exactly one node (its function)"
    body = node.body.copy()
    return BodyTask(body, next(iter(body.nodes)), registry)


def element_bindings(store: ElementStore, run: int, detail: ElementDetail | None) -> dict[str, Any] | str:
    """The element's inputs as its run had them (broadcast and mapped values), or why they are not known."""
    if detail is None:
        return "this element is not in the element store (its inputs are not known)"
    if not isinstance(detail.inputs, dict):
        return "this element's inputs cannot be read back from the element store"
    return {**(store.run_broadcast(run) or {}), **detail.inputs}


class _ThreadStream(io.TextIOBase):
    """Stands in for `sys.stdout` or `sys.stderr`: what one thread writes goes to its own buffer, what the
    others write goes on to the stream it replaced."""

    def __init__(self, replaced: TextIO, thread: int) -> None:
        super().__init__()
        self.replaced, self.thread, self.buffer = replaced, thread, io.StringIO()

    def write(self, text: str) -> int:
        return (self.buffer if threading.get_ident() == self.thread else self.replaced).write(text)

    def flush(self) -> None:
        if threading.get_ident() != self.thread:
            self.replaced.flush()


class ThreadOutput(OutputCapture):
    """`OutputCapture` for one thread among others: what the thread entering it prints is captured, what
    other threads print goes where it went. Leaving puts the streams back unless someone replaced them since
    (they will put these back, which forward everything but the captured thread's output)."""

    def __enter__(self) -> ThreadOutput:
        thread = threading.get_ident()
        self._streams = _ThreadStream(sys.stdout, thread), _ThreadStream(sys.stderr, thread)
        self.out, self.err = self._streams[0].buffer, self._streams[1].buffer
        self._seen = (0, 0)
        sys.stdout, sys.stderr = self._streams
        return self

    def __exit__(self, *exc: object) -> None:
        out, err = self._streams
        if sys.stdout is out:
            sys.stdout = out.replaced
        if sys.stderr is err:
            sys.stderr = err.replaced


class LocalRun(QObject):
    """See the module docstring; `start()` runs it; `outcome` (unless abandoned) and `ended` are emitted on the
    GUI thread."""

    outcome = Signal(object)
    ended = Signal()  # the element's thread ended (after `outcome`, also when abandoned)
    _done = Signal(object)

    def __init__(self, task: Callable[[dict[str, Any]], dict[str, Any]], index: int, bindings: dict[str, Any],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.task, self.index, self.bindings = task, index, bindings
        self.abandoned = False
        self.thread = threading.Thread(target=self._run, name=f"run-element-{index}-here", daemon=True)
        self._done.connect(self._deliver)  # queued: emitted on the element's thread

    def start(self) -> None:
        self.thread.start()

    def abandon(self) -> None:
        """Stop waiting for it: its outcome is dropped (the thread ends when the element does)."""
        self.abandoned = True

    def _run(self) -> None:
        self._done.emit(run_item(self.task, self.index, self.bindings, ThreadOutput()))

    def _deliver(self, outcome: ItemOutcome) -> None:
        if not self.abandoned:
            self.outcome.emit(outcome)
        self.ended.emit()
