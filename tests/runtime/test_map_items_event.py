"""The `items` event details each failed element (index, input, error, traceback, engine, host),
so listeners can show elements that failed under on_error skip / none."""

from __future__ import annotations

import pytest

from pflow_studio.runtime import events as ev
from tests.support.workflows import map_over, run


@pytest.mark.parametrize("on_error", ["skip", "none", "fail"])
def test_items_event_details_the_failed_elements(registry, on_error):
    wf = map_over("test.square_offset", {"mapped": ["x"], "on_error": on_error}, {"x": [1, 13, 2]})
    events: list[ev.Event] = []
    run(wf, registry, listeners=[events.append])
    [items] = [e for e in events if e.kind == ev.ITEMS]
    assert (items.path, items.done, items.total) == (("map",), 2, 3)
    assert items.details["table"].statuses() == ["ok", "failed", "ok"]
    [failure] = items.details["failures"]
    assert failure["index"] == 1 and failure["input"] == {"x": 13}
    assert "13 is unlucky" in failure["error"] and "NodeError" in failure["traceback"]
    assert {"engine", "host"} <= set(failure)


def test_items_event_has_no_failures_when_all_succeed(registry):
    wf = map_over("test.square_offset", {"mapped": ["x"]}, {"x": [1, 2]})
    events: list[ev.Event] = []
    run(wf, registry, listeners=[events.append])
    [items] = [e for e in events if e.kind == ev.ITEMS]
    assert items.details["failures"] == []


def test_a_cached_map_repeats_its_items_event_and_records_skip_it(registry):
    from pflow_studio.runtime.executor import Executor
    from pflow_studio.runtime.run_record import RunRecorder

    wf = map_over("test.square_offset", {"mapped": ["x"], "on_error": "skip"}, {"x": [1, 3, 2]})  # all succeed:
    # a Map whose elements partly failed is not kept in the node cache (its failed elements run again)
    executor = Executor(registry)  # one executor: its cache serves the second run
    first, second = [], []
    recorder = RunRecorder()
    executor.run(wf, listeners=[first.append, recorder])
    executor.run(wf, listeners=[second.append, recorder])
    [fresh] = [e for e in first if e.kind == ev.ITEMS]
    [replayed] = [e for e in second if e.kind == ev.ITEMS]
    assert not fresh.cached and replayed.cached
    assert (replayed.path, replayed.done, replayed.total, replayed.details) == \
        (fresh.path, fresh.done, fresh.total, fresh.details)
    assert any(e.kind == ev.FINISHED and e.cached and e.path == ("map",) for e in second)
    assert len(recorder.record.maps) == 1  # the cached run ran no element
