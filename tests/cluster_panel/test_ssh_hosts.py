"""Engines on SSH hosts (network namespaces h2, h3 with an sshd; h4 without): start, a Map on them, Stop and
Cleanup leaving nothing on any host, failed starts that end early and clean up, and the host check."""

from __future__ import annotations

import pathlib
import sys

import psutil
import pytest

from pflow_studio.cluster_panel import ssh_engines
from pflow_studio.cluster_panel.keeper import manager_keeper
from pflow_studio.cluster_panel.manager import ClusterManager
from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.cluster.errors import ClusterError
from pflow_studio.runtime.cluster.runner import ClusterRunner
from pflow_studio.runtime.executor import Executor
from tests.support import sshd
from tests.support.clusters import pflow
from tests.support.netns import ROOT_ADDRESS, Hosts
from tests.support.nodes import make_registry
from tests.support.paths import ROOT
from tests.support.processes import end_all_under, wait_until
from tests.support.workflows import map_over

H2, H3, H4 = "198.18.0.2", "198.18.0.3", "198.18.0.4"


@pytest.fixture(scope="module")
def servers(netns_hosts, tmp_path_factory):
    reason = sshd.available()
    if reason:
        pytest.skip(reason)
    started = sshd.SshServers.start(tmp_path_factory.mktemp("ssh"), netns_hosts, ["h2", "h3"])
    yield started
    started.stop()


@pytest.fixture
def ipython_dir(servers, tmp_path):
    """An IPython directory whose default profile reaches the hosts as a user would set it up: ssh options
    and the controller address in ipcluster_config.py (the remote profile directory is another one, as on
    another machine)."""
    path = tmp_path / "ipython"
    profile = path / "profile_default"
    profile.mkdir(parents=True)
    (profile / "ipcluster_config.py").write_text(
        "c = get_config()\n" + servers.profile_lines()
        + f"c.Cluster.controller_ip = {ROOT_ADDRESS!r}\n"
        + f"c.SSHLauncher.remote_profile_dir = {str(tmp_path / 'remote')!r}\n"
        + f"c.SSHLauncher.remote_python = {sys.executable!r}\n"
        + f"c.SSHEngineSetLauncher.environment = {{'PYTHONPATH': {str(ROOT)!r}}}\n")
    yield path
    end_all_under(path)
    end_all_under(tmp_path / "remote")


@pytest.fixture
def manager(ipython_dir):
    m = ClusterManager("default", ipython_dir=ipython_dir, call_timeout=5.0)
    yield m
    m.shutdown_owned()


def _left(hosts: Hosts, servers: sshd.SshServers) -> dict[str, list[int]]:
    """What runs on h2, h3, h4 besides their sshd listeners."""
    return {host: sorted(set(hosts.pids(host)) - servers.sshd_pids(host)) for host in ("h2", "h3", "h4")}


def _ssh_clients(servers: sshd.SshServers) -> list[int]:
    """ssh/scp clients on this machine that use the test key (ours, or orphans of a process that ended)."""
    key = str(servers.directory / "client_key")
    found = []
    for proc in psutil.process_iter(["name", "cmdline"]):
        if proc.info["name"] in ("ssh", "scp") and key in (proc.info["cmdline"] or []):
            found.append(proc.pid)
    return found


@pytest.mark.timeout(900)  # includes waiting for the test hosts (one session at a time)
def test_engines_on_two_hosts_run_a_map_and_cleanup_leaves_nothing(manager, netns_hosts, servers,
                                                                  capfd):
    info = manager.start_engines(3, ssh={H2: 2, H3: 1})
    assert len(info.engines) == 3 and all(engine.ours for engine in info.engines)
    client = manager.client
    tags = client[:].apply_sync(lambda: __import__("os").environ.get("PFLOW_STUDIO_TAG"))
    names = client[:].apply_sync(lambda: __import__("socket").gethostname())
    assert sorted(names) == ["h2", "h2", "h3"] and set(tags) == {manager._record.tag}
    assert sorted(e["host"] for e in manager._record.remote) == [H2, H2, H3]

    wf = map_over("test.square_offset", {"mapped": ["x"]}, {"x": list(range(1, 13))})
    result = Executor(make_registry(), runner=ClusterRunner(client), cache=False).run(wf)
    assert result.outputs["map"]["y"] == [x * x for x in range(1, 13)]

    line = manager.cleanup(terminate=True)
    assert "terminated" in line
    assert wait_until(lambda: not any(_left(netns_hosts, servers).values()), 10)
    assert _ssh_clients(servers) == []
    assert "ProcessLookupError" not in capfd.readouterr().err


