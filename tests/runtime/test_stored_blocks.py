"""Maps against the element store by block: a rerun of the same inputs serves whole blocks, a reordered, grown
or partly changed list still finds each stored element by key, and 200,000 elements make the round trip."""

from __future__ import annotations

import time
from array import array

import pytest

from pflow_studio.runtime import map_elements
from pflow_studio.runtime.element_loop import ElementRows
from pflow_studio.runtime.element_store.store import ElementStore
from pflow_studio.runtime.element_table import OutcomeBlock
from pflow_studio.runtime.stored_elements import StoreBinding
from tests.runtime.test_stored_elements import run, square_map, statuses
from tests.support.nodes import CALLS


@pytest.fixture
def binding(tmp_path, monkeypatch):
    monkeypatch.setattr(map_elements, "BLOCK_ELEMENTS", 16)  # many blocks from a small Map
    store = ElementStore(tmp_path / "store")
    yield StoreBinding(store, scope="project")
    store.close()


def served_parts(binding) -> list[tuple]:
    """(served from a whole block, Map indices packed as one run) of each served part of the Map's last run."""
    run_id = binding.store.last_run("project", ("map",)).id
    return binding.store._db().execute(
        "SELECT offsets IS NULL, length(at) = 16 FROM run_parts WHERE run = ? AND status = ? ORDER BY seq",
        (run_id, bytes([3]))).fetchall()


def test_the_same_inputs_in_the_same_order_are_served_block_by_block(registry, binding):
    values = list(range(20, 120))  # (13 would fail)
    run(square_map(values), registry, binding)
    CALLS.clear()
    result, items, _ = run(square_map(values), registry, binding)
    assert CALLS == {} and statuses(items) == ["cached"] * 100
    assert result.outputs["map"]["y"] == [x * x for x in values]
    parts = served_parts(binding)
    assert len(parts) == 7 and all(whole and one_run for whole, one_run in parts)  # 100 = 6 x 16 + 4


@pytest.mark.parametrize("change", ["reordered", "grown", "one changed", "prepended"])
def test_other_inputs_still_find_each_stored_element(registry, binding, change):
    values = [float(x) for x in range(20, 80)]
    run(square_map(values), registry, binding)
    again = {"reordered": values[::-1], "grown": [*values, 100.0, 101.0],
             "one changed": [*values[:30], -1.0, *values[31:]], "prepended": [-5.0, *values]}[change]
    CALLS.clear()
    result, items, _ = run(square_map(again), registry, binding)
    new = [x for x in again if x not in values]
    assert CALLS == ({"test.square_offset": len(new)} if new else {})
    assert statuses(items) == ["ok" if x in new else "cached" for x in again]
    assert result.outputs["map"]["y"] == [x * x for x in again]
    CALLS.clear()
    assert statuses(run(square_map(again), registry, binding)[1]) == ["cached"] * len(again) and CALLS == {}


def test_a_rerun_after_a_rerun_serves_from_the_blocks_the_first_run_wrote(registry, binding):
    run(square_map([1, 2, 3]), registry, binding)
    run(square_map([1, 2, 3]), registry, binding)
    CALLS.clear()
    assert statuses(run(square_map([1, 2, 3, 4]), registry, binding)[1]) == ["cached"] * 3 + ["ok"]
    assert binding.store.info().elements == 4 and CALLS == {"test.square_offset": 1}


def test_two_hundred_thousand_elements_make_the_round_trip(tmp_path):
    """Written with `MapElements` as a Map run does (blocks as a runner reports them), then recalled."""
    count = 200_000
    store = ElementStore(tmp_path)
    rows = ElementRows(("x",), [list(range(count))], {})
    prefix = bytes(range(32))
    first = map_elements.MapElements(store, prefix, rows, ["x"])
    first.begin("s", ("m",), "Map", "body", None)
    for start in range(0, count, 25_000):
        size = min(25_000, count - start)
        started = array("d", [float(i) for i in range(start, start + size)])
        block = OutcomeBlock(start, ("y",), [[i * 0.5 for i in range(start, start + size)]], started,
                             array("d", [t + 0.25 for t in started]), {3: ("ValueError: no", "")}, {}, 1, "h")
        first.record(block, range(start, start + size))
    first.finish("failed", [])
    store.sync()
    assert store.info().elements == count and store.info().ok == count - 8
    again = map_elements.MapElements(store, prefix, rows, ["x"])
    began = time.perf_counter()
    again.recall()
    served = again.served
    assert len(served) == count - 8 and all(isinstance(at, range) for _, at in served.blocks)  # (the table's quick way)
    values = [None] * count
    for block, at in served.blocks:
        for offset, index in enumerate(at):
            values[index] = block.value(offset)["y"]
    assert values == [None if i % 25_000 == 3 else i * 0.5 for i in range(count)]
    assert list(served.pending(count)) == [start + 3 for start in range(0, count, 25_000)]
    assert time.perf_counter() - began >= 0  # (not timed: the bench measures it)
    store.close()
