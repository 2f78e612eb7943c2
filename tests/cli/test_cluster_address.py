"""Where `pflow-studio cluster start` makes the controller listen (the profile's ipcontroller_config.py and
ipcluster_config.py, an explicit --ip), `cluster engine-file`, and a dead controller on another address
failing at once (real clusters on loopback addresses, subprocesses)."""

from __future__ import annotations

import json
import pathlib
import socket

import pytest

from pflow_studio.cluster_panel.discovery import engine_file
from pflow_studio.cluster_panel.manager import ClusterManager
from pflow_studio.runtime.cluster.errors import ClusterError
from tests.support.clusters import pflow
from tests.support.processes import processes_under, wait_until

NOWHERE = "192.0.2.1"  # TEST-NET-1: never routed, nothing listens


def profile(ipython_dir: pathlib.Path, name: str, **files: str) -> pathlib.Path:
    """Profile `name` with config files (file stem -> text), e.g. ipcontroller_config='c.IPController.ip = ...'."""
    path = ipython_dir / f"profile_{name}"
    path.mkdir(parents=True)
    for stem, text in files.items():
        (path / f"{stem}.py").write_text(f"c = get_config()  # noqa\n{text}\n")
    return path


def interface(profile_dir: pathlib.Path, cluster_id: str) -> str:
    return json.loads(engine_file(profile_dir, cluster_id).read_text())["interface"]


def started(ipython_dir: pathlib.Path, *args: str) -> str:
    done = pflow(ipython_dir, "cluster", "start", "-n", "1", *args)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.timeout(300)
def test_ipcontroller_config_is_honoured_and_an_explicit_ip_beats_it(ipython_dir):
    lab = profile(ipython_dir, "lab", ipcontroller_config='c.IPController.ip = "127.0.0.3"')
    try:
        configured = started(ipython_dir, "--profile", "lab")
        assert interface(lab, configured) == "tcp://127.0.0.3"
        shown = pflow(ipython_dir, "cluster", "engine-file", "--profile", "lab")
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.strip() == str(lab / "security" / f"ipcontroller-{configured}-engine.json")
        assert "ipengine --file=" in shown.stderr
        explicit = started(ipython_dir, "--profile", "lab", "--ip", "127.0.0.4")  # not the one on .3: a new one
        assert explicit != configured and interface(lab, explicit) == "tcp://127.0.0.4"
        again = started(ipython_dir, "--profile", "lab", "--ip", "127.0.0.3")  # the one on .3 is reused
        assert again == configured
    finally:
        assert pflow(ipython_dir, "cluster", "cleanup", "--profile", "lab").returncode == 0
    assert wait_until(lambda: not processes_under(ipython_dir), 10)


@pytest.mark.timeout(240)
def test_ipcluster_config_controller_ip_keeps_working(ipython_dir):
    lab = profile(ipython_dir, "lab", ipcluster_config='c.Cluster.controller_ip = "127.0.0.5"')
    try:
        assert interface(lab, started(ipython_dir, "--profile", "lab")) == "tcp://127.0.0.5"
    finally:
        assert pflow(ipython_dir, "cluster", "cleanup", "--profile", "lab").returncode == 0
    assert wait_until(lambda: not processes_under(ipython_dir), 10)


def test_engine_file_without_a_cluster_fails_cleanly(ipython_dir):
    done = pflow(ipython_dir, "cluster", "engine-file")
    assert done.returncode == 1 and done.stdout == ""
    assert "no running cluster found for profile 'default'" in done.stderr and "Traceback" not in done.stderr
    wrong = pflow(ipython_dir, "cluster", "info", "--ip", "127.0.0.3")
    assert wrong.returncode == 2 and "--ip and --location go with 'start'" in wrong.stderr


def dead_remote_cluster(profile_dir: pathlib.Path, cluster_id: str) -> int:
    """A client connection file of cluster `cluster_id` whose controller would be at NOWHERE; returns its port."""
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    ports = {name: port + k for k, name in enumerate(
        ["registration", "control", "mux", "task", "iopub", "hb_ping", "hb_pong", "notification", "broadcast"])}
    security = profile_dir / "security"
    security.mkdir(parents=True, exist_ok=True)
    (security / f"ipcontroller-{cluster_id}-client.json").write_text(json.dumps({
        "ssh": "", "interface": f"tcp://{NOWHERE}", **ports, "key": "k", "location": NOWHERE, "pack": "json",
        "unpack": "json", "signature_scheme": "hmac-sha256", "task_scheme": "leastload"}))
    return port


def test_a_dead_controller_on_another_address_fails_from_the_probe(ipython_dir):
    """ipp.Client would wait its whole timeout (10 s here); the TCP probe fails first and names the address."""
    manager = ClusterManager("default", ipython_dir=ipython_dir)
    port = dead_remote_cluster(manager.profile_dir, "far")
    address = f"tcp://{NOWHERE}:{port}"
    with pytest.raises(ClusterError, match="does not answer") as chosen:
        manager.connect("far", timeout=10.0)
    assert address in str(chosen.value)
    with pytest.raises(ClusterError, match="no running cluster found") as found:
        manager.connect(timeout=10.0)
    assert address in str(found.value) and "does not answer" in str(found.value)
    shown = pflow(ipython_dir, "cluster", "info")
    assert shown.returncode == 1 and address in shown.stdout and "does not answer" in shown.stdout
