"""Ending what a dead session of ours left running (`orphans.end_orphans`), with real processes standing for
cluster processes: only non-detached records whose owner (pid + create time) is gone are ended."""

from __future__ import annotations

import os

import pytest

from pflow_studio.cluster_panel.orphans import end_orphans
from pflow_studio.cluster_panel.processes import ProcessRef
from pflow_studio.cluster_panel.profiles import profile_dir
from pflow_studio.cluster_panel.state_file import OwnedRecord, StateFile
from tests.support.processes import dead_process, sleeper

pytestmark = pytest.mark.fault


def _record(profile: os.PathLike, tag: str, owner: ProcessRef | None, *, detached: bool = False) -> ProcessRef:
    """A record `tag` owned by `owner` with one live process of ours; returns that process."""
    process = sleeper(profile, tag, owner)
    StateFile(profile).put(OwnedRecord(tag=tag, cluster_id=f"c-{tag}", owner=owner, detached=detached,
                                       processes=[process]))
    return process


def test_only_records_of_a_dead_owner_that_were_not_detached_are_ended(ipython_dir):
    profile = profile_dir("default", ipython_dir)
    crashed = dead_process()
    me = ProcessRef.of(os.getpid())
    assert me is not None
    reused = ProcessRef(me.pid, me.create_time - 1000)  # the owner's pid now names another (live) process
    other_app = sleeper(ipython_dir / "elsewhere")  # another running session of ours
    orphan = _record(profile, "orphan", crashed)
    orphan_of_reused_pid = _record(profile, "reused", reused)
    detached = _record(profile, "detached", None, detached=True)
    detached_by_dead = _record(profile, "kept", crashed, detached=True)
    live_owners = _record(profile, "live", other_app)
    mine = _record(profile, "mine", me)
    foreign = sleeper(profile)  # a cluster process we have no record of

    lines = end_orphans(profile)

    assert sorted(lines) == sorted([
        f"ended 1 leftover cluster processes of an earlier run (owner pid {crashed.pid} died, cluster 'c-orphan')",
        f"ended 1 leftover cluster processes of an earlier run (owner pid {me.pid} died, cluster 'c-reused')"])
    assert not orphan.alive() and not orphan_of_reused_pid.alive()
    assert all(ref.alive() for ref in (detached, detached_by_dead, live_owners, mine, foreign, other_app))
    assert set(StateFile(profile).load()) == {"detached", "kept", "live", "mine"}
    assert end_orphans(profile) == []  # nothing more to end


def test_a_record_whose_processes_are_all_gone_is_forgotten_without_a_line(ipython_dir):
    profile = profile_dir("default", ipython_dir)
    StateFile(profile).put(OwnedRecord(tag="gone", cluster_id="c", owner=dead_process(), processes=[dead_process()]))
    assert end_orphans(profile) == []
    assert StateFile(profile).load() == {}
