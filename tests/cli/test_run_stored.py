"""`pflow-studio run` with the element store, each run a separate process (--serial): what runs again after
a fix, a grown list, an edited body, --no-cache, Ctrl+C half-way, two runs at once, a damaged store, a full
store; --plan; `pflow-studio cache info|clear`."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys

import pytest

from pflow_studio.project.file_format import Project, save
from pflow_studio.runtime.element_store.store import ElementStore
from pflow_studio.runtime.mapping import FAILURE_DETAILS
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.run_record import entry_items
from tests.support.paths import EXAMPLES, ROOT
from tests.support.processes import wait_until

pytestmark = pytest.mark.timeout(120)


def expression_map(tmp_path: pathlib.Path, values: list, expression: str = "10 // x",
                   name: str = "p.pflow") -> pathlib.Path:
    """const.list 'values' -> Map 'Inverse' of a Python expression of x (on_error none) -> the project file."""
    body = Workflow()
    body.add_node("py.expression", {"expression": expression, "inputs": ["x"]}, id="fn")
    workflow = Workflow()
    workflow.add_node("const.list", {"value": values}, id="values")
    workflow.add_node("core.map", {"mapped": ["x"], "on_error": "none"}, id="map", label="Inverse", body=body,
                      is_output=True)
    workflow.connect("values", "value", "map", "x")
    path = tmp_path / name
    save(Project(workflow, {}), path)
    return path


def pflow(*args: str, wait: bool = True, **env: str):
    full_env = dict(os.environ, PYTHONPATH=str(ROOT), **env)
    argv = [sys.executable, "-m", "pflow_studio", *args]
    if not wait:
        return subprocess.Popen(argv, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(argv, env=full_env, capture_output=True, text=True, timeout=100)


def stored_at_least(count: int) -> bool:
    """Wait (up to 60 s) until the test's element store holds `count` elements."""
    store = ElementStore()
    try:
        return wait_until(lambda: store.info().elements >= count, 60, interval=0.05)
    finally:
        store.close()


