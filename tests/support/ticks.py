"""How long the GUI thread's event loop went without turning: a timer ticking every few milliseconds records when
it fired; the longest gap between ticks is the longest the loop was blocked."""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Iterator

from PySide6.QtCore import QTimer


class Ticks:
    """The tick times recorded; `longest_gap()` in seconds."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def longest_gap(self) -> float:
        return max((b - a for a, b in itertools.pairwise(self.times)), default=0.0)


@contextlib.contextmanager
def ticking(interval_ms: int = 5) -> Iterator[Ticks]:
    """Record ticks of a timer firing every `interval_ms` while the block runs (it must let the loop run, e.g.
    with qtbot.wait)."""
    ticks = Ticks()
    timer = QTimer()
    timer.setInterval(interval_ms)
    timer.timeout.connect(lambda: ticks.times.append(time.monotonic()))
    timer.start()
    try:
        yield ticks
    finally:
        timer.stop()
