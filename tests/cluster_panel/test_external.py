"""A cluster started by hand with `ipcluster start --daemonize`: used, extended, and left running at exit."""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import sys
import time

import pytest

from pflow_studio.cluster_panel.manager import ClusterManager
from pflow_studio.cluster_panel.processes import TAG_VAR, scan_environment
from tests.support.processes import end_all_under, processes_under, wait_until

# the profile's config is honoured: a short heartbeat for a fast start, and no delay before engines
CONFIG = "c.Cluster.controller_args = ['--ping=300']\nc.Cluster.delay = 0\n"


@pytest.fixture
def ipcluster(ipython_dir):
    """`ipcluster start --daemonize -n 1` in the temp IPython dir; stopped by pid afterwards."""
    profile = ipython_dir / "profile_default"
    profile.mkdir()
    (profile / "ipcluster_config.py").write_text(CONFIG)
    env = dict(os.environ, IPYTHONDIR=str(ipython_dir))
    ipcluster_main = [sys.executable, "-m", "ipyparallel.cluster"]
    subprocess.run([*ipcluster_main, "start", "--daemonize", "-n", "1", f"--profile-dir={profile}"],
                   env=env, check=True, timeout=60, capture_output=True)
    assert wait_until(lambda: (profile / "security" / "ipcontroller-client.json").exists(), 60, 0.2)
    yield profile
    end_all_under(ipython_dir)


def _foreign(ipython_dir: pathlib.Path) -> list:
    prefix = str(ipython_dir)
    return [s.ref for s in scan_environment(lambda env: env.get("IPP_PROFILE_DIR", "").startswith(prefix)
                                            and TAG_VAR not in env)]


@pytest.mark.timeout(180)
def test_connect_add_engines_and_leave_it_running_at_exit(ipcluster, ipython_dir):
    manager = ClusterManager("default", ipython_dir=ipython_dir, call_timeout=5.0)
    info = manager.connect(timeout=30)
    assert info.connected and info.cluster_id == "" and not info.controller_ours
    assert wait_until(lambda: len(manager.info().engines) == 1, 60, 0.3)
    info = manager.start_engines(1, timeout=90)  # ours, on their controller
    assert len(info.engines) == 2 and not info.controller_ours and info.owned_pids
    assert wait_until(lambda: sum(e.ours for e in manager.info().engines) == 1, 20, 0.3)
    foreign = _foreign(ipython_dir)
    manager.shutdown_owned()
    assert wait_until(lambda: not any(ref.alive() for ref in [*map(_ref, info.owned_pids)] if ref), 5)
    assert all(ref.alive() for ref in foreign)  # theirs keeps running
    again = ClusterManager("default", ipython_dir=ipython_dir, call_timeout=5.0)
    assert wait_until(lambda: len(again.connect(timeout=10).engines) == 1, 30, 0.5)
    again.cleanup(terminate=True)
    assert all(ref.alive() for ref in foreign)


def _ref(pid):
    from pflow_studio.cluster_panel.processes import ProcessRef

    return ProcessRef.of(pid)


@pytest.mark.timeout(180)
def test_start_engines_uses_the_running_ipcluster(ipcluster, ipython_dir):
    manager = ClusterManager("default", ipython_dir=ipython_dir, call_timeout=5.0)
    try:
        info = manager.start_engines(1, timeout=90)
        assert info.cluster_id == "" and not info.controller_ours
    finally:
        manager.shutdown_owned()


@pytest.mark.timeout(180)
def test_request_shutdown_stops_their_cluster_too(ipcluster, ipython_dir):
    manager = ClusterManager("default", ipython_dir=ipython_dir, call_timeout=5.0)
    manager.connect(timeout=30)
    assert wait_until(lambda: len(manager.info().engines) == 1, 60, 0.3)
    manager.request_shutdown()
    assert wait_until(lambda: not processes_under(ipython_dir), 10)


@pytest.mark.timeout(120)
def test_a_dead_controller_is_reported_without_hanging(ipcluster, ipython_dir):
    manager = ClusterManager("default", ipython_dir=ipython_dir, call_timeout=3.0)
    manager.connect(timeout=30)
    controller = manager._controller_ref
    assert controller is not None
    os.kill(controller.pid, signal.SIGKILL)
    started = time.monotonic()
    info = manager.info()  # the process may not be reaped yet: then the bounded call finds it silent
    assert time.monotonic() - started < 15
    assert not info.connected and ("not running" in info.error or "did not answer" in info.error), info.error
    assert not manager.info().connected  # once found dead, it stays dead
    manager.cleanup(terminate=True)
