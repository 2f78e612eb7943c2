"""What an engine says about itself: who it is (host, machine, process, our ownership tag) and its load.

The question is sent as source text (`runtime.cluster.remote_source`), so an engine answers without
pflow_studio installed. The source holds `runtime.cluster.process_id`'s
functions (stdlib only) and `report()`, so the engine names its process the way the Map runner's engine
code does. The
answer is a plain dict (`parse` reads it into an `EngineReport`); CPU is a running total of the engine
process's CPU seconds with the engine's clock, so the asker turns two answers into a percentage.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from pflow_studio.cluster_panel.processes import TAG_VAR
from pflow_studio.runtime.cluster import process_id
from pflow_studio.runtime.cluster.process_id import ProcessId
from pflow_studio.runtime.cluster.remote_source import ask_source

_REPORT = f'''

def report():
    import os
    import socket
    import time

    machine = ""
    for path in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            with open(path, encoding="ascii") as file:
                machine = file.read().strip()
            break
        except OSError:
            continue
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        load = None
    try:
        import psutil  # ipyparallel needs it, so an engine has it
        rss = psutil.Process().memory_info().rss
    except Exception:
        try:
            with open("/proc/self/statm", encoding="ascii") as file:
                rss = int(file.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            rss = None
    times = os.times()
    table, stat = process_table(), _stat(os.getpid())
    return {{"host": socket.gethostname(), "machine": machine, "pid": os.getpid(),
            "process": None if table is None or stat is None else [table, os.getpid(), stat[1]],
            "tag": os.environ.get({TAG_VAR!r}, ""), "cpu_seconds": times.user + times.system,
            "clock": time.monotonic(), "rss": rss, "load": load}}
'''

SOURCE = "\n".join(["import functools", "import os", *(inspect.getsource(function) for function in (
    process_id.process_table, process_id._stat, process_id._parse))]) + _REPORT


@dataclass(frozen=True)
class EngineReport:
    """One answer of an engine (see the module docstring). `process` is None where /proc does not tell."""

    host: str
    machine: str
    pid: int
    process: ProcessId | None
    tag: str
    cpu_seconds: float
    clock: float
    rss: int | None
    load: float | None


def ask(view):  # -> an AsyncResult of the engine's answer (a dict)
    """Send the question to the engines of `view` (a DirectView); returns at once."""
    return ask_source(view, SOURCE)


def parse(answer: object) -> EngineReport:
    """The EngineReport of an engine's answer; ValueError when it is not one."""
    if not isinstance(answer, dict):
        raise ValueError(f"not an engine report: {answer!r:.80}")
    try:
        process = answer.get("process")
        return EngineReport(
            host=str(answer["host"]), machine=str(answer.get("machine", "")), pid=int(answer["pid"]),
            process=None if process is None else ProcessId(str(process[0]), int(process[1]), str(process[2])),
            tag=str(answer.get("tag", "")), cpu_seconds=float(answer["cpu_seconds"]), clock=float(answer["clock"]),
            rss=None if answer.get("rss") is None else int(answer["rss"]),
            load=None if answer.get("load") is None else float(answer["load"]))
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise ValueError(f"not an engine report: {exc}") from exc
