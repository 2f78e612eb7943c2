"""Timing helpers shared by the bench scripts: interleaved medians and the machine's load."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Mapping


def interleaved(fns: Mapping[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median seconds of each fn, run round-robin so every one sees the same machine load. A fn that returns
    a float reports its own time (so it can leave its setup out); otherwise its wall time is taken."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            started = time.perf_counter()
            reported = fn()
            elapsed = time.perf_counter() - started
            times[name].append(reported if isinstance(reported, float) else elapsed)
    return {name: statistics.median(t) for name, t in times.items()}


def load_average(when: str) -> str:
    """A line giving the load average now (`when`: "before", "after") and the number of cores."""
    one, five, fifteen = os.getloadavg()
    return f"load average {when}: {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"
