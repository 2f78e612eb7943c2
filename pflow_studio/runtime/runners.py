"""Map runners: how a Map's elements are run. The executor treats a runner as a pluggable object.

A runner's `map(task, items, progress=..., cancel=...)` calls `task(bindings)` once per element
(`items[i]` is a dict of function input values) and returns one `ItemOutcome` per element, in
input order, whatever happened: an element that raises does not stop the others. It calls
`progress(done, total)` as elements finish and raises `Cancelled` when the token is cancelled.
`SerialRunner` runs in-process; the ipyparallel runner lives with the cluster code.
"""

from __future__ import annotations

import dataclasses
import socket
import time
import traceback
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from pflow_studio.runtime.cancel import CancelToken

Progress = Callable[[int, int], None]


@dataclasses.dataclass(slots=True)
class ItemOutcome:
    """What became of one element: its value (a dict of function outputs) or its error."""

    index: int
    ok: bool
    value: Any = None
    error: str = ""
    traceback: str = ""
    engine: int | None = None
    host: str = ""
    started: float = 0.0
    finished: float = 0.0


class Runner(Protocol):
    name: str

    def map(
        self,
        task: Callable[[dict[str, Any]], dict[str, Any]],
        items: Sequence[dict[str, Any]],
        *,
        progress: Progress,
        cancel: CancelToken,
    ) -> list[ItemOutcome]: ...


def run_item(task: Callable[[dict[str, Any]], dict[str, Any]], index: int, bindings: dict[str, Any]) -> ItemOutcome:
    """Run one element under its own error capture (also used on engines)."""
    started = time.time()
    try:
        value = task(bindings)
    except Exception as exc:
        inner = getattr(exc, "inner_traceback", None)  # a failure inside the body, already formatted
        return ItemOutcome(
            index, False, error=str(exc) if inner is not None else f"{type(exc).__name__}: {exc}",
            traceback=inner if inner is not None else "".join(traceback.format_exception(exc)),
            host=socket.gethostname(), started=started, finished=time.time(),
        )
    return ItemOutcome(index, True, value, host=socket.gethostname(), started=started, finished=time.time())


class SerialRunner:
    """Runs every element in this process, one after the other."""

    name = "serial"

    def map(
        self,
        task: Callable[[dict[str, Any]], dict[str, Any]],
        items: Sequence[dict[str, Any]],
        *,
        progress: Progress,
        cancel: CancelToken,
    ) -> list[ItemOutcome]:
        outcomes = []
        total = len(items)
        for index, bindings in enumerate(items):
            cancel.raise_if_cancelled()
            outcomes.append(run_item(task, index, bindings))
            progress(index + 1, total)
        return outcomes
