"""Running Map, Filter and For: build the elements, hand them to the runner, collect in input order.

Every check on the elements (lists really are lists, zip lengths agree, VisTrails tuples have the
right length) happens before any element runs. An element that fails never stops the others: the
Map's `on_error` decides what the failure means once all have finished.
"""

from __future__ import annotations

import itertools
import operator
from typing import Any, Protocol

from pflow_studio.nodes.api import ExecutionContext, MapMemory, NodeError, NodeType, array_items
from pflow_studio.runtime import events as ev
from pflow_studio.runtime import keys
from pflow_studio.runtime.body_task import BodyTask
from pflow_studio.runtime.cancel import Cancelled
from pflow_studio.runtime.element_loop import ElementRows
from pflow_studio.runtime.element_table import FAILED, NOT_RUN, ElementTable, OutcomeBlock
from pflow_studio.runtime.errors import LoopFailed, MapItemsFailed
from pflow_studio.runtime.model import Node, Workflow

FAILURE_DETAILS = 100
"""Failed elements detailed in a Map's `items` event and failure (a body bug can fail a million of them)."""


class FunctionContainer(Protocol):
    """What running a Map, Filter or For needs of it (`containers.Map`, `containers.Filter`, `loops.For`)."""

    values: dict[str, Any]
    body: Workflow

    def function_node(self) -> Node | None: ...

    def function(self) -> NodeType | None: ...

    def fed_ports(self) -> list[str]: ...

    def is_cacheable(self) -> bool: ...


def build_elements(
    container: FunctionContainer, inputs: dict[str, Any], provided: frozenset[str]
) -> tuple[ElementRows, list[Any]]:
    """The bindings of every element (in columns), and the element values themselves (what Filter keeps)."""
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
        columns = [list(column) for column in zip(*combos, strict=True)] if combos else [[] for _ in fed]
        return ElementRows(tuple(fed), columns, broadcast), elements
    lists = [_as_list(name, inputs.get(name)) for name in fed]
    if container.values["combine"] == "product" and len(fed) > 1:
        combos = list(itertools.product(*lists))
        columns = [list(column) for column in zip(*combos, strict=True)] if combos else [[] for _ in fed]
        return ElementRows(tuple(fed), columns, broadcast), [tuple(combo) for combo in combos]
    lengths = {name: len(values) for name, values in zip(fed, lists, strict=True)}
    if len(set(lengths.values())) > 1:
        raise NodeError(f"zip needs lists of equal length, got {lengths}")
    elements = lists[0] if len(fed) == 1 else list(zip(*lists, strict=True))
    return ElementRows(tuple(fed), lists, broadcast), elements


def _as_list(name: str, value: Any) -> list[Any]:
    items = array_items(value)  # a Map runs over an array's numbers (1-D) or rows
    if items is not None:
        return items
    if not isinstance(value, (list, tuple)):
        raise NodeError(f"input '{name}' must be a list, got {type(value).__name__}: {value!r:.80}")
    return list(value)


def run_map(container: FunctionContainer, inputs: dict[str, Any], context: ExecutionContext) -> dict[str, Any]:
    """Execute a Map node (see `runtime.containers`): one list output per function output."""
    rows, _ = build_elements(container, inputs, context.provided)
    table = _run_elements(container, rows, context)
    return _map_result(container, table, rows, _chosen_output(container))


def run_filter(container: FunctionContainer, inputs: dict[str, Any], context: ExecutionContext) -> dict[str, Any]:
    """Execute a Filter node (see `runtime.containers`): the elements whose verdict is True."""
    rows, elements = build_elements(container, inputs, context.provided)
    table = _run_elements(container, rows, context)
    return _filter_result(table, elements, _chosen_output(container))


def run_for(container: FunctionContainer, inputs: dict[str, Any], context: ExecutionContext) -> dict[str, Any]:
    """Execute a For node (see `runtime.loops`): a Map over range(lower, higher) feeding the index port."""
    lower, higher = (_as_int(name, inputs.get(name)) for name in ("lower", "higher"))
    (index,) = container.fed_ports()
    broadcast = {port.name: inputs[port.name] for port in container.function().input_ports()
                 if port.name != index and port.name in context.provided}
    rows = ElementRows((index,), [list(range(lower, higher))], broadcast)
    table = _run_elements(container, rows, context)
    failed = table.failed_indices()
    if failed:
        first = table[failed[0]]
        raise LoopFailed(f"{len(failed)} of {table.total} iterations failed; first: iteration {index} = "
                         f"{lower + first.index}: {first.error}", _failure_details(table, rows))
    return {port.name: table.output(port.name) for port in container.function().output_ports()}


def _as_int(name: str, value: Any) -> int:
    """A For bound as an int: an int or any integer type (numpy's too), never a bool or a float."""
    try:
        if not isinstance(value, bool):
            return operator.index(value)
    except TypeError:
        pass
    raise NodeError(f"input '{name}' must be a whole number, got {type(value).__name__}: {value!r:.80}")


