"""`pflow-studio run FILE` with Maps on a cluster: the embedded default (a local cluster the run starts,
owns and stops), `--profile` on a running cluster, per-element failures, the run record, and the element
store keeping what finished when the run is stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from pflow_studio.runtime.element_store.store import ElementStore
from pflow_studio.runtime.run_record import entry_items
from tests.support.clusters import pflow
from tests.support.paths import ROOT
from tests.support.processes import processes_under, wait_until
from tests.support.projects import expression_map_file
from tests.support.qt_blocker import blocker_dir

EXAMPLE = ROOT / "resources" / "examples" / "square_offset_map.pflow"


def reciprocal_map(tmp_path, on_error: str = "fail"):
    """A Map of 1/x over [1, 0, 4]: element 1 fails on the engine."""
    return expression_map_file(tmp_path / f"reciprocal_{on_error}.pflow", [1, 0, 4], "1 / x", on_error=on_error,
                               label="Inverses")


@pytest.mark.timeout(240)
def test_example_runs_on_a_cluster_the_run_starts_and_stops(ipython_dir, tmp_path):
    record = tmp_path / "record.json"
    done = pflow(ipython_dir, "run", str(EXAMPLE), "--engines", "2", "--record", str(record))
    assert done.returncode == 0, done.stderr
    serial = pflow(ipython_dir, "run", "-q", "--serial", str(EXAMPLE))
    assert json.loads(done.stdout) == json.loads(serial.stdout)
    assert "Maps run on a cluster started for this session: 2 engines on this machine" in done.stderr
    entry = json.loads(record.read_text())["maps"][0]
    assert entry["label"] == "Map: square and offset" and entry["runner"] == "cluster" and entry["total"] == 10
    assert {item["engine"] for item in entry_items(entry)} <= {0, 1}
    assert all(item["status"] == "ok" and item["finished"] >= item["started"] for item in entry_items(entry))
    assert wait_until(lambda: not processes_under(ipython_dir), 10), "the run's own cluster outlived it"


@pytest.mark.timeout(240)
def test_failed_elements_are_named_with_engine_and_kept_with_skip(ipython_dir, tmp_path):
    failing = pflow(ipython_dir, "run", "--engines", "1", "--traceback", str(reciprocal_map(tmp_path)))
    assert failing.returncode == 1
    assert "1 of 3 elements failed" in failing.stderr
    assert "element 1 (input {'x': 0}) on engine 0" in failing.stderr
    assert "ZeroDivisionError" in failing.stderr
    skipped = pflow(ipython_dir, "run", "-q", "--engines", "1", str(reciprocal_map(tmp_path, "skip")))
    assert skipped.returncode == 0, skipped.stderr
    assert json.loads(skipped.stdout) == {"Inverses": {"result": [1.0, 0.25]}}
    record = json.loads((tmp_path / "reciprocal_skip.run.json").read_text())
    # the same body and elements: the two that succeeded come from the element store, the failed one ran again
    assert [item["status"] for item in entry_items(record["maps"][0])] == ["cached", "failed", "cached"]
    assert wait_until(lambda: not processes_under(ipython_dir), 10)


@pytest.mark.timeout(300)
def test_profile_uses_the_running_cluster_and_leaves_it_running(ipython_dir, tmp_path):
    started = pflow(ipython_dir, "cluster", "start", "--profile", "lab", "-n", "1")
    assert started.returncode == 0, started.stderr
    try:
        done = pflow(ipython_dir, "run", str(EXAMPLE), "--profile", "lab", "--record", str(tmp_path / "r.json"))
        assert done.returncode == 0, done.stderr
        assert "Maps run on the running cluster of profile 'lab' (1 engines" in done.stderr
        assert processes_under(ipython_dir), "a cluster the run did not start must be left running"
    finally:
        stopped = pflow(ipython_dir, "cluster", "stop", "--profile", "lab")
        assert stopped.returncode == 0, stopped.stderr
    assert wait_until(lambda: not processes_under(ipython_dir), 10)


def test_serial_cannot_be_combined_with_cluster_options(ipython_dir):
    done = pflow(ipython_dir, "run", "--serial", "--engines", "2", str(EXAMPLE))
    assert done.returncode == 2
    assert "cannot be combined" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.timeout(240)
def test_a_headless_machine_without_qt_runs_the_example_on_a_cluster(ipython_dir, tmp_path):
    blocker = blocker_dir(tmp_path)
    env = dict(os.environ, IPYTHONDIR=str(ipython_dir), PYTHONPATH=os.pathsep.join([str(blocker), str(ROOT)]))
    done = subprocess.run([sys.executable, "-m", "pflow_studio", "run", "-q", "--engines", "1", "--record",
                           str(tmp_path / "r.json"), str(EXAMPLE)], env=env, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Total"] == {"result": 290.0}
    assert wait_until(lambda: not processes_under(ipython_dir), 10)


@pytest.mark.timeout(240)
def test_ctrl_c_mid_map_on_a_cluster_keeps_the_chunks_that_finished(ipython_dir, tmp_path):
    project = expression_map_file(tmp_path / "slow.pflow", list(range(80)), "__import__('time').sleep(0.1) or x")
    env = dict(os.environ, IPYTHONDIR=str(ipython_dir), PYTHONPATH=str(ROOT))
    running = subprocess.Popen([sys.executable, "-m", "pflow_studio", "run", "--engines", "2", str(project)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    store = ElementStore()
    try:
        assert wait_until(lambda: store.info().elements >= 10, 120, interval=0.1)
    finally:
        store.close()
    running.send_signal(signal.SIGINT)
    _, err = running.communicate(timeout=60)
    assert running.returncode == 130, err
    items = entry_items(json.loads(project.with_suffix(".run.json").read_text())["maps"][0])
    finished = {item["index"] for item in items if item["status"] == "ok"}
    assert len(finished) >= 10 and {item["status"] for item in items} == {"ok", "not_run"}
    assert wait_until(lambda: not processes_under(ipython_dir), 10), "the run's own cluster outlived it"
    again = pflow(ipython_dir, "run", "-q", "--serial", str(project))
    assert again.returncode == 0, again.stderr
    statuses = [i["status"] for i in entry_items(json.loads(project.with_suffix(".run.json").read_text())["maps"][0])]
    assert statuses == ["cached" if index in finished else "ok" for index in range(80)]
