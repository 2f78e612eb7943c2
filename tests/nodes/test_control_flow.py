"""Control Flow nodes: Fold and its operations table, Sum/And/Or, lazy If/Default/ExecuteInOrder,
list products; and runs through the executor (laziness, order, Map feeding Sum)."""

from __future__ import annotations

import pickle
import re
from typing import Any

import cloudpickle
import pytest

from pflow_studio.nodes.api import In, NodeError, NodeType, Out
from pflow_studio.nodes.library import constants, control_flow, control_flow_lists
from pflow_studio.nodes.library.control_flow import (
    FOLD_CHOICES,
    OPERATIONS,
    And,
    Default,
    ExecuteInOrder,
    Fold,
    If,
    Or,
    Sum,
)
from pflow_studio.nodes.library.control_flow_lists import CartesianProduct, Cross, Dot, ElementwiseProduct
from pflow_studio.runtime import events as ev
from pflow_studio.runtime.executor import Executor, InvalidWorkflow
from pflow_studio.runtime.model import Workflow
from tests.support.nodes import CALLS, make_registry

CF_TYPES = [Fold, Sum, And, Or, If, Default, ExecuteInOrder, ElementwiseProduct, Dot, Cross, CartesianProduct]


class Pair(NodeType):
    """Test only: a non-lazy node with two optional inputs (a control for ExecuteInOrder)."""

    type_name = "test.pair"
    inputs = [In("first", "any", optional=True), In("second", "any", optional=True)]
    outputs = [Out("result", "any")]

    def compute(self, first: Any, second: Any) -> dict[str, Any]:
        return {"result": [first, second]}


@pytest.fixture
def registry():
    registry = make_registry()
    for module in (constants, control_flow, control_flow_lists):
        registry.register_module(module)
    registry.register(Pair)
    return registry


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()
    yield


def run(wf: Workflow, registry, **kwargs):
    return Executor(registry, cache=False).run(wf, **kwargs)


def fold(operation: str, items, initial=None, expression: str = "acc + x"):
    return Fold({"operation": operation, "expression": expression}).compute(input_list=items, initial=initial)


# -- declarations ------------------------------------------------------------------------------


@pytest.mark.parametrize("node_type", CF_TYPES, ids=lambda t: t.type_name)
def test_every_node_has_label_docstring_category_and_snake_case_ports(node_type):
    assert node_type.type_name.startswith("cf.") and node_type.label
    assert node_type.category == "Control Flow"
    assert "__doc__" in vars(node_type) and "\n" not in node_type.__doc__.strip()
    node = node_type()
    for port in [*node.input_ports(), *node.output_ports()]:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", port.name), port.name
    assert node.output_port("result") is not None


def test_all_types_register_from_the_two_modules(registry):
    assert {t.type_name for t in CF_TYPES} <= set(registry.names())


def test_control_flow_module_is_in_the_default_registry():
    from pflow_studio.runtime.registry import default_registry

    names = set(default_registry().names())
    assert {t.type_name for t in CF_TYPES if t.__module__ == control_flow.__name__} <= names
    assert {"core.map", "core.filter"} <= names


def test_fold_choices_are_the_shared_table_plus_expression():
    assert FOLD_CHOICES == (*OPERATIONS, "expression")
    assert {Sum.operation, And.operation, Or.operation} <= set(OPERATIONS)
    assert Fold().input_port("initial").optional and Fold().input_port("input_list").required


# -- Fold --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "items", "expected"),
    [
        ("add", [1, 2, 3], 6),
        ("multiply", [2, 3, 4], 24),
        ("min", [3, 1, 2], 1),
        ("max", [3, 1, 2], 3),
        ("and", [True, True], True),
        ("and", [True, False, True], False),
        ("or", [False, False], False),
        ("or", [False, True], True),
        ("concat", [[1], [2, 3], []], [1, 2, 3]),
        ("concat", ["ab", "c"], "abc"),
        ("add", (1.5, 2), 3.5),
    ],
)
def test_fold_operations(operation, items, expected):
    assert fold(operation, items) == {"result": expected}


def test_fold_expression_of_acc_and_x():
    assert fold("expression", [1, 2, 3], expression="acc * 10 + x") == {"result": 123}
    assert fold("expression", [1, 2, 3], initial=100, expression="acc - x") == {"result": 94}
    assert fold("expression", ["b", "c"], initial="a", expression="x + acc") == {"result": "cba"}


