"""The task a Map hands to its runner: the body run for one element, picklable for engines."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Sequence
from typing import Any

from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime import events as ev
from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.compiled_body import CompiledBody
from pflow_studio.runtime.container_types import WHILE_TYPE
from pflow_studio.runtime.errors import ElementFailed
from pflow_studio.runtime.executor import Executor, RunResult
from pflow_studio.runtime.model import PortRef, Workflow

_NEVER_CANCELLED = CancelToken()
"""The token of every element's body run: an element is never cancelled from inside (a stopped Map stops
between elements, or interrupts them on the engines), and one token for all spares making one per element."""


@dataclasses.dataclass
class BodyTask:
    """The function of a Map: a picklable callable running the body for one element.

    `bindings` maps function input names to values; the result maps function output names (the function's
    `output_names`, which runners use to keep results in columns) to values. Nested Maps inside the body run
    serially wherever the task runs (engines included).
    A failing element raises `ElementFailed` carrying the inner traceback. An element sends no events: a node's
    warning (a While stopped at max_iterations) is written to the element's stderr, kept with its outcome.
    The body runs through its compiled plan (`compiled_body`), with the executor's semantics, unless it
    holds what a plan does not express (a nested Map...): then through the executor. Which way is decided
    at the first element, wherever the task runs; the plan is cached with the task and never pickled.
    """

    body: Workflow
    function_id: str
    registry: Registry
    output_names: tuple[str, ...] = ()

    def __call__(self, bindings: dict[str, Any]) -> dict[str, Any]:
        compiled = self._compiled_body()
        if compiled is not None:
            return compiled(bindings)
        return self.outputs_of(self.run_traced(bindings))

    def run_traced(self, bindings: dict[str, Any]) -> RunResult:
        """Run the body for one element through the executor (never the compiled plan), keeping what every
        node gave: the function node's outputs and, in `nested_outputs`, those of the nodes inside it."""
        feeds = {PortRef(self.function_id, name): value for name, value in bindings.items()}
        executor = Executor(self.registry, cache=False)
        return executor.run(self.body, targets=[self.function_id], feeds=feeds, check=False, cancel=_NEVER_CANCELLED,
                            listeners=self._listeners())

    def _listeners(self) -> list[Callable[[ev.Event], None]]:
        """Who hears the body's events: `_say_warning` when the body holds a node that may warn (a While), else
        no one (events cost time per node, and only warnings are wanted)."""
        warns = self.__dict__.get("_warns")
        if warns is None:
            warns = self.__dict__["_warns"] = any(node.type_name == WHILE_TYPE for node, _ in self.body.walk())
        return [self._say_warning] if warns else []

    def _say_warning(self, event: ev.Event) -> None:
        if event.kind == ev.WARNING:
            print(f"warning: {node_labels(self.body, event.path)}: {event.message}", file=sys.stderr)

    def outputs_of(self, result: RunResult) -> dict[str, Any]:
        """The element's outputs from the body's `result`; raises `ElementFailed` as a failing element does."""
        if result.failures:
            failure = result.failures[0]
            raise ElementFailed(failure.message, failure.traceback, node_labels(self.body, failure.path))
        if self.function_id not in result.outputs:
            raise ElementFailed(f"the function node did not run ({result.states.get(self.function_id)})", "")
        return result.outputs[self.function_id]

    def feeder(self, names: tuple[str, ...]) -> Callable[[Sequence[Any]], dict[str, Any]]:
        """A call running one element from the values of `names` in that order (what `element_loop` uses for
        elements in columns): the compiled plan's own, else a dict per element through `__call__`."""
        compiled = self._compiled_body()
        if compiled is not None:
            return compiled.feeder(names)
        return lambda feed: self(dict(zip(names, feed, strict=True)))

    def _compiled_body(self) -> CompiledBody | None:
        compiled = self.__dict__.get("_compiled", False)
        if compiled is False:
            compiled = self.__dict__["_compiled"] = CompiledBody.of(self.body, self.function_id, self.registry)
        return compiled

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_compiled", None)
        state.pop("_warns", None)
        return state


def node_labels(body: Workflow, path: tuple[str, ...]) -> str:
    """The labels along a node's path (container ids, then its own id) in `body`, joined by "/"."""
    labels = []
    level: Workflow | None = body
    for node_id in path:
        node = level.nodes.get(node_id) if level is not None else None
        labels.append(node.label if node is not None else node_id)
        level = node.body if node is not None else None
    return "/".join(labels)