def _run_elements(container: FunctionContainer, rows: ElementRows, context: ExecutionContext) -> ElementTable:
    """Run every element not served from the element store on the context's runner, reporting progress;
    then (also when stopped or failed midway) the `items` event with the table of every element."""
    total = len(rows)
    task = task_of(container, context)
    table = ElementTable(total, task.output_names)
    memory = _open_memory(container, rows, context)
    served = memory.served if memory is not None else None
    stored = _take_served(table, served)
    pending = range(total) if not stored else served.pending(total)
    todo = rows if not stored else _subset(rows, pending)

    def take(block: OutcomeBlock) -> None:
        at = pending[block.start:block.start + len(block)]
        if at and not isinstance(at, range) and at[-1] - at[0] == len(at) - 1:  # contiguous: the quick way
            at = range(at[0], at[-1] + 1)
        table.add(block, at)
        if memory is not None:
            memory.record(block, at)

    def progress(done: int, _: int) -> None:
        context.emit(ev.PROGRESS, done=stored + done, total=total, details={"stored": stored})

    progress(0, len(pending))
    state = "error"
    try:
        if pending:
            context.runner.map(task, todo, progress=progress, cancel=context.cancel, on_outcomes=take)
        state = "ok" if not table.failures and not table.count(NOT_RUN) else "failed"
    except Cancelled:
        state = "cancelled"
        raise
    finally:
        _settle(context, memory, state, rows, table)
    return table


def _take_served(table: ElementTable, served: Any) -> int:
    """Put the blocks served from the store in the table (each with the indices it serves); how many there were."""
    if not served:
        return 0
    for block, at in served.blocks:
        table.add(block, at)
    return len(served)


def _subset(rows: ElementRows, indices: list[int]) -> ElementRows:
    """The elements of `rows` at `indices`, as rows of their own."""
    return ElementRows(rows.names, [[column[i] for i in indices] for column in rows.columns], rows.broadcast)


def task_of(container: FunctionContainer, context: ExecutionContext) -> BodyTask:
    """The picklable task running the container's body for one element."""
    function = container.function()
    names = tuple(port.name for port in function.output_ports()) if function is not None else ()
    return BodyTask(container.body, container.function_node().id, context.registry, names)


def _open_memory(container: FunctionContainer, rows: ElementRows, context: ExecutionContext) -> MapMemory | None:
    """The Map's elements in the run's element store, or None (no store, or a body that must not be reused)."""
    store = context.elements
    if store is None or not len(rows) or not keys.is_cacheable(container, context.registry):
        return None
    settings = {name: container.values.get(name) for name in ("mode", "mapped", "input_ports", "combine", "index_port")
                if name in container.values}
    return store.open_map(context.path, context.label, container.body, container.function_node().id, settings,
                          rows.broadcast, list(rows.names), rows, context.registry)


def _settle(context: ExecutionContext, memory: MapMemory | None, state: str, rows: ElementRows,
            table: ElementTable) -> None:
    """End the Map's run in the store and report every element (`not_run` for those that did not run)."""
    if memory is not None:
        missed = table.count(NOT_RUN) and [index for index, status in enumerate(table.status) if status == NOT_RUN]
        memory.finish(state, missed or [])
    context.emit(ev.ITEMS, done=table.ok, total=table.total,
                 details={"runner": context.runner.name, "table": table, "failures": _failure_details(table, rows)})


def _chosen_output(container: FunctionContainer) -> str:
    """The function output a vistrails-mode Map collects or a Filter reads: `output_port`, else the first."""
    return container.values.get("output_port") or next(iter(p.name for p in container.function().output_ports()), "")


def _failure_details(table: ElementTable, rows: ElementRows) -> list[dict[str, Any]]:
    """The first `FAILURE_DETAILS` failed elements, each with its input, error, traceback, engine and host (all of
    them are in the table, the element store and the run record)."""
    details = []
    for index in table.failed_indices()[:FAILURE_DETAILS]:
        outcome = table[index]
        details.append({"index": index, "input": rows[index], "error": outcome.error,
                        "traceback": outcome.traceback, "engine": outcome.engine, "host": outcome.host})
    return details


def _map_result(container: FunctionContainer, table: ElementTable, rows: ElementRows, chosen: str) -> dict[str, Any]:
    failed = table.failed_indices()
    on_error = container.values["on_error"]
    if failed and on_error == "fail":
        first = table[failed[0]]
        raise MapItemsFailed(
            f"{len(failed)} of {table.total} elements failed; first: element {first.index} "
            f"(input {rows[first.index]!r:.80}): {first.error}",
            _failure_details(table, rows))
    names = [p.name for p in container.function().output_ports()]
    columns = {name: table.output(name) for name in names}
    if failed and on_error == "skip":
        kept = [status != FAILED for status in table.status]
        columns = {name: list(itertools.compress(column, kept)) for name, column in columns.items()}
    if container.values["mode"] == "vistrails":
        return {"result": columns.get(chosen, [])}
    return columns


def _filter_result(table: ElementTable, elements: list[Any], chosen: str) -> dict[str, Any]:
    failed = table.failed_indices()
    if failed:
        first = table[failed[0]]
        raise MapItemsFailed(
            f"{len(failed)} of {table.total} elements failed; first: element {first.index}: {first.error}",
            [{"index": index, "error": table.failures[index][0], "traceback": table.failures[index][1]}
             for index in failed[:FAILURE_DETAILS]])
    verdicts = table.output(chosen)
    for index, verdict in enumerate(verdicts):
        if not isinstance(verdict, bool):
            raise NodeError(f"Filter: element {index}: output '{chosen}' must be a bool, got {verdict!r:.80}")
    return {"result": list(itertools.compress(elements, verdicts))}
