"""A Map on engines of several hosts: 2 test hosts (network namespaces h2, h3) and this machine, all
registered with a controller listening on the bridge (198.18.0.1), share the work; results come back
correct and in order, and the run record names the host of every element."""

from __future__ import annotations

import pathlib
import socket

import pytest

from pflow_studio.runtime.cluster.runner import ClusterRunner
from pflow_studio.runtime.executor import Executor
from pflow_studio.runtime.run_record import RunRecorder, entry_items
from tests.support.clusters import start_cluster
from tests.support.netns import ROOT_ADDRESS
from tests.support.workflows import map_over

pytestmark = pytest.mark.timeout(240)


def test_engines_on_two_hosts_and_this_machine_share_a_map(registry, netns_hosts, tmp_path):
    def on_hosts(engine_file: pathlib.Path) -> int:
        for host in ("h2", "h3"):
            netns_hosts.start_engine(host, engine_file)
        return 2

    local = start_cluster(tmp_path / "profile", n=1, ip=ROOT_ADDRESS, elsewhere=on_hosts)
    try:
        recorder = RunRecorder()
        xs = [x for x in range(120) if x != 13]  # 13 fails on purpose in test.square_offset
        wf = map_over("test.square_offset", {"mapped": ["x"]}, {"x": xs})
        result = Executor(registry, runner=ClusterRunner(local.client), cache=False).run(wf, listeners=[recorder])
    finally:
        local.stop()
        netns_hosts.end_started()
    assert result.ok and result.outputs["map"]["y"] == [x * x for x in xs]
    [entry] = recorder.record.to_json()["maps"]
    hosts = [item["host"] for item in entry_items(entry)]
    here = socket.gethostname()
    assert set(hosts) == {"h2", "h3", here}, hosts
