"""The dock's worker on trivial callables: order, threads, errors, busy state, refusals, stop."""

from __future__ import annotations

import threading
import time

import pytest

from pflow_studio.cluster_panel.dock.worker import DockWorker


@pytest.fixture
def worker(qtbot):
    w = DockWorker()
    yield w
    w.stop(2.0)


@pytest.mark.timeout(30)
def test_jobs_run_in_order_off_the_gui_thread_and_report_on_it(qtbot, worker):
    gui = threading.get_ident()
    ran, done = [], []

    def job(i):
        def fn():
            ran.append((i, threading.get_ident()))
            return i * 10
        return fn

    for i in range(3):
        worker.submit(f"job {i}", job(i), lambda result: done.append((result, threading.get_ident())))
    qtbot.waitUntil(lambda: len(done) == 3, timeout=5000)
    assert [i for i, _ in ran] == [0, 1, 2]
    assert all(ident == worker.thread_ident != gui for _, ident in ran)
    assert done == [(0, gui), (10, gui), (20, gui)]
    assert worker.in_flight == 0


@pytest.mark.timeout(30)
def test_errors_come_back_with_their_traceback(qtbot, worker):
    errors = []

    def fail():
        raise ValueError("no cluster here")

    worker.submit("fail", fail, lambda r: errors.append("done?"), lambda exc, tb: errors.append((exc, tb)))
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    ((exc, tb),) = errors
    assert isinstance(exc, ValueError) and "no cluster here" in tb and "Traceback" in tb


@pytest.mark.timeout(30)
def test_busy_while_a_job_runs_and_quiet_jobs_are_refused_meanwhile(qtbot, worker):
    gate = threading.Event()
    states = []
    worker.busy_changed.connect(states.append)
    ticks = []
    slow = worker.submit("slow", lambda: gate.wait(10))
    assert slow is not None and worker.busy
    assert worker.submit("refresh", lambda: ticks.append(1), quiet=True) is None  # no pile-up
    # the GUI thread keeps running while the job blocks
    qtbot.wait(100)
    gate.set()
    qtbot.waitUntil(lambda: not worker.busy, timeout=5000)
    assert states == [True, False]
    quiet = worker.submit("refresh", lambda: ticks.append(1), quiet=True)
    assert quiet is not None and not worker.busy  # quiet jobs do not show the busy indicator
    qtbot.waitUntil(lambda: ticks == [1], timeout=5000)
    assert states == [True, False]


@pytest.mark.timeout(30)
def test_stop_refuses_new_jobs_and_ends_the_thread(qtbot):
    worker = DockWorker()
    worker.submit("short", lambda: time.sleep(0.05))
    assert worker.stop(5.0)
    assert worker.submit("late", lambda: None) is None


@pytest.mark.timeout(30)
def test_stop_is_bounded_when_a_call_hangs(qtbot):
    worker = DockWorker()
    gate = threading.Event()
    worker.submit("hangs", lambda: gate.wait(30))
    started = time.monotonic()
    assert not worker.stop(0.3)
    assert time.monotonic() - started < 2.0
    gate.set()
    # the thread holds the (parentless) worker until it ends: let it end, so that the worker is deleted
    # on this thread, never on its own thread while its last report is being delivered here (a segfault)
    qtbot.waitUntil(lambda: not worker._thread.is_alive(), timeout=5000)


@pytest.mark.timeout(30)
def test_the_thread_ends_when_the_worker_is_deleted(qtbot):
    worker = DockWorker()
    thread = worker._thread
    worker.deleteLater()
    del worker
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=5000)
