"""Starting a controller and engines for the cluster manager (`ClusterManager` inherits this part).

`start_engines` connects to the profile's `ipcluster` cluster when it answers, else starts a local
controller of ours; then it adds engines. Each start is recorded under a new ownership tag in the
profile's state file before anything runs, so a crash from there on is found by the tag.
"""

from __future__ import annotations

import pathlib
import threading
import time
import uuid
from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING

import ipyparallel as ipp

from pflow_studio.cluster_panel import discovery, launch, ssh_engines, ssh_hosts
from pflow_studio.cluster_panel.bounded import call_with_timeout
from pflow_studio.cluster_panel.model import ClusterInfo
from pflow_studio.cluster_panel.processes import ProcessRef
from pflow_studio.cluster_panel.state_file import OwnedRecord, StateFile
from pflow_studio.runtime.cluster.errors import ClusterError


class EngineStarting:
    """The starting part of `ClusterManager`: it uses the manager's connection and ownership state."""

    _lock: threading.RLock
    _me: ProcessRef
    _owner: str
    _dead: str
    _state: StateFile
    _cluster: ipp.Cluster | None
    _record: OwnedRecord | None
    _cluster_id: str | None
    client: ipp.Client | None
    profile_dir: pathlib.Path

    if TYPE_CHECKING:  # provided by ClusterManager
        def connect(self, cluster_id: str | None = None, *, timeout: float = 10.0) -> ClusterInfo: ...
        def info(self) -> ClusterInfo: ...
        def _drop_dead_connection(self) -> None: ...
        def _attach(self, client: ipp.Client, cluster_id: str, controller: ProcessRef | None = None) -> None: ...
        def _end_owned(self, record: OwnedRecord) -> list[ProcessRef]: ...
        def _forget_connection(self) -> None: ...

    # -- starting ------------------------------------------------------------------------------------------
    def start_engines(self, n: int, *, detach: bool = False, timeout: float = 60.0, ip: str = "",
                      location: str = "", ssh: Mapping[str, int] | None = None,
                      remote_python: str | None = None) -> ClusterInfo:
        """Start `n` engines on the connected cluster; when none is connected, use the profile's `ipcluster`
        cluster if it answers, else start a local controller (ours) first. `detach` leaves what we start
        running after this session ends (recorded for reuse). `ip`/`location` ("": the profile's or the
        default): where a controller we start listens and the address engines use to reach it; a cluster
        that listens elsewhere is not used (ClusterError when it is the connected one). `ssh` ({host:
        engines}) starts them on those hosts through ipyparallel's SSH launcher (`remote_python` there); a
        start that cannot give `n` engines fails as soon as that is known and ends what it started."""
        if n < 1:
            raise ValueError("n must be at least 1")
        if ssh is not None and n > sum(ssh.values()):
            raise ValueError(f"{n} engines asked for, but the SSH hosts give {sum(ssh.values())} "
                             f"({ssh_hosts.hosts_text(ssh)}): add hosts or engines per host (HOST:N)")
        with self._lock:
            if self._dead:
                self._drop_dead_connection()
            if (self.client is None and discovery.candidate_cluster_ids(self.profile_dir)[:1] == [""]
                    and not discovery.address_mismatch(self.profile_dir, "", ip, location)):
                try:
                    self.connect("", timeout=min(5.0, timeout))
                except ClusterError:
                    pass
            started_controller = self.client is None
            if started_controller:
                self._start_controller(detach, timeout, ip, location)
            elif self._cluster_id is not None:
                mismatch = discovery.address_mismatch(self.profile_dir, self._cluster_id, ip, location)
                if mismatch:
                    raise ClusterError(f"{mismatch}: disconnect (Cleanup) or stop it first")
            self._add_engines(n, detach, timeout, ssh, remote_python, started_controller)
            return self.info()

    def engine_file(self) -> pathlib.Path:
        """The engine connection file of the connected cluster, for `ipengine --file=PATH` on another host.
        ClusterError when not connected or the file is not in the profile."""
        with self._lock:
            if self.client is None or self._cluster_id is None:
                raise ClusterError(f"not connected to a cluster of profile '{self.profile}'")
            path = discovery.engine_file(self.profile_dir, self._cluster_id)
            if not path.is_file():
                raise ClusterError(f"cluster '{self._cluster_id}' has no engine connection file at {path}")
            return path

    def _new_record(self, cluster_id: str, controller_ours: bool) -> OwnedRecord:
        return OwnedRecord(tag=uuid.uuid4().hex[:16], cluster_id=cluster_id, owner=self._me,
                           controller_ours=controller_ours, started=time.time())

    def _start_controller(self, detach: bool, timeout: float, ip: str, location: str) -> None:
        cluster_id = f"pflow-{int(time.time())}-{uuid.uuid4().hex[:4]}"
        record = self._new_record(cluster_id, controller_ours=True)
        record.detached = detach
        self._state.put(record)  # before anything runs: a crash from here on is found by the tag
        cluster = launch.make_cluster(self.profile_dir, cluster_id, shutdown_atexit=not detach, with_controller=True,
                                      ip=ip, location=location)
        self._cluster, self._record = cluster, record
        try:
            cluster.start_controller_sync(environment=launch.tag_environment(record.tag, self._owner))
            record.controller = ProcessRef.of(cluster.controller.pid) if getattr(cluster.controller, "pid", -1) > 0 \
                else None
            self._state.put(record)
            client = call_with_timeout(lambda: cluster.connect_client_sync(timeout=timeout), timeout + 5,
                                       "starting the controller")
        except Exception as exc:
            self._end_owned(record)
            raise ClusterError(f"the controller did not start: {exc}") from exc
        self._attach(client, cluster_id, record.controller)

    def _engine_cluster(self, detach: bool) -> tuple[ipp.Cluster, OwnedRecord]:
        """The Cluster that adds our engines and the record they go into (made and saved when missing)."""
        assert self.client is not None and self._cluster_id is not None
        if self._record is None:
            self._record = self._new_record(self._cluster_id, controller_ours=False)
        record = self._record
        if self._cluster is None:  # someone else's (or a reused) controller: a Cluster that only adds engines
            self._cluster = launch.make_cluster(self.profile_dir, self._cluster_id, shutdown_atexit=not detach,
                                                with_controller=False)
        cluster = self._cluster
        cluster.shutdown_atexit = not detach
        record.detached, record.owner = detach, self._me
        self._state.put(record)
        return cluster, record

    def _add_engines(self, n: int, detach: bool, timeout: float, hosts: Mapping[str, int] | None = None,
                     remote_python: str | None = None, started_controller: bool = False) -> None:
        """Start `n` engines and wait for them to register: locally, or on SSH `hosts` (or the SSH hosts the
        profile configures). A failed SSH start ends what it began (the controller too if it was
        `started_controller`)."""
        cluster, record = self._engine_cluster(detach)
        client = self.client
        assert client is not None
        before = set(client.ids)  # engines may leave meanwhile: wait for n new ones, not a total
        kwargs = launch.engine_kwargs(cluster, record.tag, self._owner)
        if hosts is not None:
            kwargs.update(ssh_engines.ssh_kwargs(cluster, hosts, remote_python, kwargs["environment"]))
        over_ssh = hosts is not None or ssh_engines.configured(cluster)
        try:
            unreachable = ssh_engines.unreachable_controller(self.profile_dir, record.cluster_id) if over_ssh else ""
            if unreachable:
                raise ClusterError(unreachable)
            with ssh_engines.ssh_launcher(cluster, hosts is not None):
                set_id = cluster.start_engines_sync(n, **kwargs)
            if over_ssh:
                record.remote = ssh_engines.remote_engines(cluster)
                self._state.put(record)
                wait = partial(ssh_engines.wait_for_engines, client, before, n, timeout, cluster, set_id)
            else:
                wait = partial(launch.wait_for_new_engines, client, before, n, timeout)
            call_with_timeout(wait, timeout + 5, "waiting for engines")
            if over_ssh:
                ssh_engines.remember_engines(client, set(client.ids) - before, cluster, set_id)
        except Exception as exc:
            registered = len(set(client.ids) - before)
            if not over_ssh:
                raise ClusterError(f"{registered} of {n} engines registered: {exc}") from exc
            self._undo_ssh_start(record, client, before, started_controller)
            where = f" on {ssh_hosts.hosts_text(hosts)}" if hosts else " on the SSH hosts"
            raise ClusterError(f"{registered} of {n} engines registered{where}: {_reason(exc)}; "
                               "what this start began was ended") from exc
        finally:
            if self._record is record:
                record.remote = ssh_engines.remote_engines(cluster)
                record.processes = discovery.record_refs(self.profile_dir, record)
                self._state.put(record)

    def _undo_ssh_start(self, record: OwnedRecord, client: ipp.Client, before: set[int],
                        started_controller: bool) -> None:
        """End what a failed SSH start began: the whole record when its controller was started for it, else
        its new engines (through the controller, then on the hosts)."""
        if started_controller:
            self._end_owned(record)
            self._forget_connection()
            return
        new = sorted(set(client.ids) - before)
        if new:
            try:
                call_with_timeout(lambda: client.shutdown(targets=new, block=True), 2.0, "shutdown")
            except Exception:
                pass
        ssh_engines.stop_sets(self._cluster, record.tag)
        record.remote = ssh_engines.remote_engines(self._cluster)


def _reason(exc: BaseException) -> str:
    """A failed start's cause in one line (ssh's own output for a failed ssh or scp command)."""
    output = getattr(exc, "output", None) or getattr(exc, "stderr", None)
    if isinstance(output, bytes):
        output = output.decode("utf-8", "replace")
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"{text} ({output.strip().splitlines()[-1]})" if isinstance(output, str) and output.strip() else text
