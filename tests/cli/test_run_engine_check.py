"""`pflow-studio run --profile P` on a running cluster with an engine where pflow_studio cannot be imported
(a sitecustomize blocks it, as where it is not installed): the run fails with exit status 1 before any
element runs, and its one-line error names the engine, its host and what to install."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from tests.support.clusters import pflow
from tests.support.import_blocker import no_pflow_dir
from tests.support.paths import ROOT
from tests.support.processes import processes_under, wait_until
from tests.support.projects import expression_map_file


@pytest.mark.timeout(300)
def test_run_refuses_an_engine_without_pflow_studio_naming_it(ipython_dir, tmp_path):
    started = pflow(ipython_dir, "cluster", "start", "--profile", "lab", "-n", "1")
    assert started.returncode == 0, started.stderr
    try:
        engine_file = pflow(ipython_dir, "cluster", "engine-file", "--profile", "lab").stdout.strip()
        env = dict(os.environ, IPYTHONDIR=str(ipython_dir),
                   PYTHONPATH=os.pathsep.join([str(no_pflow_dir(tmp_path)), str(ROOT)]))
        subprocess.Popen([sys.executable, "-m", "ipyparallel.engine", f"--file={engine_file}", "--log-level=40"],
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert wait_until(lambda: _engines(ipython_dir) == 2, 60)
        project = expression_map_file(tmp_path / "squares.pflow", list(range(40)), "x * x")
        done = pflow(ipython_dir, "run", str(project), "--profile", "lab")
    finally:
        stopped = pflow(ipython_dir, "cluster", "stop", "--profile", "lab")
    assert done.returncode == 1, done.stderr
    assert f"EnginesUnfit: engine 1 on {socket.gethostname()}: pflow_studio is not installed there" in done.stderr
    assert "install pflow-studio" in done.stderr and "Traceback" not in done.stderr
    [entry] = json.loads(project.with_suffix(".run.json").read_text())["maps"]
    assert entry["total"] == entry["not_run"] == 40  # the run record: no element ran
    assert stopped.returncode == 0, stopped.stderr
    assert wait_until(lambda: not processes_under(ipython_dir), 10)


def _engines(ipython_dir) -> int:
    info = pflow(ipython_dir, "cluster", "info", "--profile", "lab", "--json")
    return len(json.loads(info.stdout)["engines"]) if info.returncode == 0 else 0
