"""Execution events: one stream, many sinks (canvas colours, dock load, CLI bar, tests).

Every event names the node it is about by its `path`: the ids of the containers that hold it,
then its own id (`()` for the run as a whole). The order for one node is
`queued` -> `started` -> `finished` | `failed`, or `queued` -> `finished(cached=True)`, or
`queued` -> `failed` (it could not get an input: a required one without a value, or an output its
source did not produce), or `queued` -> `skipped` (an upstream node failed, or a lazy node such as If
did not need it), or `queued` -> `cancelled`. `progress` reports `done`/`total`: for a level in nodes
(path `()` for the top level, a Group's path for its body), for a Map in elements. `items` follows a
Map's or Filter's elements once all have run: `done` counts the elements that succeeded, `total` all
of them, and `details` is
`{"runner": name, "table": the `element_table.ElementTable` of every element (status, engine, host,
times, errors, in columns), "failures": [{"index", "input", "error", "traceback", "engine", "host"}]}`
(the table is what run records are made of; `failures` details each failed element, as a failed Map's
event does). A Map
served from the cache repeats its last `items` event with `cached=True`. `warning` says something about a node
that ran (its `message`: a While that stopped at its `max_iterations` with the condition still true); it comes
before the node's `finished` (repeated with `cached=True` when the node comes from the cache).
Listeners are called on the executing thread; they must be quick and not raise (a raising listener is
logged and dropped from that run, never fails it).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable
from typing import Any

QUEUED = "queued"
STARTED = "started"
FINISHED = "finished"
FAILED = "failed"
SKIPPED = "skipped"
CANCELLED = "cancelled"
PROGRESS = "progress"
ITEMS = "items"
WARNING = "warning"
KINDS = (QUEUED, STARTED, FINISHED, FAILED, SKIPPED, CANCELLED, PROGRESS, ITEMS, WARNING)

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Event:
    """One thing that happened during a run (see the module docstring)."""

    kind: str
    path: tuple[str, ...]
    cached: bool = False
    message: str = ""
    traceback: str = ""
    done: int = 0
    total: int = 0
    details: Any = None

    @property
    def node_id(self) -> str:
        return self.path[-1] if self.path else ""


Listener = Callable[[Event], None]


class EventBus:
    """Fans events out to listeners; a listener that raises is logged and removed."""

    def __init__(self, listeners: Iterable[Listener] = ()) -> None:
        self._listeners = list(listeners)

    def __bool__(self) -> bool:
        return bool(self._listeners)

    def emit(self, event: Event) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("event listener %r failed; it is dropped for this run", listener)
                self._listeners.remove(listener)
