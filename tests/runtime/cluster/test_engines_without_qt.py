"""Engines need no Qt: a Map runs on engines where PySide6 and NodeGraphQt cannot be imported (the bundled
examples, plot nodes drawing their figures there included)."""

from __future__ import annotations

import pytest

from pflow_studio.project.file_format import load
from pflow_studio.runtime import events as ev
from pflow_studio.runtime.cluster.runner import ClusterRunner
from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.runners import SerialRunner
from tests.support.clusters import start_cluster
from tests.support.figures import same_values
from tests.support.paths import EXAMPLES


@pytest.fixture(scope="module")
def qt_free_cluster(tmp_path_factory):
    local = start_cluster(tmp_path_factory.mktemp("noqt") / "profile", block_qt=True)
    yield local
    local.stop()


def _qt_state() -> dict:
    import sys

    try:
        import PySide6  # noqa: F401

        importable = True
    except ImportError:
        importable = False
    try:
        import NodeGraphQt  # noqa: F401

        importable = True
    except ImportError:
        pass
    return {"importable": importable,
            "loaded": sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "NodeGraphQt")),
            "plotted": "matplotlib.figure" in sys.modules, "pyplot": "matplotlib.pyplot" in sys.modules}


@pytest.mark.timeout(180)
def test_maps_run_on_engines_that_cannot_import_qt(qt_free_cluster):
    before = qt_free_cluster.client[:].apply_sync(_qt_state)
    assert all(not state["importable"] for state in before)
    runner = ClusterRunner(qt_free_cluster.client, chunksize=2)
    events: list[ev.Event] = []
    for path in sorted(EXAMPLES.glob("*.pflow")):
        workflow = load(path).workflow
        serial = Executor(default_registry(), runner=SerialRunner(), cache=False).run(workflow)
        ours = Executor(default_registry(), runner=runner, cache=False).run(workflow, listeners=[events.append])
        assert ours.ok, ours.failures
        assert same_values(ours.outputs, serial.outputs)
    ran = [outcome for e in events if e.kind == ev.ITEMS for outcome in e.details["table"]]
    assert ran and all(outcome.engine is not None for outcome in ran)  # every element ran on an engine
    after = qt_free_cluster.client[:].apply_sync(_qt_state)
    assert all(state["loaded"] == [] and not state["pyplot"] for state in after)
    assert any(state["plotted"] for state in after)  # the parameter sweep's plots were drawn on engines


@pytest.mark.timeout(120)
def test_a_map_body_with_a_bypassed_node_runs_on_engines(qt_free_cluster):
    workflow = load(EXAMPLES / "square_offset_map.pflow").workflow
    workflow.node("map").body.node("square_offset").body.node("square").bypassed = True
    serial = Executor(default_registry(), runner=SerialRunner(), cache=False).run(workflow)
    runner = ClusterRunner(qt_free_cluster.client, chunksize=2)
    ours = Executor(default_registry(), runner=runner, cache=False).run(workflow)
    assert ours.ok, ours.failures
    assert ours.outputs["map"]["y"] == serial.outputs["map"]["y"] == [x + 0.5 for x in range(10)]
