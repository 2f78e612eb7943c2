"""Element store work off the GUI thread: whole orders of a big run, sizes, clearing, upkeep.

`StoreWorker` runs the jobs it is given on a thread pool of one thread, one after the other, in the order
given. `submit(store, job, done, failed=None)` calls `job(store)` there and then `done(result)` on the GUI
thread (or `failed(message)` when the job raised); after each job the thread gives its store connection back
(`ElementStore.close_thread`: SQLite connections can be closed only by the thread that opened them).
`stop()` drops the jobs not started and waits for the one in hand (the pool also waits when it is deleted).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

from pflow_studio.runtime.element_store.store import ElementStore

Job = Callable[[ElementStore], Any]


class _Job(QRunnable):
    def __init__(self, worker: StoreWorker, ticket: int, store: ElementStore, job: Job) -> None:
        super().__init__()
        self.worker, self.ticket, self.store, self.job = worker, ticket, store, job

    def run(self) -> None:
        try:
            result, error = self.job(self.store), ""
        except Exception as exc:  # a job never takes the thread down
            result, error = None, f"{type(exc).__name__}: {exc}"
        finally:
            self.store.close_thread()
        self.worker.job_done.emit(self.ticket, result, error)


class StoreWorker(QObject):
    """See the module docstring."""

    job_done = Signal(int, object, str)  # ticket, result, error ("" when none); emitted on the pool's thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tickets = itertools.count(1)
        self._waiting: dict[int, tuple[Callable[[Any], None], Callable[[str], None] | None]] = {}
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.job_done.connect(self._deliver)  # queued: this object lives on the GUI thread

    @property
    def busy(self) -> bool:
        """Whether a job is waiting or running."""
        return bool(self._waiting)

    def submit(self, store: ElementStore, job: Job, done: Callable[[Any], None],
               failed: Callable[[str], None] | None = None) -> int:
        """Run `job(store)` on the worker thread; `done(result)` (or `failed(message)`) follows on this thread."""
        ticket = next(self._tickets)
        self._waiting[ticket] = (done, failed)
        self.pool.start(_Job(self, ticket, store, job))
        return ticket

    def _deliver(self, ticket: int, result: Any, error: str) -> None:
        callbacks = self._waiting.pop(ticket, None)
        if callbacks is None:
            return
        done, failed = callbacks
        if not error:
            done(result)
        elif failed is not None:
            failed(error)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Wait for every job given so far and deliver their results (tests, benchmarks)."""
        finished = self.pool.waitForDone(timeout_ms)
        QCoreApplication.processEvents()
        return finished

    def stop(self, timeout_ms: int = 30_000) -> bool:
        """Drop the jobs not started (their callbacks too) and wait for the one in hand."""
        self.pool.clear()
        self._waiting.clear()
        return self.pool.waitForDone(timeout_ms)