def test_fold_from_an_initial_value():
    assert fold("add", [1, 2, 3], initial=10) == {"result": 16}
    assert fold("multiply", [2, 3], initial=0.5) == {"result": 3.0}
    assert fold("min", [3, 5], initial=4) == {"result": 3}
    assert fold("concat", ["b"], initial="a") == {"result": "ab"}


@pytest.mark.parametrize(
    ("operation", "initial", "expected"),
    [("add", None, 0), ("multiply", None, 1), ("and", None, True), ("or", None, False),
     ("add", 7, 7), ("min", 4, 4), ("max", -1, -1), ("concat", "", ""), ("expression", [], [])],
)
def test_fold_of_an_empty_list_gives_the_initial_value(operation, initial, expected):
    assert fold(operation, [], initial=initial) == {"result": expected}


@pytest.mark.parametrize("operation", ["min", "max", "concat", "expression"])
def test_fold_of_an_empty_list_without_identity_or_initial_is_an_error(operation):
    with pytest.raises(NodeError, match="of an empty list needs an initial value"):
        fold(operation, [])


def test_fold_failure_names_the_element_index():
    with pytest.raises(NodeError, match=r"^add failed at element 2 \('x'\): TypeError: "):
        fold("add", [1, 2, "x"])
    with pytest.raises(NodeError, match=r"^expression 'acc / x' failed at element 1 \(0\): ZeroDivisionError"):
        fold("expression", [1, 0], expression="acc / x")
    with pytest.raises(NodeError, match="input 'input_list' must be a list, not int 5"):
        fold("add", 5)


def test_fold_and_or_take_only_bools_the_initial_included():
    with pytest.raises(NodeError, match=r"^element 1 of input_list must be True or False, not int 1$"):
        fold("and", [True, 1])
    with pytest.raises(NodeError, match=r"^input 'initial' must be True or False, not str 'yes'$"):
        fold("or", [False], initial="yes")


def test_fold_check_reports_expression_syntax_errors_only_for_operation_expression():
    assert Fold({"operation": "expression", "expression": "acc +"}).check() == [
        "syntax error in expression at line 1: invalid syntax"]
    assert Fold({"operation": "expression", "expression": "  "}).check() == ["property 'expression' is empty"]
    assert Fold({"operation": "add", "expression": "acc +"}).check() == []
    assert Fold({"operation": "expression", "expression": "acc * x"}).check() == []
    [problem] = Fold({"operation": "mean"}).check()
    assert "property 'operation' must be one of" in problem and "'mean'" in problem
    with pytest.raises(NodeError, match="property 'operation' must be one of"):
        fold("mean", [1])


@pytest.mark.parametrize("dumps", [pickle.dumps, cloudpickle.dumps], ids=["pickle", "cloudpickle"])
def test_fold_with_an_expression_pickles_after_running(dumps):
    node = Fold({"operation": "expression", "expression": "acc * x"})
    assert node.compute(input_list=[2, 3], initial=None) == {"result": 6}
    copy = pickle.loads(dumps(node))
    assert copy.compute(input_list=[2, 3, 4], initial=None) == {"result": 24}


# -- Sum, And, Or ------------------------------------------------------------------------------


def test_sum():
    assert Sum().compute(input_list=[1, 2, 3.5]) == {"result": 6.5}
    assert Sum().compute(input_list=[]) == {"result": 0}
    with pytest.raises(NodeError, match=r"^add failed at element 0 \('a'\)"):
        Sum().compute(input_list=["a"])  # 0 + 'a': Sum really starts from 0
    with pytest.raises(NodeError, match="input 'input_list' must be a list, not str"):
        Sum().compute(input_list="123")


def test_and_or_of_empty_lists():
    assert And().compute(input_list=[]) == {"result": True}
    assert Or().compute(input_list=[]) == {"result": False}
    assert And().compute(input_list=[True, True]) == {"result": True}
    assert Or().compute(input_list=[False, True, False]) == {"result": True}


@pytest.mark.parametrize("node_type", [And, Or])
def test_and_or_reject_a_non_bool_element_by_index_even_after_the_answer_is_known(node_type):
    with pytest.raises(NodeError, match=r"^element 2 of input_list must be True or False, not NoneType None$"):
        node_type().compute(input_list=[False, True, None])
    with pytest.raises(NodeError, match=r"^element 0 of input_list must be True or False, not int 1$"):
        node_type().compute(input_list=[1])


# -- If, Default, ExecuteInOrder (compute and laziness) -----------------------------------------


