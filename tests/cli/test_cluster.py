"""`pflow-studio cluster start|info|stop|cleanup` on a headless machine (real clusters, subprocesses)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from pflow_studio.cli.main import main
from tests.support.paths import ROOT
from tests.support.processes import processes_under, wait_until


def cli(ipython_dir, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, IPYTHONDIR=str(ipython_dir), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "pflow_studio", "cluster", *args], env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.timeout(240)
def test_start_info_stop(ipython_dir):
    started = cli(ipython_dir, "start", "-n", "1")
    assert started.returncode == 0, started.stderr
    cluster_id = started.stdout.strip()
    assert cluster_id.startswith("pflow-") and "left running" in started.stderr
    assert processes_under(ipython_dir)  # detached: alive after the command exited
    again = cli(ipython_dir, "start", "-n", "1")  # reuses our detached cluster
    assert again.returncode == 0 and again.stdout.strip() == cluster_id
    shown = cli(ipython_dir, "info", "--json")
    assert shown.returncode == 0, shown.stderr
    info = json.loads(shown.stdout)
    assert info["connected"] and info["cluster_id"] == cluster_id and len(info["engines"]) == 2
    assert all(e["pid"] for e in info["engines"])
    # ours: recorded by `cluster start` in the profile's state file, though this process only connects
    assert [(e["ours"], e["owner"], e["local"]) for e in info["engines"]] == [(True, "left running", True)] * 2
    assert info["controller_ours"] and info["controller_owner"] == "left running" and not info["owned_pids"]
    assert [(h["engines"], h["ours"]) for h in info["hosts"]] == [(2, 2)]
    table = cli(ipython_dir, "info")
    assert table.returncode == 0 and cluster_id in table.stdout and "engines:     2" in table.stdout
    assert "2 engines, 2 ours, this machine" in table.stdout and "ours: left running" in table.stdout
    stopped = cli(ipython_dir, "stop")
    assert stopped.returncode == 0, stopped.stderr
    assert wait_until(lambda: not processes_under(ipython_dir), 10)
    nothing = cli(ipython_dir, "info")
    assert nothing.returncode == 1 and "no running cluster" in nothing.stdout


@pytest.mark.timeout(240)
def test_cleanup_ends_our_leftovers(ipython_dir):
    assert cli(ipython_dir, "start", "-n", "1").returncode == 0
    done = cli(ipython_dir, "cleanup")
    assert done.returncode == 0 and "ended" in done.stderr
    assert not processes_under(ipython_dir)
    assert "nothing of ours" in cli(ipython_dir, "cleanup").stderr


def test_usage_errors(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["cluster", "bogus"])
    assert exc.value.code == 2
    assert main(["cluster", "start", "-n", "0"]) == 2
    assert "at least 1" in capsys.readouterr().err


def test_stop_without_a_cluster_fails(ipython_dir):
    done = cli(ipython_dir, "stop")
    assert done.returncode == 1 and "no running cluster" in done.stderr
