"""Project files: round trips, stable bytes, atomic save, plain-JSON values, and every load error
naming the file and the problem. Fuzzing lives in test_project_file_fuzz.py."""

from __future__ import annotations

import json
import math
import os
import pathlib

import pytest

from pflow_studio.project import file_format as project_file
from pflow_studio.project.file_format import MIGRATIONS, Project, ProjectFileError, dumps, load, loads, save
from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.model import BoundaryOutput, PortRef, Workflow
from tests.support.paths import DOCS
from tests.support.projects import flat_workflow, nested_workflow, sample_project, sample_registry

REGISTRY = sample_registry()


def roundtrip(project: Project) -> Project:
    return loads(dumps(project), registry=REGISTRY)


def assert_same_workflow(got: Workflow, want: Workflow) -> None:
    """Equal model (canonical), equal UI hints, same node order and boundary port order at every level."""
    assert got.canonical() == want.canonical()
    got_nodes, want_nodes = list(got.walk()), list(want.walk())
    assert [(n.id, path) for n, path in got_nodes] == [(n.id, path) for n, path in want_nodes]
    for (g, _), (w, _) in zip(got_nodes, want_nodes, strict=True):
        assert g.ui == w.ui, g.id
        assert (g.label, g.position) == (w.label, w.position)
        if w.body is not None:
            assert [b.name for b in g.body.inputs] == [b.name for b in w.body.inputs]
            assert [b.targets for b in g.body.inputs] == [b.targets for b in w.body.inputs]
            assert [b.name for b in g.body.outputs] == [b.name for b in w.body.outputs]


def file_error(tmp_path: pathlib.Path, content: str | bytes, name: str = "p.pflow") -> ProjectFileError:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ProjectFileError) as info:
        load(path, registry=REGISTRY)
    assert info.value.path == str(path)
    assert str(info.value) == f"{path}: {info.value.problem}"
    return info.value


def document(nodes: list, edges: list | None = None, **workflow_extra) -> str:
    workflow = {"nodes": nodes, "edges": edges or [], **workflow_extra}
    return json.dumps({"format": "pflow-studio", "version": 1, "workflow": workflow})


def group(node_id: str, nodes: list, **extra) -> dict:
    return {"id": node_id, "type": "core.group", "body": {"nodes": nodes, "edges": [], **extra}}


def const(node_id: str, value: int = 1) -> dict:
    return {"id": node_id, "type": "const.int", "properties": {"value": value}}


