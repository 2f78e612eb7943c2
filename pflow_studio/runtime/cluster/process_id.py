"""Which process an engine is, so the client can tell for sure that it is gone when it runs on this machine.

An engine's `ProcessId` names its process table (the kernel's boot id and the pid namespace: pids mean
the same thing only where both match), its pid and the pid's start time (a pid used again by another
process has another start time). `surely_gone` is True only when the process is in this process's
table and is no longer there (or is a zombie, or its pid now names another process); anywhere else,
or when anything cannot be read, it is False: nothing is known, so nothing may be concluded.
`running_here` is True only for a live process of this process table with that pid and start time. Linux
only (/proc); elsewhere `this_process()` is None. `process_table`, `_stat` and `_parse` use the standard
library only: `cluster_panel.engine_report` sends their source to engines.
"""

from __future__ import annotations

import dataclasses
import functools
import os


@dataclasses.dataclass(frozen=True, slots=True)
class ProcessId:
    """A process: its process table (`table`), pid, and the pid's start time (clock ticks after boot)."""

    table: str
    pid: int
    started: str


def this_process() -> ProcessId | None:
    """This process's `ProcessId`, or None where /proc does not tell (not Linux, another pid namespace's /proc)."""
    table = process_table()
    stat = _stat(os.getpid())
    return None if table is None or stat is None else ProcessId(table, os.getpid(), stat[1])


@functools.cache
def process_table() -> str | None:
    """This machine's boot id and this process's pid namespace, or None when /proc is not ours to read."""
    try:
        if os.readlink("/proc/self") != str(os.getpid()):  # a /proc of another pid namespace
            return None
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as file:
            boot = file.read().strip()
        return f"{boot}/{os.readlink('/proc/self/ns/pid')}"
    except OSError:
        return None


def surely_gone(process: ProcessId | None) -> bool:
    """Is `process` known for sure to have ended (see the module docstring)?"""
    if process is None or process.table != process_table():
        return False
    try:
        with open(f"/proc/{process.pid}/stat", encoding="ascii", errors="replace") as file:
            text = file.read()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    stat = _parse(text)
    return stat is not None and (stat[0] in ("Z", "X", "x") or stat[1] != process.started)


def running_here(process: ProcessId | None) -> bool:
    """Is `process` running in this process's table now (same pid and start time, not a zombie)?"""
    if process is None or process.table != process_table():
        return False
    stat = _stat(process.pid)
    return stat is not None and stat[0] not in ("Z", "X", "x") and stat[1] == process.started


def _stat(pid: int) -> tuple[str, str] | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as file:
            return _parse(file.read())
    except OSError:
        return None


def _parse(text: str) -> tuple[str, str] | None:
    """(state, start time) from the text of /proc/PID/stat (the name in parentheses may hold anything)."""
    fields = text[text.rfind(")") + 2:].split()
    return (fields[0], fields[19]) if len(fields) > 19 else None
