"""Running Map and Filter: build the elements, hand them to the runner, collect in input order.

Every check on the elements (lists really are lists, zip lengths agree, VisTrails tuples have the
right length) happens before any element runs. An element that fails never stops the others: the
Map's `on_error` decides what the failure means once all have finished.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any, Protocol

from pflow_studio.nodes.api import ElementOutcome, ExecutionContext, MapMemory, NodeError, NodeType
from pflow_studio.runtime import events as ev
from pflow_studio.runtime import keys
from pflow_studio.runtime.body_task import BodyTask
from pflow_studio.runtime.cancel import Cancelled
from pflow_studio.runtime.errors import MapItemsFailed
from pflow_studio.runtime.model import Node, Workflow
from pflow_studio.runtime.run_record import item_records


class FunctionContainer(Protocol):
    """What running a Map or Filter needs of it (`containers.Map`, `containers.Filter`)."""

    values: dict[str, Any]
    body: Workflow

    def function_node(self) -> Node | None: ...

    def function(self) -> NodeType | None: ...

    def fed_ports(self) -> list[str]: ...

    def is_cacheable(self) -> bool: ...


def build_elements(
    container: FunctionContainer, inputs: dict[str, Any], provided: frozenset[str]
) -> tuple[list[dict[str, Any]], list[Any]]:
    """The bindings of every element, and the element values themselves (what Filter keeps)."""
    function = container.function()
    fed = container.fed_ports()
    broadcast = {
        port.name: inputs[port.name]
        for port in function.input_ports()
        if port.name not in fed and port.name in provided
    }
    if container.values["mode"] == "vistrails":
        values = _as_list("input_list", inputs.get("input_list"))
        if len(fed) == 1:
            combos = [(value,) for value in values]
        else:
            combos = []
            for index, value in enumerate(values):
                if not isinstance(value, (list, tuple)) or len(value) != len(fed):
                    raise NodeError(
                        f"element {index} of input_list must be a tuple of {len(fed)} values for ports "
                        f"{fed}, got {value!r} (the number of input values and input ports are not the same)")
                combos.append(tuple(value))
        elements = list(values)
    else:
        lists = [_as_list(name, inputs.get(name)) for name in fed]
        if container.values["combine"] == "product":
            combos = list(itertools.product(*lists))
        else:
            lengths = {name: len(values) for name, values in zip(fed, lists, strict=True)}
            if len(set(lengths.values())) > 1:
                raise NodeError(f"zip needs lists of equal length, got {lengths}")
            combos = list(zip(*lists, strict=True))
        elements = [combo[0] if len(fed) == 1 else combo for combo in combos]
    return [{**broadcast, **dict(zip(fed, combo, strict=True))} for combo in combos], elements


def _as_list(name: str, value: Any) -> list[Any]:
    if not isinstance(value, (list, tuple)):
        raise NodeError(f"input '{name}' must be a list, got {type(value).__name__}: {value!r:.80}")
    return list(value)


def run_map(container: FunctionContainer, inputs: dict[str, Any], context: ExecutionContext) -> dict[str, Any]:
    """Execute a Map node (see `runtime.containers`): one list output per function output."""
    items, _ = build_elements(container, inputs, context.provided)
    outcomes = _run_elements(container, items, context)
    return _map_result(container, outcomes, items, _chosen_output(container))


def run_filter(container: FunctionContainer, inputs: dict[str, Any], context: ExecutionContext) -> dict[str, Any]:
    """Execute a Filter node (see `runtime.containers`): the elements whose verdict is True."""
    items, elements = build_elements(container, inputs, context.provided)
    outcomes = _run_elements(container, items, context)
    return _filter_result(outcomes, elements, _chosen_output(container))


def _run_elements(
    container: FunctionContainer, items: list[dict[str, Any]], context: ExecutionContext
) -> list[ElementOutcome]:
    """Run every element not served from the element store on the context's runner, reporting progress;
    then (also when stopped or failed midway) the `items` event with what became of each element."""
    total = len(items)
    memory = _open_memory(container, items, context)
    served = dict(memory.served) if memory is not None else {}
    pending = [index for index in range(total) if index not in served]
    finished: dict[int, ElementOutcome] = dict(served)
    taken: set[int] = set()

    def take(batch: Sequence[ElementOutcome]) -> None:
        for outcome in batch:  # runner indices are positions in `pending`: make them the Map's
            outcome.index = pending[outcome.index]
            finished[outcome.index] = outcome
            taken.add(id(outcome))
        if memory is not None:
            memory.record(batch)

    def progress(done: int, _: int) -> None:
        context.emit(ev.PROGRESS, done=len(served) + done, total=total, details={"stored": len(served)})

    progress(0, len(pending))
    state = "error"
    try:
        if pending:
            returned = context.runner.map(task_of(container, context), [items[i] for i in pending], progress=progress,
                                          cancel=context.cancel, on_outcomes=take)
            take([outcome for outcome in returned if id(outcome) not in taken])  # a runner that does not stream
        state = "ok" if all(o.ok for o in finished.values()) else "failed"
    except Cancelled:
        state = "cancelled"
        raise
    finally:
        _settle(context, memory, state, items, finished)
    return [finished[index] for index in range(total)]


def task_of(container: FunctionContainer, context: ExecutionContext) -> BodyTask:
    """The picklable task running the container's body for one element."""
    return BodyTask(container.body, container.function_node().id, context.registry)


