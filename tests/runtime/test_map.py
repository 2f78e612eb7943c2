"""Map and Filter: mapped and broadcast inputs, zip and product, VisTrails mode, errors, progress."""

from __future__ import annotations

import pytest

from pflow_studio.runtime import events as ev
from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.executor import Executor, InvalidWorkflow
from pflow_studio.runtime.model import Workflow
from tests.support.nodes import CALLS
from tests.support.workflows import map_over, run, square_plus_half


def test_single_mapped_input_gives_lists_in_input_order(registry):
    wf = map_over("test.square_offset", {"mapped": ["x"]}, {"x": [3, 1, 2]})
    result = run(wf, registry)
    assert result.outputs["map"] == {"y": [9, 1, 4], "x": [3, 1, 2]}


def test_zip_of_two_mapped_inputs(registry):
    wf = map_over("test.add", {"mapped": ["a", "b"]}, {"a": [1, 2, 3], "b": [10, 20, 30]})
    assert run(wf, registry).outputs["map"] == {"result": [11, 22, 33]}


def test_zip_of_unequal_lengths_is_an_error_before_any_element_runs(registry):
    wf = map_over("test.add", {"mapped": ["a", "b"]}, {"a": [1, 2, 3], "b": [10, 20]})
    result = run(wf, registry)
    assert result.status == "failed"
    assert "equal length" in result.failures[0].message and "'a': 3" in result.failures[0].message
    assert CALLS.get("test.add", 0) == 0


def test_product_of_two_mapped_inputs_first_list_slowest(registry):
    wf = map_over("test.add", {"mapped": ["a", "b"], "combine": "product"}, {"a": [1, 2], "b": [10, 20, 30]})
    assert run(wf, registry).outputs["map"] == {"result": [11, 21, 31, 12, 22, 32]}


def test_broadcast_input_connected_and_left_to_the_function(registry):
    wf = map_over("test.square_offset", {"mapped": ["x"]}, {"x": [1, 2]})
    wf.add_node("test.number", {"value": 100}, id="offset")
    wf.connect("offset", "value", "map", "offset")
    assert run(wf, registry).outputs["map"]["y"] == [101, 104]
    wf2 = map_over("test.square_offset", {"mapped": ["x"]}, {"x": [1, 2]}, function_inputs={"offset": 5})
    assert run(wf2, registry).outputs["map"]["y"] == [6, 9]


def test_unconnected_mapped_input_takes_the_maps_own_value(registry):
    body = Workflow()
    body.add_node("test.square_offset", id="fn")
    wf = Workflow()
    wf.add_node("core.map", {"mapped": ["x"]}, id="map", body=body, inputs={"x": [4, 5]})
    assert run(wf, registry).outputs["map"]["y"] == [16, 25]


def test_non_list_mapped_input_names_the_port(registry):
    wf = Workflow()
    body = Workflow()
    body.add_node("test.square_offset", id="fn")
    wf.add_node("core.map", {"mapped": ["x"]}, id="map", body=body)
    wf.add_node("test.volatile", {"value": 7}, id="l")  # an 'any' output: checked at run time
    wf.connect("l", "value", "map", "x")
    result = run(wf, registry)
    assert "input 'x' must be a list, got int" in result.failures[0].message


@pytest.mark.parametrize(("on_error", "expected"), [("skip", [1, 4]), ("none", [1, None, 4])])
def test_failing_elements_keep_the_others(registry, on_error, expected):
    wf = map_over("test.square_offset", {"mapped": ["x"], "on_error": on_error}, {"x": [1, 13, 2]})
    result = run(wf, registry)
    assert result.status == "ok"
    assert result.outputs["map"]["y"] == expected


def test_on_error_fail_reports_k_of_n_with_index_input_and_traceback_after_all_ran(registry):
    wf = map_over("test.square_offset", {"mapped": ["x"]}, {"x": [13, 1, 13, 2]})
    result = run(wf, registry)
    assert result.status == "failed"
    [failure] = result.failures
    assert failure.path == ("map",)
    assert failure.message.startswith("MapItemsFailed: 2 of 4 elements failed; first: element 0")
    assert "13 is unlucky" in failure.message
    assert [d["index"] for d in failure.details] == [0, 2]
    assert failure.details[0]["input"] == {"x": 13}
    assert "NodeError: 13 is unlucky" in failure.details[0]["traceback"]
    assert CALLS["test.square_offset"] == 4  # every element ran


def test_vistrails_mode_single_port(registry):
    wf = map_over("test.square_offset", {"mode": "vistrails", "input_ports": ["x"], "output_port": "y"},
                  {"input_list": [1, 2, 3]})
    assert run(wf, registry).outputs["map"] == {"result": [1, 4, 9]}