def temp_files(directory: pathlib.Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# -- round trips ---------------------------------------------------------------------------------


def test_flat_round_trip_keeps_model_ui_hints_and_outputs():
    original = flat_workflow()
    loaded = roundtrip(Project(original, {}))
    assert_same_workflow(loaded.workflow, original)
    assert loaded.workflow.nodes["total"].is_output and not loaded.workflow.nodes["two"].is_output
    assert loaded.workflow.nodes["half"].ui == {"pos": [10.0, 80.0], "color": [200, 120, 0]}
    assert loaded.workflow.nodes["two"].label == "Two" and loaded.workflow.nodes["two"].position == (10.0, -20.5)
    assert Executor(REGISTRY, cache=False).run(loaded.workflow).outputs["total"] == {"result": 2.5}


def test_nested_groups_and_map_body_round_trip_and_still_run():
    loaded = roundtrip(sample_project())
    assert_same_workflow(loaded.workflow, nested_workflow())
    inner = loaded.workflow.nodes["outer"].body.nodes["inner"]
    assert inner.body.boundary_output("out").source == PortRef("i_one", "result")
    assert loaded.workflow.nodes["map"].properties == {"mapped": ["x"], "combine": "zip"}
    result = Executor(REGISTRY, cache=False).run(loaded.workflow)
    assert result.status == "ok"
    assert result.outputs["outer"] == {"out": 12} and result.outputs["map"] == {"out": [2, 3, 4]}


def test_file_round_trip_keeps_meta(tmp_path):
    project = sample_project()
    path = tmp_path / "sample.pflow"
    save(project, path)
    loaded = load(path, registry=REGISTRY)
    assert loaded.meta == {"name": "sample", "view": {"zoom": 1.25, "center": [3.5, -2]}}
    assert_same_workflow(loaded.workflow, project.workflow)


def test_load_accepts_str_paths_and_a_utf8_bom(tmp_path):
    path = tmp_path / "bom.pflow"
    path.write_bytes(b"\xef\xbb\xbf" + dumps(Project(flat_workflow())).encode())
    assert load(str(path), registry=REGISTRY).workflow.canonical() == flat_workflow().canonical()


def test_values_of_every_json_kind_round_trip_and_tuples_become_lists():
    wf = Workflow()
    value = {"none": None, "t": True, "i": -7, "big": 10**30, "f": 1e-300, "neg0": -0.0, "s": "é ✓ \n \"q\"",
             "list": [1, [2, [3]]], "tuple": (1, 2), "empty": {}}
    wf.add_node("const.json", {"value": value}, id="j", inputs={"x": (4, 5)}, pos=(1, 2))
    loaded = loads(dumps(Project(wf)), registry=["const.json"]).workflow.nodes["j"]
    assert loaded.properties["value"] == {**value, "tuple": [1, 2]}
    assert loaded.input_values == {"x": [4, 5]}
    assert math.copysign(1, loaded.properties["value"]["neg0"]) == -1


def test_non_ascii_text_is_written_as_is():
    wf = Workflow()
    wf.add_node("const.str", {"value": "Grüße ✓"}, id="s", label="Café")
    text = dumps(Project(wf))
    assert "Grüße ✓" in text and "Café" in text


def test_default_registry_is_used_without_one(tmp_path):
    path = tmp_path / "p.pflow"
    save(Project(flat_workflow()), path)
    with pytest.raises(ProjectFileError, match=r"unknown node type 'test\.add'"):
        load(path)  # test types are not in the default registry; const.int is
    wf = Workflow()
    wf.add_node("const.int", {"value": 1}, id="a")
    save(Project(wf), path)
    assert list(load(path).workflow.nodes) == ["a"]


# -- stable output -------------------------------------------------------------------------------


def test_saving_twice_gives_identical_bytes(tmp_path):
    first, second = tmp_path / "a.pflow", tmp_path / "b.pflow"
    save(sample_project(), first)
    save(sample_project(), second)
    assert first.read_bytes() == second.read_bytes()
    save(load(first, registry=REGISTRY), second)  # a loaded project saves back byte for byte
    assert first.read_bytes() == second.read_bytes()


def test_output_does_not_depend_on_edit_order():
    a, b = Workflow(), Workflow()
    for wf in (a, b):
        wf.add_node("test.number", id="x")
        wf.add_node("test.number", id="y")
        wf.add_node("test.add", id="s")
    a.nodes["x"].properties.update(value=1, extra="e")
    b.nodes["x"].properties.update(extra="e", value=1)
    a.connect("x", "value", "s", "a")
    a.connect("y", "value", "s", "b")
    b.connect("y", "value", "s", "b")
    b.connect("x", "value", "s", "a")
    assert dumps(Project(a, {"k": 1, "a": 2})) == dumps(Project(b, {"a": 2, "k": 1}))


def test_layout_and_key_order():
    text = dumps(sample_project())
    assert text.endswith("}\n") and not text.endswith("\n\n")
    data = json.loads(text)
    assert list(data) == ["format", "version", "meta", "workflow"]
    assert (data["format"], data["version"]) == ("pflow-studio", 1)
    assert list(data["meta"]) == ["name", "view"] and list(data["meta"]["view"]) == ["center", "zoom"]
    outer = data["workflow"]["nodes"][1]
    assert list(outer) == ["id", "type", "properties", "ui", "is_output", "body"]
    assert list(data["workflow"]["nodes"][2]) == ["id", "type", "properties"]  # defaults left out
    assert [n["id"] for n in data["workflow"]["nodes"]] == ["one", "outer", "items", "map"]
    assert list(outer["body"]) == ["nodes", "edges", "inputs", "outputs"]
    assert list(data["workflow"]["edges"][0]) == ["source", "source_port", "target", "target_port"]
    edges = [(e["source"], e["target"]) for e in data["workflow"]["edges"]]
    assert edges == sorted(edges)
    # one line per edge and per position: moving a node or rewiring changes one line
    assert '      {"source": "items", "source_port": "value", "target": "map", "target_port": "x"}' in text
    assert '"pos": [100.0, 0.0]' in text
    assert text.startswith('{\n  "format": "pflow-studio",\n  "version": 1,\n')


# -- values that are not plain JSON ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ({1, 2}, "set {1, 2} is not plain JSON"),
        (object(), "object <object object"),
        (float("nan"), "nan is not allowed"),
        ([1, float("inf")], "inf is not allowed (JSON has no NaN or infinity) at [1]"),
        (pathlib.Path("/tmp"), "PosixPath"),
        ({"ok": {2: "x"}}, "key 2 (int) is not text; JSON keys are text at ['ok']"),
        (print, "builtin_function_or_method"),
    ],
)
def test_non_json_property_is_rejected_naming_node_and_property(tmp_path, value, fragment):
    path = tmp_path / "p.pflow"
    path.write_text("old content")
    body = Workflow()
    body.add_node("const.json", {"value": value}, id="bad")
    wf = Workflow()
    wf.add_node("core.group", id="g", body=body)
    with pytest.raises(ProjectFileError) as info:
        save(Project(wf), path)
    assert info.value.path == str(path)
    assert info.value.problem.startswith("node 'bad' (inside 'g'), property 'value': ")
    assert fragment in info.value.problem
    assert path.read_text() == "old content" and temp_files(tmp_path) == []


