"""Finding and ending the processes tests start, always by pid (never by name)."""

from __future__ import annotations

import ctypes
import os
import pathlib
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable

import psutil

from pflow_studio.cluster_panel.processes import (
    OWNER_VAR,
    PROFILE_VAR,
    TAG_VAR,
    ProcessRef,
    end_processes,
    owner_token,
    scan_environment,
)
from tests.support.paths import ROOT


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


_SLEEPERS: list[subprocess.Popen] = []


def sleeper(profile_dir: pathlib.Path, tag: str = "", owner: ProcessRef | None = None) -> ProcessRef:
    """A live `sleep` process that looks like a cluster process of `profile_dir` to an environment scan
    (IPP_PROFILE_DIR; with `tag`, one of ours: our tag and owner variables). End it by pid (the `ipython_dir`
    fixture does so for one under its directory)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), PROFILE_VAR: str(profile_dir)}
    if tag:
        env[TAG_VAR] = tag
        env[OWNER_VAR] = owner_token(owner) if owner is not None else ""
    proc = subprocess.Popen(["sleep", "300"], env=env)
    _SLEEPERS.append(proc)  # kept until ended (and reaped by psutil): no "still running" warning meanwhile
    assert wait_until(lambda: _environ(proc.pid).get(PROFILE_VAR) == str(profile_dir), 10)  # exec'd
    ref = ProcessRef.of(proc.pid)
    assert ref is not None
    return ref


def dead_process() -> ProcessRef:
    """A process that ran and is gone (its pid and create time), e.g. a crashed owner."""
    proc = subprocess.Popen(["sleep", "300"])
    ref = ProcessRef.of(proc.pid)
    proc.kill()
    proc.wait(10)
    assert ref is not None and not ref.alive()
    return ref


def _environ(pid: int) -> dict[str, str]:
    try:
        return psutil.Process(pid).environ()
    except psutil.Error:
        return {}


def kill(pid: int) -> None:
    """SIGKILL one process by pid (ignoring one already gone); never this process or its parent."""
    if pid in (os.getpid(), os.getppid()):
        raise ValueError(f"refusing to kill pid {pid}: it is the test process or its parent")
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run_python_unprivileged(code: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run Python `code` in a subprocess whose file-permission checks are real: under root (CI runs as root,
    which reads a mode-000 file), the subprocess loses CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from its
    capability bounding set before exec, so it is refused like any user; otherwise it runs as the current user."""
    preexec = _drop_file_privileges if os.geteuid() == 0 else None
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args], preexec_fn=preexec, env=env,
                          capture_output=True, text=True, timeout=timeout)


def _drop_file_privileges() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


_PR_CAPBSET_DROP, _CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 24, 1, 2  # <linux/prctl.h>, <linux/capability.h>
