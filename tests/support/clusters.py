"""Real local ipyparallel clusters (controller on 127.0.0.1) and the fixtures that hold them.

Runner tests: `cluster` (module-scoped, shared, 2 engines) and `fresh_cluster` (per test, for tests
that kill processes), each in its own temporary profile directory, stopped by its finalizer.
Engines get the repository on PYTHONPATH (the test node types are pickled by reference).
Manager tests: `ipython_dir` (a fresh IPython directory per test), `manager` (a ClusterManager on it)
and `shared` (a module's manager owning a running 2-engine cluster). Every cluster process started
under these directories is ended by pid afterwards.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import subprocess
import sys
import textwrap
from collections.abc import Callable
from typing import Any

import ipyparallel as ipp
import psutil
import pytest

from pflow_studio.cluster_panel.keeper import LauncherKeeper
from pflow_studio.cluster_panel.manager import ClusterManager
from tests.support.paths import ROOT
from tests.support.processes import end_all_under
from tests.support.qt_blocker import blocker_dir


@dataclasses.dataclass
class LocalCluster:
    """A started cluster with its client; `engine_pids()` maps engine id -> pid."""

    cluster: Any
    client: Any
    profile_dir: pathlib.Path
    engine_kwargs: dict = dataclasses.field(default_factory=dict)  # how its engines were started

    def keeper(self, say: Callable[[str], None] = lambda line: None) -> LauncherKeeper:
        """The Map runner's keeper of this cluster's engines: their exit status, new ones in place of lost ones."""
        return LauncherKeeper(lambda: self.cluster, lambda n, lost: self.add_engines(n), say)

    def add_engines(self, n: int) -> None:
        """Start `n` more engines like the first ones (they register a moment later)."""
        self.cluster.start_engines_sync(n=n, **self.engine_kwargs)

    def engine_pids(self) -> dict[int, int]:
        return self.client[:].apply_async(os.getpid).get_dict(timeout=30)

    def nanny_pids(self) -> dict[int, int]:
        """Engine id -> pid of the nanny process watching it (a child process of the engine)."""
        nannies = {}
        for eid, pid in self.engine_pids().items():
            children = psutil.Process(pid).children()
            named = [c for c in children if "nanny" in " ".join(c.cmdline())]
            nannies[eid] = (named or children)[0].pid
        return nannies

    def controller_pids(self) -> list[int]:
        """The controller's pid and its helper processes' (schedulers, broadcast) pids."""
        process = self.cluster.controller.process
        return [process.pid, *(child.pid for child in process.children(recursive=True))]

    def stop(self) -> None:
        """Stop the cluster, then end by pid whatever of it is still alive (a test may have killed the
        controller's main process, orphaning its helper processes, which the launchers no longer know)."""
        try:
            self.client.close()
            self.cluster.stop_cluster_sync()
        finally:
            end_all_under(self.profile_dir)


def start_cluster(profile_dir: pathlib.Path, n: int = 2, *, block_qt: bool = False, ping: int | None = 200,
                  ip: str = "127.0.0.1", elsewhere: Callable[[pathlib.Path], int] | None = None) -> LocalCluster:
    """Start a controller listening on `ip` and `n` local engines; return when the client sees all of them.
    The controller's heartbeat period is `ping` ms (None: ipyparallel's default 3 s, as with a hand-started
    `ipcluster`). `elsewhere(engine_file)` starts engines of its own (on test hosts, by the engine connection
    file) once the controller runs, and returns how many; the client waits for those too."""
    paths = [str(ROOT)]
    if block_qt:
        paths.insert(0, str(blocker_dir(profile_dir.parent)))
    if os.environ.get("PYTHONPATH"):
        paths.append(os.environ["PYTHONPATH"])
    cluster = ipp.Cluster(
        n=n, profile_dir=str(profile_dir), controller_ip=ip,
        controller_args=[f"--ping={ping}"] if ping else [], log_level=40,
    )
    try:
        cluster.start_controller_sync()
        engine_kwargs = {"environment": {"PYTHONPATH": os.pathsep.join(paths)},
                         "engine_args": ["--InteractiveShell.colors=nocolor"]}  # a launcher trait
        if n:
            cluster.start_engines_sync(n=n, **engine_kwargs)
        client = cluster.connect_client_sync()  # waits for the connection files
        if elsewhere is not None:
            n += elsewhere(pathlib.Path(cluster.controller.connection_files["engine"]))
        client.wait_for_engines(n, timeout=120)
    except BaseException:
        try:
            cluster.stop_cluster_sync()
        finally:
            end_all_under(profile_dir)
        raise
    return LocalCluster(cluster, client, profile_dir, engine_kwargs)


def _started(tmp_path_factory: pytest.TempPathFactory, name: str, **kwargs: Any) -> LocalCluster:
    return start_cluster(tmp_path_factory.mktemp(name) / "profile", **kwargs)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory):
    """A shared 2-engine cluster for a test module."""
    local = _started(tmp_path_factory, "cluster")
    yield local
    local.stop()


@pytest.fixture
def fresh_cluster(tmp_path_factory: pytest.TempPathFactory):
    """A 2-engine cluster of its own for a test that kills processes."""
    local = _started(tmp_path_factory, "fresh")
    yield local
    local.stop()


@pytest.fixture
def ipython_dir(tmp_path):
    """A fresh IPython directory (cluster and GUI tests); every cluster process started under it is
    ended by pid afterwards."""
    path = tmp_path / "ipython"
    path.mkdir()
    yield path
    end_all_under(path)


@pytest.fixture
def manager(ipython_dir):
    """A cluster manager of profile 'default' in a fresh IPython directory; what it owns is stopped after."""
    m = ClusterManager("default", ipython_dir=ipython_dir, call_timeout=5.0)
    yield m
    m.shutdown_owned()


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """A manager owning a 2-engine local cluster, shared by a module's read-only tests."""
    path = tmp_path_factory.mktemp("shared") / "ipython"
    m = ClusterManager("default", ipython_dir=path, call_timeout=5.0)
    try:
        m.start_engines(2, timeout=90)
        yield m
    finally:
        m.shutdown_owned()
        end_all_under(path)


def run_script(code: str, ipython_dir: pathlib.Path, *, wait: bool = True, timeout: float = 120,
               **kwargs) -> subprocess.Popen | subprocess.CompletedProcess:
    """Run Python `code` in a subprocess with `ipython_dir` as IPYTHONDIR (wait=False: return the Popen)."""
    env = dict(os.environ, IPYTHONDIR=str(ipython_dir), PYTHONPATH=str(ROOT))
    argv = [sys.executable, "-c", textwrap.dedent(code)]
    if wait:
        return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout, **kwargs)
    return subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def pflow(ipython_dir: pathlib.Path, *args: str) -> subprocess.CompletedProcess:
    """Run `pflow-studio ARGS` in a subprocess with `ipython_dir` as IPYTHONDIR (at most 180 s)."""
    env = dict(os.environ, IPYTHONDIR=str(ipython_dir), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "pflow_studio", *args], env=env, capture_output=True, text=True,
                          timeout=180)
