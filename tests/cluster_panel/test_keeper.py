"""The keeper of lost engines against real clusters: an engine of the session's own cluster killed by pid is
named with its signal and replaced through the manager; an engine of a cluster the session does not own is
never replaced (only a message)."""

from __future__ import annotations

import os

import pytest

from pflow_studio.cluster_panel.keeper import LauncherKeeper, describe_exit, manager_keeper, not_ours
from pflow_studio.cluster_panel.manager import ClusterManager
from tests.support.processes import kill, wait_until

pytestmark = pytest.mark.fault


def engine_pids(client) -> dict[int, int]:
    return client[:].apply_async(os.getpid).get_dict(timeout=30)


def test_exit_codes_and_signals_are_described():
    assert describe_exit(3) == "exit code 3" and describe_exit(0) == "exit code 0"
    assert describe_exit(-9) == "signal SIGKILL" and describe_exit(-11) == "signal SIGSEGV"


def test_a_keeper_of_no_cluster_never_starts_engines():
    said, started = [], []
    keeper = LauncherKeeper(lambda: None, lambda n, lost: started.append(n), said.append)
    keeper.replace(4)
    assert keeper.exit_status(4) is None and started == []
    assert said == [not_ours(4)] and said[0].startswith("engine 4 was lost; this session did not start it")


@pytest.mark.timeout(180)
def test_an_engine_of_the_sessions_cluster_killed_is_named_and_replaced(manager, ipython_dir):
    manager.start_engines(2, timeout=90)
    client = manager.client
    victim, pid = min(engine_pids(client).items())
    said: list[str] = []
    keeper = manager_keeper(lambda: manager, said.append)
    kill(pid)
    assert wait_until(lambda: victim not in client.ids, 30)
    assert keeper.exit_status(victim) == "signal SIGKILL"
    keeper.replace(victim)
    assert wait_until(lambda: len(said) == 1, 90), said
    assert said == [f"engine {victim} died (signal SIGKILL); started an engine in its place"]
    assert len(client.ids) == 2 and victim not in client.ids
    assert len(manager.info().engines) == 2 and all(engine.ours for engine in manager.info().engines)

    other = ClusterManager("default", ipython_dir=ipython_dir, call_timeout=5.0)
    try:  # a second session on the same cluster owns none of it
        other.connect()
        second, second_pid = max(engine_pids(other.client).items())
        others: list[str] = []
        theirs = manager_keeper(lambda: other, others.append)
        kill(second_pid)
        assert wait_until(lambda: second not in other.client.ids, 30)
        theirs.replace(second)
        assert theirs.exit_status(second) is None
        assert others == [not_ours(second)]
        assert len(other.client.ids) == 1
    finally:
        other.cleanup(terminate=False)