@pytest.mark.timeout(120)
def test_a_host_without_sshd_fails_the_start_and_what_started_is_ended(manager, netns_hosts, servers):
    with pytest.raises(ClusterError, match=H4) as failed:
        manager.start_engines(2, ssh={H2: 1, H4: 1})
    assert "ended" in str(failed.value)
    assert not manager.connected and manager.find_leftovers() == []
    assert wait_until(lambda: not any(_left(netns_hosts, servers).values()), 10)
    assert _ssh_clients(servers) == []


@pytest.mark.timeout(120)
def test_engines_that_end_on_their_host_fail_the_start_at_once(manager, netns_hosts, servers, tmp_path):
    python = tmp_path / "python-without-engines"  # runs Python, but an engine exits at once
    python.write_text(f'#!/bin/sh\n[ "$2" = ipyparallel.engine ] && exit 3\nexec {sys.executable} "$@"\n')
    python.chmod(0o755)
    with pytest.raises(ClusterError, match=f"engines on {H3} ended") as failed:
        manager.start_engines(2, ssh={H3: 2}, remote_python=str(python), timeout=100)
    assert "0 of 2 engines registered" in str(failed.value)
    assert not manager.connected
    assert wait_until(lambda: not any(_left(netns_hosts, servers).values()), 10)


@pytest.mark.timeout(60)
def test_check_hosts_reports_a_host_with_and_one_without_sshd(manager):
    with_sshd, without = ssh_engines.check_hosts(manager.profile_dir, [H2, H4], timeout=20)
    assert with_sshd.reachable and with_sshd.ready
    assert with_sshd.python == sys.version.split()[0] and with_sshd.pflow_studio
    assert "reachable, Python" in with_sshd.line() and "NOT" not in with_sshd.line()
    assert not without.reachable and "not reachable" in without.line()


@pytest.mark.timeout(240)
def test_cli_start_over_ssh_then_cleanup_leaves_nothing(ipython_dir, netns_hosts, servers):
    started = pflow(ipython_dir, "cluster", "start", "--ssh", f"{H2}:1,{H3}:1", "--remote-python", sys.executable)
    assert started.returncode == 0, started.stderr
    assert "2 engines on h2 and h3" in started.stderr or f"on {H2} and {H3}" in started.stderr
    assert "ProcessLookupError" not in started.stderr
    assert _left(netns_hosts, servers)["h2"] and _ssh_clients(servers) == []
    cleaned = pflow(ipython_dir, "cluster", "cleanup")
    assert cleaned.returncode == 0, cleaned.stderr
    assert wait_until(lambda: not any(_left(netns_hosts, servers).values()), 10)
    assert list(pathlib.Path(ipython_dir).glob("profile_default/security/cluster-*.json")) == []


def slow_double(bindings: dict) -> dict:
    __import__("time").sleep(bindings["seconds"])
    return {"y": bindings["x"] * 2}


@pytest.mark.timeout(300)
def test_an_engine_lost_on_an_ssh_host_is_replaced_on_that_host(manager, netns_hosts, servers, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # engines unpickle `slow_double` by reference
    manager.start_engines(2, ssh={H2: 1, H3: 1})
    [victim] = [entry["pid"] for entry in manager._record.remote if entry["host"] == H3]
    said: list[str] = []
    killed: list[int] = []

    def progress(done: int, total: int) -> None:
        if done >= 6 and not killed:
            killed.append(victim)
            __import__("os").kill(victim, 9)

    runner = ClusterRunner(manager.client, keeper=manager_keeper(lambda: manager, said.append))
    items = [{"x": i, "seconds": 0.3} for i in range(30)]
    outcomes = runner.map(slow_double, items, progress=progress, cancel=CancelToken())
    assert [outcome.value["y"] for outcome in outcomes] == [2 * i for i in range(30)]
    assert killed and any("in its place" in line for line in said), said
    assert wait_until(lambda: len(manager.client.ids) == 2, 60)
    names = manager.client[:].apply_sync(lambda: __import__("socket").gethostname())
    assert sorted(names) == ["h2", "h3"], (names, said)
