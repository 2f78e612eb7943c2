"""Each action of the manager against real local clusters."""

from __future__ import annotations

import pytest

from pflow_studio.cluster_panel.discovery import tagged_processes
from pflow_studio.cluster_panel.manager import ClusterManager
from pflow_studio.runtime.cluster.errors import ClusterError
from tests.support.processes import processes_under, wait_until


def _square(x):
    return x * x


@pytest.mark.timeout(120)
def test_info_of_an_owned_cluster(shared):
    def engines_known():
        info = shared.info()
        return all(e.pid is not None for e in info.engines) and len(info.engines) == 2

    assert wait_until(engines_known, 20, 0.3)
    info = shared.info()
    assert info.connected and not info.error and info.controller_ours
    assert info.controller_url.startswith("tcp://127.0.0.1:")
    assert info.cluster_id and info.cluster_id.startswith("pflow-")
    assert len(info.owned_pids) >= 13  # controller + helpers, engines + nannies
    for engine in info.engines:
        assert engine.ours and engine.pid in info.owned_pids and engine.host and engine.queue == 0
        assert engine.memory_rss and engine.memory_rss > 0
    assert [e.id for e in info.engines] == [0, 1]
    assert shared.info().engines[0].cpu_percent is not None  # second sample has an interval


@pytest.mark.timeout(120)
def test_ensure_cluster_returns_the_connected_client(shared):
    client = shared.ensure_cluster()
    assert client is shared.client
    view = client.load_balanced_view()
    assert view.map_sync(_square, range(6)) == [0, 1, 4, 9, 16, 25]


@pytest.mark.timeout(120)
def test_connect_client_asks_engines_and_processes_nothing_until_info(shared):
    """What a run needs before its Map: the client, without a question to each engine or a process scan."""
    other = ClusterManager("default", ipython_dir=shared._ipython_dir, call_timeout=5.0)
    try:
        client = other.connect_client()
        assert sorted(client.ids) == [0, 1] and other.connected
        assert other.controller_url == shared.info().controller_url
        assert other._facts.reports() == {} and other._controller_ref is None
        assert other.connect_client() is client
        info = other.info()
        assert info.connected and len(info.engines) == 2 and not info.owned_pids
        # ours, but another session's: the shared manager started them and still runs
        assert info.controller_owner == "another session"
        assert {(e.ours, e.owner) for e in info.engines} == {(True, "another session")}
        assert other._controller_ref == shared._controller_ref  # found when info first needed it
    finally:
        other.shutdown_owned()  # owns nothing: only disconnects
    assert shared.info().connected


@pytest.mark.timeout(180)
def test_start_add_and_cleanup_terminate(manager, ipython_dir):
    info = manager.start_engines(1, timeout=90)
    assert info.connected and len(info.engines) == 1
    info = manager.start_engines(1, timeout=90)  # more engines on the same (our) controller
    assert len(info.engines) == 2 and info.cluster_id == manager.info().cluster_id
    assert manager._state.load()  # ownership recorded
    line = manager.cleanup(terminate=True)
    assert "terminated" in line
    assert not manager.info().connected and manager.client is None
    assert wait_until(lambda: not processes_under(ipython_dir), 5)
    assert manager._state.load() == {}
    assert manager.cleanup(terminate=True) == "nothing to clean up"


@pytest.mark.timeout(180)
def test_cleanup_leave_running_then_reuse_and_end(manager, ipython_dir):
    first = manager.start_engines(1, timeout=90)
    line = manager.cleanup(terminate=False)
    assert "running" in line and manager.client is None
    pids = {ref.pid for ref in processes_under(ipython_dir)}
    assert set(first.owned_pids) <= pids
    # a later session finds it, reuses it, adds an engine, and ends it at its exit
    later = ClusterManager("default", ipython_dir=ipython_dir, call_timeout=5.0)
    (leftover,) = later.find_leftovers()
    assert leftover.detached and leftover.controller_alive and leftover.cluster_id == first.cluster_id
    assert set(leftover.pids) == pids
    info = later.reuse(leftover)
    assert info.connected and len(info.engines) == 1 and info.controller_ours
    assert later.find_leftovers() == []
    assert len(later.start_engines(1, timeout=90).engines) == 2
    later.shutdown_owned()
    assert wait_until(lambda: not processes_under(ipython_dir), 5)
    assert later._state.load() == {}


@pytest.mark.timeout(180)
def test_end_a_detached_leftover(manager, ipython_dir):
    manager.start_engines(1, detach=True, timeout=90)
    manager.shutdown_owned()  # the exit path leaves a detached cluster alone
    assert processes_under(ipython_dir)
    other = ClusterManager("default", ipython_dir=ipython_dir)
    (leftover,) = other.find_leftovers()
    assert "ended" in other.end(leftover)
    assert not processes_under(ipython_dir)
    assert other.find_leftovers() == []
    with pytest.raises(ClusterError):
        other.connect(leftover.cluster_id, timeout=2)


@pytest.mark.timeout(180)
def test_change_profile_cleans_up_first(manager, ipython_dir):
    manager.start_engines(1, timeout=90)
    assert manager.change_profile("other") == []
    assert manager.profile == "other" and manager.profile_dir == ipython_dir / "profile_other"
    assert manager.profile_dir.is_dir() and manager.client is None
    assert wait_until(lambda: not processes_under(ipython_dir), 5)
    assert "other" in manager.list_profiles()


@pytest.mark.timeout(180)
def test_request_shutdown_stops_everything(manager, ipython_dir):
    manager.start_engines(2, timeout=90)
    line = manager.request_shutdown()
    assert "stop every engine" in line
    assert manager.client is None
    assert wait_until(lambda: not processes_under(ipython_dir), 5)
    assert tagged_processes(manager.profile_dir) == {}
    with pytest.raises(ClusterError):
        manager.request_shutdown()


@pytest.mark.timeout(60)
def test_connect_without_a_cluster_says_so(manager):
    with pytest.raises(ClusterError, match="no running cluster"):
        manager.connect()
    info = manager.info()
    assert not info.connected and info.engines == [] and info.cluster_id is None
