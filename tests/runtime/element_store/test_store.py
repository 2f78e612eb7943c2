"""The element store on its own: private files, elements by key (failed ones never served), Map runs and their
items, eviction of the least recently used, clearing, and no crash on a damaged or unusable store."""

from __future__ import annotations

import pathlib
import stat
import subprocess
import sys

import pytest

from pflow_studio.runtime.element_store.records import CACHED, FAILED, NOT_RUN, OK
from pflow_studio.runtime.element_store.store import ElementStore
from tests.support.elements import row
from tests.support.paths import ROOT


@pytest.fixture
def store(tmp_path) -> ElementStore:
    warnings: list[str] = []
    made = ElementStore(tmp_path / "cache", warn=warnings.append)
    made.warnings = warnings
    yield made
    made.close()


def test_the_directory_and_files_are_private(store):
    store.record(None, [row(b"k0")], [])
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    for suffix in ("", "-wal", "-shm"):
        file = store.path.with_name(store.path.name + suffix)
        assert file.exists() and stat.S_IMODE(file.stat().st_mode) == 0o600, file


def test_recall_serves_stored_successes_by_position_and_never_a_failure(store):
    store.record(None, [row(b"a", 0), row(b"b", 1, ok=False), row(b"c", 2, value="three")], [])
    found = store.recall([b"c", b"b", None, b"a", b"zz", b"a"])
    assert sorted(found) == [0, 3, 5]
    assert found[0].value == {"y": "three"} and found[3].value == {"y": 0} and found[5] is found[3]
    assert (found[0].engine, found[0].host, found[0].stdout) == (1, "h", "out 2")


def test_a_map_run_lists_its_items_with_filters_sorting_search_and_details(store):
    run = store.begin_run("/p.pflow", ("m",), "Map", "body", 5, None, [(0, b"a")])
    store.record(run, [row(b"b", 1), row(b"c", 2, ok=False)], [(1, b"b", OK), (2, b"c", FAILED)])
    store.finish_run(run, "cancelled", [(3, b"d"), (4, None)])
    info = store.last_run("/p.pflow", ("m",))
    assert (info.id, info.label, info.total, info.state) == (run, "Map", 5, "cancelled")
    assert info.counts == {"ok": 1, "failed": 1, "cached": 1, "not_run": 2}
    items = store.run_items(run)
    assert [(i.index, i.status) for i in items] == [(0, "cached"), (1, "ok"), (2, "failed"), (3, "not_run"),
                                                    (4, "not_run")]
    assert (items[1].input_text, items[1].preview, items[1].duration) == ("1", "10", 1.5)
    assert not items[0].stored and items[1].stored  # 'a' was never written here
    assert [i.index for i in store.run_items(run, statuses=[FAILED, NOT_RUN])] == [2, 3, 4]
    assert [i.index for i in store.run_items(run, order="status", descending=True)][:2] == [3, 4]
    assert [i.index for i in store.run_items(run, search="bad")] == [2]
    assert store.count_items(run, statuses=[OK, CACHED]) == 2
    assert [i.index for i in store.run_items(run, offset=1, limit=2)] == [1, 2]
    detail = store.element(b"c")
    assert (detail.status, detail.inputs, detail.outputs, detail.error) == ("failed", {"x": 2}, None, "ValueError: bad")


def test_only_the_last_runs_of_a_map_are_remembered(store):
    runs = [store.begin_run("s", ("m",), "Map", "body", 1, None, []) for _ in range(5)]
    assert store.last_run("s", ("m",)).id == runs[-1]
    assert store.run_items(runs[0]) == [] and store.info().runs == 3


def test_eviction_drops_the_least_recently_used_down_to_nine_tenths(tmp_path):
    store = ElementStore(tmp_path, max_bytes=10_000)
    for i in range(20):
        store.record(None, [row(bytes([i]), i, used=float(i))], [])
    size = store.stored_bytes()
    assert size == sum(r[15] for r in (row(bytes([i]), i) for i in range(20)))
    store.recall([bytes([0])])  # used now: the newest
    store.max_bytes = size // 2
    dropped = store.evict()
    assert dropped > 0 and store.stored_bytes() <= 0.9 * store.max_bytes
    assert 0 in store.recall([bytes([0])]) and store.recall([bytes([1])]) == {}
    store.close()


def test_clear_everything_or_one_body(store):
    store.record(None, [row(b"a", body="one"), row(b"b", body="two")], [])
    store.begin_run("s", ("m",), "Map", "two", 1, None, [])
    assert store.clear(["two"]) == 1 and store.info().elements == 1 and store.info().runs == 0
    assert store.info(["one"]).ok == 1
    assert store.clear() == 1 and store.info().elements == 0 and store.stored_bytes() == 0


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_store_is_set_aside_with_a_warning_and_rebuilt(tmp_path, damage):
    first = ElementStore(tmp_path)
    first.record(None, [row(i.to_bytes(2, 'big'), i) for i in range(300)], [])
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
    assert again.recall([(1).to_bytes(2, 'big')]) == {}
    again.record(None, [row(b"new")], [])
    assert 0 in again.recall([b"new"]) and not again.disabled
    assert len(warnings) == 1 and "set aside" in warnings[0]
    assert [p.name for p in tmp_path.iterdir() if ".damaged-" in p.name]
    again.close()


def test_an_unusable_store_is_switched_off_with_one_warning(tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the store's directory should be")
    warnings: list[str] = []
    store = ElementStore(blocker, warn=warnings.append)
    assert store.recall([b"a"]) == {}
    store.record(None, [row(b"a")], [])
    assert store.begin_run("s", ("m",), "Map", "b", 1, None, []) is None
    assert store.disabled and len(warnings) == 1 and "not used any more" in warnings[0]


def test_processes_making_and_writing_one_store_at_once_lose_nothing(tmp_path):
    """Four processes open the same new store at the same moment (who makes it, who waits: no "damaged" store
    set aside) and write 500 elements each."""
    script = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from tests.support.elements import row
from tests.support.paths import ROOT
from pflow_studio.runtime.element_store.store import ElementStore
warnings = []
store = ElementStore({str(tmp_path)!r}, warn=warnings.append)
part = int(sys.argv[1])
for batch in range(10):
    store.record(None, [row(bytes([part, batch, i]), i) for i in range(50)], [])
sys.exit(3 if warnings or store.disabled else 0)
"""
    writers = [subprocess.Popen([sys.executable, "-c", script, str(part)]) for part in range(4)]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0, 0]
    store = ElementStore(tmp_path)
    assert store.info().elements == 2000
    assert len(store.recall([bytes([part, batch, i]) for part in range(4) for batch in range(10)
                             for i in range(50)])) == 2000
    assert not [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    store.close()