def test_if_compute_and_inputs_needed():
    node = If()
    assert node.compute(condition=True, true_value="t", false_value="f") == {"result": "t"}
    assert node.compute(condition=False, true_value="t", false_value=None) == {"result": None}
    assert node.inputs_needed({}) == ["condition"]
    assert node.inputs_needed({"condition": True}) == ["condition", "true_value"]
    assert node.inputs_needed({"condition": False}) == ["condition", "false_value"]
    assert node.inputs_needed({"condition": "yes"}) == ["condition"]
    with pytest.raises(NodeError, match=r"^input 'condition' must be True or False, not str 'yes'$"):
        node.compute(condition="yes", true_value=1, false_value=2)


def test_default_compute_and_inputs_needed():
    node = Default()
    assert node.compute(input=0, default=5) == {"result": 0}  # a falsy value is still a value
    assert node.compute(input=None, default=5) == {"result": 5}
    assert node.inputs_needed({"default": 5}) == ["input"]
    assert node.inputs_needed({"input": [], "default": 5}) == ["input"]
    assert node.inputs_needed({"input": None}) == ["input", "default"]


def test_execute_in_order_compute_and_inputs_needed():
    node = ExecuteInOrder()
    assert node.compute(first="a", second="b") == {"result": "b", "first": "a"}
    assert node.inputs_needed({}) == ["first"]
    assert node.inputs_needed({"second": 2}) == ["first"]
    assert node.inputs_needed({"first": None}) == ["first", "second"]


# -- list products -----------------------------------------------------------------------------


def test_elementwise_product():
    node = ElementwiseProduct()
    assert node.input_port("numerical_product").default is True
    assert node.compute(list1=[1, 2, 3], list2=[4, 5, 6], numerical_product=True) == {"result": [4, 10, 18]}
    assert node.compute(list1=[1, 2], list2=["a", "b"], numerical_product=False) == {"result": [(1, "a"), (2, "b")]}
    assert node.compute(list1=[], list2=[], numerical_product=True) == {"result": []}


def test_elementwise_product_errors():
    node = ElementwiseProduct()
    with pytest.raises(NodeError, match=r"^list1 and list2 must have equal lengths: list1 has 3, list2 has 2$"):
        node.compute(list1=[1, 2, 3], list2=[1, 2], numerical_product=True)
    with pytest.raises(NodeError, match="equal lengths: list1 has 1, list2 has 0"):
        node.compute(list1=[1], list2=[], numerical_product=False)
    with pytest.raises(NodeError, match=r"^input 'numerical_product' must be True or False, not int 1$"):
        node.compute(list1=[1], list2=[1], numerical_product=1)
    with pytest.raises(NodeError, match=r"^element 1: cannot multiply 'a' by 'b'"):
        node.compute(list1=[1, "a"], list2=[2, "b"], numerical_product=True)
    with pytest.raises(NodeError, match="input 'list2' must be a list, not dict"):
        node.compute(list1=[1], list2={"a": 1}, numerical_product=True)


def test_dot():
    assert Dot().compute(list1=[1, 2, 3], list2=[4, 5, 6]) == {"result": 32}
    assert Dot().compute(list1=(0.5,), list2=[4]) == {"result": 2.0}
    assert Dot().compute(list1=[], list2=[]) == {"result": 0}
    with pytest.raises(NodeError, match=r"^list1 and list2 must have equal lengths: list1 has 2, list2 has 3$"):
        Dot().compute(list1=[1, 2], list2=[1, 2, 3])


def test_cross():
    assert Cross().compute(list1=[1, 0, 0], list2=[0, 1, 0]) == {"result": [0, 0, 1]}
    assert Cross().compute(list1=[1, 2, 3], list2=[4, 5, 6]) == {"result": [-3, 6, -3]}
    with pytest.raises(NodeError, match=r"^input 'list2' must have 3 elements for a cross product, not 2$"):
        Cross().compute(list1=[1, 2, 3], list2=[1, 2])
    with pytest.raises(NodeError, match=r"^input 'list1' must have 3 elements for a cross product, not 0$"):
        Cross().compute(list1=[], list2=[1, 2, 3])
    with pytest.raises(NodeError, match=r"cross product of .*TypeError"):
        Cross().compute(list1=[1, 2, None], list2=[1, 2, 3])


