"""Cancellation: a token the GUI or CLI sets and the executor and runners check between steps."""

from __future__ import annotations

import threading


class Cancelled(Exception):
    """Raised inside a run when its token was cancelled."""


class CancelToken:
    """A thread-safe flag; `cancel()` may be called from any thread."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled("the run was cancelled")

    def wait(self, timeout: float) -> bool:
        """Sleep up to `timeout` seconds; True as soon as the token is cancelled."""
        return self._event.wait(timeout)
