"""The headless runner: results on stdout, progress on stderr, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import pytest

from pflow_studio.cli.main import main
from pflow_studio.project.file_format import Project, save
from pflow_studio.runtime.model import Workflow
from tests.support.paths import EXAMPLES


def write(tmp_path: pathlib.Path, workflow: Workflow, name: str = "p.pflow") -> pathlib.Path:
    path = tmp_path / name
    save(Project(workflow, {}), path)
    return path


def sum_workflow() -> Workflow:
    wf = Workflow()
    wf.add_node("const.float", {"value": 1.5}, id="a")
    wf.add_node("math.add", id="s", label="Total", inputs={"b": 2.0})
    wf.connect("a", "value", "s", "a")
    return wf


def test_run_prints_output_nodes_as_json(tmp_path, capsys):
    assert main(["run", str(write(tmp_path, sum_workflow()))]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == {"Total": {"result": 3.5}}
    assert "2/2 nodes" in err


def test_marked_output_nodes_are_the_results(tmp_path, capsys):
    wf = sum_workflow()
    wf.nodes["a"].is_output = True
    assert main(["run", "--quiet", str(write(tmp_path, wf))]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == {"a": {"value": 1.5}} and err == ""


def test_output_option_writes_the_file(tmp_path, capsys):
    target = tmp_path / "results.json"
    assert main(["run", "-q", str(write(tmp_path, sum_workflow())), "--output", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(target.read_text()) == {"Total": {"result": 3.5}}


def test_failing_node_exits_1_naming_the_node(tmp_path, capsys):
    wf = sum_workflow()
    wf.add_node("math.divide", id="d", label="Ratio", inputs={"a": 1.0, "b": 0.0})
    assert main(["run", str(write(tmp_path, wf))]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "node 'Ratio' failed" in err
    assert "Traceback" not in err


def test_traceback_option_prints_it(tmp_path, capsys):
    wf = Workflow()
    wf.add_node("math.divide", id="d", inputs={"a": 1.0, "b": 0.0})
    assert main(["run", "--traceback", str(write(tmp_path, wf))]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_invalid_workflow_exits_1_naming_node_and_port(tmp_path, capsys):
    wf = Workflow()
    wf.add_node("math.add", id="s", label="Sum")
    assert main(["run", str(write(tmp_path, wf))]) == 1
    err = capsys.readouterr().err
    assert "node 'Sum' (s), port 'a': required input has no value or edge" in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "p.pflow"),
        ('{"format": "pflow-studio", "version": 999, "workflow": {"nodes": [], "edges": []}}', "version"),
        ("", "p.pflow"),
    ],
)
def test_bad_file_exits_2_with_one_line(tmp_path, capsys, content, expected):
    path = tmp_path / "p.pflow"
    path.write_text(content)
    assert main(["run", str(path)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nope.pflow")]) == 2
    assert "nope.pflow" in capsys.readouterr().err


def test_bad_usage_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["run"])
    assert info.value.code == 2
    assert "the following arguments are required: file" in capsys.readouterr().err


def test_bad_engine_count_exits_2(tmp_path, capsys):
    assert main(["run", str(write(tmp_path, sum_workflow())), "--engines", "0"]) == 2
    assert "--engines must be at least 1" in capsys.readouterr().err


def test_serial_flag_is_accepted(tmp_path, capsys):
    assert main(["run", "--serial", "-q", str(write(tmp_path, sum_workflow()))]) == 0


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.pflow")), ids=lambda p: p.name)
def test_every_bundled_example_runs(example, capsys):
    assert main(["run", "-q", "--serial", str(example)]) == 0
    assert json.loads(capsys.readouterr().out)


def test_module_entry_point_in_a_subprocess(tmp_path):
    path = write(tmp_path, sum_workflow())
    done = subprocess.run([sys.executable, "-m", "pflow_studio", "run", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"Total": {"result": 3.5}}
    broken = tmp_path / "broken.pflow"
    broken.write_text("[]")
    done = subprocess.run([sys.executable, "-m", "pflow_studio", "run", str(broken)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "broken.pflow" in done.stderr and "Traceback" not in done.stderr
