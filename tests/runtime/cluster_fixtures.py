"""Real local ipyparallel clusters for the cluster runner tests (controller on 127.0.0.1, 2 engines).

`cluster` is module-scoped and shared; `fresh_cluster` is function-scoped for tests that kill
processes. Each lives in its own temporary profile directory and is stopped by its finalizer.
Engines get the repository on PYTHONPATH (the test node types are pickled by reference).
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import signal
import textwrap
from typing import Any

import ipyparallel as ipp
import psutil
import pytest

from pflow_studio.cluster_panel.processes import PROFILE_VAR, end_processes, scan_environment

ROOT = pathlib.Path(__file__).resolve().parents[2]

QT_BLOCKER = textwrap.dedent(
    """
    import importlib.abc, sys

    BLOCKED = ("PySide6", "shiboken6", "NodeGraphQt", "Qt", "PyQt5", "PyQt6")

    class BlockQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"Qt is not importable on this engine: {name}")
            return None

    sys.meta_path.insert(0, BlockQt())
    """
)


@dataclasses.dataclass
class LocalCluster:
    """A started cluster with its client; `engine_pids()` maps engine id -> pid."""

    cluster: Any
    client: Any
    profile_dir: pathlib.Path

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
            end_leftovers(self.profile_dir)


def end_leftovers(profile_dir: pathlib.Path) -> None:
    """End by pid every live process of the cluster in `profile_dir` (found by IPP_PROFILE_DIR)."""
    left = scan_environment(lambda env: env.get(PROFILE_VAR) == str(profile_dir))
    end_processes([found.ref for found in left], timeout=3.0)


def start_cluster(profile_dir: pathlib.Path, n: int = 2, *, block_qt: bool = False) -> LocalCluster:
    """Start a controller and `n` engines; return when the client sees all of them."""
    paths = [str(ROOT)]
    if block_qt:
        blocker = profile_dir.parent / "qt_blocker"
        blocker.mkdir(parents=True, exist_ok=True)
        (blocker / "sitecustomize.py").write_text(QT_BLOCKER)
        paths.insert(0, str(blocker))
    if os.environ.get("PYTHONPATH"):
        paths.append(os.environ["PYTHONPATH"])
    cluster = ipp.Cluster(
        n=n, profile_dir=str(profile_dir), controller_ip="127.0.0.1", controller_args=["--ping=200"], log_level=40,
    )
    try:
        cluster.start_controller_sync()
        cluster.start_engines_sync(n=n, environment={"PYTHONPATH": os.pathsep.join(paths)},
                                   engine_args=["--InteractiveShell.colors=nocolor"])  # a launcher trait
        client = cluster.connect_client_sync()
        client.wait_for_engines(n, timeout=120)
    except BaseException:
        try:
            cluster.stop_cluster_sync()
        finally:
            end_leftovers(profile_dir)
        raise
    return LocalCluster(cluster, client, profile_dir)


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


def kill(pid: int) -> None:
    """SIGKILL one process by pid (ignoring one already gone); never this process or its parent."""
    if pid in (os.getpid(), os.getppid()):
        raise ValueError(f"refusing to kill pid {pid}: it is the test process or its parent")
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
