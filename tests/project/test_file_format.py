"""Project files: round trips, stable bytes, plain-JSON values, atomic save, versions and migrations, and the
example of docs/file-format.md. Load errors are in test_load_errors.py, fuzzing in test_file_format_fuzz.py."""

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
from tests.support.projects import REGISTRY, const, document, flat_workflow, nested_workflow, sample_project


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
    from pflow_studio.cli import report as cli_report
    from pflow_studio.common import atomic_file
    from pflow_studio.runtime import run_record

    assert cli_report.write_atomic is atomic_file.write_atomic
    assert run_record.write_atomic is atomic_file.write_atomic
    assert project_file.write_atomic is atomic_file.write_atomic


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
