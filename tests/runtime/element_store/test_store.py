"""The element store on its own: private files, elements by block and key (failed ones never served), Map runs
and their parts, eviction of the least recently used blocks, clearing, and no crash on a damaged, old or
unusable store."""

from __future__ import annotations

import pathlib
import sqlite3
import stat
import subprocess
import sys

import pytest

from pflow_studio.runtime.element_store.records import CACHED, FAILED, NOT_RUN, OK
from pflow_studio.runtime.element_store.store import ElementStore
from tests.support.elements import GROUP, digests, key, served, write
from tests.support.paths import ROOT


@pytest.fixture
def store(tmp_path) -> ElementStore:
    warnings: list[str] = []
    made = ElementStore(tmp_path / "cache", warn=warnings.append)
    made.warnings = warnings
    yield made
    made.close()


def test_the_directory_and_files_are_private(store):
    write(store, [0])
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    for suffix in ("", "-wal", "-shm"):
        file = store.path.with_name(store.path.name + suffix)
        assert file.exists() and stat.S_IMODE(file.stat().st_mode) == 0o600, file


def test_stored_successes_are_served_by_key_in_any_order_and_never_a_failure(store):
    write(store, [0, 1, 2], failed=[1], values={2: "three"})
    found = served(store, [2, 1, None, 0, 99, 0])
    assert found == {0: {"y": "three"}, 3: {"y": 0}, 5: {"y": 0}}
    [(block, at)] = store.serve(store.find(GROUP, digests([0])))
    assert (block.cached, block.engine_of(0), block.host_of(0), block.printed, list(at)) == (
        True, 1, "h", {0: ("out 0", "")}, [0])
    assert store.find(GROUP, digests([0, 2]), skip=[0])[0].at == [1]  # forced to run again
    assert store.find(b"group-02", digests([0])) == []


def test_a_map_run_lists_its_items_with_filters_sorting_search_and_details(store):
    write(store, [0])  # stored by an earlier run
    run = store.begin_run("/p.pflow", ("m",), "Map", "body", GROUP, 5, None, store.find(GROUP, digests([0])))
    write(store, [1, 2], run=run, failed=[2])
    store.finish_run(run, "cancelled", [3, 4])
    info = store.last_run("/p.pflow", ("m",))
    assert (info.id, info.label, info.total, info.state) == (run, "Map", 5, "cancelled")
    assert info.counts == {"ok": 1, "failed": 1, "cached": 1, "not_run": 2}
    items = store.run_items(run)
    assert [(i.index, i.status) for i in items] == [(0, "cached"), (1, "ok"), (2, "failed"), (3, "not_run"),
                                                    (4, "not_run")]
    assert (items[1].input_text, items[1].preview, items[1].duration, items[1].key) == ("1", "10", 1.5, key(1))
    assert items[0].stored and items[0].preview == "0" and not items[3].stored
    assert [i.index for i in store.run_items(run, statuses=[FAILED, NOT_RUN])] == [2, 3, 4]
    assert [i.index for i in store.run_items(run, order="status", descending=True)][:2] == [3, 4]
    assert [i.index for i in store.run_items(run, search="bad")] == [2]
    assert store.count_items(run, statuses=[OK, CACHED]) == 2
    assert [i.index for i in store.run_items(run, offset=1, limit=2)] == [1, 2]
    for detail in (store.element(items[2]), store.element(key(2))):
        assert (detail.status, detail.inputs, detail.outputs, detail.error, detail.stdout) == (
            "failed", {"x": 2}, None, "ValueError: bad", "out 2")
    assert store.element(key(77)) is None


def test_only_the_last_runs_of_a_map_are_remembered(store):
    runs = [store.begin_run("s", ("m",), "Map", "body", GROUP, 1, None, []) for _ in range(5)]
    assert store.last_run("s", ("m",)).id == runs[-1]
    assert store.run_items(runs[0]) == [] and store.info().runs == 3


