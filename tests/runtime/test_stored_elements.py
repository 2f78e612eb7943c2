"""Maps with an element store (in this process, serial runner): what is served, what runs again, what a
stopped run keeps, and what the run record and the store say about each element."""

from __future__ import annotations

import pytest

from pflow_studio.runtime import events as ev
from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.element_store.store import ElementStore
from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.run_record import RunRecorder
from pflow_studio.runtime.stored_elements import StoreBinding
from tests.support.nodes import CALLS
from tests.support.workflows import map_over


@pytest.fixture
def binding(tmp_path):
    store = ElementStore(tmp_path / "store")
    yield StoreBinding(store, scope=str(tmp_path / "project.pflow"))
    store.close()


def square_map(values: list, offset: float | None = None) -> Workflow:
    workflow = map_over("test.square_offset", {"mapped": ["x"], "on_error": "none"}, {"x": values})
    if offset is not None:
        workflow.add_node("test.number", {"value": offset}, id="offset")
        workflow.connect("offset", "value", "map", "offset")
    return workflow


def run(workflow: Workflow, registry, binding, **kwargs) -> tuple:
    """Run with no node-level cache (as `pflow-studio run` does); returns (result, the Map's items event)."""
    events: list[ev.Event] = []
    recorder = RunRecorder()
    result = Executor(registry, cache=False).run(workflow, elements=binding, listeners=[events.append, recorder],
                                                 **kwargs)
    [items] = [e for e in events if e.kind == ev.ITEMS]
    return result, items, recorder.record


def statuses(items: ev.Event) -> list[str]:
    return items.details["table"].statuses()


def test_a_second_run_serves_every_element_from_the_store(registry, binding):
    first, items, _ = run(square_map([1, 2, 3]), registry, binding)
    assert CALLS == {"test.square_offset": 3} and statuses(items) == ["ok"] * 3
    CALLS.clear()
    second, items, record = run(square_map([1, 2, 3]), registry, binding)
    assert CALLS == {} and statuses(items) == ["cached"] * 3
    assert second.outputs["map"] == first.outputs["map"] == {"y": [1, 4, 9], "x": [1, 2, 3]}
    [entry] = record.maps
    assert (entry["total"], entry["cached"], entry["failed"], entry["not_run"]) == (3, 3, 0, 0)


def test_a_grown_list_runs_only_the_new_elements_and_a_failed_one_runs_again(registry, binding):
    run(square_map([1, 13, 2]), registry, binding)  # 13 fails
    CALLS.clear()
    result, items, _ = run(square_map([1, 13, 2, 4]), registry, binding)
    assert statuses(items) == ["cached", "failed", "cached", "ok"]
    assert CALLS == {"test.square_offset": 2}  # the failed one (never served) and the new one
    assert result.outputs["map"]["y"] == [1, None, 4, 16]


def test_a_changed_broadcast_value_or_body_runs_all_again_and_other_changes_do_not(registry, binding):
    run(square_map([1, 2], offset=0.5), registry, binding)
    CALLS.clear()
    elsewhere = square_map([1, 2], offset=0.5)
    elsewhere.add_node("test.number", {"value": 99}, id="unrelated")
    assert statuses(run(elsewhere, registry, binding)[1]) == ["cached", "cached"]
    assert statuses(run(square_map([1, 2], offset=1.5), registry, binding)[1]) == ["ok", "ok"]
    edited = square_map([1, 2], offset=0.5)
    edited.nodes["map"].body.nodes["fn"].ui["label"] = "renamed"  # a UI hint: not part of the body's meaning
    assert statuses(run(edited, registry, binding)[1]) == ["cached", "cached"]
    edited.nodes["map"].body.nodes["fn"].input_values["offset"] = 7.0  # an edit of the body
    assert statuses(run(edited, registry, binding)[1]) == ["ok", "ok"]


def test_editing_python_code_in_the_body_runs_every_element_again(binding):
    registry = default_registry()
    run(_expression_map("x * 2"), registry, binding)
    assert statuses(run(_expression_map("x * 2"), registry, binding)[1]) == ["cached"] * 3
    result, items, _ = run(_expression_map("x * 3"), registry, binding)
    assert statuses(items) == ["ok"] * 3 and result.outputs["map"] == {"result": [3, 6, 9]}


def _expression_map(expression: str) -> Workflow:
    body = Workflow()
    body.add_node("py.expression", {"expression": expression, "inputs": ["x"]}, id="fn")
    workflow = Workflow()
    workflow.add_node("list.range", id="numbers", inputs={"start": 1, "stop": 4})
    workflow.add_node("core.map", {"mapped": ["x"]}, id="map", body=body)
    workflow.connect("numbers", "result", "map", "x")
    return workflow


