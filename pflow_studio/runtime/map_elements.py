"""One Map run's elements against the element store: what it serves, recording the rest by block, the end.

`MapElements` is what `stored_elements.StoreBinding.open_map` returns. `recall()` finds the stored elements
(their digests computed in bulk, `runtime.keys.element_digests`) and reads them as blocks (`served`: a
`Served`). Finished elements are handed to the store's writer thread (`ElementStore.later`) every
`FLUSH_ELEMENTS` elements or `FLUSH_SECONDS` and at the end; the writer merges a hand-over into blocks of at
most `BLOCK_ELEMENTS`, computes their digests, pickles each block's outputs and inputs once
(`element_store.blocks.block_row`) and writes the hand-over in one transaction, while the Map goes on. Nothing
is kept per element beyond the hand-over in flight. Elements whose inputs cannot be pickled have no key: they
are stored for inspection, never served.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from pflow_studio.runtime import keys as cache_keys
from pflow_studio.runtime.element_store.blocks import block_row
from pflow_studio.runtime.element_store.recall import Found
from pflow_studio.runtime.element_store.records import FAILED, OK
from pflow_studio.runtime.element_store.store import ElementStore
from pflow_studio.runtime.element_table import OutcomeBlock

FLUSH_ELEMENTS = 4096
FLUSH_SECONDS = 0.5
GIVE_WAY_SECONDS = 0.5
"""The writer starts on a hand-over only this long after it was handed over, unless a reader (or the store's
`close`) waits for it: meanwhile the Map's thread, the cluster client's thread and what the run does next have
the interpreter to themselves."""
BLOCK_ELEMENTS = 4096
"""At most this many elements per stored block (a hand-over of more is written as several blocks)."""
POLL_SECONDS = 0.002
KEY_SLICE = 1 << 16  # elements whose digests are computed at once when recalling


class Served:
    """The elements of a Map served from the store: `blocks` pairs a block with the Map indices it serves."""

    def __init__(self, blocks: Sequence[tuple[OutcomeBlock, Sequence[int]]] = (), found: Sequence[Found] = ()):
        self.blocks = list(blocks)
        self.found = list(found)
        self.count = sum(len(block) for block, _ in self.blocks)

    def __len__(self) -> int:
        return self.count

    def pending(self, total: int) -> Sequence[int]:
        """The indices of the `total` elements not served, in order."""
        if not self.count:
            return range(total)
        served = bytearray(total)
        for _, at in self.blocks:
            if isinstance(at, range):
                served[at.start:at.stop] = b"\x01" * len(at)
            else:
                for index in at:
                    served[index] = 1
        return [index for index, done in enumerate(served) if not done]


class MapElements:
    """One Map run's elements against the store (see the module docstring). `items`: the Map's elements
    (an `ElementRows`, or one bindings mapping per element); `fed`: the ports they feed."""

    def __init__(self, store: ElementStore, prefix: bytes, items: Sequence[Mapping[str, Any]], fed: list[str]) -> None:
        self.store = store
        self.prefix = prefix
        self.group = prefix  # (the store files the Map's blocks and runs under its whole key prefix)
        self.total = len(items)
        self.fed = fed
        self.columns = _columns(items, fed)
        self.run: int | None = None  # set on the store's writer thread
        self.body = ""
        self.served = Served()
        self._finished: list[tuple[OutcomeBlock, Sequence[int]]] = []  # recorded, not handed to the writer yet
        self._count = 0  # elements in `_finished`
        self._handed = time.monotonic()

    def digests(self, indices: Sequence[int] | None = None) -> tuple[bytes, list[int]]:
        """The digests of the elements at `indices` (all by default) and the positions of those without one."""
        return cache_keys.element_digests(self.prefix, self.columns, indices if self.columns else
                                          (indices if indices is not None else range(self.total)))

    def all_digests(self) -> bytes:
        """Every element's digest in order, computed `KEY_SLICE` at a time."""
        return b"".join(self.digests(range(start, min(self.total, start + KEY_SLICE)))[0]
                        for start in range(0, self.total, KEY_SLICE))

    def recall(self, forced: Collection[int] = ()) -> None:
        """Find the stored elements (but those `forced` to run again) and read them into `served`."""
        found = self.store.find(self.group, self.all_digests(), forced)
        if found:
            self.served = Served(self.store.serve(found), found)

    def begin(self, scope: str, path: Sequence[str], label: str, body: str, broadcast: bytes | None) -> None:
        """Start the run in the store with the `served` elements marked as served from it (written by the store's
        writer thread, as everything below)."""
        self.body = body
        found = list(self.served.found)
        begun = time.monotonic()

        def begin_run() -> None:
            self._give_way(begun)  # (making a new store file is as much work as a few hand-overs)
            self.run = self.store.begin_run(scope, path, label, body, self.group, self.total, broadcast, found)
        self.store.later(begin_run)

    def record(self, block: OutcomeBlock, at: Sequence[int]) -> None:
        """Take in a block of finished elements (element i of it is the Map's element `at[i]`): handed to the
        store's writer every `FLUSH_ELEMENTS` elements or `FLUSH_SECONDS`."""
        self._finished.append((block, at))
        self._count += len(block)
        if self._count >= FLUSH_ELEMENTS or time.monotonic() - self._handed >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Hand what was recorded since the last flush to the writer."""
        self._handed = time.monotonic()
        if self._finished:
            batch, self._finished, self._count = self._finished, [], 0
            handed = self._handed
            self.store.later(lambda: self._write(batch, handed))

    def finish(self, state: str, not_run: Sequence[int]) -> None:
        """End the run: write what is left, mark the elements that did not run, note the run's state."""
        self.flush()
        missed = list(not_run)
        self.store.later(lambda: self.store.finish_run(self.run, state, missed))

    def _write(self, batch: Sequence[tuple[OutcomeBlock, Sequence[int]]], handed: float = 0.0) -> None:
        """Write one hand-over (made at `handed`, monotonic) as blocks of at most `BLOCK_ELEMENTS`, in one
        transaction, on the writer thread, not before `GIVE_WAY_SECONDS` after `handed` unless awaited."""
        self._give_way(handed)
        now = time.time()
        rows = []
        block, at = merged(batch)
        for start in range(0, len(block), BLOCK_ELEMENTS):
            part = sliced(block, start, start + BLOCK_ELEMENTS) if len(block) > BLOCK_ELEMENTS else block
            where = at[start:start + BLOCK_ELEMENTS]
            digests, keyless = self.digests(where)
            inputs = (tuple(self.fed), [cache_keys.picked(column, where) for column in self.columns])
            row = block_row(self.group, self.body, part, digests, keyless, inputs, now)
            status = bytearray([OK]) * len(part)
            for offset in part.failures:
                status[offset] = FAILED
            rows.append((row, where, bytes(status)))
        self.store.write_blocks(self.run, rows)

    def _give_way(self, handed: float) -> None:
        """Wait until `GIVE_WAY_SECONDS` after `handed`, or until a reader waits for the writer (looked at every
        `POLL_SECONDS`)."""
        while not self.store.awaited():
            left = handed + GIVE_WAY_SECONDS - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(left, POLL_SECONDS))


