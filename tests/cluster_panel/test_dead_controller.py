"""A controller that stops answering is reported within 15 s, and nothing hangs."""

from __future__ import annotations

import os
import signal
import time

import pytest

from pflow_studio.cluster_panel.manager import ClusterManager
from tests.support.processes import processes_under, wait_until

pytestmark = pytest.mark.fault


@pytest.mark.timeout(120)
def test_sigkilled_controller_is_reported(manager, ipython_dir):
    info = manager.start_engines(1, timeout=90)
    assert info.connected
    controller = manager._controller_ref
    os.kill(controller.pid, signal.SIGKILL)
    start = time.monotonic()
    info = manager.info()
    assert not info.connected and "not running" in info.error
    assert time.monotonic() - start < 15
    manager.cleanup(terminate=True)  # ends the engines and helpers left behind
    assert wait_until(lambda: not processes_under(ipython_dir), 5)


@pytest.mark.timeout(120)
def test_frozen_controller_times_out(ipython_dir):
    """SIGSTOP: the process exists but never answers (like a remote controller that died): queue_status
    would block forever; info() gives up after call_timeout."""
    manager = ClusterManager("default", ipython_dir=ipython_dir, call_timeout=3.0)
    try:
        manager.start_engines(1, timeout=90)
        controller = manager._controller_ref
        os.kill(controller.pid, signal.SIGSTOP)
        try:
            start = time.monotonic()
            info = manager.info()
            assert time.monotonic() - start < 10
            assert not info.connected and "did not answer" in info.error
            assert manager.info().error == info.error  # stays dead, answers at once
        finally:
            os.kill(controller.pid, signal.SIGCONT)
        start = time.monotonic()
        manager.shutdown_owned()
        assert time.monotonic() - start < 5
    finally:
        manager.shutdown_owned()
    assert wait_until(lambda: not processes_under(ipython_dir), 5)
