"""Run element here: one element of a Map run again in the app's process, with the Map's current body.

`local_task(workflow, path, registry)` is the element task of the Map at `path` as the canvas has it now
(`BodyTask` of a copy of its body: an edit not yet run can be tried); `element_bindings(store, run, detail)`
are the element's inputs as its run had them (the run's broadcast values and the element's stored mapped
values). `LocalRun(task, index, bindings)` runs the task on a thread of its own (never the GUI thread),
capturing what it prints as a Map runner does, and emits `outcome(ItemOutcome)`. Nothing is written to the
element store. Each function returns a message instead when it cannot do its part.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from pflow_studio.canvas.levels import node_at
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime.body_task import BodyTask
from pflow_studio.runtime.container_types import FUNCTION_CONTAINER_TYPES
from pflow_studio.runtime.element_store.records import ElementDetail
from pflow_studio.runtime.element_store.store import ElementStore
from pflow_studio.runtime.model import ModelError, Workflow
from pflow_studio.runtime.runners import run_item


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


class LocalRun(QThread):
    """See the module docstring."""

    outcome = Signal(object)

    def __init__(self, task: BodyTask, index: int, bindings: dict[str, Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.task, self.index, self.bindings = task, index, bindings

    def run(self) -> None:
        self.outcome.emit(run_item(self.task, self.index, self.bindings))

