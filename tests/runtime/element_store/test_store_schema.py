"""The element store's schema at work: the byte total kept exact per transaction (writes, eviction,
clearing), a Map's blocks found by their key group, what one block row costs, and its packed times."""

from __future__ import annotations

from array import array

from pflow_studio.runtime.element_store.blocks import block_row
from pflow_studio.runtime.element_store.store import ElementStore
from tests.support import elements
from tests.support.elements import GROUP, write


def test_the_byte_total_follows_writes_evictions_and_clearing(tmp_path):
    store = ElementStore(tmp_path)
    write(store, [0, 1], failed=[0])
    write(store, [0], values={0: "a much longer value than the error it replaces " * 4})
    db = store._db()
    assert store.stored_bytes() == db.execute("SELECT sum(size) FROM blocks").fetchone()[0]
    assert store.info().elements == 3 and store.info().ok == 2 and store.info().blocks == 2
    store.max_bytes = 1
    assert store.evict() == 3 and store.stored_bytes() == 0
    write(store, [5])
    store.clear(["body"])
    assert store.stored_bytes() == 0
    store.close()


def test_a_map_group_is_found_by_its_blocks(tmp_path):
    store = ElementStore(tmp_path)
    assert not store.holds_group(GROUP)
    write(store, [0], failed=[0], group=b"group-01")
    write(store, [1], group=b"group-02")
    assert store.holds_group(b"group-01") and store.holds_group(b"group-02")  # failed elements count too
    assert not store.holds_group(b"group-00") and not store.holds_group(b"group-03")
    store.close()


def test_a_block_of_plain_elements_costs_a_few_dozen_bytes_each(tmp_path):
    store = ElementStore(tmp_path)
    write(store, range(4096), values={i: i * 0.5 for i in range(4096)})
    assert store.stored_bytes() / 4096 < 60  # digest 12, status 1, times 8, value ~9, input ~5, printed ~10
    store.close()


def test_times_are_kept_to_the_microsecond_near_the_newest_start(tmp_path):
    """Start times are float32 offsets from the block's newest start: an element that failed without running
    (its times 0) beside ones that ran does not blur theirs."""
    store = ElementStore(tmp_path)
    now = 1_764_000_000.0
    block = elements.block([0, 1, 2], failed=[0])
    block.started[:] = array("d", [0.0, now, now + 0.25])
    block.finished[:] = array("d", [0.0, now + 3e-6, now + 0.5])
    row = block_row(GROUP, "body", block, elements.digests([0, 1, 2]), [], (("x",), [[0, 1, 2]]), now)
    run = store.begin_run("s", ("m",), "Map", "body", GROUP, 3, None, [])
    store.write_blocks(run, [(row, range(3), bytes([2, 1, 1]))])
    items = store.run_items(run)
    assert abs(items[1].started - now) < 1e-6 and abs(items[1].duration - 3e-6) < 5e-7  # (float64: 0.24 µs steps)
    assert abs(items[2].started - now - 0.25) < 1e-6 and abs(items[2].duration - 0.25) < 1e-7
    store.close()
