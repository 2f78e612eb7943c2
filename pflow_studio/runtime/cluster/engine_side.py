"""The code a cluster runner calls on engines: a body cache keyed by hash and a chunk runner.

Engines import this module (it needs no Qt and no ipyparallel). A Map body reaches an engine once:
pushed with `store_body(digest, blob)`, or carried by the first chunks of a run (`run_chunk(...,
blob=...)`), and is kept under its digest; later chunks carry only the digest and their elements.
`run_chunk` runs every element under its own error capture, so one failure never hides or shifts
its neighbours, and returns one compact result per chunk, already serialized (so an unpicklable
value fails only its own element):

    (host, values, failures, stamps, printed)

`values[i]` is element i's result (None if it failed), `failures` maps the offset of each failed
element to `(error, traceback)`, `printed` the offset of each element that printed to
`(stdout, stderr)`, and `stamps` (an `array("d")`, one more than `values`) holds the
clock before the first element and after each one: element i ran from `stamps[i]` to `stamps[i+1]`.
With a `budget` (seconds) the engine stops after the element that uses it up (at least one runs),
so `values` may be shorter than the chunk: the client sends the rest again. An engine that holds
no body for the digest and was given none answers `MISSING`.

`decode_result` is the one reader of that result (the runner's and the tests'): one `ItemOutcome` per
element that ran, and the seconds they took together.
"""

from __future__ import annotations

import dataclasses
import itertools
import pickle
import socket
import time
import traceback
from array import array
from collections import OrderedDict
from typing import Any

import cloudpickle

from pflow_studio.runtime.runners import ItemOutcome, OutputCapture, failed_outcome

MISSING = "pflow-studio:missing-body"
KEEP = 16  # bodies kept per engine (least recently used are dropped)
HOST = socket.gethostname()

_BLOBS: OrderedDict[str, bytes] = OrderedDict()
_LOADED: dict[str, Any] = {}

Failures = dict[int, tuple[str, str]]
Printed = dict[int, tuple[str, str]]  # offset -> (stdout, stderr) of the elements that printed


def store_body(digest: str, blob: bytes) -> str:
    """Keep a serialized body under its digest (idempotent); returns the digest."""
    _BLOBS[digest] = bytes(blob)
    _BLOBS.move_to_end(digest)
    while len(_BLOBS) > KEEP:
        old, _ = _BLOBS.popitem(last=False)
        _LOADED.pop(old, None)
    return digest


def has_body(digest: str) -> bool:
    return digest in _BLOBS


def run_chunk(digest: str, start: int, payload: bytes, blob: bytes | None = None,
              budget: float | None = None) -> bytes | str:
    """Run the elements in `payload` (a pickled list; element 0 is Map element `start`) with the body
    `digest` (stored first if `blob` is given), stopping early once `budget` seconds are used up.
    Returns the serialized compact result (see the module docstring), or `MISSING`."""
    if blob is not None and digest not in _BLOBS:
        store_body(digest, blob)
    if digest not in _BLOBS:
        return MISSING
    _BLOBS.move_to_end(digest)
    items = pickle.loads(payload)
    clock = time.time
    try:
        task = _LOADED.get(digest)
        if task is None:
            task = _LOADED[digest] = pickle.loads(_BLOBS[digest])
    except Exception as exc:
        message = f"the Map body cannot be loaded on this engine: {type(exc).__name__}: {exc}"
        trace = "".join(traceback.format_exception(exc))
        now = clock()
        failures = {offset: (message, trace) for offset in range(len(items))}
        return dump_result([None] * len(items), failures, array("d", [now] * (len(items) + 1)), start)
    values: list[Any] = []
    failures: Failures = {}
    printed: Printed = {}
    stamps = [clock()]
    deadline = stamps[0] + budget if budget is not None else float("inf")
    keep, stamp = values.append, stamps.append
    with OutputCapture() as capture:
        take = capture.take
        for bindings in items:  # the hot loop of a Map over small elements: keep it lean
            try:
                keep(task(bindings))
            except Exception as exc:
                failed = failed_outcome(exc, start + len(values), 0.0)
                failures[len(values)] = (failed.error, failed.traceback)
                keep(None)
            now = clock()
            stamp(now)
            text = take()
            if text is not None:
                printed[len(values) - 1] = text
            if now >= deadline:
                break
    return dump_result(values, failures, array("d", stamps), start, printed=printed)


def dump_result(values: list[Any], failures: Failures, stamps: array, start: int, host: str = HOST,
                printed: Printed | None = None) -> bytes:
    """Serialize a chunk's result; a value that cannot be serialized turns into its element's failure."""
    printed = printed or {}
    try:
        return cloudpickle.dumps((host, values, failures, stamps, printed))
    except Exception:
        pass
    values = list(values)
    failures = dict(failures)
    for offset, value in enumerate(values):
        try:
            cloudpickle.dumps(value)
        except Exception as exc:
            values[offset] = None
            failures[offset] = (f"the result of element {start + offset} cannot be sent back from the engine "
                                f"({type(value).__name__} value): {type(exc).__name__}: {exc}",
                                "".join(traceback.format_exception(exc)))
    return cloudpickle.dumps((host, values, failures, stamps, printed))


@dataclasses.dataclass(slots=True)
class DecodedChunk:
    """A chunk result read back: the outcomes of the elements that ran, in order, and the seconds from
    the first one's start to the last one's end."""

    outcomes: list[ItemOutcome]
    seconds: float


def decode_result(data: bytes, start: int, engine: int | None = None) -> DecodedChunk:
    """Read a chunk result (`run_chunk`, `dump_result`) whose element 0 is Map element `start`, run on
    `engine`: element i ran from `stamps[i]` to `stamps[i+1]`."""
    host, values, failures, stamps, printed = pickle.loads(data)
    times = stamps.tolist()
    ran = len(values)
    same = itertools.repeat  # the hot path of a Map over small elements: outcomes built by one map()
    outcomes = list(map(ItemOutcome, range(start, start + ran), same(True), values, same(""), same(""),
                        same(engine), same(host), times, times[1:]))
    for offset, (error, trace) in failures.items():
        outcomes[offset] = ItemOutcome(start + offset, False, None, error, trace, engine, host,
                                       times[offset], times[offset + 1])
    for offset, (stdout, stderr) in printed.items():
        outcomes[offset].stdout, outcomes[offset].stderr = stdout, stderr
    return DecodedChunk(outcomes, times[ran] - times[0])
