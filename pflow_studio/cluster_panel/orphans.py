"""Ending what a dead session of ours left running, before a new one uses or starts a cluster.

An orphan is a record of the profile's state file that is not detached and whose owner (pid and create
time, so a reused pid is not taken for the owner) is no longer running: its run or app was killed
(SIGKILL, a crash) before it could stop its processes. `end_orphans` ends their processes by pid, as
`pflow-studio cluster cleanup` does (`teardown.end_leftover`), forgets the records and returns one line
per record that had processes left. Never touched: detached records (left running on purpose), records
whose owner is alive (another running app or CLI, or this process) and processes we have no record of
(clusters of others; ours whose record is gone are offered by `discovery.find_leftovers` instead).
"""

from __future__ import annotations

import os
import pathlib

from pflow_studio.cluster_panel import teardown
from pflow_studio.cluster_panel.state_file import OwnedRecord, StateFile


def is_orphan(record: OwnedRecord) -> bool:
    """Not detached, and its owner is no longer running."""
    return not record.detached and record.owner is not None and not record.owner.alive()


def end_orphans(profile_dir: str | os.PathLike) -> list[str]:
    """End the orphans of this profile (see the module docstring); one line per record that had processes:
    "ended 13 leftover cluster processes of an earlier run (owner pid N died, cluster 'ID')"."""
    path = pathlib.Path(profile_dir)
    state = StateFile(path)
    lines = []
    for record in state.load().values():
        if not is_orphan(record):
            continue
        ended = teardown.end_leftover(path, state, record)
        if ended:
            assert record.owner is not None
            lines.append(f"ended {len(ended)} leftover cluster processes of an earlier run "
                         f"(owner pid {record.owner.pid} died, cluster '{record.cluster_id}')")
    return lines
