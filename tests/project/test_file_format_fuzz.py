"""Fuzzing load: any file gives a Project or a ProjectFileError, never another exception; and what
load accepts, save writes back and load reads again to the same model."""

from __future__ import annotations

import json
import pathlib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pflow_studio.project.file_format import Project, ProjectFileError, dumps, load, loads
from tests.support.projects import sample_project, sample_registry

pytestmark = pytest.mark.fault

REGISTRY = sample_registry()
VALID_TEXT = dumps(sample_project())
VALID = json.loads(VALID_TEXT)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
           | st.text(max_size=12) | st.sampled_from(["pflow-studio", "const.int", "core.group", "x", "value"]))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8) | st.sampled_from(list(VALID)), inner, max_size=4),
                           max_leaves=25)
ids = st.sampled_from(["a", "b", "g"]) | scalars
ports = st.fixed_dictionaries({"node": ids, "port": st.sampled_from(["value", "x"]) | scalars})


def workflow_shaped(bodies: st.SearchStrategy) -> st.SearchStrategy:
    """Objects that look like workflows, with random holes, to reach the deeper checks."""
    node = st.fixed_dictionaries(
        {"id": ids, "type": st.sampled_from(["const.int", "core.group", "core.map", "foo.bar"]) | scalars},
        optional={"properties": json_values, "input_values": json_values, "ui": json_values,
                  "is_output": scalars, "body": bodies},
    )
    edge = st.fixed_dictionaries({"source": ids, "source_port": st.just("value"), "target": ids,
                                  "target_port": st.sampled_from(["value", "x"])})
    return st.fixed_dictionaries(
        {"nodes": st.lists(node, max_size=4)},
        optional={"edges": st.lists(edge, max_size=3),
                  "inputs": st.lists(st.fixed_dictionaries({"name": ids, "targets": st.lists(ports, max_size=2)}),
                                     max_size=2),
                  "outputs": st.lists(st.fixed_dictionaries({"name": ids, "source": ports}), max_size=2)},
    )


workflows = st.recursive(st.fixed_dictionaries({"nodes": st.just([])}), workflow_shaped, max_leaves=6)
documents = st.fixed_dictionaries(
    {"format": st.just("pflow-studio"), "version": st.sampled_from([1, 1, 0, 2]),
     "workflow": json_values | workflows},
    optional={"meta": json_values},
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> pathlib.Path:
    return tmp_path_factory.mktemp("fuzz")


def load_bytes(folder: pathlib.Path, data: bytes) -> Project | None:
    """Load `data` from a file; None when it is a ProjectFileError (any other exception fails the test).
    An accepted project must save and load back to the same model."""
    path = folder / "fuzz.pflow"
    path.write_bytes(data)
    try:
        project = load(path, registry=REGISTRY)
    except ProjectFileError as exc:
        assert exc.path == str(path) and str(exc).startswith(f"{path}: ") and exc.problem
        return None
    again = loads(dumps(project), registry=REGISTRY)
    assert again.workflow.canonical() == project.workflow.canonical() and again.meta == project.meta
    return project


def paths_in(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path (keys and indexes) to a value inside `value`, `()` being the whole."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths_in(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths_in(item, (*prefix, index))
    return found


def at(document: Any, path: tuple) -> Any:
    for step in path:
        document = document[step]
    return document


@FUZZ
@given(value=json_values | documents)
def test_any_json_value_loads_or_fails_cleanly(folder, value):
    load_bytes(folder, json.dumps(value).encode())


@FUZZ
@given(data=st.data())
def test_deleting_a_key_of_a_valid_project(folder, data):
    document = json.loads(VALID_TEXT)
    keyed = [p for p in paths_in(document) if p and isinstance(at(document, p[:-1]), dict)]
    path = data.draw(st.sampled_from(keyed))
    del at(document, path[:-1])[path[-1]]
    load_bytes(folder, json.dumps(document).encode())


@FUZZ
@given(data=st.data(), replacement=json_values)
def test_replacing_a_value_of_a_valid_project(folder, data, replacement):
    document = json.loads(VALID_TEXT)
    path = data.draw(st.sampled_from(paths_in(document)))
    if path:
        at(document, path[:-1])[path[-1]] = replacement
    else:
        document = replacement
    load_bytes(folder, json.dumps(document).encode())


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(VALID_TEXT.encode())))
def test_truncating_a_valid_project(folder, cut):
    project = load_bytes(folder, VALID_TEXT.encode()[:cut])
    if cut < len(VALID_TEXT.encode()) - 1:  # only the final newline can go
        assert project is None


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(min_value=0, max_value=len(VALID_TEXT) - 1),
                                st.integers(min_value=0, max_value=255)), min_size=1, max_size=6))
def test_flipping_bytes_of_a_valid_project(folder, flips):
    data = bytearray(VALID_TEXT.encode())
    for position, byte in flips:
        data[position] = byte
    load_bytes(folder, bytes(data))


def test_the_fuzzed_project_is_rich_enough():
    """The mutations start from a project with nested groups, a Map body, boundary ports, UI hints and meta."""
    text = VALID_TEXT
    assert all(key in text for key in ('"body"', '"inputs"', '"outputs"', '"ui"', '"is_output"', '"meta"',
                                       '"core.map"', '"input_values"'))
    assert loads(text, registry=REGISTRY).workflow.canonical() == sample_project().workflow.canonical()
