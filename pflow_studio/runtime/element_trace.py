"""What every node inside a Map's body gave for one element: `TracingTask` runs an element as the Map's task
would (same outputs, same `ElementFailed`) and keeps an `ElementTrace` of it.

A Map's nodes run once per element in their own runs, so a run of the workflow keeps none of their values;
running one element again through the executor (`BodyTask.run_traced`) does. Paths in a trace are relative
to the Map's body: `(function_id,)` for its function node, `(function_id, inner_id, ...)` for nodes inside
it (a Group's, at any depth). Nodes inside a Map nested in the body run per element of that Map and have
no values here. Qt-free: it runs wherever the task does.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from pflow_studio.runtime.body_task import BodyTask
from pflow_studio.runtime.results import RunResult


@dataclasses.dataclass
class ElementTrace:
    """One element's run: its inputs, each node's outputs by its path in the Map's body, each failure's
    message (and traceback), when."""

    index: int
    signature: str  # the body's signature when it ran (an edit since changes the Map's)
    inputs: dict[str, Any]
    values: dict[tuple[str, ...], dict[str, Any]]
    failures: dict[tuple[str, ...], str]
    taken: float
    tracebacks: dict[tuple[str, ...], str] = dataclasses.field(default_factory=dict)

    def outputs_at(self, relative: tuple[str, ...]) -> dict[str, Any] | None:
        """The outputs of the node at `relative` (a path in the Map's body), None when it did not run."""
        return self.values.get(tuple(relative))


def trace_of(result: RunResult, function_id: str, index: int, signature: str,
             inputs: dict[str, Any]) -> ElementTrace:
    """The trace of an element run with `inputs`, from its body's `result` (`BodyTask.run_traced`)."""
    values = {(function_id,): result.outputs[function_id]} if function_id in result.outputs else {}
    values.update(result.nested_outputs)
    failures = {tuple(failure.path): failure.message for failure in result.failures}
    tracebacks = {tuple(failure.path): failure.traceback for failure in result.failures if failure.traceback}
    return ElementTrace(index, signature, dict(inputs), values, failures, time.time(), tracebacks)


class TracingTask:
    """A Map's task for one element that keeps its trace in `trace` (None until it ran). Called like the task:
    `bindings` in, the function's outputs out, `ElementFailed` when the body fails (the trace is kept then
    too, with the values of the nodes that ran before the failure)."""

    def __init__(self, task: BodyTask, index: int, signature: str) -> None:
        self.task, self.index, self.signature = task, index, signature
        self.trace: ElementTrace | None = None

    def __call__(self, bindings: dict[str, Any]) -> dict[str, Any]:
        result = self.task.run_traced(bindings)
        self.trace = trace_of(result, self.task.function_id, self.index, self.signature, bindings)
        return self.task.outputs_of(result)
