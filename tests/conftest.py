"""Suite-wide settings: Qt runs offscreen so GUI tests need no display."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


# --- session-wide check: no ipyparallel process started by the tests outlives them --------------------------
import time as _time

import psutil as _psutil
import pytest as _pytest


def _cluster_processes_under(prefix: str) -> list[_psutil.Process]:
    """Live processes whose IPP_PROFILE_DIR (set by ipyparallel on every cluster process) is under `prefix`."""
    found = []
    for proc in _psutil.process_iter():
        try:
            if proc.environ().get("IPP_PROFILE_DIR", "").startswith(prefix) and proc.status() != _psutil.STATUS_ZOMBIE:
                found.append(proc)
        except (_psutil.NoSuchProcess, _psutil.AccessDenied, _psutil.ZombieProcess, OSError):
            continue
    return found


@_pytest.fixture(scope="session", autouse=True)
def _no_leaked_cluster_processes(tmp_path_factory):
    """Fail the run if a cluster process started under the tests' temp dirs is still alive at the end
    (after a 5 s grace for processes on their way out); such processes are ended by pid."""
    prefix = str(tmp_path_factory.getbasetemp())
    yield
    deadline = _time.monotonic() + 5.0
    leaked = _cluster_processes_under(prefix)
    while leaked and _time.monotonic() < deadline:
        _time.sleep(0.2)
        leaked = _cluster_processes_under(prefix)
    if not leaked:
        return
    described = []
    for proc in leaked:
        try:
            described.append(f"{proc.pid} {' '.join(proc.cmdline())[:80]}")
            proc.terminate()
        except _psutil.NoSuchProcess:
            continue
    _, alive = _psutil.wait_procs(leaked, timeout=3)
    for proc in alive:
        try:
            proc.kill()
        except _psutil.NoSuchProcess:
            pass
    _pytest.fail(f"{len(leaked)} cluster process(es) outlived the tests (now ended): " + "; ".join(described))


@_pytest.fixture
def ipython_dir(tmp_path):
    """A fresh IPython directory (cluster and GUI tests); every cluster process started under it is
    ended by pid afterwards."""
    from tests.cluster_panel.conftest import end_all_under

    path = tmp_path / "ipython"
    path.mkdir()
    yield path
    end_all_under(path)
