"""Engines on SSH hosts through ipyparallel's `SSHEngineSetLauncher`: start options, a wait that fails as
soon as the launchers are done, and a quiet stop.

ipyparallel's own stop of an SSH engine asks each host to signal a pid that the controller's shutdown
already ended (a remote `ProcessLookupError` traceback on our stderr) and leaves the launcher's `ssh`
clients waiting up to a minute. `stop_sets` instead ends what is still running on each host with one
quiet ssh call per host (tag checked, see ssh_hosts.end_remote), lets the launchers' watcher threads end
quietly, ends our ssh clients by pid and drops the engine sets from the Cluster, so its stop never
touches them again.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import threading
import time
import weakref
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import ipyparallel as ipp
from ipyparallel.cluster import launcher as ipp_launcher

from pflow_studio.cluster_panel import discovery, ssh_hosts


def ssh_options(cluster: ipp.Cluster) -> tuple[list[str], str]:
    """The ssh command with the profile's options (`c.SSHLauncher.ssh_args`) and the configured remote Python."""
    probe = ipp_launcher.SSHEngineLauncher(config=cluster.config, profile_dir=str(cluster.profile_dir))
    return [*probe.ssh_cmd, *probe.ssh_args], probe.remote_python


def configured(cluster: ipp.Cluster) -> bool:
    """Does the profile make `cluster` start engines over SSH (`c.Cluster.engine_launcher_class = 'ssh'`)?"""
    return issubclass(cluster.engine_launcher_class, ipp_launcher.SSHEngineSetLauncher)


@contextlib.contextmanager
def ssh_launcher(cluster: ipp.Cluster, use: bool = True) -> Iterator[None]:
    """Within the block, `cluster` starts engines with the SSH launcher when `use` (its own class again after)."""
    previous = cluster.engine_launcher_class
    if use:
        cluster.engine_launcher_class = "ssh"
    try:
        yield
    finally:
        cluster.engine_launcher_class = previous


def ssh_kwargs(cluster: ipp.Cluster, hosts: Mapping[str, int], remote_python: str | None,
               environment: Mapping[str, str]) -> dict[str, Any]:
    """`start_engines` keyword arguments for the SSH launcher: engines per host, the remote Python if given,
    and `environment` on top of the one the profile configures for the SSH launchers (not instead)."""
    configured = ipp_launcher.SSHEngineSetLauncher(config=cluster.config).environment
    kwargs: dict[str, Any] = {"engines": dict(hosts), "environment": {**configured, **environment}}
    if remote_python:
        kwargs["remote_python"] = remote_python
    return kwargs


def unreachable_controller(profile_dir: pathlib.Path, cluster_id: str) -> str:
    """Why engines on other hosts cannot reach the controller of `cluster_id` (it listens on loopback only),
    or "" (fine, or not known)."""
    found = discovery.listen_address(profile_dir, cluster_id)
    if found is None:
        return ""
    ip, location = found
    reached = location if ip in ("*", "0.0.0.0", "") else ip
    if discovery.is_loopback(reached):
        return (f"the controller listens on {ip} only, which the SSH hosts cannot reach: start one with "
                "--ip ADDR (the dock's 'Listen on' field, or c.Cluster.controller_ip in ipcluster_config.py)")
    return ""


def engine_launchers(cluster: ipp.Cluster | None, set_ids: Collection[str] | None = None) -> list[Any]:
    """The per-engine SSH launchers of `cluster` (of the engine sets `set_ids`, or all)."""
    if cluster is None:
        return []
    return [el for set_id, engine_set in list(cluster.engines.items())
            if isinstance(engine_set, ipp_launcher.SSHEngineSetLauncher) and (set_ids is None or set_id in set_ids)
            for el in list(engine_set.launchers.values())]


