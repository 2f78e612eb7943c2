"""Ownership with a pid clash made for real: an engine on test host h2, in a pid namespace of its own, has
the very pid of one of our local engines, no tag of ours, and no pflow_studio to import. It is not ours in
info, its memory is its own (not that of our engine with the same pid), and Cleanup > Terminate ends our
engines only: it stays running and registered with the (someone else's) controller."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import psutil
import pytest

from pflow_studio.cluster_panel.manager import ClusterManager
from pflow_studio.cluster_panel.model import EngineInfo
from tests.support.clusters import start_cluster
from tests.support.netns import ROOT_ADDRESS, Hosts
from tests.support.processes import end_all_under, wait_until

pytestmark = pytest.mark.timeout(1200)
BALLAST_MB = 256
# an engine where pflow_studio cannot be imported (as where it is not installed)
ENGINE = "import sys; sys.modules['pflow_studio'] = None; from ipyparallel.engine.app import main; main()"


def start_engine_with_pid(hosts: Hosts, host: str, engine_file: pathlib.Path, pid: int) -> subprocess.Popen:
    """An engine in `host` and in a new pid namespace, where its pid is `pid` (the namespace's next pid is set
    first). Its environment has no ownership tag of ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PFLOW_STUDIO")}
    env["WANTED_PID"] = str(pid)
    script = (f'echo $((WANTED_PID - 1)) > /proc/sys/kernel/ns_last_pid && "{sys.executable}" -c "{ENGINE}" '
              f'--file={engine_file} --log-level=40')
    return hosts.popen(host, ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "sh", "-c", script],
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def engine_process(namespace_root: subprocess.Popen) -> psutil.Process:
    """The engine's process (seen from here) under the `unshare` process that holds its pid namespace."""
    for child in psutil.Process(namespace_root.pid).children(recursive=True):
        if ENGINE in child.cmdline():
            return child
    raise LookupError("no engine process yet")


def answered(manager: ClusterManager, n: int) -> list[EngineInfo]:
    """The engines of a fresh snapshot once `n` of them have told who they are."""
    engines: list[EngineInfo] = []

    def ready() -> bool:
        engines[:] = manager.info().engines
        return len(engines) == n and all(e.host for e in engines)
    assert wait_until(ready, 60, 0.3), engines
    return engines


def test_an_engine_elsewhere_with_the_pid_of_ours_is_not_ours(netns_hosts, tmp_path):
    ipython = tmp_path / "ipython"
    theirs = start_cluster(ipython / "profile_default", n=0, ip=ROOT_ADDRESS)  # someone else's controller
    manager = ClusterManager("default", ipython_dir=ipython, call_timeout=5.0)
    try:
        manager.connect(theirs.cluster.cluster_id)
        manager.start_engines(2, timeout=90)
        ours = answered(manager, 2)
        assert all(e.ours and e.owner == "this session" and e.local for e in ours)
        clash = ours[0].pid
        engine_file = pathlib.Path(theirs.cluster.controller.connection_files["engine"])
        holder = start_engine_with_pid(netns_hosts, "h2", engine_file, clash)
        engines = answered(manager, 3)
        [stranger] = [e for e in engines if e.host == "h2"]
        assert stranger.pid == clash and not stranger.ours and not stranger.owner and not stranger.local
        assert engine_process(holder).pid != clash  # its pid seen from here is another one
        [h2] = [h for h in manager.info().hosts if h.host == "h2"]
        assert (h2.engines, h2.ours, h2.local) == (1, 0, False)

        # its memory is what it reports, not that of our engine with the same pid here
        theirs.client[stranger.id].execute(f"ballast = b'x' * ({BALLAST_MB} << 20)", block=True)
        assert wait_until(lambda: (_by_id(manager, stranger.id).memory_rss or 0) >= BALLAST_MB << 20, 30, 0.3)
        assert (_by_id(manager, ours[0].id).memory_rss or 0) < BALLAST_MB << 20

        manager.cleanup(terminate=True)
        stayed = engine_process(holder)
        assert stayed.is_running() and stayed.status() != psutil.STATUS_ZOMBIE
        assert wait_until(lambda: sorted(theirs.client.ids) == [stranger.id], 20, 0.2), theirs.client.ids
        assert theirs.client[stranger.id].apply_sync(len, "still here") == 10
        assert not any(psutil.pid_exists(e.pid) and _is_engine(e.pid) for e in ours)
    finally:
        manager.shutdown_owned()
        netns_hosts.end_started()
        theirs.stop()
        end_all_under(ipython)


def test_on_our_controller_too_a_clashing_pid_is_not_ours(netns_hosts, tmp_path):
    """The same clash on a cluster the manager started, its controller listening on the bridge."""
    manager = ClusterManager("default", ipython_dir=tmp_path / "ipython", call_timeout=5.0)
    try:
        manager.start_engines(1, ip=ROOT_ADDRESS, timeout=90)
        [ours] = answered(manager, 1)
        start_engine_with_pid(netns_hosts, "h2", manager.engine_file(), ours.pid)
        engines = answered(manager, 2)
        assert [(e.host, e.pid, e.ours, e.owner) for e in engines if not e.local] == [("h2", ours.pid, False, "")]
        info = manager.info()
        assert info.controller_owner == "this session"
        assert [(h.engines, h.ours, h.local) for h in info.hosts] == [(1, 1, True), (1, 0, False)]
    finally:
        manager.shutdown_owned()
        netns_hosts.end_started()
        end_all_under(tmp_path / "ipython")


def _by_id(manager: ClusterManager, engine_id: int) -> EngineInfo:
    return next(e for e in manager.info().engines if e.id == engine_id)


def _is_engine(pid: int) -> bool:
    try:
        return "ipyparallel.engine" in " ".join(psutil.Process(pid).cmdline())
    except psutil.Error:
        return False
