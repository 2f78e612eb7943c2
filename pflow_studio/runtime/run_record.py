"""Run records: per Map run, per element, where and when it ran and how it ended, as compact JSON.

There is one way to record: `RunRecorder`, an execution-event listener, turns each `items` event of a
Map or Filter that really ran (not served from the cache) into one entry of its `RunRecord`. The CLI
(`--record PATH`, by default `NAME.run.json`) and the app (next to the project, viewable from the Map
node) both use it, and `write` saves the record atomically (temp file + rename). The file is:

    {"format": "pflow-studio-run-record", "version": 2, "maps": [entry, ...]}

    entry = {"path": [container ids..., node id], "label": the node's label,
             "runner": the runner's name ("serial", "cluster"),
             "started": first start of an element run now, "finished": last end of one,
             "total": elements, "failed": elements that failed, "cached": elements served from the element
             store, "not_run": elements not run (the run was stopped, or the cluster failed),
             "elements": columns}
    columns = {"status": one character per element: "o" ok, "f" failed, "c" cached, "-" not run,
               "engine": [[engine id or null, count], ...]   (runs of equal values, in element order),
               "host": [[host, count], ...],
               "time0": Unix seconds all times are counted from (µs precision),
               "took": per element, µs from its start to its end,
               "gaps": {"index": µs, ...}: from the previous element's end (time0 for the first) to this one's
                       start, for the elements where that is not 0,
               "errors": {"index": error, ...} (failed elements only)}

An element's `engine` is the ipyparallel engine id, or null in-process; a `cached` element's engine, host
and times are those of the run that computed it; a not-run element has zeros. Elements of one chunk run
back to back, so most gaps are 0 and a record takes about 3 bytes per trivial element. `entry_items(entry)` gives
the readable per-element listing (one dict per element: index, engine, host, started, finished, status,
error), also of version-1 records, which listed the elements that way.
"""

from __future__ import annotations

import bisect
import itertools
import json
import operator
import os
import pathlib
import threading
import time
from array import array
from collections.abc import Iterable, Sequence
from typing import Any

from pflow_studio.common.atomic_file import write_atomic
from pflow_studio.common.private_files import FILE_MODE, private_directory
from pflow_studio.runtime.element_table import CACHED, FAILED, NO_ENGINE, NOT_RUN, OK, STATUS_NAMES, ElementTable
from pflow_studio.runtime.events import ITEMS, Event

FORMAT = "pflow-studio-run-record"
VERSION = 2


def table_columns(table: ElementTable) -> dict[str, Any]:
    """A Map run's elements as the record's columns (see the module docstring). Made by loops in C where it can
    (a million elements take a fraction of a second)."""
    starts, ends = _micro(table.started), _micro(table.finished)
    time0 = min(itertools.compress(starts, starts), default=0)
    if table.count(NOT_RUN):
        gaps, took = _gaps_with_holes(starts, ends, time0)
    else:
        took = list(map(operator.sub, ends, starts))
        previous = [time0, *ends[:-1]]
        diffs = list(map(operator.sub, starts, previous))
        gaps = {str(index): diffs[index] for index in itertools.compress(range(len(diffs)), diffs)}
    return {"status": table.status.decode("ascii"),
            "engine": [[None if code == NO_ENGINE else code, count] for code, count in _runs(table.engine)],
            "host": [[table.hosts[code], count] for code, count in _runs(table.host_index)],
            "time0": time0 / 1e6, "took": took, "gaps": gaps,
            "errors": {str(index): error for index, (error, _trace) in sorted(table.failures.items())}}


def _micro(seconds: array) -> list[int]:
    """Times in integer µs."""
    return list(map(round, map(operator.mul, seconds, itertools.repeat(1e6))))


def _gaps_with_holes(starts: list[int], ends: list[int], time0: int) -> tuple[dict[str, int], list[int]]:
    """As the gaps and durations of `table_columns`, when some elements did not run (start and end 0): those
    took 0 and leave the previous end as it was."""
    gaps: dict[str, int] = {}
    took = [0] * len(starts)
    previous = time0
    for element, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if not start and not end:
            continue
        if start != previous:
            gaps[str(element)] = start - previous
        took[element] = end - start
        previous = end
    return gaps, took


