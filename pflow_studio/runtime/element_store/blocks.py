"""One `blocks` row: the elements of one hand-over of a Map run, in columns.

`block_row` makes the row from an `OutcomeBlock` (what a runner reported, merged per hand-over), the elements'
digests and their input columns; `StoredBlock` reads a row back, unpickling lazily: statuses, digests and
times need no unpickling (counts, sorts by status or duration, key look-ups), the outputs and inputs are
unpickled once when first asked for (serving, previews, details).

Columns: `digests` (`keys.KEY_BYTES` per element, `keys.NO_KEY` where it has none), `status` (a byte per
element: `OK` or `FAILED`, plus `KEYLESS` when it cannot be served: no key, or its output could not be
pickled), `base` (a late start: the latest of the first, middle and last) and `started`/`took` (float32
offsets from `base`, and durations), `engines` (int32 per element, or one for all), `hosts` (pickled: the
names and, when they differ, a code per element), `outputs` (pickled once: the output names, None for a
whole-result column, and the columns), `inputs` (pickled once: the fed port names and their columns),
`sparse` (pickled failures and printed output, by offset; NULL when there are none).
"""

from __future__ import annotations

import itertools
import operator
import pickle
from array import array
from collections.abc import Sequence
from typing import Any

import cloudpickle

from pflow_studio.runtime.element_store.records import FAILED, OK
from pflow_studio.runtime.element_table import NO_ENGINE, OutcomeBlock
from pflow_studio.runtime.keys import GROUP_BYTES, KEY_BYTES, NO_KEY

KEYLESS = 0x10
"""Added to an element's status byte when it must never be served (no key, or outputs not picklable)."""
ROW_COLUMNS = ("grp", "body", "count", "ok", "digests", "status", "base", "started", "took", "engines", "hosts",
               "outputs", "inputs", "sparse", "size", "used")
Columns = tuple[tuple[str, ...], list[list[Any]]]
"""(names, columns): column k holds `names[k]` of each element."""


