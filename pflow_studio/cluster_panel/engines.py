"""Per-engine facts for the info table: queue from the hub, the rest from what each engine reports.

Each engine is asked with a non-blocking request (`engine_report`): who it is (host, machine, process,
our ownership tag) and its load. An engine answers between tasks, so a busy one answers later: until then
its last answer is shown (at first nothing). Engines in this machine's process table are asked once and
their CPU and memory sampled here with psutil; the others are asked again after each answer and report
CPU (from two answers), memory and their machine's load themselves. Ownership is `ownership.Owners`'
rule: never the pid alone. Nothing here waits on the cluster beyond `wait` for first answers.
"""

from __future__ import annotations

import os
import time
from collections.abc import Collection, Mapping

import psutil

from pflow_studio.cluster_panel import engine_report
from pflow_studio.cluster_panel.engine_report import EngineReport
from pflow_studio.cluster_panel.model import EngineInfo
from pflow_studio.cluster_panel.ownership import Owners
from pflow_studio.runtime.cluster.process_id import running_here

CPU_INTERVAL = 0.5  # seconds of an engine's clock between the two answers a CPU percentage is taken from


class EngineFacts:
    """Remembers what each engine told us, and samples CPU/memory of engine processes of this machine."""

    def __init__(self) -> None:
        self._reports: dict[int, EngineReport] = {}
        self._base: dict[int, EngineReport] = {}  # the answer a remote engine's CPU percentage starts from
        self._cpu: dict[int, float] = {}  # a remote engine's last CPU percentage
        self._local: dict[int, bool] = {}
        self._pending: dict[int, object] = {}
        self._procs: dict[int, psutil.Process] = {}

    def reset(self) -> None:
        for store in (self._reports, self._base, self._cpu, self._local, self._pending, self._procs):
            store.clear()

    def reports(self) -> dict[int, EngineReport]:
        """{engine id: its last report} for the engines that answered."""
        return dict(self._reports)

    def owned_engines(self, owners: Owners) -> list[int]:
        """The ids of the engines that answered and are ours by `owners`."""
        return sorted(eid for eid, report in self._reports.items() if owners.owner_of(report))

    def ask(self, client, ids: Collection[int], wait: float) -> None:
        """Ask the engines of `ids` never asked (and remote ones not being asked); wait up to `wait` s for
        the first answers; take in the answers that came."""
        first = []
        for eid in ids:
            if eid in self._pending or (eid in self._reports and self._local.get(eid, False)):
                continue
            try:
                future = self._pending[eid] = engine_report.ask(client.direct_view(targets=eid))
            except Exception:
                continue
            if eid not in self._reports:
                first.append(future)
        deadline = time.monotonic() + wait
        for future in first:  # idle engines answer in milliseconds; busy ones later
            future.wait(max(0.0, deadline - time.monotonic()))  # type: ignore[attr-defined]
        for eid in list(self._pending):
            future = self._pending[eid]
            if eid not in ids:
                del self._pending[eid]
            elif future.done():  # type: ignore[attr-defined]
                del self._pending[eid]
                self._take(eid, future)
                _forget(client, future)

    def _take(self, eid: int, future) -> None:
        try:
            report = engine_report.parse(future.get(0))
        except Exception:
            return  # aborted or failed: asked again next time
        self._reports[eid] = report
        self._local[eid] = running_here(report.process)
        base = self._base.get(eid)
        if base is None or base.process != report.process:
            self._base[eid] = report
        elif report.clock - base.clock >= CPU_INTERVAL:
            self._cpu[eid] = max(0.0, 100.0 * (report.cpu_seconds - base.cpu_seconds) / (report.clock - base.clock))
            self._base[eid] = report

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

    def collect(self, client, queues: Mapping, owners: Owners, wait: float = 0.5) -> list[EngineInfo]:
        """EngineInfo for each registered engine, queue lengths from `queues` (a `queue_status()` reply);
        waits up to `wait` seconds for engines asked for the first time."""
        # the hub's queue_status keeps engines that left; the client's ids are the registered ones
        ids = sorted(set(client.ids))
        self.ask(client, ids, wait)
        load = _load()
        return [self._info(eid, queues.get(eid, {}), owners, load) for eid in ids]

    def _info(self, eid: int, status: object, owners: Owners, load: float | None) -> EngineInfo:
        queue = int(status.get("queue", 0)) + int(status.get("tasks", 0)) if isinstance(status, Mapping) else 0
        report = self._reports.get(eid)
        if report is None:
            return EngineInfo(id=eid, host="", pid=None, cpu_percent=None, memory_rss=None, queue=queue, ours=False)
        owner = owners.owner_of(report)
        if self._local.get(eid, False):
            cpu, memory = self._sample(report.pid)
        else:
            cpu, memory, load = self._cpu.get(eid), report.rss, report.load
        return EngineInfo(id=eid, host=report.host, pid=report.pid, cpu_percent=cpu, memory_rss=memory,
                          queue=queue, ours=bool(owner), owner=owner, local=self._local.get(eid, False), load=load)


def _load() -> float | None:
    """This machine's load average over a minute (None where there is none)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def _forget(client, future) -> None:
    """Drop the client's copy of an answered question (the dock asks again and again)."""
    for msg_id in getattr(future, "msg_ids", ()):
        client.results.pop(msg_id, None)
        client.metadata.pop(msg_id, None)