def _columns(items: Sequence[Mapping[str, Any]], fed: Sequence[str]) -> list[Sequence[Any]]:
    """The fed ports' values as columns (an `ElementRows`' own, when `items` is one)."""
    names, columns = getattr(items, "names", None), getattr(items, "columns", None)
    if names is not None and columns is not None and list(names) == list(fed):
        return list(columns)
    return [[bindings[name] for bindings in items] for name in fed]


def merged(batch: Sequence[tuple[OutcomeBlock, Sequence[int]]]) -> tuple[OutcomeBlock, Sequence[int]]:
    """One block of every element of a hand-over, with their Map indices (a range when contiguous)."""
    if len(batch) == 1:
        return batch[0]
    names = batch[0][0].names
    same = names is not None and all(block.names == names for block, _ in batch)
    columns: list[list[Any]] = [[] for _ in names] if same and names is not None else [[]]
    started, finished, failures, printed = array("d"), array("d"), {}, {}
    engines: list[int | None] = []
    hosts: list[str] = []
    at: list[int] = []
    for block, where in batch:
        offset = len(started)
        if same:
            for column, part in zip(columns, block.columns, strict=True):
                column.extend(part)
        else:
            columns[0].extend(block.value(i) for i in range(len(block)))
        started.extend(block.started)
        finished.extend(block.finished)
        failures.update({offset + i: failure for i, failure in block.failures.items()})
        printed.update({offset + i: text for i, text in block.printed.items()})
        engines.extend(block.engines if block.engines is not None else [block.engine] * len(block))
        hosts.extend(block.hosts if block.hosts is not None else [block.host] * len(block))
        at.extend(where)
    uniform = len(set(engines)) <= 1 and len(set(hosts)) <= 1
    block = OutcomeBlock(0, names if same else None, columns, started, finished, failures, printed,
                         engines[0] if engines else None, hosts[0] if hosts else "", False,
                         None if uniform else engines, None if uniform else hosts)
    contiguous = bool(at) and at == list(range(at[0], at[0] + len(at)))
    return block, range(at[0], at[0] + len(at)) if contiguous else at


def sliced(block: OutcomeBlock, start: int, stop: int) -> OutcomeBlock:
    """Elements `start` to `stop` of `block`, as a block of their own."""
    stop = min(stop, len(block))
    return OutcomeBlock(0, block.names, [column[start:stop] for column in block.columns], block.started[start:stop],
                        block.finished[start:stop],
                        {o - start: f for o, f in block.failures.items() if start <= o < stop},
                        {o - start: t for o, t in block.printed.items() if start <= o < stop}, block.engine,
                        block.host, block.cached, None if block.engines is None else block.engines[start:stop],
                        None if block.hosts is None else block.hosts[start:stop])