def block_row(group: bytes, body: str, block: OutcomeBlock, digests: bytes, keyless: Sequence[int],
              inputs: Columns, now: float) -> tuple:
    """The `blocks` row (`ROW_COLUMNS` in order) of `block`'s elements."""
    count = len(block)
    status = bytearray([OK]) * count
    for offset in block.failures:
        status[offset] = FAILED
    outputs, unpicklable = _pickled_outputs(block)
    for offset in (*keyless, *unpicklable):
        status[offset] |= KEYLESS
    base = max(block.started[0], block.started[count // 2], block.started[-1]) if count else 0.0  # (precise near it)
    started = array("f", map(operator.sub, block.started, itertools.repeat(base, count))).tobytes()
    took = array("f", map(operator.sub, block.finished, block.started)).tobytes()
    engines, hosts = _placement(block)
    sparse = pickled((block.failures, block.printed)) if block.failures or block.printed else None
    pickled_inputs = pickled(inputs)
    ok = status.count(OK)
    size = (len(digests) + count + len(started) + len(took) + len(engines) + len(hosts) + len(outputs or b"")
            + len(pickled_inputs or b"") + len(sparse or b"") + 128)
    return (group, body, count, ok, digests, bytes(status), base, started, took, engines, hosts, outputs,
            pickled_inputs, sparse, size, now)


def _pickled_outputs(block: OutcomeBlock) -> tuple[bytes | None, list[int]]:
    """The outputs pickled once, and the offsets of elements whose outputs could not be pickled (stored as
    None, never served)."""
    whole = pickled((block.names, block.columns))
    if whole is not None:
        return whole, []
    columns: list[list[Any]] = [list(column) for column in block.columns]
    unpicklable = []
    for offset in range(len(block)):
        if pickled([column[offset] for column in columns]) is None:
            unpicklable.append(offset)
            for column in columns:
                column[offset] = None
    return pickled((block.names, columns)), unpicklable


def _placement(block: OutcomeBlock) -> tuple[bytes, bytes]:
    """The engines (int32 per element, or one) and hosts (pickled names and codes) of the block's elements."""
    if block.engines is None:
        engine = NO_ENGINE if block.engine is None else block.engine
        return array("i", [engine]).tobytes(), pickle.dumps(([block.host], None))
    engines = array("i", [NO_ENGINE if engine is None else engine for engine in block.engines])
    hosts = list(block.hosts or ("",) * len(block))
    names = sorted(set(hosts))
    codes = None if len(names) == 1 else array("H", map({name: i for i, name in enumerate(names)}.get, hosts))
    return engines.tobytes(), pickle.dumps((names, codes.tobytes() if codes is not None else None))


def pickled(value: Any) -> bytes | None:
    """`value` pickled (cloudpickle for what plain pickle refuses), or None when it cannot be."""
    try:
        return pickle.dumps(value, protocol=5)
    except Exception:
        pass
    try:
        return cloudpickle.dumps(value, protocol=5)
    except Exception:
        return None


def _unpickled(blob: bytes | None) -> Any:
    if blob is None:
        return None
    try:
        return pickle.loads(blob)
    except Exception:
        return None


class StoredBlock:
    """A `blocks` row read back (`READ_COLUMNS`); outputs and inputs unpickled when first asked for."""

    READ_COLUMNS = "id, grp, body, count, digests, status, base, started, took, engines, hosts, outputs, inputs, sparse"

    def __init__(self, row: Sequence[Any]) -> None:
        (self.id, self.group, self.body, self.count, self.digests, self.status, self.base, started, took,
         engines, hosts, self._outputs, self._inputs, sparse) = row
        self.started = array("f", started)
        self.took = array("f", took)
        self.engines = array("i", engines)
        self.host_names, codes = pickle.loads(hosts)
        self.host_codes = array("H", codes) if codes is not None else None
        self.failures, self.printed = _unpickled(sparse) or ({}, {})
        self._outputs_read: Columns | None = None
        self._inputs_read: Columns | None = None

    def servable(self, offset: int) -> bool:
        return self.status[offset] == OK

    def digest(self, offset: int) -> bytes:
        return self.digests[offset * KEY_BYTES:(offset + 1) * KEY_BYTES]

    def key(self, offset: int) -> bytes | None:
        """The element's whole key (None when it has none)."""
        digest = self.digest(offset)
        return None if digest == NO_KEY else self.group[:GROUP_BYTES] + digest

    def engine(self, offset: int) -> int | None:
        engine = self.engines[offset if len(self.engines) > 1 else 0]
        return None if engine == NO_ENGINE else engine

    def host(self, offset: int) -> str:
        return self.host_names[self.host_codes[offset] if self.host_codes is not None else 0]

    def times(self, offset: int) -> tuple[float, float]:
        started = self.base + self.started[offset]
        return started, started + self.took[offset]

    def outputs(self) -> Columns | None:
        """(names, columns) of the outputs (names None: one column of whole results); None if unreadable."""
        if self._outputs_read is None:
            self._outputs_read = _unpickled(self._outputs)
            self._outputs = None
        return self._outputs_read

    def inputs(self) -> Columns | None:
        if self._inputs_read is None:
            self._inputs_read = _unpickled(self._inputs)
            self._inputs = None
        return self._inputs_read

    def value(self, offset: int) -> Any:
        """The element's dict of outputs (or whole result); None if it failed or cannot be read."""
        outputs = self.outputs()
        if outputs is None or self.status[offset] & 0x0F != OK:
            return None
        names, columns = outputs
        if names is None:
            return columns[0][offset]
        return {name: column[offset] for name, column in zip(names, columns, strict=True)}

    def input_values(self, offset: int) -> dict[str, Any] | None:
        inputs = self.inputs()
        if inputs is None:
            return None
        names, columns = inputs
        return {name: column[offset] for name, column in zip(names, columns, strict=True)}

    def served(self, offsets: Sequence[int]) -> OutcomeBlock | None:
        """The elements at `offsets` as a block served from the store (None when the outputs cannot be read)."""
        outputs = self.outputs()
        if outputs is None:
            return None
        names, columns = outputs
        if isinstance(offsets, range) and offsets.step == 1:
            part = slice(offsets.start, offsets.stop)
            chosen = [column[part] for column in columns]
            base = self.base
            started = array("d", [base + offset for offset in self.started[part]])
            finished = array("d", [start + took for start, took in zip(started, self.took[part], strict=True)])
        else:
            chosen = [[column[o] for o in offsets] for column in columns]
            started = array("d", [self.base + self.started[o] for o in offsets])
            finished = array("d", [s + self.took[o] for s, o in zip(started, offsets, strict=True)])
        position = {offset: i for i, offset in enumerate(offsets)} if self.printed else {}
        printed = {position[o]: text for o, text in self.printed.items() if o in position}
        engines = hosts = None
        if len(self.engines) > 1 or self.host_codes is not None:
            engines, hosts = [self.engine(o) for o in offsets], [self.host(o) for o in offsets]
        return OutcomeBlock(0, names, chosen, started, finished, {}, printed, self.engine(0) if self.count else None,
                            self.host(0) if self.count else "", True, engines, hosts)
