"""Run records: a `RunRecorder` turns the `items` events of Maps that ran into entries of one schema (the
elements in compact columns), written atomically as JSON and read back as one dict per element; a file that
is not a record is refused by name; version-1 records (one dict per element) still read."""

from __future__ import annotations

import json

import pytest

from pflow_studio.runtime import events as ev
from pflow_studio.runtime import run_record
from pflow_studio.runtime.element_table import ElementTable, OutcomeBlock
from pflow_studio.runtime.outcomes import ItemOutcome


def items_event(outcomes: list[ItemOutcome | None], *, cached: bool = False) -> ev.Event:
    """The `items` event the executor emits for a Map at path ("group", "map") that ran `outcomes` (None: an
    element that did not run)."""
    table = ElementTable(len(outcomes), ("y",))
    for index, outcome in enumerate(outcomes):
        if outcome is not None:
            table.add(OutcomeBlock.of_outcomes([outcome], index))
    return ev.Event(ev.ITEMS, ("group", "map"), cached=cached, done=table.ok, total=table.total,
                    details={"runner": "cluster", "table": table, "failures": []})


def test_run_record_round_trips_as_json(tmp_path):
    recorder = run_record.RunRecorder(labels={"map": "Squares"})
    recorder(items_event([ItemOutcome(0, True, {"y": 1}, engine=3, host="h", started=1.0, finished=2.0),
                          ItemOutcome(1, False, error="boom", engine=4, host="h", started=1.5, finished=2.5),
                          None, ItemOutcome(3, True, {"y": 2}, host="other", started=0.5, finished=0.75, cached=True)]))
    recorder(items_event([ItemOutcome(0, True, {"y": 1})], cached=True))  # a cached Map ran nothing
    [entry] = recorder.record.maps
    assert (entry["failed"], entry["cached"], entry["not_run"]) == (1, 1, 1)
    assert entry["started"] == 1.0 and entry["finished"] == 2.5
    assert (entry["path"], entry["label"], entry["runner"], entry["total"]) == (["group", "map"], "Squares",
                                                                                "cluster", 4)
    path = recorder.record.write(tmp_path / "sub" / "run.json")
    data = run_record.read(path)
    assert data == json.loads(json.dumps(recorder.record.to_json())) and data["version"] == 2
    assert run_record.entry_items(data["maps"][0]) == [
        {"index": 0, "engine": 3, "host": "h", "started": 1.0, "finished": 2.0, "status": "ok", "error": ""},
        {"index": 1, "engine": 4, "host": "h", "started": 1.5, "finished": 2.5, "status": "failed", "error": "boom"},
        {"index": 2, "engine": None, "host": "", "started": 0.0, "finished": 0.0, "status": "not_run", "error": ""},
        {"index": 3, "engine": None, "host": "other", "started": 0.5, "finished": 0.75, "status": "cached",
         "error": ""}]
    (tmp_path / "other.json").write_text("{}")
    with pytest.raises(ValueError, match="not a pflow-studio run record"):
        run_record.read(tmp_path / "other.json")


def test_a_record_takes_a_few_bytes_per_element_and_keeps_times_to_the_microsecond(tmp_path):
    table = ElementTable(100_000, ("y",))
    stamps = [1_700_000_000.0 + i * 3e-6 for i in range(100_001)]
    for start in range(0, 100_000, 25_000):  # four chunks, two engines
        block = OutcomeBlock.of_outcomes([ItemOutcome(i, True, {"y": i}, engine=start // 25_000 % 2, host="h",
                                                      started=stamps[i], finished=stamps[i + 1])
                                          for i in range(start, start + 25_000)])
        table.add(block)
    record = run_record.RunRecord()
    record.add_table(table, runner="cluster")
    path = record.write(tmp_path / "run.json")
    assert path.stat().st_size < 4 * 100_000
    items = run_record.entry_items(run_record.read(path)["maps"][0])
    assert [item["engine"] for item in items[24_999:25_001]] == [0, 1]
    assert all(abs(item["started"] - stamps[i]) < 1e-6 and abs(item["finished"] - stamps[i + 1]) < 1e-6
               for i, item in enumerate(items))


def test_a_version_1_record_still_lists_its_elements():
    item = {"index": 0, "engine": 1, "host": "h", "started": 1.0, "finished": 2.0, "status": "ok", "error": ""}
    assert run_record.entry_items({"total": 1, "items": [item]}) == [item]
