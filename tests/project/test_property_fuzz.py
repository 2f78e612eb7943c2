"""Random property values on every registered node type (containers included): loading and validating the
project, then listing ports and keys as the canvas and the run do (and compiling a valid Map's body, as a run
does before any element runs), gives a ProjectFileError or problems, never another exception; and a value that
does not fit its declaration is never accepted."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pflow_studio.nodes.properties import fits
from pflow_studio.project.file_format import ProjectFileError, loads
from pflow_studio.runtime.compiled_body import CompiledBody
from pflow_studio.runtime.container_types import GROUP_TYPE
from pflow_studio.runtime.containers import is_function_container
from pflow_studio.runtime.graph import instantiate
from pflow_studio.runtime.keys import body_signature, is_cacheable, node_key
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.validation import validate

pytestmark = pytest.mark.fault

REGISTRY = default_registry()
TYPES = {node_type.type_name: node_type for node_type in REGISTRY}
PROPERTIES = [(name, prop) for name, node_type in TYPES.items() for prop in node_type.properties]
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

words = st.sampled_from(["a", "b", "x", "result", "", "zip", "product", "ports", "vistrails", "fail", "skip",
                         "none", "add", "expression", "<", "x:int", "{a}", "acc + x", "1 +", "n:nope"])
scalars = (st.none() | st.booleans() | st.integers() | st.integers(min_value=-10**400, max_value=10**400)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=10) | words)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=6) | words, inner, max_size=3), max_leaves=12)


def node(type_name: str, properties: dict) -> dict:
    """A node of `type_name` (file format) with `properties`; a container gets a body: a Map or Filter a
    math.add function (inputs a, b) with `a` mapped unless `properties` say otherwise, and values for `a`, `b`
    and VisTrails' `input_list`; a Group a math.add behind boundary ports."""
    data = {"id": "n", "type": type_name, "properties": properties, "is_output": True}
    if type_name in ("core.map", "core.filter"):
        data["body"] = {"nodes": [{"id": "fn", "type": "math.add"}]}
        data["properties"] = {"mapped": ["a"], **properties}  # valid unless the drawn values spoil it
        data["input_values"] = {"a": [1.0, 2.0], "b": 1.0, "input_list": [1.0, 2.0]}
    elif type_name == GROUP_TYPE:
        data["body"] = {"nodes": [{"id": "fn", "type": "math.add"}],
                        "inputs": [{"name": "a", "targets": [{"node": "fn", "port": "a"}]}],
                        "outputs": [{"name": "result", "source": {"node": "fn", "port": "result"}}]}
    return data


def load_and_check(type_name: str, properties: dict) -> bool:
    """Load, validate and prepare a one-node project; True when it loaded. Only ProjectFileError may escape
    load; validation returns problems; ports and keys of a node without problems are listed."""
    text = json.dumps({"format": "pflow-studio", "version": 1,
                       "workflow": {"nodes": [node(type_name, properties)], "edges": []}})
    try:
        project = loads(text)
    except ProjectFileError as exc:
        assert exc.problem
        return False
    problems = validate(project.workflow, REGISTRY)
    assert all(str(problem) for problem in problems)
    for model, _ in project.workflow.walk():
        instance = instantiate(model, REGISTRY)
        instance.input_ports(), instance.output_ports(), is_cacheable(instance, REGISTRY)
        node_key(model, REGISTRY, {})
        body_signature(model.body, REGISTRY)
        if not problems and is_function_container(instance):  # what a run compiles before any element runs
            compiled = CompiledBody.of(model.body, instance.function_node().id, REGISTRY)
            assert compiled is not None and compiled.plan_for(tuple(instance.fed_ports()))
    return True


@FUZZ
@given(data=st.data())
def test_one_random_property_value(data):
    name, prop = data.draw(st.sampled_from(PROPERTIES))
    value = data.draw(json_values | st.sampled_from(list(prop.choices or [])) if prop.choices else json_values)
    loaded = load_and_check(name, {prop.name: value})
    assert loaded == fits(prop, value)


@FUZZ
@given(data=st.data())
def test_random_property_sets(data):
    name = data.draw(st.sampled_from(sorted(TYPES)))
    names = [prop.name for prop in TYPES[name].properties] + ["bogus"]
    load_and_check(name, data.draw(st.dictionaries(st.sampled_from(names), json_values, max_size=4)))


@pytest.mark.parametrize(("name", "prop"), PROPERTIES, ids=[f"{n}.{p.name}" for n, p in PROPERTIES])
def test_every_property_refuses_every_kind_of_wrong_value(name, prop):
    for value in (None, True, 5, 1.5, 10**400, "x", [], [1], ["a", None], {}, {"a": [1]}):
        assert load_and_check(name, {prop.name: value}) == fits(prop, value), value
