"""What became of one Map element (`ItemOutcome`), and running one element under its own error and output
capture (`run_item`, `OutputCapture`, `failed_outcome`). Runners report many elements at once in columns
(`element_table.OutcomeBlock`); an `ItemOutcome` is one element looked at on its own."""

from __future__ import annotations

import dataclasses
import io
import socket
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

HOST = socket.gethostname()


@dataclasses.dataclass(slots=True)
class ItemOutcome:
    """What became of one element: its value (a dict of function outputs) or its error."""

    index: int
    ok: bool
    value: Any = None
    error: str = ""
    traceback: str = ""
    engine: int | None = None
    host: str = ""
    started: float = 0.0
    finished: float = 0.0
    stdout: str = ""
    stderr: str = ""
    cached: bool = False  # served from the element store, not run now


class OutputCapture:
    """Captures what the code in its `with` block prints to stdout and stderr (the process-wide streams),
    and tells what was printed since the last look: `take()` -> (stdout, stderr)."""

    def __enter__(self) -> OutputCapture:
        self.out, self.err = io.StringIO(), io.StringIO()
        self._seen = (0, 0)
        self._saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = self.out, self.err
        return self

    def __exit__(self, *exc: object) -> None:
        sys.stdout, sys.stderr = self._saved

    def take(self) -> tuple[str, str] | None:
        """What was printed since the last call, or None when nothing was (the cheap, common case)."""
        seen = self.out.tell(), self.err.tell()
        if seen == self._seen:
            return None
        (out_from, err_from), self._seen = self._seen, seen
        return self.out.getvalue()[out_from:], self.err.getvalue()[err_from:]


def failed_outcome(exc: BaseException, index: int, started: float) -> ItemOutcome:
    """The outcome of an element whose task raised `exc` (a body failure carries its formatted traceback)."""
    inner = getattr(exc, "inner_traceback", None)  # a failure inside the body, already formatted
    return ItemOutcome(
        index, False, error=str(exc) if inner is not None else f"{type(exc).__name__}: {exc}",
        traceback=inner if inner is not None else "".join(traceback.format_exception(exc)),
        host=HOST, started=started, finished=time.time(),
    )


def run_item(task: Callable[[dict[str, Any]], dict[str, Any]], index: int, bindings: dict[str, Any],
             capture: OutputCapture | None = None) -> ItemOutcome:
    """Run one element under its own error capture, capturing what it prints (with `capture`, another
    capture of the same interface: `take()` after the run)."""
    started = time.time()
    with capture or OutputCapture() as capture:
        try:
            outcome = ItemOutcome(index, True, task(bindings), host=HOST, started=started)
        except Exception as exc:
            outcome = failed_outcome(exc, index, started)
        printed = capture.take()
    outcome.finished = outcome.finished or time.time()
    if printed is not None:
        outcome.stdout, outcome.stderr = printed
    return outcome
