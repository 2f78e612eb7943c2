"""The element store's SQLite file: private, WAL, one schema, and never a crash on a damaged file.

`open_database(path)` makes the directory (0700) and the file (0600; SQLite gives its -wal/-shm files the
same mode), sets WAL (readers never wait for the writer, several processes may share the file) and a busy
timeout (two runs at once queue their short write transactions), and creates the schema. A file that is
not a store of this schema (garbage, truncated, damaged, an unknown version) is set aside as
`NAME.damaged-<time>` with a warning and a new, empty store is made in its place.

Schema (version 2; a version 1 store is brought to it in place, see `_MIGRATIONS`):
- `elements`: one row per element key: status (1 ok, 2 failed), pickled outputs and inputs, their short
  previews, error, traceback, captured stdout/stderr, engine, host, start and end times, size in bytes and
  the time it was last used (for least-recently-used eviction, the one index besides the key). The keys of
  one Map's elements begin alike (`runtime.keys.element_group`), so they sit together in the table.
- `runs` / `run_items`: the Map runs that used elements: per run its scope (the project), Map path and label,
  body signature, total, state; per element its index, key and status (1 ok, 2 failed, 3 from the store,
  4 not run).
- `meta`: the schema version and the running total of element bytes: whoever writes elements adds their
  sizes (`element_rows.write`, one update per batch); a trigger takes off the size of every row deleted,
  also of those a write replaces (recursive triggers are on, so REPLACE fires it).
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import sqlite3
import time
from collections.abc import Callable

SCHEMA_VERSION = "2"
BUSY_TIMEOUT_S = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS elements (
    key BLOB PRIMARY KEY, body TEXT NOT NULL, status INTEGER NOT NULL,
    value BLOB, inputs BLOB, input_text TEXT NOT NULL DEFAULT '', preview TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '', traceback TEXT NOT NULL DEFAULT '',
    stdout TEXT NOT NULL DEFAULT '', stderr TEXT NOT NULL DEFAULT '',
    engine INTEGER, host TEXT NOT NULL DEFAULT '', started REAL NOT NULL DEFAULT 0, finished REAL NOT NULL DEFAULT 0,
    size INTEGER NOT NULL, used REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS elements_by_use ON elements (used);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, scope TEXT NOT NULL, path TEXT NOT NULL, label TEXT NOT NULL, body TEXT NOT NULL,
    broadcast BLOB, total INTEGER NOT NULL, state TEXT NOT NULL, started REAL NOT NULL, finished REAL
);
CREATE INDEX IF NOT EXISTS runs_by_map ON runs (scope, path, id);
CREATE TABLE IF NOT EXISTS run_items (
    run INTEGER NOT NULL, idx INTEGER NOT NULL, key BLOB, status INTEGER NOT NULL, PRIMARY KEY (run, idx)
) WITHOUT ROWID;
INSERT OR IGNORE INTO meta (key, value) VALUES ('bytes', 0);
CREATE TRIGGER IF NOT EXISTS elements_removed AFTER DELETE ON elements
    BEGIN UPDATE meta SET value = value - OLD.size WHERE key = 'bytes'; END;
"""
_MIGRATIONS = {
    # 1 -> 2: sizes are added per batch by the writer, not per row by a trigger (a third of a write's cost);
    # no index by body (only `cache info|clear FILE` looks elements up by body: a scan is fine there)
    "1": """DROP TRIGGER IF EXISTS elements_added; DROP TRIGGER IF EXISTS elements_resized;
DROP INDEX IF EXISTS elements_by_body; UPDATE meta SET value = '2' WHERE key = 'schema';""",
}


class StoreUnavailable(RuntimeError):
    """The store cannot be used at all (its directory cannot be made or written); the message says why."""


def open_database(path: pathlib.Path, warn: Callable[[str], None]) -> sqlite3.Connection:
    """A connection to the store at `path`, made and checked (see the module docstring)."""
    _private_file(path)
    try:
        return _connect(path)
    except sqlite3.OperationalError as exc:  # locked past the timeout, I/O error: not damage, keep the file
        raise StoreUnavailable(f"cannot open the element store {path}: {exc}") from exc
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
        connection.execute("PRAGMA recursive_triggers=ON")  # a REPLACE fires the delete trigger (byte total)
        version = _schema_version(connection)
        if version is None:  # a new file (another process may be making it too: IF NOT EXISTS, OR IGNORE)
            connection.executescript(f"BEGIN IMMEDIATE; {_SCHEMA} INSERT OR IGNORE INTO meta (key, value) "
                                     f"VALUES ('schema', '{SCHEMA_VERSION}'); COMMIT;")
        elif version in _MIGRATIONS:
            _migrate(connection)
        elif version != SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"unknown element store schema {version!r}")
        connection.execute("SELECT count(*) FROM meta").fetchone()
    except BaseException:
        connection.close()
        raise
    return connection


def _migrate(connection: sqlite3.Connection) -> None:
    """Bring an older schema to `SCHEMA_VERSION`, step by step, each in one transaction (each step may run
    twice when two processes open the store at once: its statements are written so that this is harmless)."""
    while (version := _schema_version(connection)) in _MIGRATIONS:
        connection.executescript(f"BEGIN IMMEDIATE; {_MIGRATIONS[str(version)]} COMMIT;")


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


def set_aside(path: pathlib.Path) -> pathlib.Path:
    """Rename a damaged store (and its -wal/-shm files) out of the way; returns its new name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        source = path.with_name(path.name + suffix)
        with contextlib.suppress(FileNotFoundError):
            os.replace(source, aside.with_name(aside.name + suffix))
    return aside


def _private_file(path: pathlib.Path) -> None:
    """Make the directory (0700) and the file (0600) when missing; tighten an existing directory we own."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if path.parent.stat().st_uid == os.getuid():
            path.parent.chmod(0o700)
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        os.close(fd)
    except OSError as exc:
        raise StoreUnavailable(f"cannot use the element store directory {path.parent}: "
                               f"{exc.strerror or exc}") from exc
