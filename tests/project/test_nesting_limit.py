"""Bodies nest at most MAX_NESTING (50) deep (issue 11, point 4): a file at the limit loads, runs, saves and
loads again; one level more is refused at load (and by `pflow-studio run`: one line, exit 2) and at save, naming
the path of Groups; a file nested far too deep for the JSON reader says the limit too."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import pytest

from pflow_studio.project.file_format import Project, ProjectFileError, dumps, load, loads, save
from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.nesting import MAX_NESTING
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.runners import SerialRunner
from tests.support.projects import nested_groups

pytestmark = pytest.mark.fault

TOO_DEEP = (f"Groups nest {MAX_NESTING + 1} deep at 'g{MAX_NESTING}/g{MAX_NESTING - 1}/g{MAX_NESTING - 2}"
            f"/.../g2/g1/g0'; at most {MAX_NESTING} levels are supported")


def test_the_limit_is_fifty_levels():
    assert MAX_NESTING == 50


def test_a_file_at_the_limit_loads_runs_saves_and_loads_again(tmp_path: pathlib.Path):
    path = tmp_path / "deep.pflow"
    path.write_text(nested_groups(MAX_NESTING), encoding="utf-8")
    project = load(path)
    result = Executor(default_registry(), runner=SerialRunner(), cache=False).run(project.workflow)
    assert result.status == "ok" and result.outputs[f"g{MAX_NESTING - 1}"] == {"out": 2.0}
    again = tmp_path / "again.pflow"
    save(project, again)
    assert load(again).workflow.canonical() == project.workflow.canonical()


def test_one_level_more_is_refused_at_load_naming_the_groups(tmp_path: pathlib.Path):
    path = tmp_path / "deeper.pflow"
    path.write_text(nested_groups(MAX_NESTING + 1), encoding="utf-8")
    with pytest.raises(ProjectFileError) as info:
        load(path)
    assert str(info.value) == f"{path}: {TOO_DEEP}"


def test_save_refuses_what_load_would_refuse():
    workflow = loads(nested_groups(MAX_NESTING)).workflow
    top = workflow.nodes[f"g{MAX_NESTING - 1}"]
    workflow.nodes.pop(top.id)
    wrapper = Workflow()
    wrapper.add_node("core.group", id=f"g{MAX_NESTING}", body=Workflow(nodes={top.id: top}))
    workflow.nodes[f"g{MAX_NESTING}"] = wrapper.nodes[f"g{MAX_NESTING}"]
    with pytest.raises(ProjectFileError, match="^<string>: " + TOO_DEEP.replace(".", r"\.")):
        dumps(Project(workflow))


def test_far_too_deep_for_the_json_reader_still_says_the_limit():
    node = '{"id": "leaf", "type": "const.int"}'
    for level in range(1000):  # written as text: json.dumps cannot nest this deep either
        node = f'{{"id": "g{level}", "type": "core.group", "body": {{"nodes": [{node}]}}}}'
    text = f'{{"format": "pflow-studio", "version": 1, "workflow": {{"nodes": [{node}]}}}}'
    with pytest.raises(ProjectFileError) as info:
        loads(text, source="huge.pflow")
    assert str(info.value) == "huge.pflow: invalid JSON: nested too deeply to read (Groups nest at most 50 levels)"


def test_cli_run_refuses_in_one_line_and_runs_the_limit(tmp_path: pathlib.Path):
    deeper, deep = tmp_path / "deeper.pflow", tmp_path / "deep.pflow"
    deeper.write_text(nested_groups(MAX_NESTING + 1), encoding="utf-8")
    deep.write_text(nested_groups(MAX_NESTING), encoding="utf-8")
    refused = subprocess.run([sys.executable, "-m", "pflow_studio", "run", "--serial", "-q", str(deeper)],
                             capture_output=True, text=True, timeout=120)
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr == f"pflow-studio: error: {deeper}: {TOO_DEEP}\n"
    ran = subprocess.run([sys.executable, "-m", "pflow_studio", "run", "--serial", "-q", str(deep)],
                         capture_output=True, text=True, timeout=120)
    assert (ran.returncode, ran.stderr) == (0, "")
    assert json.loads(ran.stdout) == {f"g{MAX_NESTING - 1}": {"out": 2.0}}
