"""Run records: per Map run, per element, where and when it ran and how it ended, as plain JSON.

There is one way to record: `RunRecorder`, an execution-event listener, turns each `items` event of a
Map or Filter that really ran (not served from the cache) into one entry of its `RunRecord`. The CLI
(`--record PATH`, by default `NAME.run.json`) and the app (next to the project, viewable from the Map
node) both use it, and `write` saves the record atomically (temp file + rename), as compact JSON. The file is:

    {"format": "pflow-studio-run-record", "version": 1, "maps": [entry, ...]}

    entry = {"path": [container ids..., node id], "label": the node's label,
             "runner": the runner's name ("serial", "cluster"),
             "started": first start of an element run now, "finished": last end of one,
             "total": elements, "failed": elements that failed, "cached": elements served from the element
             store, "not_run": elements not run (the run was stopped, or the cluster failed),
             "items": [item, ...]}
    item  = {"index", "engine", "host", "started", "finished", "status", "error"}

Times are Unix seconds; `engine` is the ipyparallel engine id, or None in-process; `status` is "ok",
"failed", "cached" (its engine, host and times are those of the run that computed it) or "not_run";
`error` is empty unless it failed. `item_records` makes the items from a runner's outcomes (the
executor puts them in the `items` event).
"""

from __future__ import annotations

import json
import os
import pathlib
import threading
import time
from collections.abc import Iterable
from typing import Any

from pflow_studio.common.atomic_file import write_atomic
from pflow_studio.runtime.events import ITEMS, Event
from pflow_studio.runtime.runners import ItemOutcome

FORMAT = "pflow-studio-run-record"
VERSION = 1


def item_records(outcomes: Iterable[ItemOutcome | None], start: int = 0) -> list[dict[str, Any]]:
    """One JSON-able dict per element, in the order given (None: element `start + position` did not run)."""
    return [
        {"index": start + position, "engine": None, "host": "", "started": 0.0, "finished": 0.0,
         "status": "not_run", "error": ""} if o is None else
        {"index": o.index, "engine": o.engine, "host": o.host, "started": o.started, "finished": o.finished,
         "status": _status(o), "error": "" if o.ok else o.error}
        for position, o in enumerate(outcomes)
    ]


def _status(outcome: ItemOutcome) -> str:
    if outcome.cached:
        return "cached"
    return "ok" if outcome.ok else "failed"


class RunRecord:
    """A thread-safe list of Map runs, filled by a `RunRecorder` (see the module docstring)."""

    def __init__(self) -> None:
        self.maps: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def add_items(self, items: list[dict[str, Any]], *, runner: str, path: tuple[str, ...] = (),
                  label: str = "") -> dict[str, Any]:
        """Append one Map run given its element records (an `items` event's details); returns its entry."""
        now = time.time()
        ran = [i for i in items if i["status"] in ("ok", "failed")]
        counts = {status: sum(1 for i in items if i["status"] == status) for status in ("failed", "cached", "not_run")}
        entry = {
            "path": list(path), "label": label, "runner": runner,
            "started": min((i["started"] for i in ran), default=now),
            "finished": max((i["finished"] for i in ran), default=now),
            "total": len(items), **counts, "items": items,
        }
        with self._lock:
            self.maps.append(entry)
        return entry

    def to_json(self) -> dict[str, Any]:
        """The whole record as a JSON-able dict (the file's content)."""
        with self._lock:
            return {"format": FORMAT, "version": VERSION, "maps": list(self.maps)}

    def write(self, path: str | os.PathLike[str]) -> pathlib.Path:
        """Write the record as JSON at `path` (atomically); returns the path."""
        return write_json(path, self.to_json())


def write_json(path: str | os.PathLike[str], data: Any) -> pathlib.Path:
    """Write `data` as compact JSON atomically (temp file + rename: a crash leaves no half file). Compact: a
    record holds one entry per element, and indenting them took longer than the run of trivial elements."""
    target = pathlib.Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, json.dumps(data, separators=(",", ":"), allow_nan=False) + "\n")
    return target


def read(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Load a record written by `write`; raises ValueError naming the problem if it is not one."""
    data = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{path}: not a pflow-studio run record")
    return data


class RunRecorder:
    """An execution-event listener that fills a `RunRecord` with every Map/Filter run of a workflow
    run (`items` events), naming each by its path and the label `labels` gives its node id."""

    def __init__(self, record: RunRecord | None = None, labels: dict[str, str] | None = None) -> None:
        self.record = record if record is not None else RunRecord()
        self.labels = labels or {}

    def __call__(self, event: Event) -> None:
        if event.kind == ITEMS and not event.cached and isinstance(event.details, dict):
            self.record.add_items(event.details.get("items", []), runner=event.details.get("runner", ""),
                                  path=event.path, label=self.labels.get(event.node_id, event.node_id))
