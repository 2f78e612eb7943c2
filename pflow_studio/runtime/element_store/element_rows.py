"""The `elements` table: writing finished elements, reading the stored ones back, noting their use.

Functions over an open connection (the caller holds the transaction); `store.ElementStore` wraps them with
its threads, errors and switching off. Writes are one `executemany` per batch and one size update per batch
(`database` says how the byte total is kept); reads and use notes go `BATCH` keys per statement.
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Iterator, Sequence

from pflow_studio.runtime.element_store.records import ElementRow, StoredElement

COLUMNS = ("key", "body", "status", "value", "inputs", "input_text", "preview", "error", "traceback", "stdout",
           "stderr", "engine", "host", "started", "finished", "size", "used")
"""The columns of an `ElementRow`, in order."""
SIZE = COLUMNS.index("size")
BATCH = 500  # keys per statement
TOUCH_AFTER = 600.0
"""Seconds after which a use of an element is noted again (eviction needs no finer order; a Map run again
soon after does not rewrite the rows it reads)."""

_WRITE = f"INSERT OR REPLACE INTO elements ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
_AFTER_EVERY_KEY = b"\xff" * 32  # a group followed by this sorts after every key that begins with the group


def write(db: sqlite3.Connection, rows: Sequence[ElementRow]) -> None:
    """Store `rows` (replacing elements of the same keys: the delete trigger takes their sizes off) and add
    their sizes to the byte total."""
    if rows:
        db.executemany(_WRITE, rows)
        db.execute("UPDATE meta SET value = value + ? WHERE key = 'bytes'", (sum(row[SIZE] for row in rows),))


def holds_group(db: sqlite3.Connection, group: bytes) -> bool:
    """Is any element stored whose key begins with `group` (see `runtime.keys.element_group`)?"""
    return db.execute("SELECT 1 FROM elements WHERE key >= ? AND key < ? LIMIT 1",
                      (group, group + _AFTER_EVERY_KEY)).fetchone() is not None


def stored(db: sqlite3.Connection, keys: Sequence[bytes]) -> Iterator[tuple[bytes, StoredElement, float]]:
    """(key, element, when it was last used) for each stored successful element among `keys` (distinct keys);
    elements whose outputs cannot be unpickled any more (stored by a version that pickled differently) are left
    out: they run again."""
    loads = pickle.loads
    for batch, marks in _batches(keys):
        rows = db.execute("SELECT key, value, engine, host, started, finished, stdout, stderr, used FROM elements "
                          f"WHERE status = 1 AND value IS NOT NULL AND key IN ({marks})", batch)
        for key, blob, engine, host, started, finished, stdout, stderr, used in rows:
            try:
                value = loads(blob)
            except Exception:
                continue
            yield key, StoredElement(value, engine, host, started, finished, stdout, stderr), used


def stored_keys(db: sqlite3.Connection, keys: Sequence[bytes]) -> Iterator[bytes]:
    """The keys among `keys` (distinct) that have a stored successful element."""
    for batch, marks in _batches(keys):
        query = f"SELECT key FROM elements WHERE status = 1 AND value IS NOT NULL AND key IN ({marks})"
        for (key,) in db.execute(query, batch):
            yield key


def touch(db: sqlite3.Connection, keys: Sequence[bytes], now: float) -> None:
    """Note that `keys` were used at `now`."""
    for batch, marks in _batches(keys):
        db.execute(f"UPDATE elements SET used = ? WHERE key IN ({marks})", (now, *batch))


def _batches(keys: Sequence[bytes]) -> Iterator[tuple[Sequence[bytes], str]]:
    """`keys` in slices of at most `BATCH`, each with its SQL placeholders ("?,?,...")."""
    for start in range(0, len(keys), BATCH):
        batch = keys[start:start + BATCH]
        yield batch, ",".join("?" * len(batch))
