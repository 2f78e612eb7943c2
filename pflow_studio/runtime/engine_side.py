"""The code a cluster runner calls on engines: a body cache keyed by hash and a chunk runner.

Engines import this module (it needs no Qt and no ipyparallel). The client pushes a Map body once
per engine with `store_body(digest, blob)`; each chunk then carries only the digest and its elements.
`run_chunk` runs every element under its own error capture (`run_item`), so one failure never hides
or shifts its neighbours, and returns the rows already serialized, so an unpicklable result fails
only its own element. An engine that does not hold the body (it joined later, or evicted it) answers
`MISSING` and the client pushes the body and resubmits.
"""

from __future__ import annotations

import pickle
import socket
import sys
import time
import traceback
from collections import OrderedDict
from typing import Any

import cloudpickle

from pflow_studio.runtime.runners import run_item

MISSING = "pflow-studio:missing-body"
KEEP = 16  # bodies kept per engine (least recently used are dropped)

_BLOBS: OrderedDict[str, bytes] = OrderedDict()
_LOADED: dict[str, Any] = {}

# A row: (ok, value, error, traceback, host, started, finished); the element index is implied by order.
Row = tuple[bool, Any, str, str, str, float, float]


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


def run_chunk(digest: str, start: int, payload: bytes) -> bytes | str:
    """Run the elements in `payload` (a pickled list) with the body `digest`; `MISSING` if unknown.

    Returns the pickled list of rows, one per element, in order."""
    blob = _BLOBS.get(digest)
    if blob is None:
        return MISSING
    _BLOBS.move_to_end(digest)
    items = pickle.loads(payload)
    try:
        task = _LOADED.get(digest)
        if task is None:
            task = _LOADED[digest] = pickle.loads(blob)
    except Exception as exc:
        trace = "".join(traceback.format_exception(exc))
        message = f"the Map body cannot be loaded on this engine: {type(exc).__name__}: {exc}"
        now = time.time()
        rows = [(False, None, message, trace, socket.gethostname(), now, now) for _ in items]
        return cloudpickle.dumps(rows)
    rows = []
    host = socket.gethostname()
    clock = time.time
    for offset, bindings in enumerate(items):
        began = clock()
        try:
            value = task(bindings)
        except Exception:  # the error text exactly as run_item gives it (re-run only to format it)
            o = run_item(_Raise(sys.exc_info()[1]), start + offset, bindings)
            rows.append((False, None, o.error, o.traceback, host, began, clock()))
            continue
        rows.append((True, value, "", "", host, began, clock()))
    return dump_rows(rows, start)


class _Raise:
    """A task that re-raises a captured exception, so `run_item` formats it the usual way."""

    def __init__(self, exc: BaseException | None) -> None:
        self.exc = exc

    def __call__(self, bindings: Any) -> Any:
        raise self.exc  # type: ignore[misc]


def dump_rows(rows: list[Row], start: int) -> bytes:
    """Serialize rows; a value that cannot be serialized turns its own row into a failure."""
    try:
        return cloudpickle.dumps(rows)
    except Exception:
        pass
    checked = []
    for offset, row in enumerate(rows):
        try:
            cloudpickle.dumps(row)
        except Exception as exc:
            _, value, _, _, host, started, finished = row
            message = (f"the result of element {start + offset} cannot be sent back from the engine "
                       f"({type(value).__name__} value): {type(exc).__name__}: {exc}")
            row = (False, None, message, "".join(traceback.format_exception(exc)), host, started, finished)
        checked.append(row)
    return cloudpickle.dumps(checked)
