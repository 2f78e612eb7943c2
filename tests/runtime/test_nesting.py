"""One nesting limit for validation and the run (issue 11, point 4): `runtime.nesting` measures depth without
recursion (and copies are made without it); a workflow nested deeper than MAX_NESTING is one validation problem
on its top container (even 5000 levels deep, built in memory), so the executor refuses it; at the limit, a Map
over a chain of Groups and a chain of Maps (the costliest nesting to run) run, in this process and on a real
cluster."""

from __future__ import annotations

import copy
import dataclasses

import pytest

from pflow_studio.project.file_format import loads
from pflow_studio.runtime.cluster.runner import ClusterRunner
from pflow_studio.runtime.executor import Executor, InvalidWorkflow
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.nesting import MAX_NESTING, deepest, nesting_problem, shown_path
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.runners import SerialRunner
from pflow_studio.runtime.validation import validate
from tests.support.projects import innermost, nested_groups, nested_maps

pytestmark = pytest.mark.fault

REGISTRY = default_registry()


def chain(depth: int) -> Workflow:
    """Groups 'c{depth-1}' ... 'c0' nested `depth` bodies deep (built in memory, no file), a const inside."""
    body = Workflow()
    body.add_node("const.int", {"value": 1}, id="leaf")
    for level in range(depth):
        outer = Workflow()
        outer.add_node("core.group", id=f"c{level}", body=body)
        body = outer
    return body


def map_over_group_chain(depth: int) -> Workflow:
    """A Map whose function is the top Group of `nested_groups(depth - 1)`: bodies nest `depth` deep."""
    inner = loads(nested_groups(depth - 1)).workflow
    function = inner.nodes.pop(f"g{depth - 2}")
    function.is_output = False
    wf = Workflow()
    wf.add_node("const.list", {"value": [1.0, 2.0, 3.0]}, id="items")
    wf.add_node("core.map", {"mapped": ["x"]}, id="map", body=Workflow(nodes={function.id: function}))
    wf.connect("items", "value", "map", "x")
    return wf


def test_deepest_is_measured_without_recursion():
    assert deepest(Workflow()) == ()
    assert deepest(chain(5000))[:2] == ("c4999", "c4998") and len(deepest(chain(5000))) == 5000
    assert nesting_problem(chain(MAX_NESTING)) == ""
    assert nesting_problem(chain(MAX_NESTING - 1), above=("a",)) == ""
    assert nesting_problem(chain(MAX_NESTING), above=("a",)).startswith(
        f"Groups nest {MAX_NESTING + 1} deep at 'a/c{MAX_NESTING - 1}/c{MAX_NESTING - 2}/...")
    assert shown_path(("a", "b")) == "a/b"


def test_copies_are_made_without_recursion():
    """Undo snapshots, clipboard extracts and the GUI's run all deep-copy workflows."""
    assert copy.deepcopy(chain(MAX_NESTING)).canonical() == chain(MAX_NESTING).canonical()
    deep = chain(5000)
    copied = deep.copy()
    assert deepest(copied) == deepest(deep) and copied.nodes["c4999"] is not deep.nodes["c4999"]
    shared = Workflow()
    wf = Workflow()
    wf.add_node("core.group", id="a", body=shared)
    wf.nodes["b"] = dataclasses.replace(wf.nodes["a"], id="b")
    again = copy.deepcopy(wf)
    assert again.nodes["a"].body is again.nodes["b"].body is not shared


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 5000])
def test_too_deep_is_one_problem_on_the_top_container(depth):
    [problem] = validate(chain(depth), REGISTRY)
    assert str(problem) == (f"node 'c{depth - 1}': Groups nest {depth} deep at 'c{depth - 1}/c{depth - 2}/c{depth - 3}"
                            f"/.../c2/c1/c0'; at most {MAX_NESTING} levels are supported")
    with pytest.raises(InvalidWorkflow):
        Executor(REGISTRY, runner=SerialRunner(), cache=False).run(chain(depth))


def test_the_limit_is_valid():
    assert validate(chain(MAX_NESTING), REGISTRY) == []
    assert validate(map_over_group_chain(MAX_NESTING), REGISTRY) == []
    assert validate(nested_maps(MAX_NESTING), REGISTRY) == []
    assert nesting_problem(map_over_group_chain(MAX_NESTING + 1)) and nesting_problem(nested_maps(MAX_NESTING + 1))


def test_a_map_over_groups_at_the_limit_runs_in_this_process():
    result = Executor(REGISTRY, runner=SerialRunner(), cache=False).run(map_over_group_chain(MAX_NESTING))
    assert result.status == "ok" and result.outputs["map"] == {"out": [2.0, 3.0, 4.0]}


def test_maps_of_maps_at_the_limit_run_in_this_process():
    result = Executor(REGISTRY, runner=SerialRunner(), cache=False).run(nested_maps(MAX_NESTING))
    assert result.status == "ok"
    assert innermost(result.outputs[f"m{MAX_NESTING - 1}"]["result"]) == (2.0, MAX_NESTING)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("workflow", [map_over_group_chain, nested_maps])
def test_the_limit_runs_on_a_cluster(cluster, workflow):
    result = Executor(REGISTRY, runner=ClusterRunner(cluster.client), cache=False).run(workflow(MAX_NESTING))
    assert result.status == "ok" and result.failures == []
