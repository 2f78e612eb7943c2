"""One Map run's elements as the work-item view lists them: counts, pages, whole orders, from the run's parts.

`RunView.load(db, run)` reads the run's `run_parts` (not its blocks): each element's status and where it is
stored (a part, an offset in its block), a few bytes per element. Counting and filtering by status, and
ordering by index or status, need nothing more. Ordering by duration reads the blocks' durations; ordering by
a text column (input, output, error, engine, host) or a search reads the blocks' values and makes the
previews (`previews.short_text`) then, never at store time. `rows(indices, block)` makes the `ItemRow`s of a
page from the blocks of its elements (`block(id)` gives a `StoredBlock` or None once it was evicted).
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from pflow_studio.runtime.element_store.blocks import StoredBlock
from pflow_studio.runtime.element_store.packing import unpack_indices, unpack_status
from pflow_studio.runtime.element_store.previews import short_text
from pflow_studio.runtime.element_store.records import STATUS_NAMES, ItemRow

ITEM_ORDERS = ("idx", "status", "input", "output", "engine", "host", "duration", "error")
"""The columns the work-item view may sort by."""
RUN_ITEM_ORDERS = ("idx", "status")
"""Orders that need no block (quick at any size)."""
BlockSource = Callable[[int], StoredBlock | None]
NO_PART = -1


def needs_blocks(search: str, order: str) -> bool:
    """Whether listing in this order with this search reads every element's block (slow for big runs)."""
    return bool(search) or order not in RUN_ITEM_ORDERS


class RunView:
    """See the module docstring: `status[i]` is element i's status code (0: the run holds nothing of it),
    `blocks[part_of[i]]` its block (None: not stored), `offset_of[i]` its place there."""

    def __init__(self, run: int, total: int) -> None:
        self.run = run
        self.total = total
        self.status = bytearray(total)
        self.part_of = array("i", [NO_PART]) * total
        self.offset_of = array("i", bytes(4 * total))
        self.blocks: list[int | None] = []

    @classmethod
    def load(cls, db: sqlite3.Connection, run: int) -> RunView | None:
        row = db.execute("SELECT total FROM runs WHERE id = ?", (run,)).fetchone()
        if row is None:
            return None
        view = cls(run, row[0])
        for block, count, at, offsets, status in db.execute(
                "SELECT block, count, at, offsets, status FROM run_parts WHERE run = ? ORDER BY seq", (run,)):
            view._add(block, unpack_indices(at), unpack_indices(offsets) if offsets is not None else range(count),
                      unpack_status(status, count))
        return view

    def _add(self, block: int | None, at: Sequence[int], offsets: Sequence[int], status: bytes) -> None:
        part = len(self.blocks)
        self.blocks.append(block)
        if isinstance(at, range) and at.stop <= self.total:
            self.status[at.start:at.stop] = status
            self.part_of[at.start:at.stop] = array("i", [part]) * len(at)
            self.offset_of[at.start:at.stop] = array("i", offsets)
            return
        for index, offset, code in zip(at, offsets, status, strict=True):
            if index < self.total:
                self.status[index], self.part_of[index], self.offset_of[index] = code, part, offset

    def counts(self) -> dict[str, int]:
        return {name: self.status.count(code) for code, name in STATUS_NAMES.items()}

    def indices(self, statuses: Sequence[int] = ()) -> list[int]:
        """The indices of the run's elements with one of `statuses` (any, when empty), in order."""
        wanted = set(statuses or STATUS_NAMES)
        status = self.status
        if len(wanted) == 1:
            code = next(iter(wanted))
            return [i for i in range(self.total) if status[i] == code]
        return [i for i in range(self.total) if status[i] in wanted]

    def ordered(self, block: BlockSource, statuses: Sequence[int], search: str, order: str,
                descending: bool) -> list[int]:
        """The filtered elements in `order` (ties by index, ascending)."""
        chosen = self.indices(statuses)
        if search:
            needle = search.lower()
            texts = self._texts(block, ("input", "output", "error"))
            chosen = [i for i in chosen if any(needle in column[i].lower() for column in texts if column[i])]
        if order == "idx":
            return chosen[::-1] if descending else chosen
        keys = self.status if order == "status" else self._sort_keys(block, order)
        return sorted(chosen, key=keys.__getitem__, reverse=descending)

    def _sort_keys(self, block: BlockSource, order: str) -> list[Any]:
        """Per element what sorts it by `order`; elements not stored sort first (as SQL's NULL did)."""
        if order == "duration":
            keys: list[Any] = [(0, 0.0)] * self.total
            for index, stored, offset in self._stored(block):
                keys[index] = (1, float(stored.took[offset]))
            return keys
        if order in ("engine", "host"):
            keys = [(0, "")] * self.total
            for index, stored, offset in self._stored(block):
                value = stored.engine(offset) if order == "engine" else stored.host(offset)
                keys[index] = (0, "") if value is None else (1, value)
            return keys
        [texts] = self._texts(block, (order,))
        return [(0, "") if text is None else (1, text) for text in texts]

    def _texts(self, block: BlockSource, columns: Sequence[str]) -> list[list[str | None]]:
        texts: list[list[str | None]] = [[None] * self.total for _ in columns]
        for index, stored, offset in self._stored(block):
            for column, name in zip(texts, columns, strict=True):
                column[index] = _text(stored, offset, name)
        return texts

    def _stored(self, block: BlockSource) -> Iterator[tuple[int, StoredBlock, int]]:
        """(index, block, offset) of every element whose block is still stored, a block at a time."""
        by_part: dict[int, list[int]] = {}
        for index in range(self.total):
            if self.part_of[index] != NO_PART and self.blocks[self.part_of[index]] is not None:
                by_part.setdefault(self.part_of[index], []).append(index)
        for part, indices in by_part.items():
            stored = block(self.blocks[part])  # type: ignore[arg-type]
            if stored is not None:
                for index in indices:
                    yield index, stored, self.offset_of[index]

    def rows(self, indices: Sequence[int], block: BlockSource) -> list[ItemRow]:
        """The `ItemRow`s of the elements at `indices`, in that order (indices the run lacks are left out)."""
        rows = []
        for index in indices:
            if not 0 <= index < self.total or not self.status[index]:
                continue
            part = self.part_of[index]
            number = self.blocks[part] if part != NO_PART else None
            stored = block(number) if number is not None else None
            rows.append(_row(index, self.status[index], stored, self.offset_of[index]))
        return rows


def _text(stored: StoredBlock, offset: int, column: str) -> str:
    if column == "input":
        values = stored.input_values(offset)
        return short_text(values) if values is not None else ""
    if column == "output":
        value = stored.value(offset)
        return short_text(value) if value is not None else ""
    return stored.failures.get(offset, ("", ""))[0]


def _row(index: int, status: int, stored: StoredBlock | None, offset: int) -> ItemRow:
    if stored is None:
        return ItemRow(index, None, STATUS_NAMES[status], "", "", "", None, "", 0.0, 0.0, False)
    started, finished = stored.times(offset)
    return ItemRow(index, stored.key(offset), STATUS_NAMES[status], _text(stored, offset, "input"),
                   _text(stored, offset, "output"), _text(stored, offset, "error"), stored.engine(offset),
                   stored.host(offset), started, finished, True, (stored.id, offset))
