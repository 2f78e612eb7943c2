"""Client-side chunk sizing and element encoding for the cluster runner (no ipyparallel here).

`ChunkSizer` decides how many contiguous elements the next chunk takes, and the time budget after
which an engine returns a chunk's results so far (the rest is sent again), from the per-element time
measured on the engines so far (or remembered from an earlier run of the same body):
- nothing measured yet: probe with each engine's even share of the elements (at most `max_probe`,
  a bound from their serialized size) under a `PROBE_BUDGET`: trivial elements all run in this one
  round trip, slow ones return after the first element that uses the budget up, and what they ran
  is the measurement; no separate measuring round trip;
- the work left when the cost is first known is small (under `SMALL_WORK` seconds per engine):
  split it evenly over the engines (that share is kept for the rest of the run), so trivial
  elements pay the per-task overhead only once per engine;
- else guided self-scheduling: a chunk takes 1/(2 * engines) of what remains, at most `TARGET`
  seconds of work (so progress streams and the last chunks balance the engines), at least one.
Sized chunks carry a budget of `max(TARGET, 4 x their expected time)`, so a wrong estimate is
corrected after one chunk instead of unbalancing the run. A fixed `chunksize` overrides all of
this (exact chunks, no budget).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

import cloudpickle

SMALL_WORK = 0.25  # seconds of remaining work per engine up to which it is split evenly (one chunk each)
PROBE_BUDGET = 0.25  # seconds an engine spends on a probe chunk before it returns what it ran
PROBE_BYTES = 1 << 20  # serialized bytes a probe chunk aims at (bounds what is sent twice)
TARGET = 0.25  # seconds of work a chunk aims at when there is more to do
MAX_CHUNK = 100_000  # elements per chunk, whatever the estimate


class ChunkSizer:
    """Sizes chunks from measured element times (see the module docstring)."""

    def __init__(self, chunksize: int | None = None, cost: float | None = None, max_probe: int = MAX_CHUNK) -> None:
        if chunksize is not None and chunksize < 1:
            raise ValueError(f"chunksize must be at least 1, got {chunksize}")
        self.chunksize = chunksize
        self._seconds = 0.0
        self._elements = 0
        self._prior = cost
        self._even: int | None = None  # when the work was small from the start: the even share
        self._decided = False  # has a size been chosen from a known cost yet?
        self._max_probe = max(1, max_probe)
        self._probe: int | None = None  # the probe share, fixed when first asked

    @property
    def cost(self) -> float | None:
        """Seconds per element measured in this run, else the prior estimate, else None."""
        if self._elements:
            return max(self._seconds / self._elements, 1e-7)
        return self._prior

    def observe(self, elements: int, seconds: float) -> None:
        """Record that `elements` elements took `seconds` on an engine."""
        self._elements += elements
        self._seconds += max(0.0, seconds)

    def next_size(self, remaining: int, engines: int) -> int:
        if remaining <= 0:
            return 0
        if self.chunksize is not None:
            return min(self.chunksize, remaining)
        cost = self.cost
        engines = max(1, engines)
        if cost is None:
            if self._probe is None:
                self._probe = max(1, min(math.ceil(remaining / engines), self._max_probe, MAX_CHUNK))
            return min(self._probe, remaining)
        if not self._decided:
            self._decided = True
            if remaining * cost / engines <= SMALL_WORK:
                self._even = math.ceil(remaining / engines)
        if self._even is not None:
            size = self._even
        else:
            size = min(math.ceil(remaining / (2 * engines)), max(1, int(TARGET / cost)))
        return max(1, min(size, MAX_CHUNK, remaining))

    @property
    def shares(self) -> bool:
        """Are chunks each engine's even share (probing, or small work split evenly)? Then they can go
        straight to one engine each instead of through the load balancer."""
        return self.chunksize is None and (self.cost is None or self._even is not None)

    def budget(self, size: int) -> float | None:
        """Seconds after which an engine returns a chunk of `size` elements unfinished (None: no limit)."""
        if self.chunksize is not None:
            return None
        cost = self.cost
        if cost is None:
            return PROBE_BUDGET
        return max(TARGET, 4 * size * cost)


def probe_limit(items: Sequence[Any], start: int) -> int:
    """How many elements a probe chunk may take so it stays near `PROBE_BYTES`, judged by element `start`."""
    try:
        size = len(cloudpickle.dumps(items[start]))
    except Exception:
        return MAX_CHUNK
    return max(1, PROBE_BYTES // max(1, size))


@dataclasses.dataclass
class Unsendable:
    """An element that cannot be serialized for an engine."""

    index: int
    error: str


def encode_chunk(
    items: Sequence[Any], start: int, stop: int
) -> tuple[list[tuple[int, bytes, int]], list[Unsendable]]:
    """Serialize `items[start:stop]`: `(start, payload, size)` for each contiguous run of sendable
    elements, plus the elements that cannot be sent (each named with its index and the reason)."""
    try:
        part = items.part(start, stop) if hasattr(items, "part") else list(items[start:stop])
        return [(start, cloudpickle.dumps(part), stop - start)], []
    except Exception:
        pass
    runs: list[tuple[int, bytes, int]] = []
    bad: list[Unsendable] = []
    run_start = start
    run: list[Any] = []
    for index in range(start, stop):
        try:
            cloudpickle.dumps(items[index])
        except Exception as exc:
            bad.append(Unsendable(index, f"element {index} cannot be sent to an engine: "
                                         f"{type(exc).__name__}: {exc} (input {_short(items[index])})"))
            if run:
                runs.append((run_start, cloudpickle.dumps(run), len(run)))
            run, run_start = [], index + 1
            continue
        run.append(items[index])
    if run:
        runs.append((run_start, cloudpickle.dumps(run), len(run)))
    return runs, bad


def _short(value: Any) -> str:
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 80 else text[:77] + "..."
