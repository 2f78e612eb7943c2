"""The element store's schema at work: the byte total kept exact per batch (also when a write replaces
elements), a Map's elements found by their key group, and a version 1 store brought up to date in place."""

from __future__ import annotations

import sqlite3

from pflow_studio.runtime.element_store.database import SCHEMA_VERSION
from pflow_studio.runtime.element_store.store import ElementStore
from tests.support.elements import row

V1_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE elements (
    key BLOB PRIMARY KEY, body TEXT NOT NULL, status INTEGER NOT NULL,
    value BLOB, inputs BLOB, input_text TEXT NOT NULL DEFAULT '', preview TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '', traceback TEXT NOT NULL DEFAULT '',
    stdout TEXT NOT NULL DEFAULT '', stderr TEXT NOT NULL DEFAULT '',
    engine INTEGER, host TEXT NOT NULL DEFAULT '', started REAL NOT NULL DEFAULT 0, finished REAL NOT NULL DEFAULT 0,
    size INTEGER NOT NULL, used REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX elements_by_use ON elements (used);
CREATE INDEX elements_by_body ON elements (body);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY, scope TEXT NOT NULL, path TEXT NOT NULL, label TEXT NOT NULL, body TEXT NOT NULL,
    broadcast BLOB, total INTEGER NOT NULL, state TEXT NOT NULL, started REAL NOT NULL, finished REAL
);
CREATE INDEX runs_by_map ON runs (scope, path, id);
CREATE TABLE run_items (
    run INTEGER NOT NULL, idx INTEGER NOT NULL, key BLOB, status INTEGER NOT NULL, PRIMARY KEY (run, idx)
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('bytes', 0);
INSERT INTO meta (key, value) VALUES ('schema', '1');
CREATE TRIGGER elements_added AFTER INSERT ON elements
    BEGIN UPDATE meta SET value = value + NEW.size WHERE key = 'bytes'; END;
CREATE TRIGGER elements_removed AFTER DELETE ON elements
    BEGIN UPDATE meta SET value = value - OLD.size WHERE key = 'bytes'; END;
CREATE TRIGGER elements_resized AFTER UPDATE OF size ON elements
    BEGIN UPDATE meta SET value = value + NEW.size - OLD.size WHERE key = 'bytes'; END;
"""


def sizes(*rows: tuple) -> int:
    return sum(r[15] for r in rows)


def test_the_byte_total_follows_writes_replacements_and_deletions(tmp_path):
    store = ElementStore(tmp_path)
    failed, other = row(b"a", 0, ok=False), row(b"b", 1)
    store.record(None, [failed, other], [])
    assert store.stored_bytes() == sizes(failed, other)
    again = row(b"a", 0, value="a much longer value than the error it replaces " * 4)
    store.record(None, [again], [])  # the failed element ran again: its row is replaced, not added
    assert store.stored_bytes() == sizes(again, other) and store.info().elements == 2
    assert 0 in store.recall([b"a"])
    store.clear(["body"])
    assert store.stored_bytes() == 0
    store.close()


def test_a_map_group_is_found_by_the_first_bytes_of_its_keys(tmp_path):
    store = ElementStore(tmp_path)
    assert not store.holds_group(b"group-01")
    store.record(None, [row(b"group-01" + b"k" * 16, ok=False), row(b"group-02" + b"\xff" * 16)], [])
    assert store.holds_group(b"group-01") and store.holds_group(b"group-02")  # failed elements count too
    assert not store.holds_group(b"group-00") and not store.holds_group(b"group-03")
    store.close()


def test_a_version_1_store_is_brought_up_to_date_keeping_its_elements(tmp_path):
    path = tmp_path / "elements.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(V1_SCHEMA)
    kept = row(b"old", 0)
    old.execute(f"INSERT INTO elements VALUES ({','.join('?' * 17)})", kept)
    old.commit()
    old.close()
    warnings: list[str] = []
    store = ElementStore(tmp_path, warn=warnings.append)
    assert 0 in store.recall([b"old"]) and store.stored_bytes() == sizes(kept)
    new = row(b"new", 1)
    store.record(None, [new], [])
    assert store.stored_bytes() == sizes(kept, new)  # counted once: the per-row trigger is gone
    store.close()
    check = sqlite3.connect(path)
    assert check.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (SCHEMA_VERSION,)
    names = {name for (name,) in check.execute("SELECT name FROM sqlite_master")}
    assert "elements_added" not in names and "elements_by_body" not in names
    check.close()
    assert warnings == [] and not [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
