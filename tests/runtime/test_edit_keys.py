"""Edit keys (runtime.edit_keys): an edit changes the keys of the nodes it changes and of what depends on them,
exactly the nodes a cached re-run computes again; moves and labels change none; undoing gives them back."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pflow_studio.runtime import events as ev
from pflow_studio.runtime.edit_keys import edit_keys
from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.model import Edge, Workflow
from pflow_studio.runtime.operations import collapse, wrap_in_map
from pflow_studio.runtime.registry import default_registry
from tests.support.workflows import sample

REGISTRY = default_registry()


def recomputed(executor: Executor, workflow: Workflow) -> set[tuple[str, ...]]:
    """The paths of the nodes a run of `workflow` computed (not taken from the cache)."""
    events: list[ev.Event] = []
    executor.run(workflow, listeners=[events.append])
    return {e.path for e in events if e.kind == ev.FINISHED and not e.cached and e.path}


def changed(before: dict, after: dict) -> set[tuple[str, ...]]:
    return {path for path, key in after.items() if before.get(path) != key}


def set_two(workflow: Workflow) -> None:
    workflow.nodes["two"].properties["value"] = 7.0


def set_mul_b(workflow: Workflow) -> None:
    workflow.nodes["mul"].input_values["b"] = 11.0


def rewire(workflow: Workflow) -> None:
    workflow.disconnect(Edge.of("three", "value", "add", "b"))
    workflow.connect("two", "value", "add", "b")


@pytest.mark.parametrize(("edit", "expected"), [
    (set_two, {("two",), ("add",), ("mul",)}),
    (set_mul_b, {("mul",)}),
    (rewire, {("add",), ("mul",)}),
])
def test_an_edit_changes_the_keys_the_cache_would_miss(edit: Callable[[Workflow], None], expected: set):
    workflow = sample()
    executor = Executor(REGISTRY)
    executor.run(workflow)
    before = edit_keys(workflow, REGISTRY)
    edit(workflow)
    assert changed(before, edit_keys(workflow, REGISTRY)) == expected == recomputed(executor, workflow)


def test_moves_and_labels_change_no_key_and_undoing_gives_the_keys_back():
    workflow = sample()
    before = edit_keys(workflow, REGISTRY)
    workflow.nodes["add"].ui.update(label="sum", pos=[5.0, 5.0])
    assert edit_keys(workflow, REGISTRY) == before
    workflow.nodes["two"].properties["value"] = 7.0
    assert edit_keys(workflow, REGISTRY) != before
    workflow.nodes["two"].properties["value"] = 2.0
    assert edit_keys(workflow, REGISTRY) == before


def test_inside_a_group_only_the_edited_node_what_follows_it_and_the_group_change():
    workflow = sample()
    group = collapse(workflow, ["add", "mul"], label="G").id
    executor = Executor(REGISTRY)
    executor.run(workflow)
    before = edit_keys(workflow, REGISTRY)
    assert {(group, "add"), (group, "mul")} <= set(before)
    workflow.nodes[group].body.nodes["mul"].input_values["b"] = 3.0
    assert changed(before, edit_keys(workflow, REGISTRY)) == {(group,), (group, "mul")}
    assert (group,) in recomputed(executor, workflow)


def test_a_map_body_follows_its_map_and_a_cycle_still_gets_keys():
    workflow = sample()
    wrap_in_map(workflow, "mul", mapped=["a"], map_id="map", registry=REGISTRY)
    before = edit_keys(workflow, REGISTRY)
    workflow.nodes["two"].properties["value"] = 7.0
    assert changed(before, edit_keys(workflow, REGISTRY)) == {("two",), ("add",), ("map",), ("map", "mul")}
    cyclic = sample()
    cyclic.edges.append(Edge.of("mul", "result", "two", "value"))  # validation refuses it; keys do not
    assert set(edit_keys(cyclic, REGISTRY)) == {("two",), ("three",), ("add",), ("mul",)}