def run(project: pathlib.Path, *extra: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run the project serially; the statuses of its Map's elements from the run record."""
    done = pflow("run", "-q", "--serial", *extra, str(project))
    record = project.with_suffix(".run.json")
    statuses = [i["status"] for i in entry_items(json.loads(record.read_text())["maps"][0])] if record.exists() else []
    record.unlink(missing_ok=True)
    return done, statuses


def test_a_grown_list_runs_only_the_new_elements(tmp_path):
    done, statuses = run(expression_map(tmp_path, [1, 2, 5]))
    assert done.returncode == 0 and statuses == ["ok", "ok", "ok"]
    done, statuses = run(expression_map(tmp_path, [1, 2, 5, 10, 2]))
    assert statuses == ["cached", "cached", "cached", "ok", "cached"]  # 2 is stored already: served twice
    assert json.loads(done.stdout)["Inverse"] == {"result": [10, 5, 2, 1, 5]}


def test_only_the_failed_element_runs_again(tmp_path):
    flag = tmp_path / "ready"
    expression = f"10 // x if x else len(open({str(flag)!r}).read())"
    project = expression_map(tmp_path, [1, 0, 5], expression)
    _, statuses = run(project)
    assert statuses == ["ok", "failed", "ok"]  # the file is missing
    flag.write_text("four")
    done, statuses = run(project)
    assert statuses == ["cached", "ok", "cached"]
    assert json.loads(done.stdout)["Inverse"] == {"result": [10, 4, 2]}


def test_an_edit_of_the_body_code_runs_every_element_again(tmp_path):
    run(expression_map(tmp_path, [1, 2, 5]))
    _, statuses = run(expression_map(tmp_path, [1, 2, 5], "20 // x"))
    assert statuses == ["ok", "ok", "ok"]


def test_no_cache_neither_reads_nor_writes_the_store(tmp_path):
    project = expression_map(tmp_path, [1, 2])
    _, statuses = run(project, "--no-cache")
    assert statuses == ["ok", "ok"]
    _, statuses = run(project)
    assert statuses == ["ok", "ok"]  # nothing was stored by the --no-cache run
    _, statuses = run(project, "--no-cache")
    assert statuses == ["ok", "ok"]  # and nothing is served to one


def test_ctrl_c_half_way_keeps_what_finished_and_the_next_run_computes_only_the_rest(tmp_path):
    project = expression_map(tmp_path, list(range(1, 41)), "__import__('time').sleep(0.1) or x")
    running = pflow("run", "--serial", str(project), wait=False)
    assert stored_at_least(10)  # a quarter done (stored in batches as they finish)
    running.send_signal(signal.SIGINT)
    _, err = running.communicate(timeout=30)
    assert running.returncode == 130 and "interrupted" in err
    record = json.loads(project.with_suffix(".run.json").read_text())["maps"][0]
    finished = [i["index"] for i in entry_items(record) if i["status"] == "ok"]
    assert record["not_run"] == 40 - len(finished) and 0 < len(finished) < 40
    done, statuses = run(project)
    assert done.returncode == 0
    assert statuses == ["cached" if index in finished else "ok" for index in range(40)]


def test_sigterm_keeps_what_finished_too(tmp_path):
    project = expression_map(tmp_path, list(range(1, 31)), "__import__('time').sleep(0.1) or x")
    running = pflow("run", "--serial", str(project), wait=False)
    assert stored_at_least(5)
    running.send_signal(signal.SIGTERM)
    running.communicate(timeout=30)
    assert running.returncode == 128 + signal.SIGTERM
    kept = [i for i in entry_items(json.loads(project.with_suffix(".run.json").read_text())["maps"][0])
            if i["status"] == "ok"]
    _, statuses = run(project)
    assert statuses.count("cached") == len(kept) > 0


def test_two_runs_at_once_share_the_store(tmp_path):
    projects = [expression_map(tmp_path, list(range(1, 21)), "__import__('time').sleep(0.02) or x", f"p{i}.pflow")
                for i in range(2)]
    running = [pflow("run", "-q", "--serial", str(p), wait=False) for p in projects]
    assert [r.wait(timeout=100) for r in running] == [0, 0]
    for project in projects:
        _, statuses = run(project)
        assert statuses == ["cached"] * 20


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_damaged_store_is_rebuilt_with_a_warning(tmp_path, damage):
    project = expression_map(tmp_path, [1, 2, 5])
    run(project)
    store = pathlib.Path(os.environ["PFLOW_STUDIO_CACHE_DIR"]) / "elements.sqlite3"
    for suffix in ("-wal", "-shm"):
        pathlib.Path(str(store) + suffix).unlink(missing_ok=True)
    store.write_bytes(store.read_bytes()[:100] if damage == "truncated" else b"\x00garbage" * 500)
    done, statuses = run(project)
    assert done.returncode == 0 and statuses == ["ok", "ok", "ok"]
    assert "was damaged" in done.stderr and "set aside" in done.stderr and "Traceback" not in done.stderr
    _, statuses = run(project)
    assert statuses == ["cached"] * 3


def test_a_full_store_evicts_the_least_recently_used(tmp_path):
    old = expression_map(tmp_path, list(range(1, 51)), "'x' * 2000 + str(x)", "old.pflow")
    new = expression_map(tmp_path, list(range(1, 51)), "'y' * 2000 + str(x)", "new.pflow")
    run(old, "--cache-size", "150k")
    run(new, "--cache-size", "150k")  # 50 elements of about 2 kB more: over the cap, the oldest go
    _, statuses = run(new, "--cache-size", "150k")
    assert statuses == ["cached"] * 50
    _, statuses = run(old, "--cache-size", "150k")
    assert "ok" in statuses  # some of the old Map's elements were evicted


def test_plan_says_what_would_run_and_runs_nothing(tmp_path):
    project = expression_map(tmp_path, [1, 2, 5])
    run(expression_map(tmp_path, [1, 2], name="first.pflow"))
    done = pflow("run", "--plan", "--json", str(project))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"maps": [{"path": ["map"], "label": "Inverse", "kind": "Map", "known": True,
                                                 "total": 3, "stored": 2, "to_run": 1}]}
    assert not project.with_suffix(".run.json").exists()
    text = pflow("run", "--plan", str(project))
    assert text.stdout.strip() == "Map 'Inverse' (map): 3 elements, 2 stored, 1 would run"
    _, statuses = run(project)
    assert statuses == ["cached", "cached", "ok"]  # planning stored nothing


