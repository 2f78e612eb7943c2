"""Per-engine facts for the info table: queue from the hub, host/pid from the engine, CPU/memory from psutil.

Host and pid are asked once per engine with a non-blocking request (a busy engine answers after its
current task); until then they are unknown. Nothing here waits on the cluster.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Collection, Mapping

import psutil

from pflow_studio.cluster_panel.model import EngineInfo


def _whoami() -> tuple[str, int]:  # runs on the engine; ipyparallel ships the function by value
    import os
    import socket

    return socket.gethostname(), os.getpid()


class EngineFacts:
    """Remembers what each engine told us, and samples CPU/memory of local engine processes."""

    def __init__(self) -> None:
        self._who: dict[int, tuple[str, int]] = {}
        self._pending: dict[int, object] = {}
        self._procs: dict[int, psutil.Process] = {}
        self._host = socket.gethostname()

    def reset(self) -> None:
        self._who.clear()
        self._pending.clear()
        self._procs.clear()

    def engine_pids(self) -> dict[int, int]:
        """{engine id: pid} for the engines that answered."""
        return {eid: pid for eid, (_, pid) in self._who.items()}

    def _ask(self, client, ids: Collection[int], wait: float) -> None:
        asked = []
        for eid in ids:
            if eid not in self._who and eid not in self._pending:
                try:
                    asked.append(client.direct_view(targets=eid).apply_async(_whoami))
                    self._pending[eid] = asked[-1]
                except Exception:
                    pass
        deadline = time.monotonic() + wait
        for future in asked:  # idle engines answer in milliseconds; busy ones later
            future.wait(max(0.0, deadline - time.monotonic()))
        for eid in list(self._pending):
            future = self._pending[eid]
            if eid not in ids:
                del self._pending[eid]
                continue
            if future.done():  # type: ignore[attr-defined]
                del self._pending[eid]
                try:
                    host, pid = future.get(0)  # type: ignore[attr-defined]
                    self._who[eid] = (str(host), int(pid))
                except Exception:
                    pass  # aborted or failed: asked again next time

    def _sample(self, pid: int) -> tuple[float | None, int | None]:
        proc = self._procs.get(pid)
        try:
            if proc is None:
                proc = self._procs[pid] = psutil.Process(pid)
                proc.cpu_percent(None)  # the first reading only starts the interval
                return None, proc.memory_info().rss
            return proc.cpu_percent(None), proc.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            self._procs.pop(pid, None)
            return None, None

    def collect(self, client, queues: Mapping, owned_pids: Collection[int], wait: float = 0.5) -> list[EngineInfo]:
        """EngineInfo for each registered engine, queue lengths from `queues` (a `queue_status()` reply);
        waits up to `wait` seconds for engines asked for the first time."""
        # the hub's queue_status keeps engines that left; the client's ids are the registered ones
        ids = sorted(set(client.ids))
        self._ask(client, ids, wait)
        engines = []
        for eid in ids:
            status = queues.get(eid, {})
            queue = int(status.get("queue", 0)) + int(status.get("tasks", 0)) if isinstance(status, Mapping) else 0
            host, pid = self._who.get(eid, ("", None))
            cpu = memory = None
            if pid is not None and host == self._host:
                cpu, memory = self._sample(pid)
            engines.append(EngineInfo(id=eid, host=host, pid=pid, cpu_percent=cpu, memory_rss=memory,
                                      queue=queue, ours=pid is not None and pid in owned_pids))
        return engines
