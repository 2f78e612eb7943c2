"""Ending the processes an ownership record holds, for this session (`end_owned`) or an earlier one
(`end_leftover`), in bounded time.

`end_owned` asks the controller first (ours stops every engine connected to it and then itself; someone
else's stops only our engines), ends what is left of engines on SSH hosts over ssh (ssh_engines.py),
stops the launchers of the session's `ipyparallel.Cluster`, lets the engines' nannies report, and then
ends the stragglers by pid. `end_leftover` ends recorded SSH engines over ssh, the rest by pid. Both
check create times before signalling, remove the cluster files of a controller of ours and forget the
record in the state file.
"""

from __future__ import annotations

import logging
import pathlib
import time
from collections.abc import Collection

import ipyparallel as ipp

from pflow_studio.cluster_panel import discovery, launch, ssh_engines
from pflow_studio.cluster_panel.bounded import call_with_timeout
from pflow_studio.cluster_panel.processes import ProcessRef, end_processes
from pflow_studio.cluster_panel.state_file import OwnedRecord, StateFile


def wait_until_gone(profile_dir: pathlib.Path, record: OwnedRecord, seconds: float, poll: float = 0.05) -> None:
    """Return when no process of `record` is alive, or after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and discovery.record_refs(profile_dir, record):
        time.sleep(poll)


def _ask_controller(client: ipp.Client, record: OwnedRecord, engines: Collection[int]) -> None:
    """Ask the controller (at most 1 s) to stop what `record` owns: with our controller every engine and
    itself, else only `engines` (the engine ids that are ours, `ownership`'s rule). A failure or timeout is
    left to the pids."""
    if record.controller_ours:  # our controller: it stops every engine connected to it, then itself
        stop = lambda: client.shutdown(hub=True, block=True)  # noqa: E731
    else:  # their controller: it stops (and unregisters) only our engines
        ours = sorted(engines)
        if not ours:
            return
        stop = lambda: client.shutdown(targets=ours, block=True)  # noqa: E731
    try:
        call_with_timeout(stop, 1.0, "shutdown")
    except Exception:
        pass


def _stop_launchers(cluster: ipp.Cluster) -> None:
    """Stop what `cluster`'s launchers started (at most 2 s) and keep it from doing so again at exit. Their
    warnings about processes that we stop by signal ("Controller stopped: ... SIGTERM") are not shown."""
    cluster.shutdown_atexit = False
    cluster.log.setLevel(logging.ERROR)
    try:
        call_with_timeout(cluster.stop_cluster_sync, 2.0, "stopping the cluster")
    except Exception:
        pass


def _end_and_forget(profile_dir: pathlib.Path, state: StateFile, record: OwnedRecord,
                    timeout: float) -> list[ProcessRef]:
    """End `record`'s live processes by pid, remove its cluster files when the controller was ours and forget
    the record. Returns the processes that were ended."""
    ended = end_processes(discovery.record_refs(profile_dir, record), timeout=timeout)
    if record.controller_ours:
        launch.remove_cluster_files(profile_dir, record.cluster_id)
    state.remove(record.tag)
    return ended


def end_owned(profile_dir: pathlib.Path, state: StateFile, record: OwnedRecord, *, client: ipp.Client | None,
              cluster: ipp.Cluster | None, engines: Collection[int]) -> list[ProcessRef]:
    """Stop what `record` owns within ~4.5 s: through `client` (None when there is no live connection), then
    `cluster`'s launchers, then by pid (this machine's processes, create times checked). `engines` are the
    ids of the engines `record` owns (by tag or owned process, never by pid alone). Returns the processes
    that were running."""
    running = discovery.record_refs(profile_dir, record)
    if client is not None:
        _ask_controller(client, record, engines)
    if ssh_engines.engine_launchers(cluster):
        ssh_engines.stop_sets(cluster, record.tag)  # quietly, before the launchers' own stop sees them
    elif record.remote:  # a reused leftover: no launchers of ours know its remote engines
        _end_remote(profile_dir, record)
    if cluster is not None:
        _stop_launchers(cluster)
    # an engine's nanny tells the hub that its engine is gone: let it, then end the stragglers
    wait_until_gone(profile_dir, record, 1.0)
    _end_and_forget(profile_dir, state, record, timeout=1.0)
    return running


def end_leftover(profile_dir: pathlib.Path, state: StateFile, record: OwnedRecord) -> list[ProcessRef]:
    """Terminate an earlier session's record by pid (create times checked) and forget it. Returns the
    processes that were ended."""
    if record.remote:
        _end_remote(profile_dir, record)
    return _end_and_forget(profile_dir, state, record, timeout=3.0)


def _end_remote(profile_dir: pathlib.Path, record: OwnedRecord) -> None:
    """End the engines `record` started on SSH hosts, over ssh with the profile's options."""
    profile = ipp.Cluster(profile_dir=str(profile_dir), shutdown_atexit=False, log_level=40)
    ssh_engines.end_recorded(profile, record.tag, record.remote)
