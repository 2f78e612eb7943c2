"""Groups run their body with the outer values fed to the inner ports; groups nest."""

from __future__ import annotations

from pflow_studio.runtime import events as ev
from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.model import BoundaryOutput, PortRef, Workflow
from tests.support.workflows import nested_groups, plus_group


def test_group_runs_its_body(registry):
    wf = Workflow()
    wf.add_node("test.number", {"value": 5}, id="five")
    wf.add_node("core.group", id="g", body=plus_group())
    wf.connect("five", "value", "g", "x")
    events: list[ev.Event] = []
    result = Executor(registry).run(wf, listeners=[events.append])
    assert result.outputs["g"] == {"out": 6}  # y unconnected: the inner default (0) applies
    assert ("g", "g_add") in {e.path for e in events if e.kind == ev.FINISHED}


def test_nested_groups(registry):
    wf = nested_groups(1)
    assert Executor(registry).run(wf).outputs["outer"] == {"out": 2}


def test_inner_failure_fails_the_group_with_the_inner_path(registry):
    body = Workflow()
    body.add_node("test.fail", id="bad")
    body.outputs.append(BoundaryOutput("out", PortRef("bad", "result")))
    wf = Workflow()
    wf.add_node("core.group", id="g", body=body, label="My group")
    wf.add_node("test.add", id="after")
    wf.connect("g", "out", "after", "a")
    result = Executor(registry).run(wf)
    assert result.states == {"g": "failed", "after": "skipped"}
    paths = [f.path for f in result.failures]
    assert ("g", "bad") in paths and ("g",) in paths
    assert "inner node(s) failed: bad" in next(f.message for f in result.failures if f.path == ("g",))