def test_cartesian_product_combines_tuples_and_lists():
    node = CartesianProduct()
    assert node.input_port("combine_tuple").default is True
    assert node.compute(list1=[(1, 2)], list2=[3, 4], combine_tuple=True) == {"result": [(1, 2, 3), (1, 2, 4)]}
    assert node.compute(list1=[[1, 2]], list2=[[3], 4], combine_tuple=True) == {"result": [(1, 2, 3), (1, 2, 4)]}
    assert node.compute(list1=[1, 2], list2=["a", "b"], combine_tuple=True) == {
        "result": [(1, "a"), (1, "b"), (2, "a"), (2, "b")]}  # list1 slowest


def test_cartesian_product_without_combining_keeps_pairs():
    node = CartesianProduct()
    assert node.compute(list1=[(1, 2)], list2=[3, 4], combine_tuple=False) == {"result": [((1, 2), 3), ((1, 2), 4)]}
    assert node.compute(list1=[], list2=[1, 2], combine_tuple=False) == {"result": []}
    with pytest.raises(NodeError, match=r"^input 'combine_tuple' must be True or False, not str 'no'$"):
        node.compute(list1=[1], list2=[2], combine_tuple="no")


# -- through the executor ----------------------------------------------------------------------


def if_graph(condition: bool) -> Workflow:
    """cond -> If; true branch: a counting number; false branch: a number feeding a failing node."""
    wf = Workflow()
    wf.add_node("const.bool", {"value": condition}, id="cond")
    wf.add_node("test.number", {"value": 1}, id="yes")
    wf.add_node("test.number", {"value": 2}, id="no_source")
    wf.add_node("test.fail", id="no")
    wf.add_node("cf.if", id="if")
    wf.connect("no_source", "value", "no", "a")
    wf.connect("cond", "value", "if", "condition")
    wf.connect("yes", "value", "if", "true_value")
    wf.connect("no", "result", "if", "false_value")
    return wf


def test_if_runs_only_the_chosen_branch(registry):
    events: list[ev.Event] = []
    result = run(if_graph(True), registry, listeners=[events.append])
    assert result.status == "ok", result.failures
    assert result.outputs["if"] == {"result": 1}
    assert result.states["no"] == result.states["no_source"] == "skipped"
    assert CALLS == {"test.number": 1}  # only "yes" ran
    assert {e.node_id for e in events if e.kind == ev.STARTED} == {"cond", "yes", "if"}


def test_if_false_runs_the_false_branch_and_its_failure_skips_if(registry):
    result = run(if_graph(False), registry)
    assert result.states["yes"] == "skipped" and result.states["no"] == "failed"
    assert result.states["if"] == "skipped" and result.status == "failed"
    assert CALLS == {"test.number": 1}  # only "no_source" ran


def test_if_with_unconnected_branch_values(registry):
    wf = Workflow()
    wf.add_node("cf.if", id="if", inputs={"condition": False, "true_value": "t", "false_value": "f"})
    assert run(wf, registry).outputs["if"] == {"result": "f"}


def test_default_computes_default_only_when_input_is_none(registry):
    wf = Workflow()
    wf.add_node("test.volatile", {"value": 3}, id="input")
    wf.add_node("test.number", {"value": 9}, id="fallback")
    wf.add_node("cf.default", id="d")
    wf.connect("input", "value", "d", "input")
    wf.connect("fallback", "value", "d", "default")
    result = run(wf, registry)
    assert result.outputs["d"] == {"result": 3} and result.states["fallback"] == "skipped"
    assert "test.number" not in CALLS
    wf.nodes["input"].properties["value"] = None
    result = run(wf, registry)
    assert result.outputs["d"] == {"result": 9} and CALLS["test.number"] == 1


def test_default_with_input_left_unconnected(registry):
    wf = Workflow()
    wf.add_node("cf.default", id="d", inputs={"default": "x"})
    assert run(wf, registry).outputs["d"] == {"result": "x"}


def order_graph(type_name: str) -> Workflow:
    """second's chain (b1 -> b2) is added and wired before first's chain (a1 -> a2)."""
    wf = Workflow()
    wf.add_node("test.number", {"value": "b"}, id="b1")
    wf.add_node("test.slow", {"seconds": 0}, id="b2")
    wf.add_node("test.number", {"value": "a"}, id="a1")
    wf.add_node("test.slow", {"seconds": 0}, id="a2")
    wf.add_node(type_name, id="order")
    wf.connect("b1", "value", "b2", "a")
    wf.connect("b2", "result", "order", "second")
    wf.connect("a1", "value", "a2", "a")
    wf.connect("a2", "result", "order", "first")
    return wf


