"""Suite-wide settings and fixtures: Qt runs offscreen (GUI tests need no display), the shared fixtures of
tests/support are registered, Qt objects end with their test (tests/support/qt_lifetimes.py), each test has an
element store of its own, the run fails if a cluster process started by the tests outlives them, and the summary
names the random test order's seed."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import time

import psutil
import pytest

from tests.support.processes import end_all_under, processes_under

pytest_plugins = ["tests.support.clusters", "tests.support.canvas", "tests.support.window",
                  "tests.support.qt_lifetimes", "tests.support.private", "tests.support.netns"]


@pytest.fixture(autouse=True)
def _element_store_of_its_own(tmp_path, monkeypatch):
    """Every test (and every process it starts) gets an empty element store and trust store of its own, never
    the user's."""
    monkeypatch.setenv("PFLOW_STUDIO_CACHE_DIR", str(tmp_path / "element-store"))
    monkeypatch.setenv("PFLOW_STUDIO_TRUST_DIR", str(tmp_path / "trust"))


@pytest.fixture(scope="session", autouse=True)
def _no_leaked_cluster_processes(tmp_path_factory):
    """Fail the run if a cluster process started under the tests' temp dirs is still alive at the end
    (after a 5 s grace for processes on their way out); such processes are ended by pid."""
    base = tmp_path_factory.getbasetemp()
    yield
    deadline = time.monotonic() + 5.0
    leaked = processes_under(base)
    while leaked and time.monotonic() < deadline:
        time.sleep(0.2)
        leaked = processes_under(base)
    if not leaked:
        return
    described = []
    for ref in leaked:
        try:
            described.append(f"{ref.pid} {' '.join(psutil.Process(ref.pid).cmdline())[:80]}")
        except psutil.Error:
            described.append(str(ref.pid))
    end_all_under(base)
    pytest.fail(f"{len(leaked)} cluster process(es) outlived the tests (now ended): " + "; ".join(described))


def pytest_terminal_summary(terminalreporter, config) -> None:
    """Name the random test order (pytest-randomly) even under -q, so a failure that depends on it can be replayed."""
    seed = getattr(config.option, "randomly_seed", None)
    if isinstance(seed, int):
        terminalreporter.write_line(f"test order: pytest-randomly seed {seed} (replay it with --randomly-seed={seed})")
