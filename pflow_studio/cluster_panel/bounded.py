"""Calls that may never return (a client of a dead controller blocks forever, ipyparallel #306).

`call_with_timeout` runs the call on a daemon thread and gives up after `timeout`: the caller is
never blocked longer; a call that truly hangs leaves one idle daemon thread behind.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class CallTimeout(TimeoutError):
    """The call did not return in time."""


def call_with_timeout(fn: Callable[[], T], timeout: float, what: str = "the call") -> T:
    """fn() or CallTimeout after `timeout` seconds; an exception from fn is re-raised here."""
    result: dict[str, object] = {}
    done = threading.Event()

    def target() -> None:
        try:
            result["value"] = fn()
        except BaseException as exc:
            result["error"] = exc
        finally:
            done.set()

    threading.Thread(target=target, name=f"bounded {what}", daemon=True).start()
    if not done.wait(timeout):
        raise CallTimeout(f"{what} did not return within {timeout:g} s")
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result["value"]  # type: ignore[return-value]
