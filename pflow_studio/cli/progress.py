"""The headless runner's progress bar: an event listener that draws on stderr.

On a terminal it redraws one line in place; in a log (not a TTY) it writes a line at most once a
second and a last one at the end, so CI logs stay short.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from pflow_studio.runtime import events as ev


class ProgressBar:
    """Draws `[#####-----] 3/10 nodes | Map 240/1000 (200 from the store)` from run and Map progress events."""

    width = 24

    def __init__(self, stream: TextIO | None = None, labels: dict[str, str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.interactive = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.labels = labels or {}
        self.done = self.total = 0
        self.maps: dict[tuple[str, ...], tuple[int, int, int]] = {}  # Map path -> (done, total, stored)
        self._last_write = 0.0
        self._dirty = False

    def __call__(self, event: ev.Event) -> None:
        if event.kind == ev.PROGRESS:
            if event.path == ():
                self.done, self.total = event.done, event.total
            else:
                stored = event.details.get("stored", 0) if isinstance(event.details, dict) else 0
                self.maps[event.path] = (event.done, event.total, stored)
                if event.done >= event.total:
                    self.maps.pop(event.path, None)
            self._draw(final=False)
        elif event.kind == ev.FAILED:
            self.say(f"failed: {self.labels.get(event.node_id, event.node_id)}: {event.message}")
        elif event.kind == ev.WARNING:
            self.say(f"warning: {self.labels.get(event.node_id, event.node_id)}: {event.message}")

    def line(self) -> str:
        filled = int(self.width * self.done / self.total) if self.total else 0
        text = f"[{'#' * filled}{'-' * (self.width - filled)}] {self.done}/{self.total} nodes"
        for path, (done, total, stored) in self.maps.items():
            text += f" | {self.labels.get(path[-1], path[-1])} {done}/{total}"
            if stored:
                text += f" ({stored} from the store)"
        return text

    def _draw(self, final: bool) -> None:
        now = time.monotonic()
        self._dirty = True
        if self.interactive:
            self.stream.write("\r\x1b[K" + self.line())
            self.stream.flush()
            self._dirty = False
        elif final or now - self._last_write >= 1.0:
            self.stream.write(self.line() + "\n")
            self._last_write = now
            self._dirty = False

    def say(self, text: str) -> None:
        """Print one line of its own above the bar."""
        if self.interactive:
            self.stream.write("\r\x1b[K")
        self.stream.write(text + "\n")
        self.stream.flush()

    def finish(self) -> None:
        """Draw the last state and end the line."""
        if self.interactive:
            self.stream.write("\r\x1b[K" + self.line() + "\n")
        elif self._dirty:
            self.stream.write(self.line() + "\n")
        self.stream.flush()
