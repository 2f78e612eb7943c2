"""A project with a node whose type is not installed opens with a placeholder node that keeps the node's
data and wires, saves back unchanged, and is refused by Run naming the missing type."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QMessageBox

from pflow_studio.project import file_format as project_file

MISSING = {
    "id": "fit", "type": "acme.curve_fit",
    "properties": {"model": "gauss", "tolerance": 0.001},
    "input_values": {"guess": [1, 2, 3]},
    "ui": {"label": "Fit", "pos": [200.0, 0.0], "colour": "teal"},
}


def project_with_a_missing_type(tmp_path):
    document = {
        "format": "pflow-studio", "version": project_file.FORMAT_VERSION, "meta": {},
        "workflow": {
            "nodes": [
                {"id": "x", "type": "const.int", "properties": {"value": 3}, "ui": {"pos": [0.0, 0.0]}},
                MISSING,
                {"id": "show", "type": "math.add", "input_values": {"b": 1}, "ui": {"pos": [400.0, 0.0]}},
            ],
            "edges": [
                {"source": "x", "source_port": "value", "target": "fit", "target_port": "data"},
                {"source": "fit", "source_port": "params", "target": "show", "target_port": "a"},
            ],
        },
    }
    path = tmp_path / "with_plugin.pflow"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_the_strict_loader_still_refuses_an_unknown_type_and_the_app_loader_keeps_it(tmp_path):
    path = project_with_a_missing_type(tmp_path)
    with pytest.raises(project_file.ProjectFileError, match=r"unknown node type 'acme\.curve_fit'"):
        project_file.load(path)
    node = project_file.load(path, keep_unknown=True).workflow.node("fit")
    assert (node.type_name, node.properties, node.input_values) == (
        "acme.curve_fit", MISSING["properties"], MISSING["input_values"])


@pytest.mark.timeout(120)
def test_a_project_with_a_missing_node_type_opens_with_a_placeholder(qtbot, window, dialogs, tmp_path):
    path = project_with_a_missing_type(tmp_path)
    dialogs.answers.update(warning=QMessageBox.StandardButton.Ok, trust=True)
    assert window.files.load(str(path))
    [warning] = [args[2] for name, args in dialogs.calls if name == "warning"]
    assert "'acme.curve_fit': Fit" in warning and "saved back unchanged" in warning
    view = window.canvas.graph.get_node_by_id("fit")
    assert view.name() == "Fit (missing)"
    assert [p.name() for p in view.input_ports()] == ["guess", "data"]
    assert [p.name() for p in view.output_ports()] == ["params"]
    assert [p.node().id for p in view.inputs()["data"].connected_ports()] == ["x"]
    assert [p.node().id for p in view.outputs()["params"].connected_ports()] == ["show"]


@pytest.mark.timeout(120)
def test_a_placeholder_is_saved_back_unchanged(qtbot, window, dialogs, tmp_path):
    path = project_with_a_missing_type(tmp_path)
    dialogs.answers.update(warning=QMessageBox.StandardButton.Ok, trust=True)
    assert window.files.load(str(path))
    window.canvas.select(["x"])  # an edit elsewhere, then save
    window.add_node_at_centre("const.str")
    window.actions["save"].trigger()
    saved = json.loads(path.read_text(encoding="utf-8"))["workflow"]
    [node] = [n for n in saved["nodes"] if n["id"] == "fit"]
    assert {key: node[key] for key in MISSING} == MISSING
    assert {(e["source"], e["target"]) for e in saved["edges"]} >= {("x", "fit"), ("fit", "show")}


@pytest.mark.timeout(120)
def test_running_refuses_a_placeholder_naming_its_type(qtbot, window, dialogs, tmp_path):
    dialogs.answers.update(warning=QMessageBox.StandardButton.Ok, trust=True)
    assert window.files.load(str(project_with_a_missing_type(tmp_path)))
    with qtbot.waitSignal(window.runs.finished, timeout=60_000) as blocker:
        window.actions["run"].trigger()
    assert blocker.args[0].status == "invalid"
    messages = [window.errors.row(i).text(1) for i in range(window.errors.count())]
    assert any("acme.curve_fit" in m and "not installed" in m for m in messages), messages
