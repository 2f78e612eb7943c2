"""Finding clusters of a profile on this machine: running controllers, connection files, our leftovers."""

from __future__ import annotations

import ipaddress
import json
import pathlib
import urllib.parse
from collections import defaultdict
from collections.abc import Iterable, Mapping

import psutil
from ipyparallel.util import disambiguate_url

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


def engine_file(profile_dir: pathlib.Path, cluster_id: str) -> pathlib.Path:
    """The engine connection file of cluster `cluster_id` (what `ipengine --file=PATH` on another host needs)."""
    name = f"ipcontroller-{cluster_id}-engine.json" if cluster_id else "ipcontroller-engine.json"
    return profile_dir / "security" / name


def listen_address(profile_dir: pathlib.Path, cluster_id: str) -> tuple[str, str] | None:
    """(the address the controller listens on for engines, its location) from the engine connection file
    of cluster `cluster_id`, or None when that file is missing or unreadable."""
    try:
        config = json.loads(engine_file(profile_dir, cluster_id).read_text(encoding="utf-8"))
        return str(config["interface"]).split("://", 1)[-1], str(config.get("location") or "")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def address_mismatch(profile_dir: pathlib.Path, cluster_id: str, ip: str, location: str) -> str:
    """"" when cluster `cluster_id` listens on `ip` and is reached at `location` (either "" means any), else
    a sentence saying where it listens."""
    if not ip and not location:
        return ""
    found = listen_address(profile_dir, cluster_id)
    if found is not None and (not ip or ip == found[0]) and (not location or location == found[1]):
        return ""
    where = f"listens on {found[0]} (location {found[1] or '-'})" if found else "has no engine connection file"
    wanted = " and ".join(part for part in (ip and f"listen on {ip}", location and f"be reached at {location}")
                          if part)
    return f"cluster '{cluster_id}' {where}; it cannot {wanted}"


def _registration(path: pathlib.Path) -> str | None:
    """The registration url to probe for connection file `path` ("*"/"0.0.0.0" resolved through its location),
    or None when a TCP probe cannot tell (an SSH tunnel, another transport, an unreadable file)."""
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
        interface = str(config.get("interface", ""))
        if config.get("ssh") or not interface.startswith("tcp://"):
            return None
        return disambiguate_url(f"{interface}:{int(config['registration'])}", config.get("location") or None)
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return None


def unanswered(path: pathlib.Path) -> str:
    """"" when the controller of client connection file `path` accepts a TCP connection (or a probe cannot
    tell), else a sentence naming its address. At most one second (liveness.port_open)."""
    url = _registration(path)
    if url is None or port_open(url):
        return ""
    return (f"the controller at {url} does not answer (no TCP connection within 1 s): is it running, "
            "and can this machine reach that address?")


def survey(profile_dir: pathlib.Path) -> tuple[list[str], list[str]]:
    """(cluster ids whose controller answers: the `ipcluster start` one ("") first, newest next; sentences
    about the controllers on other addresses than loopback that do not answer). One TCP connection per
    connection file tells; a stale file of a local cluster is left out without a word."""
    security = profile_dir / "security"
    files = sorted(security.glob("ipcontroller-*client.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    ids = []
    for path in files:
        name = path.name[len("ipcontroller-"):-len("client.json")]
        ids.append(name[:-1] if name.endswith("-") else name)
    ids.sort(key=lambda cid: cid != "")
    answering, silent = [], []
    for cid in ids:
        problem = unanswered(connection_file(profile_dir, cid))
        if not problem:
            answering.append(cid)
        elif not _loopback(connection_file(profile_dir, cid)):
            silent.append(f"cluster '{cid}': {problem}")
    return answering, silent


def candidate_cluster_ids(profile_dir: pathlib.Path) -> list[str]:
    """The cluster ids of `survey` whose controller answers."""
    return survey(profile_dir)[0]


def _loopback(path: pathlib.Path) -> bool:
    """Does the controller of connection file `path` listen on a loopback address?"""
    return is_loopback(urllib.parse.urlparse(_registration(path) or "").hostname or "")


def is_loopback(host: str) -> bool:
    """Is `host` (an address, "[::1]" included, or a name) this machine only: a loopback address or localhost?"""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


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
        # engines of ours on SSH hosts cannot be seen from here: keep their record while they may run on
        # someone else's controller (ours gone, they stop after missing its heartbeat)
        if not refs and not (record is not None and record.remote and not record.controller_ours):
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
