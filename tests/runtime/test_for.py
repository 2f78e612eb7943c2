"""For: the body once per index of [lower, higher), outputs as lists in index order, on the Map's runner and in
the element store; errors name the iteration; Stop ends it between iterations."""

from __future__ import annotations

import numpy
import pytest

from pflow_studio.runtime import events as ev
from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.element_store.store import ElementStore
from pflow_studio.runtime.executor import Executor, InvalidWorkflow
from pflow_studio.runtime.graph import instantiate
from pflow_studio.runtime.model import BoundaryInput, BoundaryOutput, PortRef, Workflow
from pflow_studio.runtime.stored_elements import StoreBinding
from tests.support.nodes import CALLS
from tests.support.workflows import run


def for_loop(function_type: str = "test.square_offset", properties: dict | None = None, **inputs) -> Workflow:
    """A For 'loop' whose body is one `function_type` node 'fn', with `inputs` as the For's own values."""
    body = Workflow()
    body.add_node(function_type, id="fn")
    wf = Workflow()
    wf.add_node("core.for", properties or {}, id="loop", label="Loop", body=body, inputs=inputs)
    return wf


def test_the_index_goes_to_the_first_input_and_every_output_is_a_list_in_index_order(registry):
    result = run(for_loop(lower=2, higher=6, offset=1), registry)
    assert result.outputs["loop"] == {"y": [5, 10, 17, 26], "x": [2, 3, 4, 5]}


def test_lower_defaults_to_zero_and_an_empty_range_gives_empty_lists(registry):
    assert run(for_loop(higher=3), registry).outputs["loop"]["y"] == [0, 1, 4]
    assert run(for_loop(lower=5, higher=5), registry).outputs["loop"] == {"y": [], "x": []}
    assert CALLS.get("test.square_offset", 0) == 3


def test_the_index_port_can_be_chosen_and_the_other_inputs_are_the_same_for_every_iteration(registry):
    wf = for_loop("test.add", {"index_port": "b"}, higher=3)
    wf.add_node("test.number", {"value": 100}, id="a")
    wf.connect("a", "value", "loop", "a")
    assert [port.name for port in _ports(wf, registry)] == ["lower", "higher", "a"]
    assert run(wf, registry).outputs["loop"] == {"result": [100, 101, 102]}


def test_a_failing_iteration_fails_the_for_naming_it_after_every_iteration_ran(registry):
    result = run(for_loop(lower=11, higher=15), registry)
    assert result.status == "failed"
    [failure] = result.failures
    assert failure.path == ("loop",) and failure.label == "Loop"
    assert "1 of 4 iterations failed; first: iteration x = 13" in failure.message
    assert "13 is unlucky" in failure.message
    assert failure.details[0]["index"] == 2 and "raise NodeError" in failure.details[0]["traceback"]
    assert CALLS["test.square_offset"] == 4  # the iterations are independent: the others ran


def test_bounds_must_be_whole_numbers(registry):
    wf = for_loop()
    wf.add_node("test.volatile", {"value": 2.5}, id="bound")  # an 'any' output: checked when the For runs
    wf.connect("bound", "value", "loop", "higher")
    result = run(wf, registry)
    assert "input 'higher' must be a whole number, got float" in result.failures[0].message
    wf.nodes["bound"].properties["value"] = True
    assert "input 'higher' must be a whole number, got bool" in run(wf, registry).failures[0].message
    wf.nodes["bound"].properties["value"] = numpy.int64(2)  # an integer of another type is one
    assert run(wf, registry).outputs["loop"]["y"] == [0, 1]


def test_bad_configurations_are_named_before_anything_runs(registry):
    with pytest.raises(InvalidWorkflow, match="'nope' is not an input of the function node"):
        Executor(registry).run(for_loop(properties={"index_port": "nope"}, higher=2))
    group = Workflow()
    group.add_node("test.add", id="add")
    group.inputs += [BoundaryInput("i", [PortRef("add", "a")]), BoundaryInput("higher", [PortRef("add", "b")])]
    group.outputs.append(BoundaryOutput("sum", PortRef("add", "result")))
    wf = Workflow()
    wf.add_node("core.for", id="loop", body=Workflow(nodes={}), inputs={"higher": 2})
    wf.nodes["loop"].body.add_node("core.group", id="g", body=group)
    with pytest.raises(InvalidWorkflow, match=r"\['higher'\] clash with the For's own inputs"):
        Executor(registry).run(wf)
    wf.nodes["loop"].body.remove_node("g")
    with pytest.raises(InvalidWorkflow, match=r"exactly one node .* not 0: open it \(double-click\) and add one"):
        Executor(registry).run(wf)


def test_iterations_run_on_the_maps_runner_with_progress_and_an_items_event(registry):
    events: list[ev.Event] = []
    run(for_loop(higher=4), registry, listeners=[events.append])
    progress = [e for e in events if e.kind == ev.PROGRESS and e.path == ("loop",)]
    assert progress[-1].done == progress[-1].total == 4
    [items] = [e for e in events if e.kind == ev.ITEMS]
    assert items.details["runner"] == "serial" and items.done == items.total == 4


def test_stop_ends_the_for_between_iterations(registry):
    token = CancelToken()

    def stop_after_the_first(event: ev.Event) -> None:
        if event.kind == ev.PROGRESS and event.path == ("loop",) and event.done >= 1:
            token.cancel()

    wf = for_loop("test.slow", higher=50)
    wf.nodes["loop"].body.nodes["fn"].properties["seconds"] = 0.01
    result = Executor(registry, cache=False).run(wf, cancel=token, listeners=[stop_after_the_first])
    assert result.status == "cancelled" and result.states["loop"] == "cancelled"
    assert CALLS["test.slow"] < 50


def test_iterations_are_kept_in_the_element_store_and_a_longer_range_runs_only_the_new_ones(registry, tmp_path):
    store = ElementStore(tmp_path / "store")
    binding = StoreBinding(store, scope=str(tmp_path / "project.pflow"))

    def statuses(wf: Workflow) -> list[str]:
        events: list[ev.Event] = []
        Executor(registry, cache=False).run(wf, elements=binding, listeners=[events.append])
        [items] = [e for e in events if e.kind == ev.ITEMS]
        return items.details["table"].statuses()

    try:
        assert statuses(for_loop("test.add", higher=3, b=1)) == ["ok"] * 3
        CALLS.clear()
        assert statuses(for_loop("test.add", higher=5, b=1)) == ["cached"] * 3 + ["ok"] * 2
        assert CALLS == {"test.add": 2}
        assert statuses(for_loop("test.mix", {"index_port": "b"}, higher=2, a=1)) == ["ok"] * 2
        # the same index values fed to another input are other iterations
        assert statuses(for_loop("test.mix", {"index_port": "c"}, higher=2, a=1)) == ["ok"] * 2
    finally:
        store.close()


def _ports(wf: Workflow, registry):
    return instantiate(wf.nodes["loop"], registry).input_ports()
