"""Arithmetic nodes: results, defaults, comparison, rounding, and errors that name the problem."""

from __future__ import annotations

import math

import pytest

from pflow_studio.nodes.api import NodeError
from pflow_studio.nodes.library import arithmetic as ar


@pytest.mark.parametrize(
    ("node_type", "a", "b", "expected"),
    [
        (ar.Add, 2, 3.5, 5.5),
        (ar.Subtract, 2, 3.5, -1.5),
        (ar.Multiply, 4, 2.5, 10.0),
        (ar.Divide, 1, 4, 0.25),
        (ar.Divide, 7, 7, 1.0),
        (ar.Power, 2, 10, 1024),
        (ar.Power, 2, -1, 0.5),
        (ar.Power, 9.0, 0.5, 3.0),
        (ar.Modulo, 7, 3, 1),
        (ar.Modulo, -7, 3, 2),
        (ar.Modulo, 7.5, 2, 1.5),
        (ar.Minimum, 3, -1.5, -1.5),
        (ar.Maximum, 3, -1.5, 3),
    ],
)
def test_binary_results(node_type, a, b, expected):
    assert node_type().compute(a=a, b=b) == {"result": expected}


@pytest.mark.parametrize(
    ("node_type", "b_default"),
    [(ar.Add, 0.0), (ar.Subtract, 0.0), (ar.Multiply, 1.0), (ar.Divide, 1.0), (ar.Power, 1.0)],
)
def test_binary_ports_and_identity_defaults(node_type, b_default):
    node = node_type()
    a, b = node.input_ports()
    assert (a.name, a.type, a.required) == ("a", "float", True)
    assert (b.name, b.type, b.default) == ("b", "float", b_default)
    assert [(p.name, p.type) for p in node.output_ports()] == [("result", "float")]
    assert node.compute(a=5.0, b=b.default) == {"result": 5.0}
    assert node.category == "Math"


def test_modulo_compare_min_max_require_b():
    for node_type in (ar.Modulo, ar.Compare, ar.Minimum, ar.Maximum):
        assert node_type().input_port("b").required


@pytest.mark.parametrize("node_type", [ar.Divide, ar.Modulo])
def test_division_by_zero_names_the_problem(node_type):
    with pytest.raises(NodeError, match=r"division by zero \(input 'b' is 0\)") as info:
        node_type().compute(a=1.0, b=0)
    assert str(info.value).startswith("1.0 ")


def test_power_without_a_real_result():
    with pytest.raises(NodeError, match=r"^\(-8\.0\) \*\* 0\.5 has no real result$"):
        ar.Power().compute(a=-8.0, b=0.5)


def test_power_overflow_and_zero_to_a_negative_power():
    with pytest.raises(NodeError, match="too large"):
        ar.Power().compute(a=10.0, b=1000.0)
    with pytest.raises(NodeError, match=r"^0\.0 \*\* \(-1\): division by zero$"):
        ar.Power().compute(a=0.0, b=-1)


def test_non_numbers_are_reported_with_their_types():
    expected = r"cannot compute 'x' \+ 1: inputs 'a' and 'b' must be numbers, got str and int"
    with pytest.raises(NodeError, match=expected):
        ar.Add().compute(a="x", b=1)
    with pytest.raises(NodeError, match=r"cannot compute min\('x', 1\)"):
        ar.Minimum().compute(a="x", b=1)


@pytest.mark.parametrize(
    ("op", "a", "b", "expected"),
    [
        ("<", 1, 2, True), ("<", 2, 2, False),
        ("<=", 2, 2, True), ("<=", 3, 2, False),
        ("==", 2, 2.0, True), ("==", 1, 2, False),
        ("!=", 1, 2, True), ("!=", 2, 2, False),
        (">=", 2, 2, True), (">=", 1, 2, False),
        (">", 3, 2, True), (">", 2, 2, False),
    ],
)
def test_compare(op, a, b, expected):
    node = ar.Compare({"op": op})
    result = node.compute(a=a, b=b)["result"]
    assert result is expected
    assert node.output_port("result").type == "bool"
    assert node.check() == []


def test_compare_default_op_and_bad_op():
    assert ar.Compare().values["op"] == "<"
    node = ar.Compare({"op": "=<"})
    [problem] = node.check()
    assert "property 'op' must be one of" in problem and "'=<'" in problem
    with pytest.raises(NodeError, match="property 'op' must be one of"):
        node.compute(a=1, b=2)


def test_compare_incomparable_values():
    with pytest.raises(NodeError, match=r"cannot compute 'x' < 1"):
        ar.Compare({"op": "<"}).compute(a="x", b=1)


@pytest.mark.parametrize(
    ("node_type", "value", "expected"),
    [(ar.Negate, 2.5, -2.5), (ar.Negate, -3, 3), (ar.Negate, 0.0, 0.0), (ar.Absolute, -2.5, 2.5), (ar.Absolute, 4, 4)],
)
def test_unary(node_type, value, expected):
    node = node_type()
    assert [p.name for p in node.input_ports()] == ["value"]
    assert node.compute(value=value) == {"result": expected}


def test_unary_rejects_non_numbers():
    with pytest.raises(NodeError, match=r"cannot negate 'a': input 'value' must be a number, got str"):
        ar.Negate().compute(value="a")


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [(2.567, 2, 2.57), (2.4, 0, 2.0), (2.5, 0, 2.0), (3.5, 0, 4.0), (1234.5, -2, 1200.0), (-1.25, 1, -1.2)],
)
def test_round(value, digits, expected):
    result = ar.Round().compute(value=value, digits=digits)["result"]
    assert math.isclose(result, expected)


def test_round_default_digits_and_errors():
    assert ar.Round().input_port("digits").default == 0
    with pytest.raises(NodeError, match=r"input 'digits' must be a whole number, not 1\.5"):
        ar.Round().compute(value=1.0, digits=1.5)
    with pytest.raises(NodeError, match="cannot round 'x'"):
        ar.Round().compute(value="x", digits=0)
