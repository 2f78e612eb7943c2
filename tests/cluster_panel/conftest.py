"""Fixtures for real local clusters: a temporary IPython directory per test, everything ended by pid after."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import textwrap
import time

import pytest

from pflow_studio.cluster_panel.manager import ClusterManager
from pflow_studio.cluster_panel.processes import PROFILE_VAR, ProcessRef, end_processes, scan_environment

ROOT = pathlib.Path(__file__).resolve().parents[2]


def processes_under(directory: pathlib.Path) -> list[ProcessRef]:
    """Live cluster processes whose profile dir is inside `directory`."""
    prefix = str(directory)
    return [s.ref for s in scan_environment(lambda env: env.get(PROFILE_VAR, "").startswith(prefix))]


def wait_until(predicate, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def end_all_under(directory: pathlib.Path) -> None:
    end_processes(processes_under(directory), timeout=3.0)


@pytest.fixture
def manager(ipython_dir):
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