def test_value_that_contains_itself_is_rejected():
    loop: list = [1]
    loop.append(loop)
    wf = Workflow()
    wf.add_node("const.json", inputs={"x": loop}, id="n")
    with pytest.raises(ProjectFileError, match=r"node 'n', input 'x': the value contains itself at \[1\]"):
        dumps(Project(wf))


def test_bad_ui_hint_and_meta_are_named():
    wf = Workflow()
    wf.add_node("const.int", id="n").ui["pos"] = {0.5}
    with pytest.raises(ProjectFileError, match="node 'n', ui hint 'pos': set"):
        dumps(Project(wf))
    with pytest.raises(ProjectFileError, match=r"project, meta 'when': date datetime\.date"):
        import datetime

        dumps(Project(Workflow(), {"when": datetime.date(2026, 1, 1)}))
    with pytest.raises(ProjectFileError, match="project: the meta values must be a dict"):
        dumps(Project(Workflow(), ["not", "a", "dict"]))  # type: ignore[arg-type]


def test_save_refuses_what_load_would_refuse():
    body = Workflow()
    body.add_node("test.add", id="a")
    body.outputs.append(BoundaryOutput("out", PortRef("gone", "result")))
    wf = Workflow()
    wf.add_node("core.group", id="g", body=body)
    with pytest.raises(ProjectFileError, match="the body of 'g': boundary output 'out': source: node 'gone' is not"):
        dumps(Project(wf))
    clash = Workflow()
    clash.add_node("test.add", id="a")
    clash.add_node("core.group", id="g", body=Workflow(nodes={}))
    clash.nodes["g"].body.add_node("test.add", id="a")
    with pytest.raises(ProjectFileError, match="node 'a' \\(inside 'g'\\): id 'a' is already used by another node at"):
        dumps(Project(clash))
    bad_id = Workflow()
    bad_id.add_node("test.add", id=7)  # type: ignore[arg-type]
    with pytest.raises(ProjectFileError, match="a node id must be text, not int 7"):
        dumps(Project(bad_id))


# -- atomic save -------------------------------------------------------------------------------------


def test_failing_replace_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "p.pflow"
    save(Project(flat_workflow()), path)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(ProjectFileError, match=r"p\.pflow: cannot save: No space left on device"):
        save(sample_project(), path)
    assert path.read_bytes() == before
    assert temp_files(tmp_path) == []


def test_failing_fsync_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "p.pflow"
    path.write_text("keep me")

    def broken_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(ProjectFileError, match="cannot save: Input/output error"):
        save(sample_project(), path)
    assert path.read_text() == "keep me" and temp_files(tmp_path) == []


def test_save_into_a_missing_directory_is_a_project_file_error(tmp_path):
    with pytest.raises(ProjectFileError, match="cannot save: No such file or directory"):
        save(sample_project(), tmp_path / "nowhere" / "p.pflow")


