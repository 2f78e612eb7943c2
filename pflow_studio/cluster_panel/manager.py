"""The Qt-free cluster manager: one profile, one connection, and the processes this session owns.

Actions (VisTrails Parallel Flow meaning): start engines (a local controller first when none answers),
info, change profile, cleanup (terminate or leave running), request shutdown; plus connect, reuse/end of
leftovers and the exit path. Ownership is recorded per tag in the profile's state file (see state_file.py)
and in the environment of every process we start, so a later session finds what a crash left behind
(discovery.py); ending what a record owns is teardown.py's part.
Every call that talks to the cluster is bounded in time. Methods are blocking and serialised by a lock:
call them from one worker thread (the exit path may come from another thread and waits at most 1 s).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pathlib
import signal
import threading
import weakref
from typing import Any

import ipyparallel as ipp

from pflow_studio.cluster_panel import discovery, ownership, profiles, ssh_engines, teardown
from pflow_studio.cluster_panel.bounded import CallTimeout, call_with_timeout
from pflow_studio.cluster_panel.engines import EngineFacts
from pflow_studio.cluster_panel.model import ClusterInfo, Leftover, host_summaries
from pflow_studio.cluster_panel.ownership import Owners
from pflow_studio.cluster_panel.processes import ProcessRef, me, owner_token
from pflow_studio.cluster_panel.starting import EngineStarting
from pflow_studio.cluster_panel.state_file import OwnedRecord, StateFile
from pflow_studio.runtime.cluster.errors import ClusterError


class ClusterManager(EngineStarting):
    """Cluster life for one application session (see the module docstring)."""

    def __init__(self, profile: str = "default", *, ipython_dir: str | os.PathLike | None = None,
                 call_timeout: float = 10.0) -> None:
        self._lock = threading.RLock()
        self._ipython_dir = ipython_dir
        self.call_timeout = call_timeout
        self._me = me()
        self._owner = owner_token(self._me)
        self.client: ipp.Client | None = None
        self._cluster: ipp.Cluster | None = None  # the Cluster object whose launchers started our processes
        self._record: OwnedRecord | None = None  # what we own on the connected cluster
        self._cluster_id: str | None = None
        self._controller_url = ""
        self._controller_ref: ProcessRef | None = None  # the local controller process, when there is one
        self._controller_looked_up = True  # is it known for this connection (else looked up on first need)?
        self._dead = ""  # why the connection is dead, once found dead
        self._facts = EngineFacts()
        self._set_profile(profile)
        atexit.register(_exit_hook, weakref.ref(self))

    # -- profile -------------------------------------------------------------------------------------------
    def _set_profile(self, profile: str) -> None:
        self.profile_dir: pathlib.Path = profiles.profile_dir(profile, self._ipython_dir)
        self.profile: str = profile
        self._state = StateFile(self.profile_dir)

    def list_profiles(self) -> list[str]:
        """The profiles of this manager's IPython directory."""
        return profiles.list_profiles(self._ipython_dir)

    def change_profile(self, profile: str, *, terminate: bool = True) -> list[Leftover]:
        """Clean up (terminate or leave running) when connected, switch profile, return its leftovers."""
        with self._lock:
            if self.client is not None or self._record is not None:
                self.cleanup(terminate=terminate)
            self._set_profile(profile)
            return self.find_leftovers()

    # -- connecting ----------------------------------------------------------------------------------------
    @property
    def connected(self) -> bool:
        return self.client is not None and not self._dead

    def connect(self, cluster_id: str | None = None, *, timeout: float = 10.0) -> ClusterInfo:
        """Connect to a running cluster of the profile: `cluster_id` ("" is `ipcluster start`'s), or with None
        the first that answers (the ipcluster one first). Raises ClusterError when none answers in time."""
        with self._lock:
            self.connect_client(cluster_id, timeout=timeout)
            return self.info()

    def connect_client(self, cluster_id: str | None = None, *, timeout: float = 10.0) -> ipp.Client:
        """`connect` without the snapshot (no per-engine questions, no process scan until `info` asks):
        the client, for a run that only needs its engines. Raises ClusterError when none answers in time."""
        with self._lock:
            if self.client is not None:
                if not self._dead and cluster_id in (None, self._cluster_id):
                    return self.client
                if self._record is not None and not self._dead:
                    raise ClusterError("this session owns processes on the connected cluster: clean up first")
                self._forget_connection()
            ids, silent = ([cluster_id], []) if cluster_id is not None else discovery.survey(self.profile_dir)
            if not ids:
                raise ClusterError("; ".join([f"no running cluster found for profile '{self.profile}'", *silent]))
            problems = []
            for cid in ids:
                unanswered = discovery.unanswered(discovery.connection_file(self.profile_dir, cid))
                if unanswered:  # fail now, not after ipp.Client's timeout
                    problems.append(f"cluster '{cid}': {unanswered}")
                    continue
                try:
                    client = ipp.Client(profile_dir=str(self.profile_dir), cluster_id=cid, timeout=timeout)
                except Exception as exc:  # missing/stale connection file, timeout, refused
                    problems.append(f"cluster '{cid}': {exc}")
                    continue
                self._attach(client, cid)
                return client
            raise ClusterError(f"cannot connect to a cluster of profile '{self.profile}': " + "; ".join(problems))

    @property
    def controller_url(self) -> str:
        """The connected controller's registration address ("" when not connected)."""
        return self._controller_url

    def _attach(self, client: ipp.Client, cluster_id: str, controller: ProcessRef | None = None) -> None:
        self.client = client
        self._cluster_id = cluster_id
        self._controller_url = str(getattr(client, "_config", {}).get("registration", ""))
        self._controller_ref = controller
        self._controller_looked_up = controller is not None  # else found when first needed (_find_controller)
        self._dead = ""
        self._facts.reset()

    def _find_controller(self) -> None:
        """Find the local controller process of the connection (an environment scan), once per connection."""
        if not self._controller_looked_up and self._cluster_id is not None:
            self._controller_looked_up = True
            self._controller_ref = discovery.controller_process(self.profile_dir, self._cluster_id)

    def _forget_connection(self) -> None:
        """Close the client (bounded) and forget the connection; owned processes are not touched."""
        client, self.client = self.client, None
        if client is not None:
            try:
                call_with_timeout(lambda: client.close(linger=0), 2.0, "closing the client")
            except Exception:
                pass
        self._cluster_id = None
        self._controller_url = ""
        self._controller_ref = None
        self._dead = ""
        self._facts.reset()

    # -- info ----------------------------------------------------------------------------------------------
    def _owned_refs(self) -> list[ProcessRef]:
        return discovery.record_refs(self.profile_dir, self._record) if self._record is not None else []

    def _owners(self) -> Owners:
        """Our records of this profile (the state file's and this session's) as engines are judged against them."""
        return ownership.profile_owners(self.profile_dir, self._state, self._record)

    def info(self) -> ClusterInfo:
        """A snapshot; bounded by call_timeout. A dead controller gives connected=False and an error. Engines
        are marked ours by this session's record and by the profile's state file (`ownership`)."""
        with self._lock:
            record = self._record
            client = self.client
            owners = self._owners() if client is not None else None
            owned = owners.pids(ownership.THIS_SESSION) if owners else sorted(r.pid for r in self._owned_refs())
            result = ClusterInfo(profile=self.profile, connected=False, controller_url=self._controller_url,
                                 cluster_id=self._cluster_id, owned_pids=owned,
                                 controller_ours=bool(record and record.controller_ours))
            if client is None or owners is None:
                return result
            result.controller_owner = ownership.controller_owner(self._state, record, self._cluster_id)
            result.controller_ours = bool(result.controller_owner)
            queues = self._queue_status(client, result)
            if queues is None:
                return result
            result.connected = True
            result.engines = self._facts.collect(client, queues, owners)
            result.hosts = host_summaries(result.engines)
            return result

    def _queue_status(self, client: ipp.Client, result: ClusterInfo) -> dict | None:
        """The hub's queue_status, or None with `result.error` set (a dead controller is remembered)."""
        self._find_controller()
        if not self._dead and self._controller_ref is not None and not self._controller_ref.alive():
            self._dead = f"the controller (pid {self._controller_ref.pid}) is not running"
        if not self._dead:
            try:
                return call_with_timeout(client.queue_status, self.call_timeout, "queue_status")
            except CallTimeout:
                if self._controller_ref is not None and not self._controller_ref.alive():
                    # killed just before the check above could see it (not yet reaped then)
                    self._dead = f"the controller (pid {self._controller_ref.pid}) is not running"
                else:
                    self._dead = (f"the controller at {self._controller_url or '?'} did not answer within "
                                  f"{self.call_timeout:g} s (dead?)")
            except Exception as exc:
                result.error = f"queue_status failed: {exc}"
                return None
        result.error = self._dead
        return None

    # -- cleanup, shutdown, exit ---------------------------------------------------------------------------
    def _end_owned(self, record: OwnedRecord) -> list[ProcessRef]:
        """Stop what `record` owns (see teardown.end_owned) and forget it. Returns the processes that were
        running."""
        client = self.client if not self._dead else None
        ours: list[int] = []
        if client is not None and not record.controller_ours:  # which engines are this session's (by tag or
            # owned process; engines not asked yet are asked now): only those are stopped
            with contextlib.suppress(Exception):
                self._facts.ask(client, list(client.ids), 0.5)
            ours = self._facts.owned_engines(self._owners().only(ownership.THIS_SESSION))
        running = teardown.end_owned(self.profile_dir, self._state, record, client=client, cluster=self._cluster,
                                     engines=ours)
        self._cluster = None
        self._record = None
        return running

    def _drop_dead_connection(self) -> None:
        record = self._record
        if record is not None and not record.detached:
            self._end_owned(record)
        self._cluster = self._record = None
        self._forget_connection()

    def cleanup(self, *, terminate: bool) -> str:
        """Disconnect and forget what we started: terminate it, or leave it running (detached, recorded for
        reuse by a later session). Returns a log line."""
        with self._lock:
            record, cluster_id = self._record, self._cluster_id
            if record is None:
                was = self.client is not None
                self._forget_connection()
                return f"disconnected from cluster '{cluster_id}'" if was else "nothing to clean up"
            if terminate:
                ended = self._end_owned(record)
                line = f"terminated {len(ended)} processes started on cluster '{record.cluster_id}'"
            else:
                record.detached, record.owner = True, None
                self._state.put(record)
                if self._cluster is not None:
                    self._cluster.shutdown_atexit = False
                    ssh_engines.release(self._cluster)
                line = (f"left {len(self._owned_refs())} processes of cluster '{record.cluster_id}' running "
                        "(detached; a later session can reuse or end them)")
            self._cluster = self._record = None
            self._forget_connection()
            return line

    def request_shutdown(self) -> str:
        """Ask the controller to stop every engine (ours or not) and itself. Returns a log line."""
        with self._lock:
            client = self.client
            if client is None:
                raise ClusterError("not connected to a cluster")
            if self._dead:
                raise ClusterError(self._dead)
            url, cluster_id = self._controller_url, self._cluster_id
            try:
                call_with_timeout(lambda: client.shutdown(hub=True, block=True), self.call_timeout,
                                  "the shutdown request")
            except Exception as exc:
                raise ClusterError(f"the shutdown request failed: {exc}") from exc
            record = self._record
            if record is not None:  # ours are on their way out; end the stragglers (nannies)
                teardown.wait_until_gone(self.profile_dir, record, 3.0, poll=0.1)
                self._end_owned(record)
            self.client = None  # shutdown(hub=True) closed it
            self._forget_connection()
            return f"asked the controller at {url} (cluster '{cluster_id}') to stop every engine and itself"

    def shutdown_owned(self) -> None:
        """The exit path: stop what we own and is not detached (engines; the controller, and with it every
        engine connected to it, if ours); detached and external processes stay. Done within 5 s."""
        acquired = self._lock.acquire(timeout=1.0)
        try:
            record = self._record
            if record is not None and not record.detached:
                self._end_owned(record)
            elif self._cluster is not None:
                self._cluster.shutdown_atexit = False
                ssh_engines.release(self._cluster)
            self._cluster = self._record = None
            self._forget_connection()
        finally:
            if acquired:
                self._lock.release()

    def install_signal_handlers(self) -> None:
        """SIGTERM and SIGHUP run shutdown_owned, then the previous handler (or exit with 128+signal)."""
        for signum in (signal.SIGTERM, signal.SIGHUP):
            previous = signal.getsignal(signum)

            def handler(num: int, frame: Any, previous: Any = previous) -> None:
                self.shutdown_owned()
                if callable(previous):
                    previous(num, frame)
                else:
                    raise SystemExit(128 + num)

            signal.signal(signum, handler)

    # -- leftovers -----------------------------------------------------------------------------------------
    def find_leftovers(self) -> list[Leftover]:
        """Clusters of ours in this profile that no running session owns (detached, or orphaned by a crash)."""
        with self._lock:
            skip = [self._record.tag] if self._record is not None else []
            return discovery.find_leftovers(self.profile, self.profile_dir, self._state, skip)

    def _leftover_record(self, leftover: Leftover) -> OwnedRecord:
        return self._state.load().get(leftover.tag) or OwnedRecord(
            tag=leftover.tag, cluster_id=leftover.cluster_id, owner=None, controller_ours=leftover.controller_ours)

    def reuse(self, leftover: Leftover) -> ClusterInfo:
        """Connect to a leftover and own it again (ended at exit like anything we start)."""
        with self._lock:
            if self._record is not None:
                raise ClusterError("this session already owns processes: clean up first")
            if not leftover.controller_alive:
                raise ClusterError(f"the controller of cluster '{leftover.cluster_id}' is not running; end it instead")
            self.connect(leftover.cluster_id, timeout=self.call_timeout)
            record = self._leftover_record(leftover)
            record.owner, record.detached = self._me, False
            record.processes = discovery.record_refs(self.profile_dir, record)
            self._state.put(record)
            self._record = record
            return self.info()

    def end(self, leftover: Leftover) -> str:
        """Terminate a leftover's processes (create times checked) and forget it. Returns a log line."""
        with self._lock:
            if self._record is not None and leftover.tag == self._record.tag:
                raise ClusterError("that cluster is owned by this session: use cleanup")
            ended = teardown.end_leftover(self.profile_dir, self._state, self._leftover_record(leftover))
            kind = "detached" if leftover.detached else "orphaned"
            return f"ended {len(ended)} processes of {kind} cluster '{leftover.cluster_id}'"

    # -- for the parallel Map ------------------------------------------------------------------------------
    def ensure_cluster(self, n: int | None = None) -> ipp.Client:
        """The connected client (with engines); else start an owned local cluster of `n` engines (default one
        per core) and return its client."""
        with self._lock:
            if self.client is None or self._dead or not self.info().connected or not self.client.ids:
                self.start_engines(n or os.cpu_count() or 1)
            assert self.client is not None
            return self.client

    def engine_cluster(self) -> ipp.Cluster | None:
        """The Cluster whose launchers started the engines this session owns (None: it owns none now)."""
        return self._cluster if self._record is not None and not self._record.detached else None


def _exit_hook(ref: weakref.ref) -> None:
    manager = ref()
    if manager is not None:
        with contextlib.suppress(Exception):
            manager.shutdown_owned()