def _open_memory(container: FunctionContainer, items: list[dict[str, Any]],
                 context: ExecutionContext) -> MapMemory | None:
    """The Map's elements in the run's element store, or None (no store, or a body that must not be reused)."""
    store = context.elements
    if store is None or not items or not keys.is_cacheable(container, context.registry):
        return None
    fed = container.fed_ports()
    bindings = items[0]
    broadcast = {name: value for name, value in bindings.items() if name not in fed}
    settings = {name: container.values.get(name) for name in ("mode", "mapped", "input_ports", "combine")}
    return store.open_map(context.path, context.label, container.body, container.function_node().id, settings,
                          broadcast, fed, items, context.registry)


def _settle(context: ExecutionContext, memory: MapMemory | None, state: str, items: list[dict[str, Any]],
            finished: dict[int, ElementOutcome]) -> None:
    """End the Map's run in the store and report every element (`not_run` for those that did not run)."""
    total = len(items)
    not_run = [index for index in range(total) if index not in finished]
    if memory is not None:
        memory.finish(state, not_run)
    outcomes = [finished.get(index) for index in range(total)]
    done = [o for o in outcomes if o is not None]
    context.emit(ev.ITEMS, done=sum(1 for o in done if o.ok), total=total,
                 details={"runner": context.runner.name, "items": item_records(outcomes),
                          "failures": _failure_details(done, items)})


def _chosen_output(container: FunctionContainer) -> str:
    """The function output a vistrails-mode Map collects or a Filter reads: `output_port`, else the first."""
    return container.values.get("output_port") or next(iter(p.name for p in container.function().output_ports()), "")


def _failure_details(outcomes: Sequence[ElementOutcome], items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"index": o.index, "input": items[o.index], "error": o.error, "traceback": o.traceback,
         "engine": o.engine, "host": o.host}
        for o in outcomes if not o.ok
    ]


def _map_result(
    container: FunctionContainer, outcomes: Sequence[ElementOutcome], items: list[dict[str, Any]], chosen: str
) -> dict[str, Any]:
    failed = [o for o in outcomes if not o.ok]
    on_error = container.values["on_error"]
    if failed and on_error == "fail":
        first = failed[0]
        raise MapItemsFailed(
            f"{len(failed)} of {len(outcomes)} elements failed; first: element {first.index} "
            f"(input {items[first.index]!r:.80}): {first.error}",
            _failure_details(outcomes, items))
    kept = [o for o in outcomes if o.ok or on_error == "none"]
    names = [p.name for p in container.function().output_ports()]
    columns = {name: [o.value[name] if o.ok else None for o in kept] for name in names}
    if container.values["mode"] == "vistrails":
        return {"result": columns.get(chosen, [])}
    return columns


def _filter_result(outcomes: Sequence[ElementOutcome], elements: list[Any], chosen: str) -> dict[str, Any]:
    failed = [o for o in outcomes if not o.ok]
    if failed:
        raise MapItemsFailed(
            f"{len(failed)} of {len(outcomes)} elements failed; first: element {failed[0].index}: {failed[0].error}",
            [{"index": o.index, "error": o.error, "traceback": o.traceback} for o in failed])
    kept = []
    for outcome, element in zip(outcomes, elements, strict=True):
        verdict = outcome.value[chosen]
        if not isinstance(verdict, bool):
            raise NodeError(f"Filter: element {outcome.index}: output '{chosen}' must be a bool, got {verdict!r:.80}")
        if verdict:
            kept.append(element)
    return {"result": kept}
