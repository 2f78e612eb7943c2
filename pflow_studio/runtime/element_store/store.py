"""`ElementStore`: Map elements' outcomes by key, the Map runs that used them, a size cap.

Reading: `recall(keys)` gives the stored successful outcomes among `keys` (failed elements are kept for
inspection but never served). Writing, per Map run: `begin_run` (a `runs` row), `record` (one transaction
per batch: the elements and their `run_items` rows), `finish_run` (the elements that did not run, the run's
state). Inspection: `last_run`, `run_items` (and `count_items`, `item_order`, `items_at`: see `item_queries`),
`element`, `info`. Upkeep: `evict` (least recently used first,
down to 90% of `max_bytes`), `clear`.

Every call is safe to make from any thread (one SQLite connection per thread) and from several processes at
once. `later(job)` runs a job (calls of these methods) on the store's writer thread (`writer.StoreWriter`) in
the order given; every other call first waits for the jobs handed over before it, so readers always see them;
`sync()` waits for them, `close()` runs them and ends the thread. A store that fails in use (disk full, damaged
under our feet, a job that raises) is switched off for this process with one warning: the run goes on without
it, never crashes.
"""

from __future__ import annotations

import array
import contextlib
import logging
import pathlib
import pickle
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from pflow_studio.runtime.element_store import element_rows, item_queries
from pflow_studio.runtime.element_store.database import StoreUnavailable, open_database, transaction
from pflow_studio.runtime.element_store.location import DEFAULT_MAX_BYTES, FILE_NAME, store_directory
from pflow_studio.runtime.element_store.records import (
    STATUS_NAMES,
    ElementDetail,
    ElementRow,
    ItemRow,
    RunInfo,
    StoredElement,
    StoreInfo,
)
from pflow_studio.runtime.element_store.writer import StoreWriter

log = logging.getLogger(__name__)

BATCH = element_rows.BATCH  # elements evicted per transaction
KEPT_RUNS = 3  # runs remembered per Map (older ones are forgotten, their elements stay)



