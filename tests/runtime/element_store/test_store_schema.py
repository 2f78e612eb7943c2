"""The element store's schema at work: the byte total kept exact per transaction (writes, eviction,
clearing), a Map's blocks found by their key group, and what one block row costs."""

from __future__ import annotations

from pflow_studio.runtime.element_store.store import ElementStore
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