def remote_engines(cluster: ipp.Cluster | None) -> list[dict]:
    """`{"host", "pid", "python"}` of each engine started over SSH, for the state file."""
    return [{"host": el.location, "pid": int(el.pid), "python": el.remote_python}
            for el in engine_launchers(cluster) if getattr(el, "pid", 0) and el.pid > 0]


_LAUNCHER_OF: weakref.WeakKeyDictionary[Any, dict[int, Any]] = weakref.WeakKeyDictionary()


def remember_engines(client: Any, new_ids: Collection[int], cluster: ipp.Cluster, set_id: str,
                     timeout: float = 5.0) -> None:
    """Match the engines `new_ids` with the SSH launchers of engine set `set_id` by the pid each engine
    reports (a pid two launchers share is left unmatched), for `launcher_of`: an engine set forgets the
    launcher of an engine that ended, and the keeper then needs it to start one in its place."""
    by_pid: dict[int, list[Any]] = defaultdict(list)
    for launcher in engine_launchers(cluster, [set_id]):
        by_pid[int(getattr(launcher, "pid", 0) or 0)].append(launcher)
    try:
        pids = client[sorted(new_ids)].apply_async(os.getpid).get_dict(timeout=timeout)
    except Exception:  # an engine that does not answer in time stays unmatched
        return
    known = _LAUNCHER_OF.setdefault(cluster, {})
    for engine, pid in pids.items():
        if len(by_pid.get(pid, ())) == 1:
            known[engine] = by_pid[pid][0]


def launcher_of(cluster: ipp.Cluster | None, engine: int) -> Any | None:
    """The SSH launcher that started engine `engine` of `cluster` (see `remember_engines`), or None."""
    return None if cluster is None else _LAUNCHER_OF.get(cluster, {}).get(engine)


def _exited(launcher: Any) -> bool:
    """Has the launcher's watcher seen its remote engine end (or lost the host)?"""
    thread = getattr(launcher, "_wait_thread", None)
    return launcher.state == "after" or (thread is not None and not thread.is_alive())


def wait_for_engines(client: Any, before: Collection[int], n: int, timeout: float, cluster: ipp.Cluster,
                     set_id: str) -> None:
    """Return once `n` engines not in `before` registered. Raises TimeoutError after `timeout` s, and
    RuntimeError as soon as the engines still running on the hosts cannot make up `n` (naming the hosts
    whose engines ended)."""
    deadline = time.monotonic() + timeout
    engine_set = cluster.engines[set_id]
    if engine_set.n < n:  # the launcher starts at most what its `engines` dict gives
        raise RuntimeError(f"the SSH hosts give {engine_set.n} engines ({hosts_of(engine_set)}), {n} asked for")
    while True:
        new = len(set(client.ids) - set(before))
        if new >= n:
            return
        running = [el for el in list(engine_set.launchers.values()) if not _exited(el)]
        if new + len(running) < n:
            time.sleep(0.3)  # one that ended may have registered just before: look once more
            new = len(set(client.ids) - set(before))
            if new >= n:
                return
            ended = sorted({ssh_hosts.host_name(key.rpartition("/")[0]) for key in _stopped(engine_set)}
                           | {ssh_hosts.host_name(el.location) for el in engine_set.launchers.values()
                              if el not in running})
            raise RuntimeError(f"the engines on {', '.join(ended) or '?'} ended (their output is in "
                               f"{engine_set.remote_profile_dir}/log there)")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{new} of {n} engines registered after {timeout:g} s")
        time.sleep(0.05)


def _stopped(engine_set: Any) -> list[str]:
    """The identifiers ("host/i") of an SSH engine set's engines that ended (and left its `launchers`)."""
    return [str(key) for key in engine_set.stop_data.get("engines", {})]


def hosts_of(engine_set: Any) -> str:
    """`host:N,...` of an SSH engine set's engines (running or ended)."""
    keys = [*engine_set.launchers, *_stopped(engine_set)]
    return ssh_hosts.hosts_text(Counter(str(key).rpartition("/")[0] for key in keys)) or "none"


