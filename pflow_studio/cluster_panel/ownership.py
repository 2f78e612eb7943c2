"""Which engines are ours: never by pid alone.

An engine is ours when the ownership tag in its environment (`PFLOW_STUDIO_TAG`, which every process we
start carries, also on other machines) is the tag of one of our records, or when it runs in this
machine's process table (same boot id and pid namespace) as a process one of our records owns (pid and
start time). An engine on another machine, or in another pid namespace, may carry any pid: a pid that
equals one of ours says nothing. `Owners` holds our records as engines are judged against them, with
who owns each: this session, a session that left it running (`cluster start`, Cleanup > Leave running),
another live session of ours, or a session that died (orphaned).
"""

from __future__ import annotations

import pathlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pflow_studio.cluster_panel import discovery
from pflow_studio.cluster_panel.engine_report import EngineReport
from pflow_studio.cluster_panel.processes import OWNER_VAR, ProcessRef, ScannedProcess, parse_owner_token
from pflow_studio.cluster_panel.state_file import OwnedRecord, StateFile
from pflow_studio.runtime.cluster.process_id import running_here

THIS_SESSION = "this session"
LEFT_RUNNING = "left running"
ANOTHER_SESSION = "another session"
ORPHANED = "orphaned"


@dataclass
class Owners:
    """Our tags and our processes, each with who owns it (one of the names above)."""

    tags: dict[str, str] = field(default_factory=dict)
    processes: dict[int, tuple[ProcessRef, str]] = field(default_factory=dict)  # by pid

    def owner_of(self, report: EngineReport) -> str:
        """Who owns the engine that sent `report`; "" when it is not ours."""
        if report.tag and report.tag in self.tags:
            return self.tags[report.tag]
        process = report.process
        if process is None or process.pid not in self.processes or not running_here(process):
            return ""
        ref, who = self.processes[process.pid]
        return who if ref.alive() else ""  # the pid's process now is the engine and has the owned create time

    def pids(self, who: str) -> list[int]:
        """The pids of the live processes that `who` owns, in order."""
        return sorted(pid for pid, (_, owner) in self.processes.items() if owner == who)

    def only(self, who: str) -> Owners:
        """The part of these owners that `who` owns."""
        return Owners({tag: w for tag, w in self.tags.items() if w == who},
                      {pid: item for pid, item in self.processes.items() if item[1] == who})


def record_owner(record: OwnedRecord, session_tag: str | None) -> str:
    """Who owns `record`, seen from the session whose record tag is `session_tag`."""
    if record.tag == session_tag:
        return THIS_SESSION
    if record.detached:
        return LEFT_RUNNING
    return ANOTHER_SESSION if record.owner is not None and record.owner.alive() else ORPHANED


def _scanned_owner(processes: list[ScannedProcess]) -> str:
    """Who owns tagged processes that no record names (their starter's token in the environment)."""
    owner = parse_owner_token(processes[0].env.get(OWNER_VAR, "")) if processes else None
    return ANOTHER_SESSION if owner is not None and owner.alive() else ORPHANED


def owners(records: Mapping[str, OwnedRecord], scanned: Mapping[str, list[ScannedProcess]],
           session_tag: str | None, live: Mapping[str, Iterable[ProcessRef]]) -> Owners:
    """Owners from our records (by tag), the processes found by their tag (`scanned`, for tags no record
    names) and the live processes of each record (`live`, by tag)."""
    result = Owners()
    for tag in set(records) | set(scanned):
        record = records.get(tag)
        if record is not None:
            who, refs = record_owner(record, session_tag), list(live.get(tag, []))
        else:
            who, refs = _scanned_owner(scanned[tag]), [item.ref for item in scanned[tag]]
        result.tags[tag] = who
        for ref in refs:
            result.processes.setdefault(ref.pid, (ref, who))
    return result


def profile_owners(profile_dir: pathlib.Path, state: StateFile, session: OwnedRecord | None) -> Owners:
    """Owners of a profile: the records of its state file and the session's own record (`session`, None when
    it owns nothing), and our processes found by their tag on this machine (one environment scan)."""
    records = state.load()
    if session is not None:
        records[session.tag] = session
    scanned = discovery.tagged_processes(profile_dir)
    live = {tag: discovery.record_refs(profile_dir, record, scanned) for tag, record in records.items()}
    return owners(records, scanned, session.tag if session else None, live)


def controller_owner(state: StateFile, session: OwnedRecord | None, cluster_id: str | None) -> str:
    """Who of ours owns the controller of cluster `cluster_id` ("" when no record of ours started it)."""
    if session is not None and session.controller_ours:
        return THIS_SESSION
    for record in state.load().values():
        if record.controller_ours and record.cluster_id == cluster_id:
            return record_owner(record, None)
    return ""
