"""Across processes: detach and reattach, crash (SIGKILL) recovery, the SIGTERM exit path."""

from __future__ import annotations

import signal
import time

import pytest

from pflow_studio.cluster_panel.manager import ClusterManager
from tests.support.clusters import run_script
from tests.support.processes import processes_under, wait_until

pytestmark = pytest.mark.fault

OWNER = """
import sys, time
from pflow_studio.cluster_panel.manager import ClusterManager
m = ClusterManager("default")
{setup}
info = m.start_engines(1, detach={detach}, timeout=90)
print(info.cluster_id, flush=True)
{after}
"""


def _start_owner(ipython_dir, *, detach=False, setup="", after="time.sleep(120)"):
    proc = run_script(OWNER.format(setup=setup, detach=detach, after=after), ipython_dir, wait=False)
    line = proc.stdout.readline().strip()
    assert line, proc.stderr.read()
    return proc, line


@pytest.mark.timeout(180)
def test_detach_in_one_process_reattach_from_another(ipython_dir):
    done = run_script(OWNER.format(setup="", detach=True, after=""), ipython_dir)
    assert done.returncode == 0, done.stderr
    cluster_id = done.stdout.strip()
    assert processes_under(ipython_dir)  # still running after its owner exited normally
    manager = ClusterManager("default", ipython_dir=ipython_dir)
    try:
        (leftover,) = manager.find_leftovers()
        assert leftover.detached and leftover.controller_alive and leftover.cluster_id == cluster_id
        info = manager.reuse(leftover)
        assert info.connected and len(info.engines) == 1
        assert manager.client.direct_view().apply_sync(lambda: 6 * 7) == [42]
        assert "terminated" in manager.cleanup(terminate=True)
        assert wait_until(lambda: not processes_under(ipython_dir), 5)
    finally:
        manager.shutdown_owned()


@pytest.mark.timeout(180)
def test_sigkill_of_the_owner_then_recovery_leaves_nothing(ipython_dir):
    proc, cluster_id = _start_owner(ipython_dir)
    running = processes_under(ipython_dir)
    assert len(running) >= 11  # controller + helpers, one engine + nanny
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    time.sleep(0.5)
    assert all(ref.alive() for ref in running)  # orphans: ipyparallel cannot clean up after SIGKILL
    manager = ClusterManager("default", ipython_dir=ipython_dir)
    (leftover,) = manager.find_leftovers()
    assert not leftover.detached and leftover.controller_alive and leftover.cluster_id == cluster_id
    assert set(leftover.pids) == {ref.pid for ref in running}
    assert "orphaned" in manager.end(leftover)
    assert not processes_under(ipython_dir)
    assert manager.find_leftovers() == []
    assert not (manager.profile_dir / "security" / f"cluster-{cluster_id}.json").exists()


@pytest.mark.timeout(180)
def test_sigterm_takes_the_exit_path(ipython_dir):
    proc, _ = _start_owner(ipython_dir, setup="m.install_signal_handlers()")
    running = processes_under(ipython_dir)
    assert running
    start = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(10) == 128 + signal.SIGTERM
    assert wait_until(lambda: not any(ref.alive() for ref in running), 5.0)
    assert time.monotonic() - start < 6.0
    assert ClusterManager("default", ipython_dir=ipython_dir).find_leftovers() == []


@pytest.mark.timeout(180)
def test_a_normal_exit_stops_what_we_own(ipython_dir):
    done = run_script(OWNER.format(setup="", detach=False, after=""), ipython_dir)
    assert done.returncode == 0, done.stderr
    assert wait_until(lambda: not processes_under(ipython_dir), 5.0)
