"""Run records: a `RunRecorder` turns the `items` events of Maps that ran into entries of one schema,
written atomically as JSON and read back; a file that is not a record is refused by name."""

from __future__ import annotations

import json

import pytest

from pflow_studio.runtime import events as ev
from pflow_studio.runtime import run_record
from pflow_studio.runtime.runners import ItemOutcome


def items_event(outcomes: list[ItemOutcome], *, cached: bool = False) -> ev.Event:
    """The `items` event the executor emits for a Map at path ("group", "map") that ran `outcomes`."""
    return ev.Event(ev.ITEMS, ("group", "map"), cached=cached, done=sum(o.ok for o in outcomes),
                    total=len(outcomes),
                    details={"runner": "cluster", "items": run_record.item_records(outcomes), "failures": []})


def test_run_record_round_trips_as_json(tmp_path):
    recorder = run_record.RunRecorder(labels={"map": "Squares"})
    recorder(items_event([ItemOutcome(0, True, {"y": 1}, engine=3, host="h", started=1.0, finished=2.0),
                          ItemOutcome(1, False, error="boom", engine=4, host="h", started=1.5, finished=2.5)]))
    recorder(items_event([ItemOutcome(0, True, {"y": 1})], cached=True))  # a cached Map ran nothing
    [entry] = recorder.record.maps
    assert entry["failed"] == 1 and entry["started"] == 1.0 and entry["finished"] == 2.5
    assert (entry["path"], entry["label"], entry["runner"], entry["total"]) == (["group", "map"], "Squares",
                                                                                "cluster", 2)
    path = recorder.record.write(tmp_path / "sub" / "run.json")
    data = run_record.read(path)
    assert data == json.loads(json.dumps(recorder.record.to_json()))
    assert data["maps"][0]["items"][1] == {"index": 1, "engine": 4, "host": "h", "started": 1.5,
                                           "finished": 2.5, "status": "failed", "error": "boom"}
    (tmp_path / "other.json").write_text("{}")
    with pytest.raises(ValueError, match="not a pflow-studio run record"):
        run_record.read(tmp_path / "other.json")
