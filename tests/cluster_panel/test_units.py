"""The small parts without a cluster: process identity, the state file, profiles, bounded calls."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time

import pytest

from pflow_studio.cluster_panel.bounded import CallTimeout, call_with_timeout
from pflow_studio.cluster_panel.discovery import candidate_cluster_ids, find_leftovers, survey
from pflow_studio.cluster_panel.processes import ProcessRef, end_processes, me
from pflow_studio.cluster_panel.profiles import list_profiles, profile_dir
from pflow_studio.cluster_panel.state_file import OwnedRecord, StateFile


def test_a_pid_with_another_create_time_is_not_that_process():
    ref = me()
    assert ref.alive()
    impostor = ProcessRef(ref.pid, ref.create_time - 1000.0)
    assert not impostor.alive()
    assert end_processes([impostor]) == []  # and we are still here


@pytest.mark.timeout(30)
def test_end_processes_terminates_and_reaps():
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    ref = ProcessRef.of(proc.pid)
    assert ref is not None and ref.alive()
    assert end_processes([ref]) == [ref]
    assert proc.wait(5) is not None
    assert not ref.alive()


def test_state_file_round_trip_and_damage(tmp_path):
    state = StateFile(tmp_path)
    record = OwnedRecord(tag="t1", cluster_id="c1", owner=me(), controller_ours=True,
                         controller=ProcessRef(1, 2.5), processes=[ProcessRef(3, 4.0)], started=5.0)
    state.put(record)
    state.put(OwnedRecord(tag="t2", cluster_id="c2", owner=None, detached=True))
    loaded = state.load()
    assert loaded["t1"] == record and loaded["t2"].detached
    state.remove("t1")
    assert list(state.load()) == ["t2"]
    state.path.write_text("{not json")
    assert state.load() == {}


@pytest.mark.timeout(30)
def test_leftover_with_a_reused_pid_is_never_ended(tmp_path):
    """A record whose pid now belongs to an unrelated process (other create time) ends nothing."""
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        real = ProcessRef.of(sleeper.pid)
        assert real is not None
        state = StateFile(tmp_path)
        state.put(OwnedRecord(tag="old", cluster_id="c", owner=ProcessRef(os.getpid(), 1.0),
                              processes=[ProcessRef(real.pid, real.create_time - 50.0)]))
        assert find_leftovers("default", tmp_path, state) == []
        assert state.load() == {}  # the stale record is pruned
        assert real.alive()
    finally:
        sleeper.kill()
        sleeper.wait()


def test_profiles_are_created_and_listed(tmp_path):
    path = profile_dir("work", tmp_path)
    assert path == tmp_path / "profile_work" and (path / "security").is_dir()
    assert profile_dir("work", tmp_path) == path
    assert list_profiles(tmp_path) == ["default", "work"]
    with pytest.raises(ValueError):
        profile_dir("a/b", tmp_path)


def test_bounded_call_returns_raises_and_gives_up():
    assert call_with_timeout(lambda: 42, 1.0) == 42
    with pytest.raises(ZeroDivisionError):
        call_with_timeout(lambda: 1 / 0, 1.0)
    never = threading.Event()
    start = time.monotonic()
    with pytest.raises(CallTimeout):
        call_with_timeout(never.wait, 0.2, "waiting")
    assert time.monotonic() - start < 2.0
    never.set()


def test_candidate_clusters_leave_out_those_whose_controller_does_not_listen(tmp_path):
    """One TCP connection tells a live controller from a stale connection file, local or not; one reached
    through an SSH tunnel is kept (a probe cannot tell). Only the silent remote one is named."""
    security = tmp_path / "security"
    security.mkdir()
    listening = socket.create_server(("127.0.0.1", 0))
    closed = socket.create_server(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    files = {"live": ("tcp://127.0.0.1", listening.getsockname()[1], ""), "gone": ("tcp://127.0.0.1", closed_port, ""),
             "": ("tcp://127.0.0.1", closed_port, ""), "far": ("tcp://192.0.2.1", closed_port, ""),
             "tunnelled": ("tcp://192.0.2.1", closed_port, "me@gateway")}
    try:
        for cid, (interface, port, ssh) in files.items():
            name = f"ipcontroller-{cid}-client.json" if cid else "ipcontroller-client.json"
            (security / name).write_text(json.dumps({"interface": interface, "registration": port, "ssh": ssh}))
        answering, silent = survey(tmp_path)
        assert sorted(answering) == sorted(candidate_cluster_ids(tmp_path)) == ["live", "tunnelled"]
        assert silent == [f"cluster 'far': the controller at tcp://192.0.2.1:{closed_port} does not answer "
                          "(no TCP connection within 1 s): is it running, and can this machine reach that address?"]
    finally:
        listening.close()