def test_a_stopped_run_keeps_what_finished_and_the_next_run_computes_only_the_rest(registry, binding):
    token = CancelToken()
    workflow = map_over("test.slow", {"mapped": ["a"]}, {"a": list(range(8))}, function_inputs={"seconds": 0.0})

    def stop_at_half(event: ev.Event) -> None:
        if event.kind == ev.PROGRESS and event.path == ("map",) and event.done >= 4:
            token.cancel()

    result, items, record = _run_stopped(workflow, registry, binding, token, stop_at_half)
    assert result.status == "cancelled"
    assert statuses(items)[:4] == ["ok"] * 4 and set(statuses(items)[4:]) <= {"ok", "not_run"}
    finished = statuses(items).count("ok")
    assert record.maps[0]["not_run"] == 8 - finished > 0
    _, again, _ = run(workflow, registry, binding)
    assert statuses(again) == ["cached"] * finished + ["ok"] * (8 - finished)
    last = binding.store.last_run(binding.scope, ("map",))
    assert last.state == "ok" and last.counts["cached"] == finished


def _run_stopped(workflow, registry, binding, token, listener):
    events: list[ev.Event] = []
    recorder = RunRecorder()
    result = Executor(registry, cache=False).run(workflow, elements=binding, cancel=token,
                                                 listeners=[events.append, recorder, listener])
    [items] = [e for e in events if e.kind == ev.ITEMS]
    return result, items, recorder.record


def test_progress_counts_the_stored_elements_at_once(registry, binding):
    run(square_map([1, 2, 3]), registry, binding)
    events: list[ev.Event] = []
    Executor(registry, cache=False).run(square_map([1, 2, 3, 4]), elements=binding, listeners=[events.append])
    progress = [(e.done, e.total, e.details) for e in events if e.kind == ev.PROGRESS and e.path == ("map",)]
    assert progress[0] == (3, 4, {"stored": 3}) and progress[-1] == (4, 4, {"stored": 3})


def test_what_an_element_prints_is_kept_with_it(binding):
    registry = default_registry()
    body = Workflow()
    body.add_node("py.code", {"code": "print('element', x)\ny = x", "inputs": ["x"], "outputs": ["y"]}, id="fn")
    workflow = Workflow()
    workflow.add_node("list.range", id="numbers", inputs={"start": 0, "stop": 2})
    workflow.add_node("core.map", {"mapped": ["x"]}, id="map", body=body)
    workflow.connect("numbers", "result", "map", "x")
    run(workflow, registry, binding)
    run_id = binding.store.last_run(binding.scope, ("map",)).id
    [second] = binding.store.run_items(run_id, offset=1, limit=1)
    assert binding.store.element(second.key).stdout == "element 1\n"
    _, again, _ = run(workflow, registry, binding)
    assert statuses(again) == ["cached", "cached"] and again.details["table"][1].stdout == "element 1\n"


def test_a_body_that_must_not_be_reused_never_touches_the_store(binding):
    registry = default_registry()
    workflow = _expression_map("x * 2")
    workflow.nodes["map"].body.nodes["fn"].properties["never_cache"] = True
    run(workflow, registry, binding)
    assert statuses(run(workflow, registry, binding)[1]) == ["ok"] * 3
    assert binding.store.info().elements == 0


def test_without_a_store_nothing_is_kept(registry):
    events: list[ev.Event] = []
    Executor(registry, cache=False).run(square_map([1, 2]), listeners=[events.append])
    Executor(registry, cache=False).run(square_map([1, 2]), listeners=[events.append])
    assert CALLS == {"test.square_offset": 4}


def test_chosen_elements_are_computed_again_when_asked(registry, binding):
    run(square_map([1, 2, 3]), registry, binding)
    binding.recompute = {("map",): {0, 2}}
    _, items, _ = run(square_map([1, 2, 3]), registry, binding)
    assert statuses(items) == ["ok", "cached", "ok"]


def test_a_map_with_failed_elements_is_not_kept_in_the_node_cache(registry, binding):
    executor = Executor(registry)  # with a node-level cache, as the app has
    workflow = square_map([1, 13, 2])
    events: list[ev.Event] = []
    executor.run(workflow, elements=binding)
    executor.run(workflow, elements=binding, listeners=[events.append])
    [items] = [e for e in events if e.kind == ev.ITEMS]
    assert statuses(items) == ["cached", "failed", "cached"] and not items.cached  # the Map ran: 13 again


def test_refresh_runs_a_node_again_although_the_cache_holds_it(registry, binding):
    executor = Executor(registry)
    executor.run(square_map([1, 2]), elements=binding)
    events: list[ev.Event] = []
    executor.run(square_map([1, 2]), elements=binding, refresh=[("map",)], listeners=[events.append])
    [items] = [e for e in events if e.kind == ev.ITEMS]
    assert not items.cached and statuses(items) == ["cached", "cached"]  # the Map ran, its elements were stored


def test_the_broadcast_values_of_a_run_are_kept(registry, binding):
    run(square_map([1, 2], offset=0.5), registry, binding)
    last = binding.store.last_run(binding.scope, ("map",))
    assert binding.store.run_broadcast(last.id) == {"offset": 0.5}
