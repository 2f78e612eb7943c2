"""Starting controllers and engines through ipyparallel's Cluster API, with our fast defaults.

The profile's `ipcluster_config.py` is honoured (ipyparallel loads it), and so is its
`ipcontroller_config.py` (the controller loads it): the listen address is passed to the controller only when
asked for (`ip`/`location`; ipyparallel 9's controller listens on 127.0.0.1 by default, and a `--ip` on its
command line beats `c.IPController.ip`). Our defaults (the heartbeat of `heartbeat`, plain tracebacks) only
fill in what the profile leaves unset, and only for the local launchers. Every process gets our ownership tag in
its environment, which its children inherit, so `processes.scan_environment` finds all of them later.
"""

from __future__ import annotations

import os
import pathlib
import time
from collections.abc import Collection
from typing import Any

import ipyparallel as ipp
from ipyparallel.cluster import launcher as ipp_launcher
from traitlets.config import Config

from pflow_studio.cluster_panel import heartbeat
from pflow_studio.cluster_panel.processes import OWNER_VAR, TAG_VAR

ENGINE_ARGS = ["--InteractiveShell.colors=nocolor"]  # plain tracebacks in remote errors


def _configured(config: Config, name: str) -> bool:
    """True when any section of `config` sets the option `name`."""
    return any(isinstance(section, Config) and name in section for section in config.values())


def make_cluster(profile_dir: pathlib.Path, cluster_id: str, *, shutdown_atexit: bool,
                 with_controller: bool, ip: str = "", location: str = "") -> ipp.Cluster:
    """A Cluster object for `profile_dir`. Without a controller it only adds engines to the running
    cluster `cluster_id` and writes no cluster file (that cluster's own file stays untouched). `ip`: the
    address the controller listens on, `location`: the one engines and clients use to reach it ("": what
    the profile says, else the controller's default, 127.0.0.1 and this host's name)."""
    kwargs: dict = {"profile_dir": str(profile_dir), "cluster_id": cluster_id, "shutdown_atexit": shutdown_atexit,
                    "log_level": 30}
    if not with_controller:
        kwargs["cluster_file"] = ""
    cluster = ipp.Cluster(**kwargs)
    config = cluster.config
    if ip:
        cluster.controller_ip = ip
    if location:
        cluster.controller_location = location
    if not _configured(config, "delay"):
        cluster.delay = 0  # engines wait for the controller's connection info anyway
    local_controller = cluster.controller_launcher_class is ipp_launcher.LocalControllerLauncher
    if with_controller and local_controller:
        cluster.controller_args = [*cluster.controller_args,
                                   *heartbeat.controller_args(cluster.controller_args, profile_dir)]
    return cluster


def tag_environment(tag: str, owner: str) -> dict[str, str]:
    return {TAG_VAR: tag, OWNER_VAR: owner}


def engine_kwargs(cluster: ipp.Cluster, tag: str, owner: str) -> dict:
    """Keyword arguments for `cluster.start_engines`: our environment, and plain tracebacks for local engines."""
    kwargs: dict = {"environment": tag_environment(tag, owner)}
    if (issubclass(cluster.engine_launcher_class, ipp_launcher.LocalEngineSetLauncher)
            and not _configured(cluster.config, "engine_args")):
        kwargs["engine_args"] = list(ENGINE_ARGS)
    return kwargs


def wait_for_new_engines(client: Any, before: Collection[int], n: int, timeout: float) -> None:
    """Return once `n` engines that are not in `before` have registered; TimeoutError after `timeout` s."""
    deadline = time.monotonic() + timeout
    while len(set(client.ids) - set(before)) < n:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(set(client.ids) - set(before))} of {n} new engines after {timeout:g} s")
        time.sleep(0.05)


def remove_cluster_files(profile_dir: pathlib.Path, cluster_id: str) -> None:
    """Remove the cluster file and connection files of a cluster that is gone (stale pids must not be trusted)."""
    security = profile_dir / "security"
    prefix = f"ipcontroller-{cluster_id}" if cluster_id else "ipcontroller"
    for name in (f"cluster-{cluster_id}.json", f"{prefix}-client.json", f"{prefix}-engine.json"):
        try:
            os.remove(security / name)
        except OSError:
            pass
