"""The code a cluster runner calls on engines: a body cache keyed by hash and a chunk runner.

Engines import this module (it needs no Qt and no ipyparallel). A Map body reaches an engine once:
pushed with `store_body(digest, blob)`, or carried by the first chunks of a run (`run_chunk(...,
blob=...)`), and is kept under its digest; later chunks carry only the digest and their elements
(an `element_loop.ElementRows` part, or a list of bindings dicts). `run_chunk` runs them through
`element_loop.run_elements` (each element under its own error capture, so one failure never hides or
shifts its neighbours) and returns one compact, columnar result per chunk, already serialized (so an
unpicklable value fails only its own element):

    (host, names, columns, failures, stamps, printed, process)

`columns[k][i]` is output `names[k]` of element i (None if it failed; with `names` None, `columns[0][i]`
is element i's whole result), `failures` maps the offset of each failed element to `(error, traceback)`,
`printed` the offset of each element that printed to `(stdout, stderr)`, and `stamps` (an `array("d")`,
one more than the elements that ran) holds the clock before the first element and after each one: element
i ran from `stamps[i]` to `stamps[i+1]`. With a `budget` (seconds) the engine stops after the element that
uses it up (at least one runs), so fewer elements may come back than were sent: the client sends the rest
again. `process` is the engine's `process_id.ProcessId` (or None), so the client can tell when an engine on
its own machine is gone. An engine that holds no body for the digest and was given none answers `MISSING`.

`decode_result` is the one reader of that result (the runner's and the tests'): one `OutcomeBlock` of the
elements that ran, the seconds they took together, and the engine's process.
"""

from __future__ import annotations

import dataclasses
import pickle
import socket
import time
import traceback
from array import array
from collections import OrderedDict
from typing import Any

import cloudpickle

from pflow_studio.runtime.cluster.process_id import ProcessId, this_process
from pflow_studio.runtime.element_loop import Ran, Sparse, as_columns, run_elements
from pflow_studio.runtime.element_table import OutcomeBlock

MISSING = "pflow-studio:missing-body"
KEEP = 16  # bodies kept per engine (least recently used are dropped)
HOST = socket.gethostname()
PROCESS = this_process()

_BLOBS: OrderedDict[str, bytes] = OrderedDict()
_LOADED: dict[str, Any] = {}

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
    rows = pickle.loads(payload)
    try:
        task = _LOADED.get(digest)
        if task is None:
            task = _LOADED[digest] = pickle.loads(_BLOBS[digest])
    except Exception as exc:
        message = f"the Map body cannot be loaded on this engine: {type(exc).__name__}: {exc}"
        trace = "".join(traceback.format_exception(exc))
        now = time.time()
        failures = {offset: (message, trace) for offset in range(len(rows))}
        return dump_result(Ran(None, [[None] * len(rows)], failures, array("d", [now] * (len(rows) + 1)), {}), start)
    return dump_result(run_elements(task, rows, start, budget), start)


def dump_result(ran: Ran, start: int, host: str = HOST) -> bytes:
    """Serialize a chunk's result; a value that cannot be serialized turns into its element's failure."""
    try:
        return cloudpickle.dumps((host, ran.names, ran.columns, ran.failures, ran.stamps, ran.printed, PROCESS))
    except Exception:
        pass
    values = [None if offset in ran.failures else _whole(ran, offset) for offset in range(len(ran))]
    failures: Sparse = dict(ran.failures)
    for offset, value in enumerate(values):
        try:
            cloudpickle.dumps(value)
        except Exception as exc:
            values[offset] = None
            failures[offset] = (f"the result of element {start + offset} cannot be sent back from the engine "
                                f"({_kind(value)} value): {type(exc).__name__}: {exc}",
                                "".join(traceback.format_exception(exc)))
    names, columns = as_columns(values, failures, ran.names)
    return cloudpickle.dumps((host, names, columns, failures, ran.stamps, ran.printed, PROCESS))


def _whole(ran: Ran, offset: int) -> Any:
    if ran.names is None:
        return ran.columns[0][offset]
    return {name: column[offset] for name, column in zip(ran.names, ran.columns, strict=True)}


def _kind(value: Any) -> str:
    """The type name of an unsendable result (of its one output when it is a dict of one)."""
    if isinstance(value, dict) and len(value) == 1:
        value = next(iter(value.values()))
    return type(value).__name__


@dataclasses.dataclass(slots=True)
class DecodedChunk:
    """A chunk result read back: the block of the elements that ran, the seconds from the first one's
    start to the last one's end, and the engine's process (None: not known)."""

    block: OutcomeBlock
    seconds: float
    process: ProcessId | None = None

    @property
    def outcomes(self) -> list:
        """The block's elements as `ItemOutcome`s (for tests and small looks)."""
        return self.block.outcomes()


def decode_result(data: bytes, start: int, engine: int | None = None) -> DecodedChunk:
    """Read a chunk result (`run_chunk`, `dump_result`) whose element 0 is Map element `start`, run on
    `engine`: element i ran from `stamps[i]` to `stamps[i+1]`."""
    host, names, columns, failures, stamps, printed, process = pickle.loads(data)
    block = OutcomeBlock(start, names, columns, stamps[:-1], stamps[1:], failures, printed, engine, host)
    return DecodedChunk(block, stamps[-1] - stamps[0] if len(stamps) > 1 else 0.0, process)
