"""A second machine by hand, from the command line, with test hosts (network namespaces): `cluster start
--ip` on the bridge, `cluster engine-file`, engines started on h2 and h3 from that file, then `pflow-studio
run` spreads a Map over them and the local engine, and the run record names the three hosts."""

from __future__ import annotations

import json
import pathlib
import socket

import pytest

from pflow_studio.runtime.run_record import entry_items, read
from tests.support.clusters import pflow
from tests.support.netns import ROOT_ADDRESS
from tests.support.processes import processes_under, wait_until
from tests.support.projects import expression_map_file

pytestmark = pytest.mark.timeout(300)


def engines(ipython_dir: pathlib.Path) -> int:
    shown = pflow(ipython_dir, "cluster", "info", "--json")
    return len(json.loads(shown.stdout)["engines"]) if shown.returncode == 0 else 0


def test_engines_on_two_hosts_from_the_engine_file_take_a_runs_work(netns_hosts, ipython_dir, tmp_path):
    started = pflow(ipython_dir, "cluster", "start", "--ip", ROOT_ADDRESS, "-n", "1")
    assert started.returncode == 0, started.stderr
    try:
        shown = pflow(ipython_dir, "cluster", "engine-file")
        assert shown.returncode == 0, shown.stderr
        path = pathlib.Path(shown.stdout.strip())
        assert json.loads(path.read_text())["interface"] == f"tcp://{ROOT_ADDRESS}"
        for host in ("h2", "h3"):
            netns_hosts.start_engine(host, path)
        assert wait_until(lambda: engines(ipython_dir) == 3, 120, interval=1.0)
        project = expression_map_file(tmp_path / "hosts.pflow", list(range(90)),
                                      "__import__('time').sleep(0.02) or x * x")
        done = pflow(ipython_dir, "run", "-q", "--no-cache", "--profile", "default", str(project))
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["Map"]["result"] == [x * x for x in range(90)]
        [entry] = read(project.with_suffix(".run.json"))["maps"]
        assert {item["host"] for item in entry_items(entry)} == {"h2", "h3", socket.gethostname()}
    finally:
        stopped = pflow(ipython_dir, "cluster", "stop")
        netns_hosts.end_started()
    assert stopped.returncode == 0, stopped.stderr
    assert wait_until(lambda: not processes_under(ipython_dir), 10)
    assert not netns_hosts.pids("h2") and not netns_hosts.pids("h3")