def _runs(values: Iterable[int]) -> list[tuple[int, int]]:
    """Runs of equal values: [(value, count), ...]."""
    return [(value, len(list(group))) for value, group in itertools.groupby(values)]


def entry_items(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """One dict per element of a record entry (index, engine, host, started, finished, status, error), from
    either version of the format (for a look at a few elements; `RecordColumns` reads one at a time)."""
    if "items" in entry:
        return list(entry["items"])
    columns = RecordColumns(entry)
    return [columns.item(index) for index in range(len(columns))]


class RecordColumns:
    """The elements of a record entry, read one at a time without a dict per element (a viewer's model):
    `item(index)` -> {index, engine, host, started, finished, status, error}. Reads version 1 entries too."""

    def __init__(self, entry: dict[str, Any]) -> None:
        self.items: list[dict[str, Any]] | None = entry.get("items") if "items" in entry else None
        columns = entry.get("elements") or {}
        self.status: str = columns.get("status", "")
        self.errors: dict[str, str] = columns.get("errors", {})
        self._engines = _Runs(columns.get("engine", []))
        self._hosts = _Runs(columns.get("host", []))
        took = columns.get("took", [])
        gaps = columns.get("gaps", {})
        time0 = round(float(columns.get("time0", 0.0)) * 1e6)
        self.started = array("d", bytes(8 * len(self.status)))
        self.finished = array("d", bytes(8 * len(self.status)))
        previous = time0
        for index, (code, micro) in enumerate(zip(self.status, took, strict=False)):
            if code == "-":
                continue
            start = previous + gaps.get(str(index), 0)
            previous = start + micro
            self.started[index], self.finished[index] = start / 1e6, previous / 1e6

    def __len__(self) -> int:
        return len(self.items) if self.items is not None else len(self.status)

    def item(self, index: int) -> dict[str, Any]:
        if self.items is not None:
            return self.items[index]
        code = self.status[index]
        if code == "-":
            return {"index": index, "engine": None, "host": "", "started": 0.0, "finished": 0.0,
                    "status": "not_run", "error": ""}
        return {"index": index, "engine": self._engines.at(index), "host": self._hosts.at(index),
                "started": self.started[index], "finished": self.finished[index],
                "status": STATUS_NAMES.get(ord(code), code), "error": self.errors.get(str(index), "")}

    def engines(self) -> set[int]:
        """The engine ids elements ran on."""
        if self.items is not None:
            return {i.get("engine") for i in self.items if i.get("engine") is not None}
        return {value for value in self._engines.values if value is not None}


class _Runs:
    """Runs of equal values ([[value, count], ...]) looked up by position."""

    def __init__(self, runs: Sequence[Sequence[Any]]) -> None:
        self.values = [value for value, _count in runs]
        self.ends = list(itertools.accumulate(count for _value, count in runs))

    def at(self, index: int) -> Any:
        run = bisect.bisect_right(self.ends, index)
        return self.values[run] if run < len(self.values) else None


class RunRecord:
    """A thread-safe list of Map runs, filled by a `RunRecorder` (see the module docstring)."""

    def __init__(self) -> None:
        self.maps: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def add_table(self, table: ElementTable, *, runner: str, path: tuple[str, ...] = (),
                  label: str = "") -> dict[str, Any]:
        """Append one Map run given the table of its elements (an `items` event's details); returns its entry."""
        now = time.time()
        ran = [i for i, code in enumerate(table.status) if code in (OK, FAILED)]
        entry = {
            "path": list(path), "label": label, "runner": runner,
            "started": min((table.started[i] for i in ran), default=now),
            "finished": max((table.finished[i] for i in ran), default=now),
            "total": table.total, "failed": table.count(FAILED), "cached": table.count(CACHED),
            "not_run": table.count(NOT_RUN), "elements": table_columns(table),
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
    """Write `data` as compact JSON atomically (temp file + rename: a crash leaves no half file), private
    (0600; a missing directory is made 0700)."""
    target = pathlib.Path(path)
    private_directory(target.parent)
    write_atomic(target, json.dumps(data, separators=(",", ":"), allow_nan=False) + "\n", mode=FILE_MODE)
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
            table = event.details.get("table")
            if isinstance(table, ElementTable):
                self.record.add_table(table, runner=event.details.get("runner", ""), path=event.path,
                                      label=self.labels.get(event.node_id, event.node_id))