class ElementStore:
    """See the module docstring. `directory`: see `location.store_directory`."""

    def __init__(self, directory: str | pathlib.Path | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 warn: Callable[[str], None] | None = None) -> None:
        self.path = store_directory(directory) / FILE_NAME
        self.max_bytes = max_bytes
        self.warn = warn or log.warning
        self.disabled = ""  # why the store was switched off for this process ("" while it works)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._writer = StoreWriter(f"element store writer {self.path}", self._job_failed)

    # -- connections ---------------------------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = open_database(self.path, self.warn)
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    @contextlib.contextmanager
    def _using(self, what: str) -> Iterator[sqlite3.Connection | None]:
        """The thread's connection, or None once the store is off; an SQLite or OS error switches it off."""
        connection = None
        self._writer.wait()
        if not self.disabled:
            try:
                connection = self._db()
            except (sqlite3.Error, StoreUnavailable, OSError) as exc:
                self._switch_off(what, exc)
        if connection is None:
            yield None
            return
        try:
            yield connection
        except (sqlite3.Error, OSError) as exc:
            self._switch_off(what, exc)

    def _job_failed(self, exc: BaseException) -> None:
        if not self.disabled:
            self._switch_off("writing elements", exc)

    def _switch_off(self, what: str, exc: BaseException) -> None:
        self.disabled = f"{what}: {exc}"
        self.warn(f"the element store {self.path} is not used any more in this run ({what}: {exc}); "
                  "results are still computed")

    def later(self, job: Callable[[], None]) -> None:
        """Run `job` on the writer thread, after the jobs handed over before it (nothing once the store is off)."""
        if not self.disabled:
            self._writer.submit(job)

    def sync(self) -> None:
        """Wait until every job handed to `later` so far has run."""
        self._writer.wait()

    def close(self) -> None:
        """Run the jobs left, then close every connection this store opened (call when no thread uses it any
        more; it may be used again afterwards)."""
        self._writer.stop(last=self.close_thread)
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            with contextlib.suppress(sqlite3.Error):
                connection.close()
        self._local = threading.local()

    def close_thread(self) -> None:
        """Close the calling thread's connection, if it has one (a worker thread about to end; the other
        threads keep theirs, and this one opens a new one if it uses the store again)."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            return
        self._local.connection = None
        with self._lock:
            self._connections = [c for c in self._connections if c is not connection]
        with contextlib.suppress(sqlite3.Error):
            connection.close()

    # -- reading -------------------------------------------------------------------------------

    def recall(self, keys: Sequence[bytes | None]) -> dict[int, StoredElement]:
        """The stored successful elements among `keys`, by position in `keys` (their last use is noted)."""
        positions: dict[bytes, list[int]] = {}
        for position, key in enumerate(keys):
            if key is not None:
                positions.setdefault(key, []).append(position)
        found: dict[int, StoredElement] = {}
        with self._using("reading stored elements") as db:
            if db is None or not positions:
                return found
            now = time.time()
            stale = []  # uses are noted when the last one is older than TOUCH_AFTER (eviction needs no finer order)
            for key, element, used in element_rows.stored(db, list(positions)):
                if used < now - element_rows.TOUCH_AFTER:
                    stale.append(key)
                for position in positions[key]:
                    found[position] = element
            if stale:
                with transaction(db):
                    element_rows.touch(db, stale, now)
        return found  # also when the store failed while reading: what was found so far

    def count_stored(self, keys: Sequence[bytes | None]) -> int:
        """How many of `keys` (by position, repeats counted) have a stored successful element; reads only."""
        positions: dict[bytes, int] = {}
        for key in keys:
            if key is not None:
                positions[key] = positions.get(key, 0) + 1
        with self._using("reading stored elements") as db:
            if db is None:
                return 0
            return sum(positions[key] for key in element_rows.stored_keys(db, list(positions)))
        return 0

    def holds_group(self, group: bytes) -> bool:
        """Does the store hold any element whose key begins with `group` (`runtime.keys.element_group`)? When it
        does not, none of a Map's elements needs looking up."""
        if self._writer.idle() and not self.path.exists():
            return False  # a store not made yet holds nothing (its first write makes it, on the writer thread)
        with self._using("reading stored elements") as db:
            return db is not None and element_rows.holds_group(db, group)
        return False

    # -- writing one Map run -------------------------------------------------------------------

    def begin_run(self, scope: str, path: Sequence[str], label: str, body: str, total: int,
                  broadcast: bytes | None, served: Sequence[tuple[int, bytes | None]]) -> int | None:
        """Start a run of the Map at `path` in `scope` (the project); `served` lists (index, key) of the
        elements served from the store. Returns the run's id (None when the store is off)."""
        with self._using("starting a Map run") as db:
            if db is None:
                return None
            joined = "/".join(path)
            with transaction(db):
                run = db.execute(
                    "INSERT INTO runs (scope, path, label, body, broadcast, total, state, started) "
                    "VALUES (?, ?, ?, ?, ?, ?, 'running', ?)",
                    (scope, joined, label, body, broadcast, total, time.time())).lastrowid
                db.executemany("INSERT INTO run_items (run, idx, key, status) VALUES (?, ?, ?, 3)",
                               ((run, index, key) for index, key in served))
                self._forget_old_runs(db, scope, joined)
            return run
        return None

    def _forget_old_runs(self, db: sqlite3.Connection, scope: str, path: str) -> None:
        old = [row[0] for row in db.execute(
            "SELECT id FROM runs WHERE scope = ? AND path = ? ORDER BY id DESC LIMIT -1 OFFSET ?",
            (scope, path, KEPT_RUNS))]
        for run in old:
            db.execute("DELETE FROM run_items WHERE run = ?", (run,))
            db.execute("DELETE FROM runs WHERE id = ?", (run,))

    def record(self, run: int | None, rows: Sequence[ElementRow], items: Sequence[tuple[int, bytes | None, int]]
               ) -> None:
        """Store finished elements (`rows`, see `ElementRow`) and their run items (index, key, status), in
        one transaction: after a crash either all of them are there or none."""
        with self._using("storing elements") as db:
            if db is None:
                return
            with transaction(db):
                element_rows.write(db, rows)
                if run is not None:
                    db.executemany("INSERT OR REPLACE INTO run_items (run, idx, key, status) VALUES (?, ?, ?, ?)",
                                   ((run, index, key, status) for index, key, status in items))

    def finish_run(self, run: int | None, state: str, not_run: Sequence[tuple[int, bytes | None]]) -> None:
        """End a run: its state ("ok", "failed", "cancelled", "error") and the elements that did not run."""
        with self._using("ending a Map run") as db:
            if db is None or run is None:
                return
            with transaction(db):
                db.executemany("INSERT OR REPLACE INTO run_items (run, idx, key, status) VALUES (?, ?, ?, 4)",
                               ((run, index, key) for index, key in not_run))
                db.execute("UPDATE runs SET state = ?, finished = ? WHERE id = ?", (state, time.time(), run))
        self.evict()

    # -- inspection ----------------------------------------------------------------------------

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
            for status, count in db.execute("SELECT status, count(*) FROM run_items WHERE run = ? GROUP BY status",
                                            (row[0],)):
                counts[STATUS_NAMES[status]] = count
            return RunInfo(row[0], row[1], tuple(filter(None, row[2].split("/"))), *row[3:], counts)
        return None

    def run_items(self, run: int, *, statuses: Sequence[int] = (), search: str = "", order: str = "idx",
                  descending: bool = False, offset: int = 0, limit: int = 200) -> list[ItemRow]:
        """A page of a run's elements, filtered by status codes and a text (in inputs, outputs or error),
        sorted by `order` (one of `item_queries.ITEM_ORDERS`); `item_queries` says which pages are quick."""
        with self._using("reading a Map run") as db:
            if db is None:
                return []
            return item_queries.page(db, run, statuses, search, order, descending, offset, limit)
        return []

    def count_items(self, run: int, *, statuses: Sequence[int] = (), search: str = "") -> int:
        """How many of a run's elements `run_items` would list with these filters."""
        with self._using("reading a Map run") as db:
            if db is None:
                return 0
            return item_queries.count(db, run, statuses, search)
        return 0

    def item_order(self, run: int, *, statuses: Sequence[int] = (), search: str = "", order: str = "idx",
                   descending: bool = False) -> array.array:
        """The indices of the elements `run_items` would list, all of them, in its order (int64 array)."""
        with self._using("reading a Map run") as db:
            if db is None:
                return array.array("q")
            return item_queries.ordered_indices(db, run, statuses, search, order, descending)
        return array.array("q")

    def items_at(self, run: int, indices: Sequence[int]) -> list[ItemRow]:
        """A run's elements by index, in the order given (a page of an `item_order`)."""
        with self._using("reading a Map run") as db:
            if db is None:
                return []
            return item_queries.at(db, run, indices)
        return []

    def run_broadcast(self, run: int) -> dict[str, Any] | None:
        """The broadcast input values of a Map run (what every element shared), or None."""
        with self._using("reading a Map run") as db:
            if db is None:
                return None
            row = db.execute("SELECT broadcast FROM runs WHERE id = ?", (run,)).fetchone()
            return _unpickled(row[0]) if row is not None else None
        return None

    def element(self, key: bytes) -> ElementDetail | None:
        """All that is stored about the element `key` (None when it is not stored)."""
        with self._using("reading an element") as db:
            if db is None:
                return None
            row = db.execute("SELECT status, inputs, value, error, traceback, stdout, stderr, engine, host, started, "
                             "finished FROM elements WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            status, inputs, value, *rest = row
            return ElementDetail(key, STATUS_NAMES[status], _unpickled(inputs), _unpickled(value), *rest)
        return None

    # -- upkeep --------------------------------------------------------------------------------

    def stored_bytes(self) -> int:
        with self._using("reading the store size") as db:
            if db is None:
                return 0
            return int(db.execute("SELECT value FROM meta WHERE key = 'bytes'").fetchone()[0])
        return 0

    def evict(self) -> int:
        """When the store is over `max_bytes`, drop the least recently used elements until it is at most 90%
        of it; returns how many were dropped."""
        dropped = 0
        with self._using("evicting old elements") as db:
            if db is None or self.stored_bytes() <= self.max_bytes:
                return 0
            goal = int(self.max_bytes * 0.9)
            while (excess := self.stored_bytes() - goal) > 0:
                with transaction(db):
                    chosen, freed = [], 0
                    for key, size in db.execute("SELECT key, size FROM elements ORDER BY used LIMIT ?", (BATCH,)):
                        chosen.append(key)
                        freed += size
                        if freed >= excess:
                            break
                    if not chosen:
                        break
                    db.executemany("DELETE FROM elements WHERE key = ?", ((key,) for key in chosen))
                dropped += len(chosen)
        return dropped

    def clear(self, bodies: Iterable[str] | None = None) -> int:
        """Forget every element (or those of the given body signatures) and their runs; how many elements."""
        with self._using("clearing the store") as db:
            if db is None:
                return 0
            chosen = None if bodies is None else list(bodies)
            with transaction(db):
                if chosen is None:
                    count = db.execute("DELETE FROM elements").rowcount
                    db.execute("DELETE FROM run_items")
                    db.execute("DELETE FROM runs")
                else:
                    count = 0
                    for body in chosen:
                        count += db.execute("DELETE FROM elements WHERE body = ?", (body,)).rowcount
                        db.execute("DELETE FROM run_items WHERE run IN (SELECT id FROM runs WHERE body = ?)", (body,))
                        db.execute("DELETE FROM runs WHERE body = ?", (body,))
            if chosen is None:
                db.execute("VACUUM")
            return count
        return 0

    def info(self, bodies: Iterable[str] | None = None) -> StoreInfo:
        """What the store holds (only the elements of the given body signatures, when given)."""
        with self._using("reading the store") as db:
            if db is None:
                return StoreInfo(str(self.path), 0, self.max_bytes, 0, 0, 0, 0)
            chosen = None if bodies is None else list(bodies)
            where, params = ("", []) if chosen is None else (
                f"WHERE body IN ({','.join('?' * len(chosen))})", chosen)
            total, size, ok = db.execute(
                f"SELECT count(*), coalesce(sum(size), 0), coalesce(sum(status = 1), 0) FROM elements {where}",
                params).fetchone()
            runs = db.execute(f"SELECT count(*) FROM runs {where}", params).fetchone()[0]
            return StoreInfo(str(self.path), int(size), self.max_bytes, int(total), int(ok), int(total - ok),
                             int(runs))
        return StoreInfo(str(self.path), 0, self.max_bytes, 0, 0, 0, 0)


def _unpickled(blob: bytes | None) -> Any:
    if blob is None:
        return None
    try:
        return pickle.loads(blob)
    except Exception:
        return None
