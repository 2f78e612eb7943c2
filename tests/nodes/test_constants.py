"""Constant nodes: values out, copies of mutable values, configuration checks."""

from __future__ import annotations

import pytest

from pflow_studio.nodes.library.constants import Boolean, Float, Integer, Json, List, String


@pytest.mark.parametrize(
    ("node_type", "value", "port_type"),
    [
        (Integer, 7, "int"),
        (Float, 2.5, "float"),
        (String, "héllo", "str"),
        (Boolean, True, "bool"),
        (List, [1, "a", None], "list"),
        (Json, {"a": [1, 2.5, None, True]}, "any"),
    ],
)
def test_constant_outputs_its_value(node_type, value, port_type):
    node = node_type({"value": value})
    assert node.input_ports() == []
    assert [(p.name, p.type) for p in node.output_ports()] == [("value", port_type)]
    assert node.compute() == {"value": value}
    assert node.check() == []


@pytest.mark.parametrize(
    ("node_type", "default"),
    [(Integer, 0), (Float, 0.0), (String, ""), (Boolean, False), (List, []), (Json, None)],
)
def test_defaults(node_type, default):
    assert node_type().compute() == {"value": default}


@pytest.mark.parametrize("node_type", [List, Json])
def test_mutable_values_are_copied_on_every_run(node_type):
    node = node_type({"value": [[1], [2]]})
    first = node.compute()["value"]
    first[0].append("changed")
    assert node.compute()["value"] == [[1], [2]]
    assert node.values["value"] == [[1], [2]]


def test_instances_do_not_share_the_default_list():
    a, b = List(), List()
    a.values["value"].append(1)
    assert b.values["value"] == []


@pytest.mark.parametrize(
    ("node_type", "value"),
    [(Integer, 1.5), (Integer, True), (Float, "1"), (String, 3), (Boolean, 1), (List, {"a": 1})],
)
def test_check_reports_a_value_of_the_wrong_type(node_type, value):
    [problem] = node_type({"value": value}).check()
    assert "property 'value' must be" in problem and node_type.outputs[0].type in problem


def test_float_accepts_an_int():
    assert Float({"value": 3}).check() == []


def test_json_rejects_values_json_cannot_hold():
    assert Json({"value": [1, "x", {"k": None}]}).check() == []
    [problem] = Json({"value": {1, 2}}).check()
    assert "not plain JSON" in problem
    assert "not plain JSON" in Json({"value": float("nan")}).check()[0]
