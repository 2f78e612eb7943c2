"""The stall watchdog of one Map: no chunk came back for a long while although chunks are pending.

A controller notices dead engines only through its heartbeat: ours ping every 0.2 s, but a hand-started
`ipcluster` pings every 3 s and drops an engine (with its nanny) only after ~30-40 s. Meanwhile the Map
just waits. `StallWatch.due` says when to tell the user: after `max(QUIET, FACTOR x the time the largest
pending chunk should take, one element more for slack)` seconds without any chunk coming back, then
again at most every `REPEAT` seconds until one does. It only tells: the Map goes on (the elements may merely be slow).
`stall_message` words the notice, naming the engines that hold the Map's work: the client knows the
engine of a chunk that started running; `holders` asks the controller (with a timeout, never hanging)
where the others are queued.

While a Map is stalled, `check_gone` ends it with `NoEngines` when every engine of the cluster is known
for sure to be gone: each reported its process (`process_id`), runs on this machine, and that process
has ended. Engines elsewhere, or not heard from, cannot be judged: then the Map waits for the controller.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from pflow_studio.runtime.cluster.errors import NoEngines
from pflow_studio.runtime.cluster.process_id import ProcessId, surely_gone

QUIET = 8.0  # seconds without a result after which a Map counts as stalled (at least)
FACTOR = 4.0  # ... or this many times the longest time a pending chunk is expected to take
REPEAT = 30.0  # seconds between two stall notices of one stall
ASK_TIMEOUT = 2.0  # seconds the controller has to say where tasks are queued


class StallWatch:
    """When a stall notice is due (see the module docstring); `heard` whenever a chunk comes back."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last = clock()
        self._told: float | None = None
        self.stalled = False  # as of the last `due`: no result for the stall time

    def heard(self) -> None:
        """A chunk came back: the Map moves (again)."""
        self._last, self._told, self.stalled = self._clock(), None, False

    def due(self, cost: float | None, sizes: Sequence[int]) -> float | None:
        """The seconds without a result if a stall notice is due now, else None (`cost`: seconds per element
        measured, if any; `sizes`: the elements of each pending chunk; none pending: never due)."""
        now = self._clock()
        quiet = now - self._last
        expected = (cost or 0.0) * (1 + max(sizes, default=0))
        self.stalled = bool(sizes) and quiet >= max(QUIET, FACTOR * expected)
        if not self.stalled or (self._told is not None and now - self._told < REPEAT):
            return None
        self._told = now
        return quiet


def stall_message(quiet: float, holders: Sequence[tuple[int | None, int]],
                  host_of: Callable[[int], str] = lambda engine: "") -> str:
    """The stall notice: `holders` are (engine or None if not known yet, elements) of each pending chunk;
    `host_of(engine)` names an engine's host ("" when not known)."""
    engines = sorted({engine for engine, _ in holders if engine is not None})
    elements = sum(size for _, size in holders)
    if len(engines) > 1:
        who = f"engines {_on_hosts(engines, host_of)} hold"
    elif engines:
        who = f"engine {_on_hosts(engines, host_of)} holds"
    else:
        who = "engines not known yet hold"
    return (f"Map stalled: no result for {quiet:.0f} s; {who} its work ({elements} elements). Waiting: the "
            "elements may be slow, or the engines lost (the controller will tell)")


def _on_hosts(engines: Sequence[int], host_of: Callable[[int], str]) -> str:
    """"0, 1" or, where hosts are known, "3, 4 on h2 and 0 on box" (in the order of the engines)."""
    by_host: dict[str, list[str]] = {}
    for engine in engines:
        by_host.setdefault(host_of(engine), []).append(str(engine))
    if list(by_host) == [""]:
        return ", ".join(by_host[""])
    return " and ".join(", ".join(ids) + (f" on {host}" if host else "") for host, ids in by_host.items())


def holders(client: Any, pending: Sequence[tuple[int | None, Any, int]]) -> list[tuple[int | None, int]]:
    """(engine, elements) of each pending chunk, given as (engine if the client knows it, its AsyncResult,
    elements): engines not known are asked of the controller (left None if it does not say in time)."""
    if all(engine is not None for engine, _, _ in pending):
        return [(engine, size) for engine, _, size in pending]
    assigned = _assigned(client)
    return [(engine if engine is not None else _first(assigned, getattr(ar, "msg_ids", ())), size)
            for engine, ar, size in pending]


def _first(assigned: dict[str, int], msg_ids: Sequence[str]) -> int | None:
    return next((assigned[msg_id] for msg_id in msg_ids if msg_id in assigned), None)


def _assigned(client: Any) -> dict[str, int]:
    """msg id -> engine of every task the controller has sent to an engine and not seen finish; {} when
    it does not answer within `ASK_TIMEOUT` s (`Client.queue_status` would wait forever)."""
    try:
        future = client._send(client._query_stream, "queue_request", content={"targets": None, "verbose": True})
        content = future.result(timeout=ASK_TIMEOUT)["content"]
    except Exception:  # no answer in time, or a client without that request: the engines stay unnamed
        return {}
    found: dict[str, int] = {}
    for key, status in content.items():
        if key.isdigit() and isinstance(status, dict):
            for msg_id in (*status.get("queue", ()), *status.get("tasks", ())):
                found[msg_id] = int(key)
    return found


def check_gone(processes: Sequence[ProcessId | None], left: int, total: int) -> None:
    """Raise `NoEngines` when `processes` (one per engine of the cluster) are all known to have ended."""
    if processes and all(surely_gone(process) for process in processes):
        raise NoEngines(f"all engines of the cluster are gone (their processes ended; the controller has not "
                        f"noticed yet); {left} of {total} elements did not run (start engines and run again)")
