"""Map runners: how a Map's elements are run. The executor treats a runner as a pluggable object.

A runner's `map(task, items, progress=..., cancel=..., on_outcomes=...)` calls `task(bindings)` once per
element (`items[i]` is a dict of function input values; `items` may be an `element_loop.ElementRows`, the
elements in columns) and returns an `element_table.ElementTable` of every element, in input order,
whatever happened: an element that raises does not stop the others. As elements finish it calls
`progress(done, total)`, and `on_outcomes(block)` with each `OutcomeBlock` of finished ones (every element
exactly once, as soon as it is known: a Map stores them as they arrive, and keeps them when the run is
stopped); given `on_outcomes`, the runner keeps no table of its own and returns None. It raises
`Cancelled` when the token is cancelled. What an element prints to stdout and stderr is captured with its
outcome. `SerialRunner` runs in-process; the ipyparallel runner lives with the cluster code.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.element_loop import run_elements
from pflow_studio.runtime.element_table import ElementTable, OutcomeBlock
from pflow_studio.runtime.outcomes import HOST, OutputCapture

Progress = Callable[[int, int], None]
Outcomes = Callable[[OutcomeBlock], None]
BLOCK_SECONDS = 0.1  # the serial runner reports finished elements (progress, the store) at least this often
BLOCK_ELEMENTS = 10_000  # and at most this many at once


class Runner(Protocol):
    name: str

    def map(
        self,
        task: Callable[[dict[str, Any]], dict[str, Any]],
        items: Sequence[dict[str, Any]],
        *,
        progress: Progress,
        cancel: CancelToken,
        on_outcomes: Outcomes | None = None,
    ) -> ElementTable | None: ...


def output_names(task: Any) -> tuple[str, ...]:
    """The outputs a task's results hold (a Map body task says; any other task: unknown, empty)."""
    return tuple(getattr(task, "output_names", None) or ())


class SerialRunner:
    """Runs every element in this process, one after the other, reporting them in blocks (at least every
    `BLOCK_SECONDS`, at most `BLOCK_ELEMENTS` at once) through the same loop as engines (`element_loop`)."""

    name = "serial"

    def map(
        self,
        task: Callable[[dict[str, Any]], dict[str, Any]],
        items: Sequence[dict[str, Any]],
        *,
        progress: Progress,
        cancel: CancelToken,
        on_outcomes: Outcomes | None = None,
    ) -> ElementTable | None:
        total = len(items)
        table = ElementTable(total, output_names(task)) if on_outcomes is None else None
        start, size = 0, 1
        with OutputCapture() as capture:
            while start < total:
                cancel.raise_if_cancelled()
                stop = min(total, start + size)
                rows = items.part(start, stop) if hasattr(items, "part") else items[start:stop]
                began = time.perf_counter()
                ran = run_elements(task, rows, start, BLOCK_SECONDS, capture)
                block = OutcomeBlock(start, ran.names, ran.columns, ran.stamps[:-1], ran.stamps[1:], ran.failures,
                                     ran.printed, None, HOST)
                start += len(ran)
                if table is not None:
                    table.add(block)
                else:
                    on_outcomes(block)
                progress(start, total)
                size = _next_size(size, len(ran), time.perf_counter() - began)
        return table


def _next_size(size: int, ran: int, seconds: float) -> int:
    """How many elements the next serial block takes: grow while blocks end before `BLOCK_SECONDS`."""
    if ran < size:  # the budget ended the block: keep what fit
        return max(1, ran)
    if seconds < BLOCK_SECONDS / 2:
        return min(BLOCK_ELEMENTS, size * 2)
    return size
