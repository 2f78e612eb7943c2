"""The `items` event details each failed element (index, input, error, traceback, engine, host),
so listeners can show elements that failed under on_error skip / none."""

from __future__ import annotations

import pytest

from pflow_studio.runtime import events as ev
from tests.runtime.test_map import map_over, run


@pytest.mark.parametrize("on_error", ["skip", "none", "fail"])
def test_items_event_details_the_failed_elements(registry, on_error):
    wf = map_over("test.square_offset", {"mapped": ["x"], "on_error": on_error}, {"x": [1, 13, 2]})
    events: list[ev.Event] = []
    run(wf, registry, listeners=[events.append])
    [items] = [e for e in events if e.kind == ev.ITEMS]
    assert (items.path, items.done, items.total) == (("map",), 2, 3)
    assert [i["status"] for i in items.details["items"]] == ["ok", "failed", "ok"]
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
