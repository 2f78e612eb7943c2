"""The engine check before a Map (`runtime.cluster.precheck`) on real clusters: an engine where
pflow_studio cannot be imported (a sitecustomize blocks it, as where it is not installed), on this machine
or on a test host, ends the Map before any element runs, naming the engines and their host; one that joins
during a Map is left out and the Map completes on the others; a cluster of good engines is asked once per
client, not once per Map."""

from __future__ import annotations

import os
import pathlib
import socket
import time
from typing import Any

import pytest

from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.cluster import precheck
from pflow_studio.runtime.cluster.errors import EnginesUnfit
from pflow_studio.runtime.cluster.notices import NoticeKind, RunnerNotice
from pflow_studio.runtime.cluster.runner import ClusterRunner
from pflow_studio.runtime.element_store.store import ElementStore
from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.run_record import RunRecorder
from pflow_studio.runtime.stored_elements import StoreBinding
from tests.support.clusters import LocalCluster, start_cluster
from tests.support.import_blocker import no_pflow_dir
from tests.support.netns import ROOT_ADDRESS
from tests.support.nodes import make_registry
from tests.support.paths import ROOT
from tests.support.workflows import map_over


def nap_then_double(bindings: dict[str, Any]) -> dict[str, Any]:
    time.sleep(0.1)
    return {"y": bindings["x"] * 2}


def start_engine_without_pflow(local: LocalCluster, blocker: os.PathLike) -> int:
    """Start one engine of `local`'s cluster where pflow_studio cannot be imported; its id once registered."""
    before = set(local.client.ids)
    local.cluster.start_engines_sync(n=1, environment={"PYTHONPATH": os.pathsep.join([str(blocker), str(ROOT)])})
    local.client.wait_for_engines(len(before) + 1, timeout=60)
    [engine] = set(local.client.ids) - before
    return engine


@pytest.fixture
def one_engine(tmp_path):
    local = start_cluster(tmp_path / "profile", n=1)
    yield local
    local.stop()


@pytest.fixture
def counted(monkeypatch) -> list[int]:
    """The engines asked by the engine check, in order (the real check still runs)."""
    asked: list[int] = []
    real = precheck.ask

    def counting(client: Any, engine: int) -> Any:
        asked.append(engine)
        return real(client, engine)

    monkeypatch.setattr(precheck, "ask", counting)
    return asked


@pytest.mark.timeout(120)
def test_an_engine_without_pflow_studio_ends_the_map_before_any_element_runs(one_engine, tmp_path, counted):
    bad = start_engine_without_pflow(one_engine, no_pflow_dir(tmp_path))
    store = StoreBinding(ElementStore(tmp_path / "store"), scope="project")
    recorder = RunRecorder()
    workflow = map_over("test.slow", {"mapped": ["a"]}, {"a": list(range(12))}, function_inputs={"seconds": 0.01})
    runner = ClusterRunner(one_engine.client)
    result = Executor(make_registry(), runner=runner, cache=False).run(workflow, elements=store,
                                                                       listeners=[recorder])
    assert result.states["map"] == "failed"
    [failure] = result.failures
    assert "EnginesUnfit" in failure.message
    assert f"engine {bad} on {socket.gethostname()}: pflow_studio is not installed there" in failure.message
    assert "No module named 'pflow_studio'" in failure.message and "install pflow-studio" in failure.message
    assert sorted(counted) == sorted(one_engine.client.ids)
    assert store.store.info().elements == 0  # no element ran, none was stored
    [entry] = recorder.record.maps
    assert entry["total"] == entry["not_run"] == 12  # the run record: no element ran
    store.store.close()


@pytest.mark.timeout(120)
def test_an_engine_without_pflow_studio_that_joins_during_a_map_is_left_out(one_engine, tmp_path):
    blocker = no_pflow_dir(tmp_path)
    notices: list[RunnerNotice] = []
    joined: list[int] = []

    def start_bad_engine(done: int, total: int) -> None:
        if done >= 3 and not joined:
            joined.append(start_engine_without_pflow(one_engine, blocker))

    runner = ClusterRunner(one_engine.client, chunksize=1, on_event=notices.append)
    outcomes = runner.map(nap_then_double, [{"x": i} for i in range(30)], progress=start_bad_engine,
                          cancel=CancelToken())
    assert joined
    assert [o.error for o in outcomes if not o.ok] == []
    assert [o.value["y"] for o in outcomes] == [2 * i for i in range(30)]
    assert joined[0] not in {o.engine for o in outcomes}
    [left_out] = [n for n in notices if n.kind == NoticeKind.CHECK]
    assert left_out.engine == joined[0] and "pflow_studio" in left_out.message
    with pytest.raises(EnginesUnfit, match=f"engine {joined[0]} on "):  # the next Map refuses it up front
        runner.map(nap_then_double, [{"x": 1}], progress=lambda done, total: None, cancel=CancelToken())


@pytest.mark.timeout(120)
def test_good_engines_are_asked_once_per_client(one_engine, counted):
    runner = ClusterRunner(one_engine.client)
    items = [{"x": i} for i in range(6)]
    for _ in range(2):
        outcomes = runner.map(nap_then_double, items, progress=lambda done, total: None, cancel=CancelToken())
        assert [o.value["y"] for o in outcomes] == [2 * i for i in range(6)]
    assert counted == list(one_engine.client.ids)  # asked by the first Map only
    unchecked = ClusterRunner(one_engine.client, check_engines=False)
    unchecked.map(nap_then_double, items, progress=lambda done, total: None, cancel=CancelToken())
    assert len(counted) == 1


@pytest.mark.timeout(240)
def test_engines_without_pflow_studio_on_another_host_are_named_with_that_host(netns_hosts, tmp_path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(no_pflow_dir(tmp_path)), str(ROOT)]))

    def on_hosts(engine_file: pathlib.Path) -> int:
        netns_hosts.start_engine("h3", engine_file, env=env)
        netns_hosts.start_engine("h3", engine_file, env=env)
        return 2

    local = start_cluster(tmp_path / "profile", n=1, ip=ROOT_ADDRESS, elsewhere=on_hosts)
    try:
        hosts = local.client[:].apply_async(socket.gethostname).get_dict(timeout=30)
        store = StoreBinding(ElementStore(tmp_path / "store"), scope="project")
        workflow = map_over("test.slow", {"mapped": ["a"]}, {"a": list(range(40))}, function_inputs={"seconds": 0})
        result = Executor(make_registry(), runner=ClusterRunner(local.client), cache=False).run(workflow,
                                                                                                 elements=store)
    finally:
        local.stop()
        netns_hosts.end_started()
    remote = ", ".join(str(engine) for engine, host in sorted(hosts.items()) if host == "h3")
    [failure] = result.failures
    assert f"EnginesUnfit: engines {remote} on h3: pflow_studio is not installed there" in failure.message
    assert store.store.info().elements == 0
    store.store.close()
