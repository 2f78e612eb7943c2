"""When an engine's process counts as surely gone: real child processes that live, ended and were
reaped, or ended and were not (zombies); never a process of another process table, nor one unknown."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time

import pytest

from pflow_studio.runtime.cluster import process_id
from pflow_studio.runtime.cluster.process_id import ProcessId, surely_gone, this_process

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")


def child() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def process_of(pid: int) -> ProcessId:
    """The `ProcessId` the process `pid` would report (read from /proc, as `this_process` does)."""
    mine = this_process()
    assert mine is not None
    return ProcessId(mine.table, pid, process_id._stat(pid)[1])


def test_this_process_is_known_and_alive():
    mine = this_process()
    assert mine is not None and mine.pid == os.getpid()
    assert not surely_gone(mine)


def test_an_ended_process_is_gone_reaped_or_zombie():
    reaped, zombie = child(), child()
    ids = process_of(reaped.pid), process_of(zombie.pid)
    try:
        assert not surely_gone(ids[0]) and not surely_gone(ids[1])
    finally:
        reaped.kill()
        os.kill(zombie.pid, signal.SIGKILL)
        reaped.wait()
    deadline = time.monotonic() + 10
    while process_id._stat(zombie.pid)[0] != "Z" and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        assert surely_gone(ids[0])
        assert surely_gone(ids[1])  # not reaped yet: a zombie runs nothing
    finally:
        zombie.wait()


def test_a_pid_that_names_another_process_now_is_gone():
    mine = this_process()
    assert mine is not None
    assert surely_gone(dataclasses.replace(mine, started=str(int(mine.started) + 1)))


def test_nothing_is_concluded_about_other_process_tables_or_unknown_processes():
    ended = child()
    gone = process_of(ended.pid)
    ended.kill()
    ended.wait()
    assert not surely_gone(dataclasses.replace(gone, table="another machine"))
    assert not surely_gone(None)
