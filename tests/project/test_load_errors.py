"""Loading a damaged or wrong project file: every failure is a ProjectFileError naming the file, the item at
fault and the problem (missing file, directory, bad UTF-8 or JSON, bad structure, bad nodes, edges and boundary
ports, unknown node types)."""

from __future__ import annotations

import os
import pathlib

import pytest

from pflow_studio.project.file_format import MAX_PROJECT_BYTES, ProjectFileError, load, loads
from tests.support.files import sparse_file
from tests.support.projects import REGISTRY, const, document, file_error, group

pytestmark = pytest.mark.fault

# -- load errors ---------------------------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(ProjectFileError) as info:
        load(tmp_path / "nope.pflow", registry=REGISTRY)
    assert str(info.value) == f"{tmp_path / 'nope.pflow'}: no such file"


def test_directory(tmp_path):
    (tmp_path / "dir.pflow").mkdir()
    with pytest.raises(ProjectFileError, match=r"dir\.pflow: not a regular file \(a directory\)"):
        load(tmp_path / "dir.pflow", registry=REGISTRY)


@pytest.mark.timeout(60)
def test_a_fifo_or_a_device_is_refused_without_reading(tmp_path):
    os.mkfifo(tmp_path / "pipe.pflow")
    with pytest.raises(ProjectFileError) as info:
        load(tmp_path / "pipe.pflow", registry=REGISTRY)
    assert str(info.value) == f"{tmp_path / 'pipe.pflow'}: not a regular file (a FIFO)"
    with pytest.raises(ProjectFileError, match=r"^/dev/zero: not a regular file \(a character device\)$"):
        load("/dev/zero", registry=REGISTRY)


def test_a_file_over_the_size_limit_is_refused_without_reading(tmp_path):
    path = sparse_file(tmp_path / "big.pflow", MAX_PROJECT_BYTES + 1)
    with pytest.raises(ProjectFileError) as info:
        load(path, registry=REGISTRY)
    assert info.value.problem == f"too large ({MAX_PROJECT_BYTES + 1} bytes; the limit is {MAX_PROJECT_BYTES} bytes)"


def test_a_symlink_loop(tmp_path):
    (tmp_path / "loop.pflow").symlink_to(tmp_path / "loop.pflow")
    with pytest.raises(ProjectFileError, match=r"loop\.pflow: cannot read: Too many levels of symbolic links"):
        load(tmp_path / "loop.pflow", registry=REGISTRY)


def test_not_utf8(tmp_path):
    error = file_error(tmp_path, b'{"format": "pflow-studio", "x": "\xff"}')
    assert error.problem == "not UTF-8 text (byte 0xff at offset 33); not a pflow-studio project"


def test_invalid_json_names_line_and_column(tmp_path):
    error = file_error(tmp_path, '{\n  "format": "pflow-studio",\n  "version" 1\n}')
    assert error.problem == "line 3 column 13: invalid JSON: Expecting ':' delimiter"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("", "empty, not a pflow-studio project"),
        ("  \n", "empty, not a pflow-studio project"),
        ("[]", "not a pflow-studio project (it holds an array, not an object)"),
        ('"hello"', "not a pflow-studio project (it holds the text 'hello', not an object)"),
        ("{}", "not a pflow-studio project (no 'format' key)"),
        ('{"format": "orange-canvas"}', "not a pflow-studio project (format is the text 'orange-canvas', "
                                        "not 'pflow-studio')"),
        ('{"format": "pflow-studio"}', "no 'version' key"),
        ('{"format": "pflow-studio", "version": "1"}', "'version' must be a whole number, not the text '1'"),
        ('{"format": "pflow-studio", "version": true}', "'version' must be a whole number, not true"),
        ('{"format": "pflow-studio", "version": 1.0}', "'version' must be a whole number, not the number 1.0"),
        ('{"format": "pflow-studio", "version": 7, "workflow": {}}',
         "version 7 is newer than this pflow-studio reads (1); update pflow-studio"),
        ('{"format": "pflow-studio", "version": 0}', "version 0 is older than the oldest this pflow-studio reads (1)"),
        ('{"format": "pflow-studio", "version": 1}', "no 'workflow' key"),
        ('{"format": "pflow-studio", "version": 1, "workflow": {"nodes": []}, "extra": 1}',
         "unknown top-level key 'extra' (allowed: format, version, meta, workflow)"),
        ('{"format": "pflow-studio", "version": 1, "meta": [], "workflow": {"nodes": []}}',
         "'meta' must be an object, not an array"),
        ('{"format": "pflow-studio", "version": 1, "workflow": []}', "workflow must be an object, not an array"),
        ('{"format": "pflow-studio", "version": 1, "workflow": {}}', "workflow: missing key 'nodes'"),
        ('{"format": "pflow-studio", "version": 1, "workflow": {"nodes": {}}}',
         "workflow: 'nodes' must be an array, not an object"),
        ('{"format": "pflow-studio", "version": 1, "workflow": {"nodes": [], "edges": null}}',
         "workflow: 'edges' must be an array, not null"),
        ('{"format": "pflow-studio", "version": 1, "workflow": {"nodes": [], "links": []}}',
         "workflow: unknown key 'links' (allowed: nodes, edges, inputs, outputs)"),
        ('{"a": NaN}', "invalid JSON: NaN is not allowed (JSON has no NaN or infinity)"),
        ('{"a": -Infinity}', "invalid JSON: -Infinity is not allowed (JSON has no NaN or infinity)"),
        ('{"a": 1e400}', "invalid JSON: the number 1e400 is too large"),
        ('{"a": 1, "a": 2}', "invalid JSON: the key 'a' appears twice in one object"),
        ('{"a": "\\udc00"}', "invalid text: text '\\udc00' holds an unpaired surrogate '\\udc00', "
                             "not valid Unicode at ['a']"),
        ("[" * 100_000, "invalid JSON: nested too deeply to read (Groups nest at most 50 levels)"),
    ],
)
def test_bad_documents(tmp_path, content, problem):
    assert file_error(tmp_path, content).problem == problem


