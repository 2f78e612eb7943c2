"""ClusterRunner under faults, each on a fresh real local cluster: an engine SIGKILLed mid-Map (with its
nanny alive, and with its nanny killed too), all engines killed, the controller killed. Processes are
killed by pid only; nothing may hang; what finished before the controller died stays in the element store."""

from __future__ import annotations

import time
from typing import Any

import pytest

from pflow_studio.runtime import events as ev
from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.cluster.errors import ControllerLost, NoEngines
from pflow_studio.runtime.cluster.runner import ClusterRunner
from pflow_studio.runtime.element_store.store import ElementStore
from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.stored_elements import StoreBinding
from tests.support.nodes import make_registry
from tests.support.processes import kill
from tests.support.workflows import map_over

pytestmark = pytest.mark.fault


def slow_double(bindings: dict[str, Any]) -> dict[str, Any]:
    time.sleep(0.3)
    return {"y": bindings["x"] * 2}


class KillAt:
    """A progress callback that kills the given pids once `done` reaches `at`."""

    def __init__(self, at: int, pids: list[int]) -> None:
        self.at, self.pids, self.killed_at = at, pids, None

    def __call__(self, done: int, total: int) -> None:
        if self.killed_at is None and done >= self.at:
            for pid in self.pids:
                kill(pid)
            self.killed_at = time.monotonic()


def run_with_kill(local, pids_to_kill, **runner_kwargs):
    killer = KillAt(2, pids_to_kill)
    runner = ClusterRunner(local.client, chunksize=1, **runner_kwargs)
    items = [{"x": i} for i in range(16)]
    return runner.map(slow_double, items, progress=killer, cancel=CancelToken()), killer


@pytest.mark.timeout(120)
def test_engine_killed_mid_map_with_its_nanny_alive_items_rerun_elsewhere(fresh_cluster):
    engines = fresh_cluster.engine_pids()
    victim = min(engines)
    outcomes, killer = run_with_kill(fresh_cluster, [engines[victim]])
    assert killer.killed_at is not None
    assert [o.value["y"] for o in outcomes] == [2 * i for i in range(16)]
    assert all(o.ok for o in outcomes)
    assert time.monotonic() - killer.killed_at < 30
    late = [o for o in outcomes if o.started > time.time() - (time.monotonic() - killer.killed_at) + 0.5]
    assert late and all(o.engine != victim for o in late)


@pytest.mark.timeout(150)
def test_engine_and_nanny_killed_mid_map_items_rerun_elsewhere(fresh_cluster):
    engines = fresh_cluster.engine_pids()
    nannies = fresh_cluster.nanny_pids()
    victim = min(engines)
    outcomes, killer = run_with_kill(fresh_cluster, [nannies[victim], engines[victim]])
    assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
    assert [o.value["y"] for o in outcomes] == [2 * i for i in range(16)]
    assert time.monotonic() - killer.killed_at < 60


@pytest.mark.timeout(120)
def test_all_engines_killed_ends_the_map_with_a_clear_error_within_15_s(fresh_cluster):
    engines = fresh_cluster.engine_pids()
    killer = KillAt(2, list(engines.values()))
    runner = ClusterRunner(fresh_cluster.client, chunksize=1)
    with pytest.raises(NoEngines, match="all engines left the cluster"):
        runner.map(slow_double, [{"x": i} for i in range(16)], progress=killer, cancel=CancelToken())
    assert time.monotonic() - killer.killed_at < 15


@pytest.mark.timeout(120)
def test_controller_killed_ends_the_map_with_a_clear_error_within_15_s(fresh_cluster):
    killer = KillAt(2, fresh_cluster.controller_pids())
    runner = ClusterRunner(fresh_cluster.client, chunksize=1)
    with pytest.raises(ControllerLost, match=r"controller .* stopped answering"):
        runner.map(slow_double, [{"x": i} for i in range(60)], progress=killer, cancel=CancelToken())
    assert time.monotonic() - killer.killed_at < 15


@pytest.mark.timeout(60)
def test_no_engines_at_start_is_a_clear_error_after_the_timeout(fresh_cluster):
    fresh_cluster.client.shutdown(targets="all", block=True)
    deadline = time.monotonic() + 20
    while fresh_cluster.client.ids and time.monotonic() < deadline:
        time.sleep(0.1)
    runner = ClusterRunner(fresh_cluster.client, timeout=2.0)
    started = time.monotonic()
    with pytest.raises(NoEngines, match="no engines connected"):
        runner.map(slow_double, [{"x": 1}], progress=lambda d, n: None, cancel=CancelToken())
    assert time.monotonic() - started < 10


def sleep_then_double(bindings: dict[str, Any]) -> dict[str, Any]:
    time.sleep(bindings["seconds"])
    return {"y": bindings["x"] * 2}


@pytest.mark.timeout(120)
def test_engine_killed_while_running_its_direct_share_reruns_elsewhere(fresh_cluster):
    """A new body's first chunks go straight to one engine each (no load balancer); one lost with its
    engine is resubmitted to the others."""
    import threading

    engines = fresh_cluster.engine_pids()
    victim = min(engines)
    timer = threading.Timer(1.0, kill, args=(engines[victim],))
    runner = ClusterRunner(fresh_cluster.client)
    items = [{"x": i, "seconds": 2.0} for i in range(4)]
    timer.start()
    try:
        outcomes = runner.map(sleep_then_double, items, progress=lambda d, n: None, cancel=CancelToken())
    finally:
        timer.cancel()
    assert all(o.ok for o in outcomes), [o.error for o in outcomes if not o.ok]
    assert [o.value["y"] for o in outcomes] == [0, 2, 4, 6]
    assert all(o.engine != victim for o in outcomes)  # it died during its first 2 s element


@pytest.mark.timeout(120)
def test_elements_finished_before_the_controller_died_are_kept_in_the_store(fresh_cluster, tmp_path):
    registry = make_registry()
    store = StoreBinding(ElementStore(tmp_path / "store"), scope="project")
    workflow = map_over("test.slow", {"mapped": ["a"]}, {"a": list(range(12))}, function_inputs={"seconds": 0.3})
    controller = fresh_cluster.controller_pids()
    killed: list[float] = []

    def kill_the_controller(event: ev.Event) -> None:
        if event.kind == ev.PROGRESS and event.path == ("map",) and event.done >= 3 and not killed:
            for pid in controller:
                kill(pid)
            killed.append(time.monotonic())

    runner = ClusterRunner(fresh_cluster.client, chunksize=1)
    result = Executor(registry, runner=runner, cache=False).run(workflow, elements=store,
                                                                listeners=[kill_the_controller])
    assert result.states["map"] == "failed" and "stopped answering" in result.failures[0].message
    events: list[ev.Event] = []
    again = Executor(registry, cache=False).run(workflow, elements=store, listeners=[events.append])
    assert again.ok
    [items] = [e for e in events if e.kind == ev.ITEMS]
    statuses = items.details["table"].statuses()
    assert statuses.count("cached") >= 3 and set(statuses) == {"cached", "ok"}
    store.store.close()
