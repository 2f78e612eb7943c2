"""Hosts lost mid-Map, with real hosts (network namespaces): a controller this session starts on the bridge
(198.18.0.1) with our heartbeat settings, engines on this machine and on test hosts, a Map of 40 elements
of 0.2 s. A link cut for 3.5 s and mended drops no engine; a host killed leaves the Map waiting until the
controller drops its engine (15 s), the stall notice naming that engine meanwhile, and the Map finishes on
the others; an engine dropped while its process runs is ended and replaced when this session started it,
and only reported when it did not."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pflow_studio.cluster_panel.keeper import manager_keeper, not_ours
from pflow_studio.cluster_panel.manager import ClusterManager
from pflow_studio.cluster_panel.processes import ProcessRef
from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.cluster.notices import NoticeKind, RunnerNotice
from pflow_studio.runtime.cluster.runner import ClusterRunner
from tests.support.netns import ROOT_ADDRESS, SCRIPT, Hosts
from tests.support.paths import ROOT
from tests.support.processes import end_all_under, wait_until

pytestmark = [pytest.mark.fault, pytest.mark.timeout(150)]
ITEMS = [{"x": i, "seconds": 0.2} for i in range(40)]


def slow_double(bindings: dict[str, Any]) -> dict[str, Any]:
    time.sleep(bindings["seconds"])
    return {"y": bindings["x"] * 2}


class Run:
    """A Map run on `manager`'s cluster, hearing the runner's notices and the keeper's lines; `at_done(k, f)`
    calls `f` on a thread of its own once `k` elements are done."""

    def __init__(self, manager: ClusterManager) -> None:
        self.manager = manager
        self.notices: list[RunnerNotice] = []
        self.said: list[str] = []
        self.actions: list[tuple[int, Callable[[], None]]] = []
        self.threads: list[threading.Thread] = []

    def at_done(self, done: int, action: Callable[[], None]) -> None:
        self.actions.append((done, action))

    def _progress(self, done: int, total: int) -> None:
        for pair in [pair for pair in self.actions if done >= pair[0]]:
            self.actions.remove(pair)
            thread = threading.Thread(target=pair[1], daemon=True)
            thread.start()
            self.threads.append(thread)

    def map(self) -> list[int]:
        keeper = manager_keeper(lambda: self.manager, self.said.append)
        runner = ClusterRunner(self.manager.client, on_event=self.notices.append, keeper=keeper)
        outcomes = runner.map(slow_double, ITEMS, progress=self._progress, cancel=CancelToken())
        for thread in self.threads:
            thread.join(60)
        assert not self.actions, "the Map ended before its actions ran"
        return [outcome.value["y"] for outcome in outcomes]

    def of(self, kind: NoticeKind) -> list[str]:
        return [notice.message for notice in self.notices if notice.kind == kind]


def engine_hosts(client: Any) -> dict[int, str]:
    """Engine id -> the hostname it runs on."""
    return client[:].apply_async(socket.gethostname).get_dict(timeout=30)


def engines_on(client: Any, host: str) -> list[int]:
    return sorted(engine for engine, name in engine_hosts(client).items() if name == host)


@pytest.fixture
def bridge(tmp_path, monkeypatch, netns_hosts: Hosts) -> Iterator[tuple[ClusterManager, Hosts]]:
    """A manager of a fresh IPython directory (its controller is to listen on the bridge); what it and the
    test started is ended after."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # engines unpickle `slow_double` by reference
    ipython = tmp_path / "ipython"
    (ipython / "profile_default").mkdir(parents=True)
    manager = ClusterManager("default", ipython_dir=ipython, call_timeout=5.0)
    try:
        yield manager, netns_hosts
    finally:
        try:
            manager.shutdown_owned()
        finally:
            netns_hosts.end_started()
            end_all_under(ipython)


