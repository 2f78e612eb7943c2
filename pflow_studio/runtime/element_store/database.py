"""The element store's SQLite file: private, WAL, one schema, and never a crash on a damaged file.

`open_database(path)` makes the directory (0700) and the file (0600; SQLite gives its -wal/-shm files the
same mode), sets WAL (readers never wait for the writer, several processes may share the file) and a busy
timeout (two runs at once queue their short write transactions), and creates the schema. A file that is
not a store (garbage, truncated, damaged, an unknown version) is set aside as
`NAME.damaged-<time>` with a warning and a new, empty store is made in its place.

Schema (version 3; a store of an older version is set aside as `NAME.schema-<version>-<time>`, with a warning,
and a new one made: its elements run again once):
- `blocks`: elements stored by block, one row per hand-over of a Map run (the `blocks` module says what each
  column holds: the elements' digests as one blob, a status byte each, their values and inputs pickled once,
  times as packed arrays, failures and printed output sparse), with its Map's whole key prefix (`grp`,
  `runtime.keys.element_key_prefix`, indexed: a Map's blocks are found by it; digests mean nothing without
  it), body signature, size in bytes and the time it was last used (least-recently-used eviction, indexed).
- `runs` / `run_parts`: the Map runs: per run its scope (the project), Map path and label, key prefix, body
  signature, total, state; per run, its parts in order: a block it wrote or served elements from (which of
  its elements, at which Map indices) or the elements that did not run, with their statuses (`run_parts`).
- `meta`: the schema version and the running total of block bytes: whoever writes blocks adds their sizes (one
  update per transaction); a trigger takes off the size of every block deleted.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import sqlite3
import time
from collections.abc import Callable

from pflow_studio.common.private_files import private_directory, private_file

SCHEMA_VERSION = "3"
BUSY_TIMEOUT_S = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS blocks (
    id INTEGER PRIMARY KEY, grp BLOB NOT NULL, body TEXT NOT NULL, count INTEGER NOT NULL, ok INTEGER NOT NULL,
    digests BLOB NOT NULL, status BLOB NOT NULL, base REAL NOT NULL, started BLOB NOT NULL, took BLOB NOT NULL,
    engines BLOB, hosts BLOB, outputs BLOB, inputs BLOB, sparse BLOB, size INTEGER NOT NULL, used REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS blocks_by_group ON blocks (grp);
CREATE INDEX IF NOT EXISTS blocks_by_use ON blocks (used);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, scope TEXT NOT NULL, path TEXT NOT NULL, label TEXT NOT NULL, body TEXT NOT NULL,
    grp BLOB NOT NULL, broadcast BLOB, total INTEGER NOT NULL, state TEXT NOT NULL, started REAL NOT NULL,
    finished REAL
);
CREATE INDEX IF NOT EXISTS runs_by_map ON runs (scope, path, id);
CREATE INDEX IF NOT EXISTS runs_by_group ON runs (grp, id);
CREATE TABLE IF NOT EXISTS run_parts (
    run INTEGER NOT NULL, seq INTEGER NOT NULL, block INTEGER, count INTEGER NOT NULL, at BLOB NOT NULL,
    offsets BLOB, status BLOB NOT NULL, PRIMARY KEY (run, seq)
) WITHOUT ROWID;
INSERT OR IGNORE INTO meta (key, value) VALUES ('bytes', 0);
CREATE TRIGGER IF NOT EXISTS blocks_removed AFTER DELETE ON blocks
    BEGIN UPDATE meta SET value = value - OLD.size WHERE key = 'bytes'; END;
"""


class OldSchema(sqlite3.DatabaseError):
    """A store made by an older version of pflow-studio (its schema version is in `version`)."""

    def __init__(self, version: str) -> None:
        super().__init__(f"made by an older version (schema {version})")
        self.version = version


class StoreUnavailable(RuntimeError):
    """The store cannot be used at all (its directory cannot be made or written); the message says why."""


def open_database(path: pathlib.Path, warn: Callable[[str], None]) -> sqlite3.Connection:
    """A connection to the store at `path`, made and checked (see the module docstring)."""
    _private_file(path)
    try:
        return _connect(path)
    except sqlite3.OperationalError as exc:  # locked past the timeout, I/O error: not damage, keep the file
        raise StoreUnavailable(f"cannot open the element store {path}: {exc}") from exc
    except OldSchema as exc:
        aside = set_aside(path, f"schema-{exc.version}")
        warn(f"the element store {path} was {exc}; it was set aside as {aside.name} and a new one was made: "
             "elements stored before will run again")
    except sqlite3.DatabaseError as exc:
        aside = set_aside(path)
        warn(f"the element store {path} was damaged ({exc}); it was set aside as {aside.name} and a new one "
             "was made: elements stored before will run again")
    _private_file(path)
    try:
        return _connect(path)
    except sqlite3.Error as exc:
        raise StoreUnavailable(f"cannot open the element store {path}: {exc}") from exc


def _connect(path: pathlib.Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=True)
    try:
        _use_wal(connection)
        connection.execute("PRAGMA synchronous=NORMAL")
        version = _schema_version(connection)
        if version is None:  # a new file (another process may be making it too: IF NOT EXISTS, OR IGNORE)
            connection.executescript(f"BEGIN IMMEDIATE; {_SCHEMA} INSERT OR IGNORE INTO meta (key, value) "
                                     f"VALUES ('schema', '{SCHEMA_VERSION}'); COMMIT;")
        elif version in ("1", "2"):
            raise OldSchema(version)
        elif version != SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"unknown element store schema {version!r}")
        connection.execute("SELECT count(*) FROM meta").fetchone()
    except BaseException:
        connection.close()
        raise
    return connection


def _use_wal(connection: sqlite3.Connection) -> None:
    """Switch to WAL; SQLite does not wait for a lock here as it does elsewhere, so retry until the timeout
    (another process making or opening the same new store at the same moment)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _schema_version(connection: sqlite3.Connection) -> str | None:
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return None
    if "meta" not in tables:
        raise sqlite3.DatabaseError("not an element store (no meta table)")
    row = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    if row is None:
        raise sqlite3.DatabaseError("not an element store (no schema version)")
    return str(row[0])


@contextlib.contextmanager
def transaction(connection: sqlite3.Connection):
    """A write transaction (BEGIN IMMEDIATE: the write lock is taken up front, waiting up to the busy
    timeout for another writer), committed at the end or rolled back on an error."""
    if not connection.in_transaction:
        connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    if connection.in_transaction:
        connection.execute("COMMIT")


def set_aside(path: pathlib.Path, why: str = "damaged") -> pathlib.Path:
    """Rename a damaged (or old) store and its -wal/-shm files out of the way; returns its new name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.{why}-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        source = path.with_name(path.name + suffix)
        with contextlib.suppress(FileNotFoundError):
            os.replace(source, aside.with_name(aside.name + suffix))
    return aside


def _private_file(path: pathlib.Path) -> None:
    """Make the directory (0700) and the file (0600) when missing; tighten an existing directory we own."""
    try:
        private_directory(path.parent, tighten=True)
        os.close(private_file(path))
    except OSError as exc:
        raise StoreUnavailable(f"cannot use the element store directory {path.parent}: "
                               f"{exc.strerror or exc}") from exc