def test_cache_info_and_clear(tmp_path):
    project = expression_map(tmp_path, [1, 0, 5])
    other = expression_map(tmp_path, [7], "x + 1", "other.pflow")
    run(project)
    run(other)
    info = json.loads(pflow("cache", "info", "--json").stdout)
    assert (info["elements"], info["ok"], info["failed"], info["runs"]) == (4, 3, 1, 2)
    assert info["path"].startswith(os.environ["PFLOW_STUDIO_CACHE_DIR"])
    mine = json.loads(pflow("cache", "info", "--json", str(project)).stdout)
    assert (mine["elements"], mine["failed"]) == (3, 1)
    cleared = pflow("cache", "clear", str(project))
    assert cleared.returncode == 0 and "forgot 3 stored element(s)" in cleared.stderr
    assert json.loads(pflow("cache", "info", "--json").stdout)["elements"] == 1
    assert pflow("cache", "clear").returncode == 0
    assert "elements:  0 (0 ok, 0 failed)" in pflow("cache", "info").stdout


def test_cache_dir_option_and_bad_usage(tmp_path):
    chosen = tmp_path / "chosen"
    run(expression_map(tmp_path, [1]), "--cache-dir", str(chosen))
    assert (chosen / "elements.sqlite3").exists()
    assert pflow("run", "--json", str(expression_map(tmp_path, [1]))).returncode == 2
    bad = pflow("run", "--cache-size", "lots", str(expression_map(tmp_path, [1])))
    assert bad.returncode == 2 and "not a size" in bad.stderr


def test_the_record_command_lists_each_element_from_the_compact_record(tmp_path):
    project = expression_map(tmp_path, [1, 0, 5])
    assert pflow("run", "-q", "--serial", str(project)).returncode == 0
    shown = pflow("record", str(project), "--elements")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("Inverse (map) runner serial: 3 elements, 1 failed, 0 from the store, 0 not run")
    assert [line.split()[:2] for line in lines[1:]] == [["0", "ok"], ["1", "failed"], ["2", "ok"]]
    assert "node 'fn' failed: ZeroDivisionError: integer division or modulo by zero" in lines[2]
    as_json = json.loads(pflow("record", str(project.with_suffix(".run.json")), "--json", "--elements",
                               "--map", "Inverse").stdout)
    assert [item["status"] for item in as_json["maps"][0]["elements"]] == ["ok", "failed", "ok"]
    refused = pflow("record", str(tmp_path / "missing.run.json"))
    assert refused.returncode == 2 and "cannot read the run record" in refused.stderr


def test_a_map_failing_everywhere_lists_its_first_failed_elements_and_where_the_rest_are(tmp_path):
    project = expression_map(tmp_path, [0] * 130, "10 // x")
    workflow_failing = json.loads(project.read_text())
    for node in workflow_failing["workflow"]["nodes"]:
        if node["id"] == "map":
            node["properties"]["on_error"] = "fail"
    project.write_text(json.dumps(workflow_failing))
    done = pflow("run", "-q", "--serial", str(project))
    assert done.returncode == 1
    listed = [line for line in done.stderr.splitlines() if line.startswith("  element ")]
    assert len(listed) == FAILURE_DETAILS and "130 of 130 elements failed" in done.stderr
    assert f"pflow-studio record {project} --elements" in done.stderr
    shown = pflow("record", str(project), "--elements")
    assert sum(" failed " in line for line in shown.stdout.splitlines()) == 130


def test_plan_names_a_for_and_counts_its_iterations(tmp_path):
    project = tmp_path / "loops.pflow"
    shutil.copy(EXAMPLES / "loops.pflow", project)
    done = pflow("run", "--plan", str(project))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("For ") and ": 10 iterations, 0 stored, 10 would run" in line for line in lines)
    assert any(line.startswith("Map ") and " elements, " in line for line in lines)
