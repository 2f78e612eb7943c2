"""`ElementStore`: Map elements' outcomes by block, the Map runs that used them, a size cap.

Reading: `find(group, digests)` says which of a Map's elements are stored and servable (`recall`: failed
elements are kept for inspection but never served), `serve(found)` reads them as `OutcomeBlock`s. Writing, per
Map run: `begin_run` (a `runs` row and the parts served from the store), `write_blocks` (one transaction per
hand-over: its blocks and their run parts), `finish_run` (the elements that did not run, the run's state).
Inspection: `last_run`, `run_items` (and `count_items`, `item_order`, `items_at`: see `run_view`), `element`,
`info`. Upkeep: `evict` (least recently used blocks first, down to 90% of `max_bytes`), `clear`.

Every call is safe to make from any thread (one SQLite connection per thread) and from several processes at
once. `later(job)` runs a job (calls of these methods) on the store's writer thread (`writer.StoreWriter`) in
the order given; every other call first waits for the jobs handed over before it, so readers always see them;
`sync()` waits for them, `close()` runs them and ends the thread. A store that fails in use (disk full, damaged
under our feet, a job that raises) is switched off for this process with one warning: the run goes on without
it, never crashes.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import pathlib
import sqlite3
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence

from pflow_studio.runtime.element_store import recall
from pflow_studio.runtime.element_store.blocks import ROW_COLUMNS, StoredBlock
from pflow_studio.runtime.element_store.database import StoreUnavailable, open_database, transaction
from pflow_studio.runtime.element_store.inspection import RunInspection
from pflow_studio.runtime.element_store.location import DEFAULT_MAX_BYTES, FILE_NAME, store_directory
from pflow_studio.runtime.element_store.packing import pack_indices, pack_status
from pflow_studio.runtime.element_store.records import CACHED, NOT_RUN, StoreInfo
from pflow_studio.runtime.element_store.run_view import RunView
from pflow_studio.runtime.element_store.writer import StoreWriter
from pflow_studio.runtime.element_table import OutcomeBlock

log = logging.getLogger(__name__)

EVICT_BATCH = 64  # blocks evicted per transaction at most
KEPT_RUNS = 3  # runs remembered per Map (older ones are forgotten, their blocks stay)
TOUCH_AFTER = 600.0
"""Seconds after which a use of a block is noted again (eviction needs no finer order; a Map run again soon
after does not rewrite the rows it reads)."""
_WRITE = f"INSERT INTO blocks ({', '.join(ROW_COLUMNS)}) VALUES ({', '.join('?' * len(ROW_COLUMNS))})"
SIZE = ROW_COLUMNS.index("size")
Part = tuple[int | None, Sequence[int], Sequence[int] | None, bytes]
"""A run part: its block (None: elements not run), the Map indices, the offsets in the block (None: all, in
order) and the statuses (`records` codes, a byte per element or one for all)."""


class ElementStore(RunInspection):
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
        self._views: collections.OrderedDict[int, tuple[tuple, RunView]] = collections.OrderedDict()
        self._blocks: collections.OrderedDict[int, StoredBlock] = collections.OrderedDict()

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

    def awaited(self) -> bool:
        """Is a thread waiting for the writer's jobs (a job that gives way to others should not now)?"""
        return self._writer.waiting > 0

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

    def holds_group(self, group: bytes) -> bool:
        """Does the store hold any block filed under `group` (a Map's key prefix, `MapElements.group`)? When it
        does not, none of the Map's elements needs looking up."""
        if self._writer.idle() and not self.path.exists():
            return False  # a store not made yet holds nothing (its first write makes it, on the writer thread)
        with self._using("reading stored elements") as db:
            return db is not None and db.execute("SELECT 1 FROM blocks WHERE grp = ? LIMIT 1",
                                                 (group,)).fetchone() is not None
        return False

    def find(self, group: bytes, digests: bytes, skip: Collection[int] = ()) -> list[recall.Found]:
        """Which of a Map's elements (their digests in order, see `runtime.keys.element_digests`) are stored and
        servable, but those in `skip` (see `recall.find`); reads only."""
        with self._using("reading stored elements") as db:
            return [] if db is None else recall.find(db, group, digests, skip)
        return []

    def serve(self, found: Sequence[recall.Found]) -> list[tuple[OutcomeBlock, Sequence[int]]]:
        """The elements `find` found, read as blocks served from the store, each with the Map indices it
        serves (elements whose outputs cannot be read any more are left out: they run again); their blocks'
        use is noted."""
        served: list[tuple[OutcomeBlock, Sequence[int]]] = []
        with self._using("reading stored elements") as db:
            if db is None:
                return served
            now, stale = time.time(), []
            by_block: dict[int, StoredBlock | None] = {}
            for part in found:
                if part.block not in by_block:
                    by_block[part.block], used = self._read_block(db, part.block)
                    if used < now - TOUCH_AFTER:
                        stale.append(part.block)
                stored = by_block[part.block]
                block = stored.served(part.offsets) if stored is not None else None
                if block is not None:
                    served.append((block, part.at))
            if stale:
                with transaction(db):
                    db.executemany("UPDATE blocks SET used = ? WHERE id = ?", ((now, b) for b in stale))
        return served  # also when the store failed while reading: what was read so far

    def _read_block(self, db: sqlite3.Connection, block: int) -> tuple[StoredBlock | None, float]:
        row = db.execute(f"SELECT {StoredBlock.READ_COLUMNS}, used FROM blocks WHERE id = ?", (block,)).fetchone()
        if row is None:
            return None, float("inf")
        try:
            return StoredBlock(row[:-1]), row[-1]
        except Exception:  # written by a version that packed it differently: as if evicted
            return None, float("inf")

    # -- writing one Map run -------------------------------------------------------------------

    def begin_run(self, scope: str, path: Sequence[str], label: str, body: str, group: bytes, total: int,
                  broadcast: bytes | None, served: Sequence[recall.Found]) -> int | None:
        """Start a run of the Map at `path` in `scope` (the project) with the elements `served` from the store.
        Returns the run's id (None when the store is off)."""
        with self._using("starting a Map run") as db:
            if db is None:
                return None
            joined = "/".join(path)
            with transaction(db):
                run = db.execute(
                    "INSERT INTO runs (scope, path, label, body, grp, broadcast, total, state, started) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?)",
                    (scope, joined, label, body, group, broadcast, total, time.time())).lastrowid
                self._add_parts(db, run, [(f.block, f.at, f.offsets, bytes([CACHED])) for f in served])
                self._forget_old_runs(db, scope, joined)
            return run
        return None

    def _forget_old_runs(self, db: sqlite3.Connection, scope: str, path: str) -> None:
        old = [row[0] for row in db.execute(
            "SELECT id FROM runs WHERE scope = ? AND path = ? ORDER BY id DESC LIMIT -1 OFFSET ?",
            (scope, path, KEPT_RUNS))]
        for run in old:
            db.execute("DELETE FROM run_parts WHERE run = ?", (run,))
            db.execute("DELETE FROM runs WHERE id = ?", (run,))

    def _add_parts(self, db: sqlite3.Connection, run: int | None, parts: Sequence[Part]) -> None:
        if run is None or not parts:
            return
        seq = db.execute("SELECT coalesce(max(seq), -1) + 1 FROM run_parts WHERE run = ?", (run,)).fetchone()[0]
        db.executemany("INSERT INTO run_parts (run, seq, block, count, at, offsets, status) VALUES (?,?,?,?,?,?,?)",
                       ((run, seq + i, block, len(at), pack_indices(at),
                         None if offsets is None or offsets == range(len(at)) else pack_indices(offsets),
                         pack_status(status)) for i, (block, at, offsets, status) in enumerate(parts)))

    def write_blocks(self, run: int | None, blocks: Sequence[tuple[tuple, Sequence[int], bytes]]) -> None:
        """Store blocks (`blocks.block_row` rows, each with the Map indices of its elements and their statuses)
        and their run parts in one transaction: after a crash either all of them are there or none."""
        with self._using("storing elements") as db:
            if db is None or not blocks:
                return
            with transaction(db):
                parts: list[Part] = []
                for row, at, status in blocks:
                    parts.append((db.execute(_WRITE, row).lastrowid, at, None, status))
                db.execute("UPDATE meta SET value = value + ? WHERE key = 'bytes'",
                           (sum(row[SIZE] for row, _, _ in blocks),))
                self._add_parts(db, run, parts)

    def finish_run(self, run: int | None, state: str, not_run: Sequence[int]) -> None:
        """End a run: its state ("ok", "failed", "cancelled", "error") and the elements that did not run."""
        with self._using("ending a Map run") as db:
            if db is None or run is None:
                return
            with transaction(db):
                self._add_parts(db, run, [(None, not_run, None, bytes([NOT_RUN]))] if len(not_run) else [])
                db.execute("UPDATE runs SET state = ?, finished = ? WHERE id = ?", (state, time.time(), run))
        self.evict()

    # -- upkeep --------------------------------------------------------------------------------

    def stored_bytes(self) -> int:
        with self._using("reading the store size") as db:
            if db is None:
                return 0
            return int(db.execute("SELECT value FROM meta WHERE key = 'bytes'").fetchone()[0])
        return 0

    def evict(self) -> int:
        """When the store is over `max_bytes`, drop the least recently used blocks until it is at most 90% of
        it; returns how many elements were dropped."""
        dropped = 0
        with self._using("evicting old elements") as db:
            if db is None or self.stored_bytes() <= self.max_bytes:
                return 0
            goal = int(self.max_bytes * 0.9)
            while (excess := self.stored_bytes() - goal) > 0:
                with transaction(db):
                    chosen, freed = [], 0
                    for block, size, count in db.execute("SELECT id, size, count FROM blocks ORDER BY used LIMIT ?",
                                                         (EVICT_BATCH,)):
                        chosen.append((block,))
                        freed += size
                        dropped += count
                        if freed >= excess:
                            break
                    if not chosen:
                        break
                    db.executemany("DELETE FROM blocks WHERE id = ?", chosen)
            self._forget_views()
        return dropped

    def clear(self, bodies: Iterable[str] | None = None) -> int:
        """Forget every element (or those of the given body signatures) and their runs; how many elements."""
        with self._using("clearing the store") as db:
            if db is None:
                return 0
            chosen = None if bodies is None else list(bodies)
            with transaction(db):
                if chosen is None:
                    count = db.execute("SELECT coalesce(sum(count), 0) FROM blocks").fetchone()[0]
                    db.execute("DELETE FROM blocks")
                    db.execute("DELETE FROM run_parts")
                    db.execute("DELETE FROM runs")
                else:
                    count = 0
                    for body in chosen:
                        count += db.execute("SELECT coalesce(sum(count), 0) FROM blocks WHERE body = ?",
                                            (body,)).fetchone()[0]
                        db.execute("DELETE FROM blocks WHERE body = ?", (body,))
                        db.execute("DELETE FROM run_parts WHERE run IN (SELECT id FROM runs WHERE body = ?)", (body,))
                        db.execute("DELETE FROM runs WHERE body = ?", (body,))
            self._forget_views()
            if chosen is None:
                db.execute("VACUUM")
            return int(count)
        return 0

    def info(self, bodies: Iterable[str] | None = None) -> StoreInfo:
        """What the store holds (only the elements of the given body signatures, when given)."""
        with self._using("reading the store") as db:
            if db is None:
                return StoreInfo(str(self.path), 0, self.max_bytes, 0, 0, 0, 0)
            chosen = None if bodies is None else list(bodies)
            where, params = ("", []) if chosen is None else (
                f"WHERE body IN ({','.join('?' * len(chosen))})", chosen)
            blocks, total, size, ok = db.execute(
                "SELECT count(*), coalesce(sum(count), 0), coalesce(sum(size), 0), coalesce(sum(ok), 0) "
                f"FROM blocks {where}", params).fetchone()
            runs = db.execute(f"SELECT count(*) FROM runs {where}", params).fetchone()[0]
            return StoreInfo(str(self.path), int(size), self.max_bytes, int(total), int(ok), int(total - ok),
                             int(runs), int(blocks))
        return StoreInfo(str(self.path), 0, self.max_bytes, 0, 0, 0, 0)