def test_eviction_drops_the_least_recently_used_blocks_down_to_nine_tenths(tmp_path):
    store = ElementStore(tmp_path, max_bytes=1 << 30)
    for number in range(20):
        write(store, range(number * 10, number * 10 + 10), used=float(number))
    size = store.stored_bytes()
    assert size == store.info().bytes and store.info().blocks == 20
    assert len(served(store, [0])) == 1  # block 0 used now: the newest
    store.max_bytes = size // 2
    dropped = store.evict()
    assert dropped % 10 == 0 and dropped >= 100 and store.stored_bytes() <= 0.9 * store.max_bytes
    assert served(store, [0, 5, 10, 199]) == {0: {"y": 0}, 1: {"y": 50}, 3: {"y": 1990}}  # block 1 went first
    store.close()


def test_clear_everything_or_one_body(store):
    write(store, [0], body="one")
    write(store, [1], body="two")
    store.begin_run("s", ("m",), "Map", "two", GROUP, 1, None, [])
    assert store.clear(["two"]) == 1 and store.info().elements == 1 and store.info().runs == 0
    assert store.info(["one"]).ok == 1
    assert store.clear() == 1 and store.info().elements == 0 and store.stored_bytes() == 0


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_store_is_set_aside_with_a_warning_and_rebuilt(tmp_path, damage):
    first = ElementStore(tmp_path)
    for start in range(0, 3000, 100):
        write(first, range(start, start + 100))
    first.close()
    path = first.path
    for suffix in ("-wal", "-shm"):
        pathlib.Path(str(path) + suffix).unlink(missing_ok=True)
    if damage == "garbage":
        path.write_bytes(b"this is not a database" * 100)
    else:
        path.write_bytes(path.read_bytes()[:1000])
    warnings: list[str] = []
    again = ElementStore(tmp_path, warn=warnings.append)
    assert served(again, [1]) == {}
    write(again, [5000])
    assert served(again, [5000]) == {0: {"y": 50000}} and not again.disabled
    assert len(warnings) == 1 and "set aside" in warnings[0]
    assert [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    again.close()


def test_a_store_of_an_older_schema_is_set_aside_and_a_new_one_made(tmp_path):
    path = tmp_path / "elements.sqlite3"
    old = sqlite3.connect(path)
    old.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
                      "INSERT INTO meta VALUES ('schema', '2'); INSERT INTO meta VALUES ('bytes', 0);"
                      "CREATE TABLE elements (key BLOB PRIMARY KEY, size INTEGER) WITHOUT ROWID;")
    old.commit()
    old.close()
    warnings: list[str] = []
    store = ElementStore(tmp_path, warn=warnings.append)
    write(store, [1])
    assert served(store, [1]) == {0: {"y": 10}} and not store.disabled
    assert len(warnings) == 1 and "older version (schema 2)" in warnings[0]
    assert [p.name for p in tmp_path.iterdir() if ".schema-2-" in p.name]
    store.close()


def test_an_unusable_store_is_switched_off_with_one_warning(tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the store's directory should be")
    warnings: list[str] = []
    store = ElementStore(blocker, warn=warnings.append)
    assert store.find(GROUP, digests([0])) == []
    write(store, [0])
    assert store.begin_run("s", ("m",), "Map", "b", GROUP, 1, None, []) is None
    assert store.disabled and len(warnings) == 1 and "not used any more" in warnings[0]


def test_processes_making_and_writing_one_store_at_once_lose_nothing(tmp_path):
    """Four processes open the same new store at the same moment (who makes it, who waits: no "damaged" store
    set aside) and write 500 elements each, in 10 blocks."""
    script = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from tests.support.elements import write
from pflow_studio.runtime.element_store.store import ElementStore
warnings = []
store = ElementStore({str(tmp_path)!r}, warn=warnings.append)
part = int(sys.argv[1])
for batch in range(10):
    start = part * 1000 + batch * 50
    write(store, range(start, start + 50))
sys.exit(3 if warnings or store.disabled else 0)
"""
    writers = [subprocess.Popen([sys.executable, "-c", script, str(part)]) for part in range(4)]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0, 0]
    store = ElementStore(tmp_path)
    assert store.info().elements == 2000 and store.info().blocks == 40
    wanted = [part * 1000 + i for part in range(4) for i in range(500)]
    assert len(served(store, wanted)) == 2000
    assert not [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    store.close()