def test_vistrails_mode_tuples_feed_ports_by_position(registry):
    wf = map_over("test.square_offset", {"mode": "vistrails", "input_ports": ["x", "offset"], "output_port": "y"},
                  {"input_list": [[1, 10], [2, 20]]})
    assert run(wf, registry).outputs["map"] == {"result": [11, 24]}


def test_vistrails_mode_tuple_length_mismatch_is_an_error_before_any_element(registry):
    wf = map_over("test.square_offset", {"mode": "vistrails", "input_ports": ["x", "offset"]},
                  {"input_list": [[1, 10], [2]]})
    result = run(wf, registry)
    assert "element 1 of input_list must be a tuple of 2 values" in result.failures[0].message
    assert CALLS.get("test.square_offset", 0) == 0


def test_map_over_a_group_body(registry):
    wf = map_over("core.group", {"mapped": ["x"]}, {"x": [1, 2, 3]}, function_body=square_plus_half())
    assert run(wf, registry).outputs["map"] == {"out": [1.5, 4.5, 9.5]}


def test_nested_map_in_a_map_body(registry):
    inner_body = Workflow()
    inner_body.add_node("test.add", id="add")
    outer_body = Workflow()
    outer_body.add_node("core.map", {"mapped": ["a"]}, id="inner", body=inner_body)
    wf = Workflow()
    wf.add_node("core.map", {"mapped": ["a"]}, id="outer", body=outer_body)
    wf.add_node("test.items", {"value": [[1, 2], [3], []]}, id="lists")
    wf.connect("lists", "value", "outer", "a")
    wf.add_node("test.number", {"value": 100}, id="b")
    wf.connect("b", "value", "outer", "b")
    assert run(wf, registry).outputs["outer"] == {"result": [[101, 102], [103], []]}


def test_map_reports_progress_as_elements_finish(registry):
    """Slow elements one by one; quick ones in growing blocks (at least every 0.1 s), up to the total."""
    events: list[ev.Event] = []
    run(map_over("test.slow", {"mapped": ["a"]}, {"a": [1, 2, 3]}), registry, listeners=[events.append])
    assert [(e.done, e.total) for e in events if e.kind == ev.PROGRESS and e.path == ("map",)] == [
        (0, 3), (1, 3), (2, 3), (3, 3)]
    events.clear()
    run(map_over("test.square_offset", {"mapped": ["x"]}, {"x": list(range(1000))}), registry,
        listeners=[events.append])
    done = [e.done for e in events if e.kind == ev.PROGRESS and e.path == ("map",)]
    assert done[0] == 0 and done[-1] == 1000 and done == sorted(done) and 2 < len(done) < 20


def test_cancel_during_a_map_stops_between_elements(registry):
    token = CancelToken()

    def cancel_at_two(event: ev.Event) -> None:
        if event.kind == ev.PROGRESS and event.path == ("map",) and event.done == 2:
            token.cancel()

    wf = map_over("test.slow", {"mapped": ["a"]}, {"a": list(range(20))})
    result = run(wf, registry, listeners=[cancel_at_two], cancel=token)
    assert result.status == "cancelled" and result.states["map"] == "cancelled"
    assert CALLS["test.slow"] == 2


def test_filter_keeps_elements_whose_function_is_true(registry):
    wf = map_over("test.is_even", {"mapped": ["x"]}, {"x": [1, 2, 3, 4, 6]}, kind="core.filter")
    assert run(wf, registry).outputs["map"] == {"result": [2, 4, 6]}


def test_filter_with_non_bool_output_is_an_error(registry):
    body = Workflow()
    body.add_node("test.is_even", {"broken": True}, id="fn")
    wf = Workflow()
    wf.add_node("core.filter", {"mapped": ["x"]}, id="map", body=body, inputs={"x": [1, 2]})
    result = run(wf, registry)
    assert "must be a bool" in result.failures[0].message and "element 0" in result.failures[0].message


def test_map_with_a_two_node_body_is_invalid(registry):
    body = Workflow()
    body.add_node("test.add", id="x")
    body.add_node("test.add", id="y")
    wf = Workflow()
    wf.add_node("core.map", {"mapped": ["a"]}, id="map", body=body)
    with pytest.raises(InvalidWorkflow, match="exactly one node"):
        run(wf, registry)


def test_cached_map_is_not_rerun(registry):
    wf = map_over("test.square_offset", {"mapped": ["x"]}, {"x": [1, 2]})
    executor = Executor(registry)
    executor.run(wf)
    result = executor.run(wf)
    assert result.states["map"] == "cached" and CALLS["test.square_offset"] == 2
