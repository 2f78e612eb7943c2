"""What the work-item view asks of the element store: a Map's last run, pages of its elements, one element.

`RunInspection` is part of `store.ElementStore` (a base class; it uses the store's `_using` and its caches):
a run's `run_view.RunView` is read once and kept while the run does not change (the last few runs), the
blocks a page reads are kept decoded (the last `KEPT_BLOCKS`), so that scrolling through a run reads each
block once.
"""

from __future__ import annotations

import array
import collections
import contextlib
import pickle
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from pflow_studio.runtime.element_store.blocks import StoredBlock
from pflow_studio.runtime.element_store.records import STATUS_NAMES, ElementDetail, ItemRow, RunInfo
from pflow_studio.runtime.element_store.run_view import RunView
from pflow_studio.runtime.keys import GROUP_BYTES, KEY_BYTES

KEPT_VIEWS = 4
KEPT_BLOCKS = 16


class RunInspection:
    """See the module docstring."""

    _lock: threading.Lock
    _views: collections.OrderedDict[int, tuple[tuple, RunView]]
    _blocks: collections.OrderedDict[int, StoredBlock]

    def _using(self, what: str) -> contextlib.AbstractContextManager[sqlite3.Connection | None]:
        raise NotImplementedError

    def last_run(self, scope: str, path: Sequence[str]) -> RunInfo | None:
        """The latest run of the Map at `path` in `scope`, with its element counts by status."""
        with self._using("reading Map runs") as db:
            if db is None:
                return None
            row = db.execute("SELECT id, scope, path, label, body, total, state, started, finished FROM runs "
                             "WHERE scope = ? AND path = ? ORDER BY id DESC LIMIT 1",
                             (scope, "/".join(path))).fetchone()
            if row is None:
                return None
            counts = dict.fromkeys(STATUS_NAMES.values(), 0)
            for count, status in db.execute("SELECT count, status FROM run_parts WHERE run = ?", (row[0],)):
                if len(status) == 1:
                    counts[STATUS_NAMES[status[0]]] += count
                else:
                    for code, name in STATUS_NAMES.items():
                        counts[name] += status.count(code)
            return RunInfo(row[0], row[1], tuple(filter(None, row[2].split("/"))), *row[3:], counts)
        return None

    def run_items(self, run: int, *, statuses: Sequence[int] = (), search: str = "", order: str = "idx",
                  descending: bool = False, offset: int = 0, limit: int = 200) -> list[ItemRow]:
        """A page of a run's elements, filtered by status codes and a text (in inputs, outputs or error),
        sorted by `order` (one of `run_view.ITEM_ORDERS`); `run_view` says which pages are quick."""
        order_of = self.item_order(run, statuses=statuses, search=search, order=order, descending=descending)
        return self.items_at(run, order_of[offset:offset + limit])

    def count_items(self, run: int, *, statuses: Sequence[int] = (), search: str = "") -> int:
        """How many of a run's elements `run_items` would list with these filters."""
        with self._view(run) as (view, _):
            if view is None:
                return 0
            if not search:
                return len(view.indices(statuses))
            return len(view.ordered(self._block, statuses, search, "idx", False))
        return 0

    def item_order(self, run: int, *, statuses: Sequence[int] = (), search: str = "", order: str = "idx",
                   descending: bool = False) -> array.array:
        """The indices of the elements `run_items` would list, all of them, in its order (int64 array)."""
        with self._view(run) as (view, _):
            if view is None:
                return array.array("q")
            return array.array("q", view.ordered(self._block, statuses, search, order, descending))
        return array.array("q")

    def items_at(self, run: int, indices: Sequence[int]) -> list[ItemRow]:
        """A run's elements by index, in the order given (a page of an `item_order`)."""
        with self._view(run) as (view, _):
            return [] if view is None else view.rows(indices, self._block)
        return []

    def run_broadcast(self, run: int) -> dict[str, Any] | None:
        """The broadcast input values of a Map run (what every element shared), or None."""
        with self._using("reading a Map run") as db:
            if db is None:
                return None
            row = db.execute("SELECT broadcast FROM runs WHERE id = ?", (run,)).fetchone()
            try:
                return pickle.loads(row[0]) if row is not None and row[0] is not None else None
            except Exception:
                return None
        return None

    def element(self, item: ItemRow | bytes) -> ElementDetail | None:
        """All that is stored about one element: a listed `ItemRow`, or an element key (None when it is not
        stored)."""
        if isinstance(item, ItemRow):
            where = item.where
        else:
            where = self._where(item)
        stored = self._block(where[0]) if where is not None else None
        if stored is None:
            return None
        offset = where[1]
        failure = stored.failures.get(offset, ("", ""))
        stdout, stderr = stored.printed.get(offset, ("", ""))
        status = STATUS_NAMES[stored.status[offset] & 0x0F]
        return ElementDetail(stored.key(offset) or b"", status, stored.input_values(offset), stored.value(offset),
                             *failure, stdout, stderr, stored.engine(offset), stored.host(offset),
                             *stored.times(offset))

    def _where(self, key: bytes) -> tuple[int, int] | None:
        """The block and offset of the element `key`: its newest servable copy, else its newest one."""
        group, digest = key[:GROUP_BYTES], key[GROUP_BYTES:]
        fallback = None
        with self._using("reading an element") as db:
            if db is None:
                return None
            for block, digests, status in db.execute(
                    "SELECT id, digests, status FROM blocks WHERE substr(grp, 1, ?) = ? ORDER BY id DESC",
                    (GROUP_BYTES, group)):
                at = digests.find(digest)
                while at >= 0:
                    if at % KEY_BYTES == 0:
                        if status[at // KEY_BYTES] == 1:
                            return block, at // KEY_BYTES
                        fallback = fallback or (block, at // KEY_BYTES)
                    at = digests.find(digest, at + 1)
        return fallback

    @contextlib.contextmanager
    def _view(self, run: int) -> Iterator[tuple[RunView | None, sqlite3.Connection | None]]:
        """The run's view, read again only when the run changed since (more parts, another state)."""
        with self._using("reading a Map run") as db:
            if db is None:
                yield None, None
                return
            stamp = tuple(db.execute("SELECT r.state, (SELECT count(*) FROM run_parts p WHERE p.run = r.id) "
                                     "FROM runs r WHERE r.id = ?", (run,)).fetchone() or ())
            with self._lock:
                kept = self._views.get(run)
            if kept is None or kept[0] != stamp:
                kept = (stamp, RunView.load(db, run))
                with self._lock:
                    self._views[run] = kept
                    while len(self._views) > KEPT_VIEWS:
                        self._views.popitem(last=False)
            yield kept[1], db

    def _block(self, block: int) -> StoredBlock | None:
        """A block, decoded (kept for the next pages), or None when it is not stored any more."""
        with self._lock:
            kept = self._blocks.get(block)
            if kept is not None:
                self._blocks.move_to_end(block)
                return kept
        with self._using("reading a Map run") as db:
            if db is None:
                return None
            row = db.execute(f"SELECT {StoredBlock.READ_COLUMNS} FROM blocks WHERE id = ?", (block,)).fetchone()
            if row is None:
                return None
            try:
                stored = StoredBlock(row)
            except Exception:
                return None
            with self._lock:
                self._blocks[block] = stored
                while len(self._blocks) > KEPT_BLOCKS:
                    self._blocks.popitem(last=False)
            return stored
        return None

    def _forget_views(self) -> None:
        with self._lock:
            self._views.clear()
            self._blocks.clear()
