"""Running blocking calls off the GUI thread for the Cluster dock.

`DockWorker.submit(name, fn, on_done, on_error)` queues `fn`; one daemon thread runs the queued jobs in order
and the callbacks run on the GUI thread (queued Qt signal). `busy` is True while a non-quiet job is queued
or running (`busy_changed` reports it); a quiet job (the timer's refresh) is refused while any job is in
flight, so refreshes never pile up. The thread is a daemon on purpose: a cluster call that never returns
(a client of a dead controller, ipyparallel #306) can never keep the application from exiting.
"""

from __future__ import annotations

import queue
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal


@dataclass(eq=False)
class Job:
    """One call to run off the GUI thread; `on_done(result)` or `on_error(exc, traceback_text)` follow on
    the GUI thread."""

    name: str
    fn: Callable[[], Any]
    on_done: Callable[[Any], None] | None = None
    on_error: Callable[[BaseException, str], None] | None = None
    quiet: bool = False
    result: Any = field(default=None, repr=False)
    error: BaseException | None = field(default=None, repr=False)
    traceback: str = field(default="", repr=False)


_STOP = object()


class DockWorker(QObject):
    """A queue of jobs run one at a time on a daemon thread (see the module docstring)."""

    busy_changed = Signal(bool)
    job_started = Signal(object)  # the Job, emitted from the worker thread's side (delivered queued)
    job_finished = Signal(object)  # the Job, with result or error set, after its callback ran
    _report = Signal(object, bool)  # (job, started?) emitted by the worker thread

    def __init__(self, parent: QObject | None = None, name: str = "cluster dock worker") -> None:
        super().__init__(parent)
        self._queue: queue.Queue = queue.Queue()
        self._pending: list[Job] = []  # queued or running; touched on the GUI thread only
        self._busy = False
        self._stopped = False
        self._report.connect(self._on_report, Qt.ConnectionType.QueuedConnection)
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()
        jobs = self._queue
        self.destroyed.connect(lambda *_: jobs.put(_STOP))  # deleted without stop(): let the thread end

    # -- GUI thread ------------------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """True while a non-quiet job is queued or running."""
        return self._busy

    @property
    def in_flight(self) -> int:
        """How many jobs are queued or running."""
        return len(self._pending)

    @property
    def thread_ident(self) -> int | None:
        return self._thread.ident

    def submit(self, name: str, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException, str], None] | None = None, *, quiet: bool = False) -> Job | None:
        """Queue `fn`; returns the Job, or None when refused (stopped, or quiet while another job is in flight)."""
        if self._stopped or (quiet and self._pending):
            return None
        job = Job(name, fn, on_done, on_error, quiet)
        self._pending.append(job)
        self._update_busy()
        self._queue.put(job)
        return job

    def stop(self, timeout: float = 1.0) -> bool:
        """Refuse new jobs, let the running one finish for up to `timeout` s; True if the thread ended."""
        self._stopped = True
        self._queue.put(_STOP)
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _update_busy(self) -> None:
        busy = any(not job.quiet for job in self._pending)
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)

    def _on_report(self, job: Job, started: bool) -> None:
        if started:
            self.job_started.emit(job)
            return
        if job in self._pending:
            self._pending.remove(job)
        try:
            if job.error is None:
                if job.on_done is not None:
                    job.on_done(job.result)
            elif job.on_error is not None:
                job.on_error(job.error, job.traceback)
        finally:
            self._update_busy()
            self.job_finished.emit(job)

    # -- worker thread ---------------------------------------------------------------------------------------
    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            if job is _STOP:
                return
            if not self._emit(job, True):
                return
            try:
                job.result = job.fn()
            except BaseException as exc:  # everything goes back to the GUI thread; nothing is swallowed
                job.error = exc
                job.traceback = "".join(traceback.format_exception(exc))
            if not self._emit(job, False):
                return

    def _emit(self, job: Job, started: bool) -> bool:
        try:
            self._report.emit(job, started)
            return True
        except RuntimeError:  # the QObject was deleted under us: nobody is listening any more
            return False