def test_an_integer_too_long_for_python_is_a_json_error(tmp_path):
    assert "invalid JSON: Exceeds the limit" in file_error(tmp_path, '{"a": ' + "9" * 5000 + "}").problem


def test_a_valid_surrogate_pair_is_fine():
    text = document([{"id": "e", "type": "const.str", "properties": {"value": "SMILE"}}])
    wf = loads(text.replace("SMILE", "\\ud83d\\ude00"), registry=["const.str"]).workflow
    assert wf.nodes["e"].properties["value"] == "\N{GRINNING FACE}"


@pytest.mark.parametrize(
    ("nodes", "edges", "problem"),
    [
        ([{"type": "const.int"}], [], "node #1: missing key 'id'"),
        ([const("a"), {"id": 5, "type": "const.int"}], [], "node #2: 'id' must be non-empty text, not the number 5"),
        ([{"id": "", "type": "const.int"}], [], "node #1: 'id' must be non-empty text, not empty text"),
        (["a"], [], "node #1 must be an object, not the text 'a'"),
        ([{"id": "a"}], [], "node 'a': missing key 'type'"),
        ([{"id": "a", "type": ["x"]}], [], "node 'a': 'type' must be non-empty text, not an array"),
        ([{"id": "a", "type": "const.int", "properties": [1]}], [], "node 'a': 'properties' must be an object, "
                                                                    "not an array"),
        ([{"id": "a", "type": "const.int", "input_values": 3}], [], "node 'a': 'input_values' must be an object, "
                                                                   "not the number 3"),
        ([{"id": "a", "type": "const.int", "ui": "left"}], [], "node 'a': 'ui' must be an object, not the text 'left'"),
        ([{"id": "a", "type": "const.int", "is_output": "yes"}], [], "node 'a': 'is_output' must be true or false, "
                                                                    "not the text 'yes'"),
        ([{"id": "a", "type": "const.int", "colour": "red"}], [],
         "node 'a': unknown key 'colour' (allowed: id, type, properties, input_values, ui, is_output, bypassed, body)"),
        ([{"id": "g", "type": "core.group", "body": None}], [], "the body of 'g' must be an object, not null"),
        ([const("a"), const("a")], [], "node 'a': id 'a' is already used by another node in the same workflow; "
                                       "node ids must be unique in the whole project"),
        ([const("a"), group("g", [group("h", [const("a")])])], [],
         "node 'a' (inside 'g/h'): id 'a' is already used by another node at the top level; "
         "node ids must be unique in the whole project"),
        ([group("g", [const("g")])], [], "node 'g' (inside 'g'): id 'g' is already used by another node at the "
                                         "top level; node ids must be unique in the whole project"),
        ([const("a")], [{"source": "a", "source_port": "value", "target": "zz", "target_port": "a"}],
         "edge a.value -> zz.a: node 'zz' is not in this workflow"),
        ([const("a"), {"id": "s", "type": "test.add"}],
         [{"source": "a", "source_port": "value", "target": "s", "target_port": "a"},
          {"source": "a", "source_port": "value", "target": "s", "target_port": "a"}],
         "edge a.value -> s.a: input s.a already has an edge (from a.value); an input takes one edge"),
        ([const("a")], [{"source": "a", "source_port": "value", "target": "a"}], "edge #1: missing key 'target_port'"),
        ([const("a")], [["a", "value", "a", "x"]], "edge #1 must be an object, not an array"),
        ([const("a")], [{"source": "a", "source_port": "value", "target": "a", "target_port": "", "x": 1}],
         "edge #1: unknown key 'x' (allowed: source, source_port, target, target_port)"),
    ],
)
def test_bad_nodes_and_edges(tmp_path, nodes, edges, problem):
    assert file_error(tmp_path, document(nodes, edges)).problem == problem


