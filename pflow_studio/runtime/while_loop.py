"""Running a While (see `runtime.loops`): the body again and again, in this process, one iteration after the other.

Each iteration runs the body as a Map element does (`body_task.BodyTask`: its compiled plan when it has one), so a
While runs the same wherever it runs: at the top level, in a Group, or in a Map's body on an engine. The run's
cancel token is checked before every iteration and during the delay between two; an iteration that has begun
runs to its end. `progress` events count the iterations against `max_iterations`, and end with `done == total` (the
iterations that ran) when the condition stopped the loop earlier.
"""

from __future__ import annotations

from typing import Any, Protocol

from pflow_studio.nodes.api import ExecutionContext, NodeError, NodeType
from pflow_studio.runtime import events as ev
from pflow_studio.runtime.body_task import BodyTask
from pflow_studio.runtime.cancel import Cancelled
from pflow_studio.runtime.errors import ElementFailed, LoopFailed
from pflow_studio.runtime.model import Node, Workflow


class WhileLoop(Protocol):
    """What running a While needs of it (`loops.While`)."""

    values: dict[str, Any]
    body: Workflow

    def function_node(self) -> Node | None: ...

    def function(self) -> NodeType | None: ...

    def state_ports(self) -> list[str]: ...


def run_while(loop: WhileLoop, inputs: dict[str, Any], context: ExecutionContext) -> dict[str, Any]:
    """Run the body until its condition is falsy or `max_iterations` ran; the last outputs and `iterations`."""
    function = loop.function()
    names = tuple(port.name for port in function.output_ports())
    task = BodyTask(loop.body, loop.function_node().id, context.registry, names)
    bindings = {port.name: inputs[port.name] for port in function.input_ports() if port.name in context.provided}
    condition = loop.values.get("condition_port") or ""
    state = loop.state_ports()
    limit, delay = int(loop.values["max_iterations"]), float(loop.values.get("delay") or 0.0)
    outputs: dict[str, Any] = {}
    count = 0
    while count < limit:
        context.cancel.raise_if_cancelled()
        if count and delay > 0 and context.cancel.wait(delay):
            raise Cancelled("the run was cancelled")
        count += 1
        outputs = _iteration(task, bindings, count, limit)
        context.emit(ev.PROGRESS, done=count, total=limit)
        if condition and not _truth(outputs[condition], condition, count):
            if count < limit:  # done: no more iterations to expect
                context.emit(ev.PROGRESS, done=count, total=count)
            break
        bindings.update({name: outputs[name] for name in state})
    else:
        if condition:
            context.emit(ev.WARNING, message=f"stopped at max_iterations ({limit}): the condition "
                                             f"'{condition}' was still true after the last iteration")
    return {**outputs, "iterations": count}


def _iteration(task: BodyTask, bindings: dict[str, Any], count: int, limit: int) -> dict[str, Any]:
    """One run of the body; a failure names the iteration (counted from 1) and keeps the inner traceback."""
    try:
        return task(dict(bindings))
    except ElementFailed as exc:
        detail = {"index": count, "input": dict(bindings), "error": str(exc), "traceback": exc.inner_traceback,
                  "engine": None, "host": ""}
        raise LoopFailed(f"iteration {count} (of at most {limit}) failed: {exc}", [detail]) from None


def _truth(value: Any, name: str, count: int) -> bool:
    """The condition's value as a bool (Python's truth); a value without one is an error naming the iteration."""
    try:
        return bool(value)
    except Exception as exc:  # e.g. a numpy array of several values
        raise NodeError(f"iteration {count}: condition '{name}' has no truth value ({type(exc).__name__}: "
                        f"{exc})") from None