def start_three(manager: ClusterManager, hosts: Hosts) -> None:
    """One engine of ours on this machine, one started by hand on each of h2 and h3."""
    manager.start_engines(1, ip=ROOT_ADDRESS, timeout=60)
    for host in ("h2", "h3"):
        hosts.start_engine(host, manager.engine_file())
    manager.client.wait_for_engines(3, timeout=60)


def test_a_link_cut_for_seconds_and_mended_drops_no_engine(bridge):
    manager, hosts = bridge
    start_three(manager, hosts)
    before = engine_hosts(manager.client)
    run = Run(manager)

    def glitch() -> None:
        hosts.cut("h2")
        time.sleep(3.5)
        hosts.mend("h2")

    run.at_done(8, glitch)
    assert run.map() == [2 * i for i in range(40)]
    assert not run.of(NoticeKind.LOST) and not run.said
    assert engine_hosts(manager.client) == before  # every engine still there, h2's among them


def test_a_host_killed_mid_map_is_named_by_the_stall_notice_and_the_map_finishes(bridge):
    manager, hosts = bridge
    start_three(manager, hosts)
    [victim] = engines_on(manager.client, "h3")
    run = Run(manager)
    run.at_done(8, lambda: hosts.kill("h3"))
    assert run.map() == [2 * i for i in range(40)]
    [stall, *_] = run.of(NoticeKind.STALLED)  # the controller drops a silent engine after 15 s, the notice is at 8 s
    assert re.search(rf"; engine {victim} (on h3 )?holds its work", stall), stall
    assert any(f"engine {victim} " in line for line in run.of(NoticeKind.LOST))
    assert run.said == [not_ours(victim)]
    assert victim not in manager.client.ids and len(manager.client.ids) == 2


def test_engines_dropped_while_running_are_ended_and_replaced_when_ours(bridge):
    manager, hosts = bridge
    profile = manager.profile_dir
    # this session's engines start on h4; the profile's controller config drops a silent engine after ~2 s
    engine_cmd = ["bash", str(SCRIPT), "run-on", "h4", sys.executable, "-m", "ipyparallel.engine"]
    (profile / "ipcluster_config.py").write_text(f"c.LocalEngineLauncher.engine_cmd = {engine_cmd!r}\n")
    (profile / "ipcontroller_config.py").write_text("c.HeartMonitor.max_heartmonitor_misses = 6\n")
    manager.start_engines(1, ip=ROOT_ADDRESS, timeout=60)
    engine_file = manager.engine_file()
    hosts.start_engine("h2", engine_file)
    local = subprocess.Popen([sys.executable, "-m", "ipyparallel.engine", f"--file={engine_file}", "--log-level=40"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        manager.client.wait_for_engines(3, timeout=60)
        [ours], [theirs] = engines_on(manager.client, "h4"), engines_on(manager.client, "h2")
        pids = manager.client[[ours, theirs]].apply_async(lambda: __import__("os").getpid()).get(timeout=30)
        ours_ref, theirs_ref = ProcessRef.of(pids[0]), ProcessRef.of(pids[1])
        run = Run(manager)

        def cut_until_dropped() -> None:
            hosts.cut("h4"), hosts.cut("h2")
            wait_until(lambda: not {ours, theirs} & set(manager.client.ids), 40)
            hosts.mend("h4"), hosts.mend("h2")

        run.at_done(8, cut_until_dropped)
        assert run.map() == [2 * i for i in range(40)]
        assert sorted(run.said) == sorted([
            f"engine {ours} was dropped by the controller (its heartbeat went unheard) while its process still ran; "
            f"ended its process {ours_ref.pid}; started an engine in its place",
            not_ours(theirs)])
        assert not ours_ref.alive() and theirs_ref.alive()  # only ours is ended; theirs runs on, dropped
        assert sorted(engine_hosts(manager.client).values()) == sorted(["h4", socket.gethostname()])
    finally:
        local.kill()
        local.wait(10)
