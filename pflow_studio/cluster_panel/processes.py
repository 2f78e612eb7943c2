"""Process identity and ending, with psutil: a pid is only trusted together with its create time.

A `ProcessRef` names one process (pid + create time). `alive()` is False for a pid that was reused
by another process, so nothing here ever signals an unrelated process. `scan_environment()` finds
cluster processes by the variables ipyparallel and we put in their environment.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import psutil

TAG_VAR = "PFLOW_STUDIO_TAG"  # our ownership tag, inherited by every child of what we start
OWNER_VAR = "PFLOW_STUDIO_OWNER"  # "pid:create_time" of the session that started the process
CLUSTER_VAR = "IPP_CLUSTER_ID"
PROFILE_VAR = "IPP_PROFILE_DIR"

# create times are floats from /proc; allow a little rounding between readers
_TIME_TOLERANCE = 0.05


@dataclass(frozen=True)
class ProcessRef:
    """One process: its pid and create time (seconds since the epoch)."""

    pid: int
    create_time: float

    @classmethod
    def of(cls, pid: int) -> ProcessRef | None:
        """The live process `pid` now, or None when there is none."""
        try:
            return cls(pid, psutil.Process(pid).create_time())
        except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied, ValueError):
            return None

    def process(self) -> psutil.Process | None:
        """The psutil process when it is this very process and still running (not a zombie), else None."""
        try:
            proc = psutil.Process(self.pid)
            if abs(proc.create_time() - self.create_time) > _TIME_TOLERANCE:
                return None
            if proc.status() == psutil.STATUS_ZOMBIE:
                return None
            return proc
        except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied, ValueError):
            return None

    def alive(self) -> bool:
        return self.process() is not None

    def to_json(self) -> dict:
        return {"pid": self.pid, "create_time": self.create_time}

    @classmethod
    def from_json(cls, data: Mapping) -> ProcessRef:
        return cls(int(data["pid"]), float(data["create_time"]))


def me() -> ProcessRef:
    """This process."""
    ref = ProcessRef.of(os.getpid())
    assert ref is not None
    return ref


def owner_token(ref: ProcessRef) -> str:
    return f"{ref.pid}:{ref.create_time!r}"


def parse_owner_token(token: str) -> ProcessRef | None:
    try:
        pid, created = token.split(":", 1)
        return ProcessRef(int(pid), float(created))
    except ValueError:
        return None


@dataclass(frozen=True)
class ScannedProcess:
    """A process found by its environment."""

    ref: ProcessRef
    env: dict[str, str]


def scan_environment(keep: Callable[[dict[str, str]], bool]) -> list[ScannedProcess]:
    """Processes of this user whose environment (ipyparallel and our variables only) passes `keep`."""
    found = []
    for proc in psutil.process_iter():
        try:
            environ = proc.environ()
            if PROFILE_VAR not in environ and TAG_VAR not in environ:
                continue
            env = {k: environ[k] for k in (TAG_VAR, OWNER_VAR, CLUSTER_VAR, PROFILE_VAR) if k in environ}
            if not keep(env):
                continue
            if proc.status() == psutil.STATUS_ZOMBIE:
                continue
            found.append(ScannedProcess(ProcessRef(proc.pid, proc.create_time()), env))
        except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied, OSError):
            continue
    return found


def end_processes(refs: Iterable[ProcessRef], timeout: float = 3.0) -> list[ProcessRef]:
    """Terminate the live ones among `refs` (create time checked), kill what is left after `timeout`.

    Returns the processes that were ended. Never signals a pid whose create time does not match.
    """
    procs: dict[int, tuple[ProcessRef, psutil.Process]] = {}
    for ref in refs:
        proc = ref.process()
        if proc is not None:
            procs[ref.pid] = (ref, proc)
    for _, proc in procs.values():
        try:
            proc.terminate()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    _, alive = psutil.wait_procs([p for _, p in procs.values()], timeout=timeout)
    for proc in alive:
        try:
            proc.kill()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    if alive:
        psutil.wait_procs(alive, timeout=2.0)
    return [ref for ref, _ in procs.values()]
