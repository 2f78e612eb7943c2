"""Control Flow nodes on their own: declarations, Fold and its operations table, Sum/And/Or, lazy
If/Default/ExecuteInOrder (compute and inputs_needed), list products. Runs through the executor are in
test_control_flow_runs.py."""

from __future__ import annotations

import pickle
import re

import cloudpickle
import pytest

from pflow_studio.nodes.api import NodeError
from pflow_studio.nodes.library import control_flow
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

CF_TYPES = [Fold, Sum, And, Or, If, Default, ExecuteInOrder, ElementwiseProduct, Dot, Cross, CartesianProduct]


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
