"""The hot loop of a Map: run a body over elements, each under its own error capture, into columns.

Engines (`cluster.engine_side.run_chunk`) and the in-process `SerialRunner` both run elements through
`run_elements`, so they fail, time and capture elements the same way. Elements come as `ElementRows`
(the fed ports' values in columns plus the broadcast values, what a client sends an engine) or as any
sequence of bindings dicts. The result is columnar (`Ran`): one list per function output, sparse failures
and printed output by offset, and `stamps` (one more than the elements that ran): element i ran from
`stamps[i]` to `stamps[i+1]`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from pflow_studio.runtime.outcomes import OutputCapture, failed_outcome

Sparse = dict[int, tuple[str, str]]


@dataclasses.dataclass(slots=True)
class ElementRows:
    """Elements as columns: element i binds `names[k]` to `columns[k][i]`, plus every `broadcast` value."""

    names: tuple[str, ...]
    columns: list[Sequence[Any]]
    broadcast: dict[str, Any]

    def __len__(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def __getitem__(self, index: int) -> dict[str, Any]:
        bindings = dict(self.broadcast)
        for name, column in zip(self.names, self.columns, strict=True):
            bindings[name] = column[index]
        return bindings

    def __iter__(self) -> Iterator[dict[str, Any]]:
        broadcast, names = self.broadcast, self.names
        if len(names) == 1 and not broadcast:
            name = names[0]
            return ({name: value} for value in self.columns[0])
        return ({**broadcast, **dict(zip(names, row, strict=True))} for row in zip(*self.columns, strict=True))

    def part(self, start: int, stop: int) -> ElementRows:
        """Elements `start` to `stop` (what one chunk sends)."""
        return ElementRows(self.names, [list(column[start:stop]) for column in self.columns], self.broadcast)


@dataclasses.dataclass(slots=True)
class Ran:
    """What `run_elements` ran (see the module docstring); `names` None: `columns[0]` holds each element's
    whole result (the task's results were not dicts of the same outputs)."""

    names: tuple[str, ...] | None
    columns: list[list[Any]]
    failures: Sparse
    stamps: array
    printed: Sparse

    def __len__(self) -> int:
        return len(self.stamps) - 1


def run_elements(task: Callable[[dict[str, Any]], Any], rows: Iterable[dict[str, Any]], start: int = 0,
                 budget: float | None = None, capture: OutputCapture | None = None) -> Ran:
    """Run `task` on each element of `rows` (element 0 is Map element `start`), stopping after the element
    that uses `budget` seconds up (at least one runs). Every exception fails its element only. Printed output
    is captured by `capture` (already entered by the caller), else by a capture of its own."""
    task, rows = _fed(task, rows)
    values: list[Any] = []
    failures: Sparse = {}
    printed: Sparse = {}
    clock = time.time
    stamps = [clock()]
    deadline = stamps[0] + budget if budget is not None else float("inf")
    keep, stamp = values.append, stamps.append
    same = {}.setdefault  # equal errors and tracebacks become one object: pickled and kept once (a body bug
    #                       fails every element with the same traceback)
    with contextlib.nullcontext(capture) if capture is not None else OutputCapture() as capture:
        take = capture.take
        for bindings in rows:  # the hot loop of a Map over small elements: keep it lean
            try:
                keep(task(bindings))
            except Exception as exc:
                failed = failed_outcome(exc, start + len(values), 0.0)
                failures[len(values)] = (same(failed.error, failed.error), same(failed.traceback, failed.traceback))
                keep(None)
            now = clock()
            stamp(now)
            text = take()
            if text is not None:
                printed[len(values) - 1] = text
            if now >= deadline:
                break
    names, columns = as_columns(values, failures, getattr(task, "output_names", None))
    return Ran(names, columns, failures, array("d", stamps), printed)


def _fed(task: Callable[..., Any], rows: Iterable[Any]) -> tuple[Callable[..., Any], Iterable[Any]]:
    """For elements in columns and a task with a `feeder` (a Map body): its call on value tuples, and the
    tuples (no bindings dict per element); else the task and the rows as they are."""
    feeder = getattr(task, "feeder", None)
    if feeder is None or not isinstance(rows, ElementRows) or not rows.columns:
        return task, rows
    head = tuple(rows.broadcast.values())
    feeds = zip(*rows.columns, strict=True)
    return feeder(tuple(rows.broadcast) + rows.names), (head + row for row in feeds) if head else feeds


def as_columns(values: list[Any], failures: Sparse, names: Sequence[str] | None = None
               ) -> tuple[tuple[str, ...] | None, list[list[Any]]]:
    """Results as one list per output (None where failed) when every result is a dict of exactly those
    outputs (`names`, else the first result's keys); else `(None, [values])`."""
    if names is None:
        first = next((v for i, v in enumerate(values) if i not in failures), None)
        if not isinstance(first, dict):
            return None, [values]
        names = tuple(first)
    names = tuple(names)
    keys = set(names)
    if not all(i in failures or (type(v) is dict and v.keys() == keys) for i, v in enumerate(values)):
        return None, [values]
    if len(names) == 1:
        name = names[0]
        return names, [[None if v is None else v[name] for v in values]]
    return names, [[None if v is None else v[name] for v in values] for name in names]