def _quiet(launcher: Any) -> None:
    """Let the launcher's watcher thread end without a traceback: it stops polling, and the ssh call it is
    in failing (its client ended by us) is not reported (CPython calls the thread's own excepthook)."""
    waiting = getattr(launcher, "_stop_waiting", None)
    if waiting is not None:
        waiting.set()
    thread = getattr(launcher, "_wait_thread", None)
    if isinstance(thread, threading.Thread) and hasattr(thread, "_invoke_excepthook"):
        thread._invoke_excepthook = lambda thread: None  # type: ignore[attr-defined]


def _end_on_hosts(ssh: list[str], tag: str, remote: list[dict], timeout: float) -> int:
    """End `remote_engines` entries, one ssh call per host in parallel. Returns the hosts not reached."""
    by_host: dict[tuple[str, str], list[int]] = defaultdict(list)
    for entry in remote:
        by_host[(str(entry["host"]), str(entry.get("python") or "python3"))].append(int(entry["pid"]))
    if not by_host:
        return 0
    with ThreadPoolExecutor(min(8, len(by_host))) as pool:
        results = list(pool.map(lambda item: ssh_hosts.end_remote(item[0][0], ssh, item[0][1], tag, item[1],
                                                                   timeout=timeout), by_host.items()))
    return results.count(False)


def stop_sets(cluster: ipp.Cluster | None, tag: str, timeout: float = 4.0) -> int:
    """End the engines `cluster` started over SSH (see the module docstring) within about `timeout` s.
    Returns how many hosts could not be reached."""
    launchers = engine_launchers(cluster)
    if cluster is None or not launchers:
        return 0
    ssh, _ = ssh_options(cluster)
    remote = remote_engines(cluster)
    for el in launchers:
        _quiet(el)
    missed = _end_on_hosts(ssh, tag, remote, timeout)
    for set_id, engine_set in list(cluster.engines.items()):
        if isinstance(engine_set, ipp_launcher.SSHEngineSetLauncher):
            cluster.engines.pop(set_id, None)
    threads = [t for t in (getattr(el, "_wait_thread", None) for el in launchers)
               if isinstance(t, threading.Thread) and t is not threading.current_thread()]
    deadline = time.monotonic() + 2.0  # their remote waits return once the engines are gone
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    ssh_hosts.end_local_clients(ssh_hosts.local_clients({el.location for el in launchers}))
    return missed


def release(cluster: ipp.Cluster | None) -> None:
    """Leave the engines `cluster` started over SSH running but stop watching them: their watcher threads end
    quietly and our ssh clients that wait on the hosts are ended by pid (a detached cluster, or this process
    going away)."""
    launchers = engine_launchers(cluster)
    for el in launchers:
        _quiet(el)
    if launchers:
        ssh_hosts.end_local_clients(ssh_hosts.local_clients({el.location for el in launchers}))


def end_recorded(profile_cluster: ipp.Cluster, tag: str, remote: list[dict], timeout: float = 8.0) -> int:
    """End recorded remote engines (`remote_engines` entries) of an earlier session, through the profile's
    ssh options. Returns how many hosts could not be reached."""
    ssh, _ = ssh_options(profile_cluster)
    return _end_on_hosts(ssh, tag, remote, timeout)


def check_hosts(profile_dir: str | os.PathLike, hosts: Collection[str], remote_python: str | None = None,
                timeout: float = ssh_hosts.CHECK_SECONDS) -> list[ssh_hosts.HostCheck]:
    """Check `hosts` with the ssh options and remote Python of the profile's `ipcluster_config.py` (a
    `remote_python` given here wins); each host within `timeout` s."""
    profile = ipp.Cluster(profile_dir=str(profile_dir), shutdown_atexit=False, log_level=40)
    ssh, configured = ssh_options(profile)
    return ssh_hosts.check_hosts(hosts, ssh, remote_python or configured, timeout)
