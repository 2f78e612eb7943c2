"""Finding and ending the processes tests start, always by pid (never by name)."""

from __future__ import annotations

import os
import pathlib
import signal
import time
from collections.abc import Callable

from pflow_studio.cluster_panel.processes import PROFILE_VAR, ProcessRef, end_processes, scan_environment


def processes_under(directory: pathlib.Path | str) -> list[ProcessRef]:
    """Live cluster processes whose profile dir (IPP_PROFILE_DIR) is inside `directory`."""
    prefix = str(directory)
    return [s.ref for s in scan_environment(lambda env: env.get(PROFILE_VAR, "").startswith(prefix))]


def end_all_under(directory: pathlib.Path | str, timeout: float = 3.0) -> list[ProcessRef]:
    """End (by pid) every live cluster process whose profile dir is inside `directory`; returns them."""
    return end_processes(processes_under(directory), timeout=timeout)


def wait_until(predicate: Callable[[], object], timeout: float, interval: float = 0.1) -> bool:
    """Poll `predicate` until it is true or `timeout` seconds passed; returns its last truth."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def kill(pid: int) -> None:
    """SIGKILL one process by pid (ignoring one already gone); never this process or its parent."""
    if pid in (os.getpid(), os.getppid()):
        raise ValueError(f"refusing to kill pid {pid}: it is the test process or its parent")
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
