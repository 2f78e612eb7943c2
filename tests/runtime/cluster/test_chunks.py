"""The cluster runner's pure parts, in-process: chunk sizing, element encoding, the engine-side
body cache and chunk runner, and the one decoder of a chunk's result."""

from __future__ import annotations

import pickle
import threading
import time
from array import array

import cloudpickle
import pytest

from pflow_studio.runtime.cluster import engine_side
from pflow_studio.runtime.cluster.chunks import PROBE_BUDGET, PROBE_BYTES, TARGET, ChunkSizer, encode_chunk, probe_limit
from pflow_studio.runtime.element_loop import Ran


def test_unknown_cost_probes_with_each_engines_share_under_a_budget():
    sizer = ChunkSizer()
    assert sizer.next_size(2000, 2) == 1000 and sizer.budget(1000) == PROBE_BUDGET
    assert sizer.next_size(1000, 2) == 1000  # the probe share is kept until a cost is measured
    assert ChunkSizer(max_probe=30).next_size(2000, 2) == 30


def test_probe_limit_bounds_the_bytes_a_probe_sends():
    assert probe_limit([{"x": 1}] * 10, 0) > 10_000
    assert probe_limit([b"x" * (PROBE_BYTES // 4)] * 10, 0) == 3


def test_sized_chunks_get_a_budget_that_only_a_wrong_estimate_reaches():
    sizer = ChunkSizer(cost=0.01)
    assert sizer.budget(25) == pytest.approx(1.0)
    assert sizer.budget(1) == TARGET
    assert ChunkSizer(5).budget(5) is None


def test_trivial_elements_are_split_evenly_once_per_engine():
    sizer = ChunkSizer()
    sizer.observe(4, 4e-5)
    assert sizer.next_size(1996, 2) == 998
    assert sizer.next_size(998, 2) == 998  # the even share is kept


def test_heavy_elements_get_small_chunks_that_shrink_towards_the_end():
    sizer = ChunkSizer(cost=0.01)
    sizes, remaining = [], 1000
    while remaining:
        size = sizer.next_size(remaining, 2)
        sizes.append(size)
        remaining -= size
    assert max(sizes) <= 25 and sizes == sorted(sizes, reverse=True) and sizes[-1] == 1


def test_quarter_second_elements_run_one_per_chunk():
    assert ChunkSizer(cost=0.25).next_size(16, 2) == 1


def test_fixed_chunksize_wins_and_must_be_positive():
    assert ChunkSizer(7, cost=1e-6).next_size(100, 2) == 7
    assert ChunkSizer(7).next_size(3, 2) == 3
    with pytest.raises(ValueError, match="at least 1"):
        ChunkSizer(0)


def test_encode_chunk_splits_around_unsendable_elements():
    items = [{"x": 0}, {"x": threading.Lock()}, {"x": 2}, {"x": 3}, {"x": threading.Lock()}]
    runs, bad = encode_chunk(items, 0, 5)
    assert [(start, pickle.loads(payload), size) for start, payload, size in runs] == [
        (0, [{"x": 0}], 1), (2, [{"x": 2}, {"x": 3}], 2)]
    assert [b.index for b in bad] == [1, 4]
    assert "element 1 cannot be sent to an engine: TypeError" in bad[0].error


def test_engine_side_runs_each_element_under_its_own_capture():
    def body(bindings):
        if bindings["x"] == 1:
            raise ValueError("one")
        return {"y": bindings["x"] + 10}

    blob = cloudpickle.dumps(body)
    digest = engine_side.store_body("digest-a", blob)
    result = engine_side.run_chunk(digest, 5, cloudpickle.dumps([{"x": 0}, {"x": 1}, {"x": 2}]))
    decoded = engine_side.decode_result(result, 5, engine=3)
    outcomes = decoded.outcomes
    assert [(o.index, o.ok, o.value, o.error) for o in outcomes] == [
        (5, True, {"y": 10}, ""), (6, False, None, "ValueError: one"), (7, True, {"y": 12}, "")]
    assert "ValueError: one" in outcomes[1].traceback
    assert all(o.engine == 3 and o.host == engine_side.HOST for o in outcomes)
    assert all(o.started <= o.finished for o in outcomes)
    assert outcomes[0].finished == outcomes[1].started  # one clock reading between elements
    assert decoded.seconds == pytest.approx(outcomes[-1].finished - outcomes[0].started)
    assert engine_side.run_chunk("unknown", 0, b"") == engine_side.MISSING


def test_engine_side_stores_a_carried_body_and_stops_at_the_budget():
    def slow(bindings):
        time.sleep(0.02)
        return bindings

    blob = cloudpickle.dumps(slow)
    payload = cloudpickle.dumps([{"x": i} for i in range(50)])
    outcomes = engine_side.decode_result(engine_side.run_chunk("carried", 0, payload, blob, budget=0.05), 0).outcomes
    assert engine_side.has_body("carried")
    assert 2 <= len(outcomes) < 10 and [o.value for o in outcomes] == [{"x": i} for i in range(len(outcomes))]
    one = engine_side.run_chunk("carried", 0, cloudpickle.dumps([{}]), budget=0.0)
    assert len(engine_side.decode_result(one, 0).outcomes) == 1


def test_engine_side_unsendable_result_fails_only_its_row():
    result = engine_side.dump_result(Ran(None, [[1, threading.Lock()]], {}, array("d", [0.0, 1.0, 2.0]), {}), 10)
    back = engine_side.decode_result(result, 10).outcomes
    assert (back[0].index, back[0].ok, back[0].value) == (10, True, 1)
    assert back[1].ok is False and "result of element 11 cannot be sent back" in back[1].error
    assert (back[1].started, back[1].finished) == (1.0, 2.0)


def test_engine_side_body_that_cannot_load_fails_every_row():
    engine_side.store_body("broken", b"not a pickle")
    outcomes = engine_side.decode_result(engine_side.run_chunk("broken", 0, cloudpickle.dumps([{}, {}])), 0).outcomes
    assert [o.ok for o in outcomes] == [False, False]
    assert outcomes[0].error.startswith("the Map body cannot be loaded on this engine")


def test_engine_side_keeps_a_bounded_number_of_bodies():
    for i in range(engine_side.KEEP + 5):
        engine_side.store_body(f"bulk-{i}", b"x")
    assert len(engine_side._BLOBS) == engine_side.KEEP and engine_side.has_body(f"bulk-{engine_side.KEEP + 4}")