def test_save_keeps_the_permission_bits_of_the_file_it_replaces(tmp_path):
    path = tmp_path / "p.pflow"
    path.write_text("x")
    path.chmod(0o640)
    save(Project(flat_workflow()), path)
    assert path.stat().st_mode & 0o777 == 0o640


def test_cli_and_run_records_use_the_same_atomic_writer():
    from pflow_studio.cli import run as cli_run
    from pflow_studio.common import atomic_file
    from pflow_studio.runtime import run_record

    assert cli_run.write_atomic is atomic_file.write_atomic
    assert run_record.write_atomic is atomic_file.write_atomic
    assert project_file.write_atomic is atomic_file.write_atomic


# -- load errors ---------------------------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(ProjectFileError) as info:
        load(tmp_path / "nope.pflow", registry=REGISTRY)
    assert str(info.value) == f"{tmp_path / 'nope.pflow'}: no such file"


def test_directory(tmp_path):
    (tmp_path / "dir.pflow").mkdir()
    with pytest.raises(ProjectFileError, match=r"dir\.pflow: is a directory, not a project file"):
        load(tmp_path / "dir.pflow", registry=REGISTRY)


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
        ("[" * 100_000, "invalid JSON: nested too deeply"),
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
         "node 'a': unknown key 'colour' (allowed: id, type, properties, input_values, ui, is_output, body)"),
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


# -- versions and migrations -----------------------------------------------------------------------


def test_an_older_version_is_migrated(monkeypatch):
    def v0_to_v1(doc: dict) -> dict:  # version 0 called the workflow "graph" and node types "kind"
        graph = doc.pop("graph")
        for node in graph["nodes"]:
            node["type"] = node.pop("kind")
        return {**doc, "workflow": graph}

    monkeypatch.setitem(MIGRATIONS, 0, v0_to_v1)
    old = {"format": "pflow-studio", "version": 0, "graph": {"nodes": [{"id": "a", "kind": "const.int"}]}}
    project = loads(json.dumps(old), registry=REGISTRY)
    assert project.workflow.nodes["a"].type_name == "const.int"
    with pytest.raises(ProjectFileError, match="older than the oldest this pflow-studio reads \\(0\\)"):
        loads(json.dumps({**old, "version": -1}), registry=REGISTRY)


def test_migrations_chain_in_order(monkeypatch):
    steps: list[int] = []

    def step(version: int):
        def migrate(doc: dict) -> dict:
            steps.append(version)
            assert doc["version"] == version
            return doc

        return migrate

    monkeypatch.setattr(project_file, "FORMAT_VERSION", 3)
    for version in (0, 1, 2):
        monkeypatch.setitem(MIGRATIONS, version, step(version))
    loads(document([const("a")]).replace('"version": 1', '"version": 0'), registry=REGISTRY)
    assert steps == [0, 1, 2]


def test_a_failing_migration_is_a_project_file_error(monkeypatch):
    monkeypatch.setitem(MIGRATIONS, 0, lambda doc: doc["graph"]["nodes"])
    with pytest.raises(ProjectFileError) as info:
        loads('{"format": "pflow-studio", "version": 0}', source="old.pflow", registry=REGISTRY)
    assert str(info.value) == "old.pflow: cannot upgrade from version 0: KeyError: 'graph'"
    monkeypatch.setitem(MIGRATIONS, 0, lambda doc: ["not", "a", "dict"])
    with pytest.raises(ProjectFileError, match="the migration returned an array"):
        loads('{"format": "pflow-studio", "version": 0}', registry=REGISTRY)


def test_loads_names_its_source():
    with pytest.raises(ProjectFileError) as info:
        loads("{oops", source="clipboard", registry=REGISTRY)
    assert info.value.path == "clipboard"
    assert str(info.value) == ("clipboard: line 1 column 2: invalid JSON: "
                               "Expecting property name enclosed in double quotes")


def test_the_example_in_the_format_document_is_exactly_what_save_writes():
    doc = (DOCS / "file-format.md").read_text(encoding="utf-8")
    example = doc.split("```json\n", 1)[1].split("```", 1)[0]
    project = loads(example, registry={"const.float", "math.add", "core.group"})
    assert dumps(project) == example
    assert project.workflow.nodes["g"].body.boundary_input("x").targets == [PortRef("g_add", "a")]