def test_edge_across_a_group_boundary_is_refused(tmp_path):
    nodes = [const("a"), group("g", [const("b")], edges=[
        {"source": "a", "source_port": "value", "target": "b", "target_port": "x"}])]
    assert file_error(tmp_path, document(nodes)).problem == (
        "edge a.value -> b.x (inside 'g'): node 'a' is not in this workflow")


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ({"inputs": {"x": []}}, "the body of 'g': 'inputs' must be an array, not an object"),
        ({"inputs": [{"name": "x"}]}, "the body of 'g': boundary input 'x': missing key 'targets'"),
        ({"inputs": [{"name": "x", "targets": "in.a"}]},
         "the body of 'g': boundary input 'x': 'targets' must be an array, not the text 'in.a'"),
        ({"inputs": [{"name": "x", "targets": [{"node": "nope", "port": "a"}]}]},
         "the body of 'g': boundary input 'x': target #1: node 'nope' is not in this workflow"),
        ({"inputs": [{"name": "x", "targets": [{"node": "in"}]}]},
         "the body of 'g': boundary input 'x': target #1: missing key 'port'"),
        ({"inputs": [{"targets": []}]}, "the body of 'g': boundary input #1: missing key 'name'"),
        ({"inputs": [{"name": "x", "targets": []}, {"name": "x", "targets": []}]},
         "the body of 'g': boundary input 'x': the name is used twice"),
        ({"outputs": [{"name": "out", "source": {"node": "gone", "port": "value"}}]},
         "the body of 'g': boundary output 'out': source: node 'gone' is not in this workflow"),
        ({"outputs": [{"name": "out"}]}, "the body of 'g': boundary output 'out': missing key 'source'"),
        ({"outputs": [{"name": "out", "source": {"node": "in", "port": "value"}, "type": "int"}]},
         "the body of 'g': boundary output 'out': unknown key 'type' (allowed: name, source)"),
        ({"outputs": [7]}, "the body of 'g': boundary output #1 must be an object, not the number 7"),
    ],
)
def test_bad_boundary_ports(tmp_path, extra, problem):
    assert file_error(tmp_path, document([group("g", [const("in")], **extra)])).problem == problem


# -- unknown node types ----------------------------------------------------------------------------


def test_unknown_type_at_the_top_level(tmp_path):
    error = file_error(tmp_path, document([const("a"), {"id": "n12", "type": "foo.bar"}]))
    assert error.problem == "node 'n12': unknown node type 'foo.bar' (is the plug-in that provides it installed?)"


def test_unknown_type_nested_names_its_containers(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").mkdir()
    pathlib.Path("examples/x.pflow").write_text(document([group("g1", [group("g2", [
        {"id": "n12", "type": "foo.bar"}])])]))
    with pytest.raises(ProjectFileError) as info:
        load("examples/x.pflow", registry=REGISTRY)
    assert str(info.value).startswith("examples/x.pflow: node 'n12' (inside 'g1/g2'): unknown node type 'foo.bar'")


def test_unknown_type_inside_a_map_body(tmp_path):
    nodes = [{"id": "m", "type": "core.map", "body": {"nodes": [{"id": "fn", "type": "plugin.fit"}]}}]
    assert "node 'fn' (inside 'm'): unknown node type 'plugin.fit'" in file_error(tmp_path, document(nodes)).problem


def test_several_unknown_types_are_all_named_with_their_nodes(tmp_path):
    nodes = [{"id": f"f{i}", "type": "foo.bar"} for i in range(5)]
    nodes += [group("g", [{"id": "z", "type": "baz"}]), {"id": "q", "type": "qux"}]
    assert file_error(tmp_path, document(nodes)).problem == (
        "unknown node types: 'foo.bar' (nodes 'f0', 'f1', 'f2' and 2 more), 'baz' (node 'z' inside 'g'), "
        "'qux' (node 'q') (are the plug-ins that provide them installed?)")


def test_many_unknown_types_are_cut_short(tmp_path):
    problem = file_error(tmp_path, document([{"id": f"n{i}", "type": f"t.{i}"} for i in range(8)])).problem
    assert "'t.0' (node 'n0')" in problem and "'t.4' (node 'n4')" in problem and "'t.5'" not in problem
    assert "and 3 more type(s)" in problem


def test_structure_errors_come_before_unknown_types(tmp_path):
    nodes = [{"id": "a", "type": "foo.bar"}, {"id": "a", "type": "const.int"}]
    assert "already used" in file_error(tmp_path, document(nodes)).problem
