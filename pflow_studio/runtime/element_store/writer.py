"""`StoreWriter`: one thread that runs an element store's writes in the order they were handed over.

A Map hands its finished elements to the writer (`submit`) and goes on; the writer makes their rows and
writes them while the Map runs on. SQLite lets go of the interpreter while it works on the file, so most of a
write overlaps the caller's own work. `wait()` returns once every job submitted before it has run (the store
calls it before each read, so a reader always sees every write handed over before); `stop()` runs what is
left and ends the thread. A job that raises is handed to `on_error` (the store switches itself off with one
warning); the thread goes on with the next job. At interpreter exit every writer still running finishes its
jobs first (an `atexit` hook), so a process that ends (also by Ctrl+C or SIGTERM) keeps what it handed over.
"""

from __future__ import annotations

import atexit
import collections
import threading
import weakref
from collections.abc import Callable

Job = Callable[[], None]

_LIVE: weakref.WeakSet[StoreWriter] = weakref.WeakSet()


class StoreWriter:
    """See the module docstring. `name` names the thread; `on_error(exc)` is called on it for a failed job."""

    def __init__(self, name: str, on_error: Callable[[BaseException], None]) -> None:
        self.name = name
        self.on_error = on_error
        self._jobs: collections.deque[Job] = collections.deque()
        self._pending = 0  # submitted and not finished yet
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self.waiting = 0  # threads in `wait`: a job that may take its time (gives way to others) should not

    def submit(self, job: Job) -> None:
        """Run `job` on the writer thread after the jobs submitted before it (the thread starts when needed)."""
        with self._changed:
            self._jobs.append(job)
            self._pending += 1
            if self._thread is None:
                self._stopping = False
                self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
                self._thread.start()
                _LIVE.add(self)
            self._changed.notify_all()

    def on_thread(self) -> bool:
        """Is the caller the writer thread itself (a job)?"""
        return self._thread is threading.current_thread()

    def idle(self) -> bool:
        """Has every job submitted so far run?"""
        return self._pending == 0

    def wait(self) -> None:
        """Return once every job submitted so far has run (at once on the writer thread itself)."""
        if self._pending == 0 or self.on_thread():
            return
        with self._changed:
            self.waiting += 1
            try:
                while self._pending:
                    self._changed.wait()
            finally:
                self.waiting -= 1

    def stop(self, last: Job | None = None) -> None:
        """Run the jobs left, then `last` (on the writer thread), and end the thread."""
        with self._changed:
            thread = self._thread
            if thread is None:
                return
            if last is not None:
                self._jobs.append(last)
                self._pending += 1
            self._stopping = True
            self.waiting += 1
            self._changed.notify_all()
        try:
            if thread is not threading.current_thread():
                thread.join()
        finally:
            with self._changed:
                self.waiting -= 1

    def _loop(self) -> None:
        while True:
            with self._changed:
                while not self._jobs and not self._stopping:
                    self._changed.wait()
                if not self._jobs:
                    self._thread = None
                    self._changed.notify_all()
                    return
                job = self._jobs.popleft()
            try:
                job()
            except BaseException as exc:  # a job never ends the writer: the store switches off
                self._report(exc)
            with self._changed:
                self._pending -= 1
                self._changed.notify_all()

    def _report(self, exc: BaseException) -> None:
        try:
            self.on_error(exc)
        except Exception:  # the warning itself failed: nothing more can be said
            pass


@atexit.register
def _finish_all() -> None:
    """At interpreter exit: let every writer finish what it was handed."""
    for writer in list(_LIVE):
        writer.stop()
