"""Finding clusters of a profile on this machine: running controllers, connection files, our leftovers."""

from __future__ import annotations

import json
import pathlib
from collections import defaultdict
from collections.abc import Iterable, Mapping

import psutil

from pflow_studio.cluster_panel.model import Leftover
from pflow_studio.cluster_panel.processes import (
    CLUSTER_VAR,
    OWNER_VAR,
    PROFILE_VAR,
    TAG_VAR,
    ProcessRef,
    ScannedProcess,
    parse_owner_token,
    scan_environment,
)
from pflow_studio.cluster_panel.state_file import OwnedRecord, StateFile
from pflow_studio.runtime.cluster.liveness import port_open

_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def _is_controller(pid: int) -> bool:
    try:
        return any("ipyparallel.controller" in part or part.endswith("ipcontroller")
                   for part in psutil.Process(pid).cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False


def controller_process(profile_dir: pathlib.Path, cluster_id: str) -> ProcessRef | None:
    """The local controller process of cluster `cluster_id` of this profile (found by environment), or None."""
    found = scan_environment(lambda env: env.get(PROFILE_VAR) == str(profile_dir)
                             and env.get(CLUSTER_VAR) == cluster_id)
    controllers = [s.ref for s in found if _is_controller(s.ref.pid)]
    pids = {ref.pid for ref in controllers}
    for ref in controllers:
        try:
            if psutil.Process(ref.pid).ppid() not in pids:  # the main controller, not one of its helpers
                return ref
        except psutil.NoSuchProcess:
            continue
    return controllers[0] if controllers else None


def connection_file(profile_dir: pathlib.Path, cluster_id: str) -> pathlib.Path:
    name = f"ipcontroller-{cluster_id}-client.json" if cluster_id else "ipcontroller-client.json"
    return profile_dir / "security" / name


def _local_registration(path: pathlib.Path) -> str | None:
    """The registration url of a connection file whose controller listens on this machine only, else None."""
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
        interface = config.get("interface", "")
        if not any(interface.endswith("//" + host) for host in _LOCAL_HOSTS):
            return None
        return f"{interface}:{int(config['registration'])}"
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return None


def candidate_cluster_ids(profile_dir: pathlib.Path) -> list[str]:
    """Cluster ids with a connection file, the `ipcluster start` one ("") first, newest next. A local-only
    cluster whose controller does not listen (its process is gone) is left out: its stale file would only
    time out. One TCP connection per local file tells (no process scan)."""
    security = profile_dir / "security"
    files = sorted(security.glob("ipcontroller-*client.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    ids = []
    for path in files:
        name = path.name[len("ipcontroller-"):-len("client.json")]
        ids.append(name[:-1] if name.endswith("-") else name)
    ids.sort(key=lambda cid: cid != "")
    return [cid for cid in ids if _answers(connection_file(profile_dir, cid))]


def _answers(path: pathlib.Path) -> bool:
    """Does the controller of connection file `path` accept connections (always True for a remote one)?"""
    url = _local_registration(path)
    return url is None or port_open(url)


def tagged_processes(profile_dir: pathlib.Path, tags: Iterable[str] | None = None) -> dict[str, list[ScannedProcess]]:
    """Our processes of this profile by ownership tag (all tags, or only `tags`)."""
    wanted = None if tags is None else set(tags)
    found = scan_environment(lambda env: env.get(PROFILE_VAR) == str(profile_dir) and TAG_VAR in env
                             and (wanted is None or env[TAG_VAR] in wanted))
    by_tag: dict[str, list[ScannedProcess]] = defaultdict(list)
    for item in found:
        by_tag[item.env[TAG_VAR]].append(item)
    return dict(by_tag)


def record_refs(profile_dir: pathlib.Path, record: OwnedRecord,
                scanned: Mapping[str, list[ScannedProcess]] | None = None) -> list[ProcessRef]:
    """Every live process of a record: found by its tag (in `scanned`, a `tagged_processes` result, when
    given), plus its recorded processes (create time checked)."""
    if scanned is None:
        scanned = tagged_processes(profile_dir, [record.tag])
    refs = {s.ref.pid: s.ref for s in scanned.get(record.tag, [])}
    for ref in [*record.processes, *([record.controller] if record.controller else [])]:
        if ref.pid not in refs and ref.alive():
            refs[ref.pid] = ref
    return list(refs.values())


def find_leftovers(profile: str, profile_dir: pathlib.Path, state: StateFile,
                   skip_tags: Iterable[str] = ()) -> list[Leftover]:
    """Clusters of ours in this profile that no live session owns: detached on purpose or orphaned by a crash.

    Sources: the state file (pids checked by create time) and an environment scan (our tag variable).
    Records whose processes are all gone are pruned from the state file.
    """
    records = state.load()
    by_tag = tagged_processes(profile_dir)
    skip = set(skip_tags)
    leftovers, stale = [], []
    for tag in sorted(set(records) | set(by_tag)):
        if tag in skip:
            continue
        record = records.get(tag)
        procs = by_tag.get(tag, [])
        if record is not None:
            owner, detached = record.owner, record.detached
        else:
            owner, detached = parse_owner_token(procs[0].env.get(OWNER_VAR, "")), False
        if not detached and owner is not None and owner.alive():
            continue  # a running session owns it
        refs = {p.ref.pid: p.ref for p in procs}
        if record is not None:
            for ref in record_refs(profile_dir, record):
                refs.setdefault(ref.pid, ref)
        if not refs:
            if record is not None:
                stale.append(tag)
            continue
        cluster_id = record.cluster_id if record is not None else procs[0].env.get(CLUSTER_VAR, "")
        controller_ours = record.controller_ours if record is not None else any(
            _is_controller(p.ref.pid) for p in procs)
        leftovers.append(Leftover(profile=profile, cluster_id=cluster_id, pids=sorted(refs), detached=detached,
                                  controller_alive=controller_process(profile_dir, cluster_id) is not None,
                                  tag=tag, controller_ours=controller_ours))
    if stale:
        state.remove(*stale)
    return leftovers