def test_execute_in_order_runs_everything_first_needs_before_second(registry):
    events: list[ev.Event] = []
    result = run(order_graph("cf.execute_in_order"), registry, listeners=[events.append])
    assert result.outputs["order"] == {"result": "b", "first": "a"}
    started = [e.node_id for e in events if e.kind == ev.STARTED]
    assert started == ["a1", "a2", "b1", "b2", "order"]
    # The control: a node that is not lazy runs the same graph in wiring order, second first.
    control: list[ev.Event] = []
    run(order_graph("test.pair"), registry, listeners=[control.append])
    assert [e.node_id for e in control if e.kind == ev.STARTED] == ["b1", "b2", "a1", "a2", "order"]


def test_execute_in_order_never_runs_second_when_first_fails(registry):
    wf = Workflow()
    wf.add_node("test.fail", id="first")
    wf.add_node("test.number", id="second")
    wf.add_node("cf.execute_in_order", id="order")
    wf.connect("first", "result", "order", "first")
    wf.connect("second", "value", "order", "second")
    result = run(wf, registry)
    assert result.states == {"first": "failed", "second": "skipped", "order": "skipped"}
    assert CALLS == {}


def test_map_feeding_sum(registry):
    """Map (core.map) over a list, then Sum of the mapped outputs."""
    body = Workflow()
    body.add_node("test.square_offset", id="fn", inputs={"offset": 1})
    wf = Workflow()
    wf.add_node("const.list", {"value": [1, 2, 3]}, id="xs")
    wf.add_node("core.map", {"mapped": ["x"]}, id="map", body=body)
    wf.add_node("cf.sum", id="sum")
    wf.connect("xs", "value", "map", "x")
    wf.connect("map", "y", "sum", "input_list")
    result = run(wf, registry)
    assert result.status == "ok", result.failures
    assert result.outputs["map"]["y"] == [2, 5, 10]
    assert result.outputs["sum"] == {"result": 17}


def test_cartesian_product_feeds_a_vistrails_map_then_sum(registry):
    """The VisTrails idiom: CartesianProduct -> Map(InputPort=[a, b]) -> Sum."""
    body = Workflow()
    body.add_node("test.add", id="fn")
    wf = Workflow()
    wf.add_node("const.list", {"value": [1, 2]}, id="l1")
    wf.add_node("const.list", {"value": [10, 20]}, id="l2")
    wf.add_node("cf.cartesian_product", id="pairs")
    wf.add_node("core.map", {"mode": "vistrails", "input_ports": ["a", "b"], "output_port": "result"},
                id="map", body=body)
    wf.add_node("cf.sum", id="sum")
    wf.connect("l1", "value", "pairs", "list1")
    wf.connect("l2", "value", "pairs", "list2")
    wf.connect("pairs", "result", "map", "input_list")
    wf.connect("map", "result", "sum", "input_list")
    result = run(wf, registry)
    assert result.status == "ok", result.failures
    assert result.outputs["map"] == {"result": [11, 21, 12, 22]}
    assert result.outputs["sum"] == {"result": 66}


def test_map_feeding_and_then_if(registry):
    body = Workflow()
    body.add_node("test.is_even", id="fn")
    wf = Workflow()
    wf.add_node("const.list", {"value": [2, 4, 5]}, id="xs")
    wf.add_node("core.map", {"mapped": ["x"]}, id="map", body=body)
    wf.add_node("cf.and", id="all_even")
    wf.add_node("cf.if", id="if", inputs={"true_value": "all even", "false_value": "not all even"})
    wf.connect("xs", "value", "map", "x")
    wf.connect("map", "result", "all_even", "input_list")
    wf.connect("all_even", "result", "if", "condition")
    result = run(wf, registry)
    assert result.outputs["all_even"] == {"result": False}
    assert result.outputs["if"] == {"result": "not all even"}


def test_fold_expression_syntax_error_is_refused_before_running(registry):
    wf = Workflow()
    wf.add_node("cf.fold", {"operation": "expression", "expression": "acc +"}, id="f", label="Total",
                inputs={"input_list": [1]})
    with pytest.raises(InvalidWorkflow, match=r"node 'Total' \(f\): syntax error in expression at line 1"):
        run(wf, registry)


def test_fold_failure_through_the_executor_names_the_element(registry):
    wf = Workflow()
    wf.add_node("cf.fold", {"operation": "max"}, id="f", inputs={"input_list": [1, "two", 3]})
    [failure] = run(wf, registry).failures
    assert failure.path == ("f",) and "max failed at element 1 ('two')" in failure.message
