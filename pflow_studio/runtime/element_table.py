"""A Map's element outcomes in columns: `OutcomeBlock` (contiguous elements, as a runner reports them) and
`ElementTable` (every element of one Map run).

A Map over a million trivial elements must not make a million Python objects besides its results: outcomes
travel and are kept as columns. One list per function output holds the values (None where the element
failed: these lists become the Map's output lists), one byte per element its status, two float arrays when
it ran, one small int per element its engine and one its host; errors, tracebacks and printed output are
sparse (by offset or index). `ItemOutcome`s are made only when one element is looked at (`table[i]`).

Status bytes: `OK` ran now and succeeded, `FAILED` ran now and failed, `CACHED` served from the element store,
`NOT_RUN` did not run (the run was stopped or failed first).
"""

from __future__ import annotations

import dataclasses
from array import array
from collections.abc import Iterator, Sequence
from typing import Any

from pflow_studio.runtime.outcomes import ItemOutcome

OK, FAILED, CACHED, NOT_RUN = b"o"[0], b"f"[0], b"c"[0], b"-"[0]
STATUS_NAMES = {OK: "ok", FAILED: "failed", CACHED: "cached", NOT_RUN: "not_run"}
NO_ENGINE = -1

Sparse = dict[int, tuple[str, str]]
"""By offset (in a block) or index (in a table): (error, traceback) of failures, (stdout, stderr) of prints."""


@dataclasses.dataclass(slots=True, eq=False)
class OutcomeBlock:
    """The outcomes of contiguous elements from `start`: `columns[k][i]` is output `names[k]` of element
    `start + i` (None where it failed); with `names` None there is one column holding each element's dict of
    outputs. Element i ran from `started[i]` to `finished[i]`, on `engine`/`host` (or `engines[i]`/`hosts[i]`
    when they differ per element, as in a block served from the store)."""

    start: int
    names: tuple[str, ...] | None
    columns: list[list[Any]]
    started: array
    finished: array
    failures: Sparse = dataclasses.field(default_factory=dict)
    printed: Sparse = dataclasses.field(default_factory=dict)
    engine: int | None = None
    host: str = ""
    cached: bool = False
    engines: Sequence[int | None] | None = None
    hosts: Sequence[str] | None = None

    def __len__(self) -> int:
        return len(self.started)

    def value(self, offset: int) -> Any:
        """Element `start + offset`'s dict of outputs (None if it failed)."""
        if offset in self.failures:
            return None
        if self.names is None:
            return self.columns[0][offset]
        return {name: column[offset] for name, column in zip(self.names, self.columns, strict=True)}

    def engine_of(self, offset: int) -> int | None:
        return self.engines[offset] if self.engines is not None else self.engine

    def host_of(self, offset: int) -> str:
        return self.hosts[offset] if self.hosts is not None else self.host

    def outcome(self, offset: int, index: int | None = None) -> ItemOutcome:
        """Element `start + offset` as one `ItemOutcome` (numbered `index` if given)."""
        failure = self.failures.get(offset)
        stdout, stderr = self.printed.get(offset, ("", ""))
        return ItemOutcome(self.start + offset if index is None else index, failure is None, self.value(offset),
                           failure[0] if failure else "", failure[1] if failure else "", self.engine_of(offset),
                           self.host_of(offset), self.started[offset], self.finished[offset], stdout, stderr,
                           self.cached)

    def outcomes(self) -> list[ItemOutcome]:
        """Every element as an `ItemOutcome` (for a look at few elements: tests, small Maps)."""
        return [self.outcome(offset) for offset in range(len(self))]

    @classmethod
    def of_outcomes(cls, outcomes: Sequence[ItemOutcome], start: int | None = None) -> OutcomeBlock:
        """One block holding `outcomes` (element `start + i` is `outcomes[i]`; `start`: the first one's index).
        Values stay one dict per element (`names` None); engines and hosts are kept per element."""
        first = outcomes[0].index if start is None and outcomes else start or 0
        return cls(first, None, [[o.value if o.ok else None for o in outcomes]],
                   array("d", [o.started for o in outcomes]), array("d", [o.finished for o in outcomes]),
                   {i: (o.error, o.traceback) for i, o in enumerate(outcomes) if not o.ok},
                   {i: (o.stdout, o.stderr) for i, o in enumerate(outcomes) if o.stdout or o.stderr},
                   cached=bool(outcomes) and all(o.cached for o in outcomes),
                   engines=[o.engine for o in outcomes], hosts=[o.host for o in outcomes])


class ElementTable(Sequence[ItemOutcome | None]):
    """Every element of one Map run in columns (see the module docstring): `table[i]` is element i's
    `ItemOutcome`, or None while it has not run. `names` are the function's outputs."""

    def __init__(self, total: int, names: Sequence[str] = ()) -> None:
        self.total = total
        self.names = tuple(names)
        self.columns: dict[str, list[Any]] = {name: [None] * total for name in self.names}
        self.dicts: list[Any] | None = None  # one dict of outputs per element, for blocks without names
        self.status = bytearray([NOT_RUN]) * total
        self.started = array("d", bytes(8 * total))
        self.finished = array("d", bytes(8 * total))
        self.engine = array("i", [NO_ENGINE]) * total
        self.host_index = array("H", [0]) * total
        self.hosts: list[str] = [""]
        self.failures: Sparse = {}
        self.printed: Sparse = {}

    # -- filling -------------------------------------------------------------------------------------------

    def add(self, block: OutcomeBlock, at: Sequence[int] | None = None) -> None:
        """Take in a block; its element i is this table's element `at[i]` (default `block.start + i`)."""
        size = len(block)
        if not size:
            return
        if at is None or (isinstance(at, range) and at.step == 1):
            first = block.start if at is None else at.start
            self._add_run(block, first, size)
            return
        for offset, index in enumerate(at):
            self._add_one(block, offset, index)

    def _add_run(self, block: OutcomeBlock, first: int, size: int) -> None:
        stop = first + size
        self._put_values(block, slice(first, stop))
        status = CACHED if block.cached else OK
        self.status[first:stop] = bytes([status]) * size
        self.started[first:stop] = block.started
        self.finished[first:stop] = block.finished
        if block.engines is None:
            self.engine[first:stop] = array("i", [_engine_code(block.engine)]) * size
            self.host_index[first:stop] = array("H", [self._host_code(block.host)]) * size
        else:
            self.engine[first:stop] = array("i", map(_engine_code, block.engines))
            self.host_index[first:stop] = array("H", map(self._host_code, block.hosts or ("",) * size))
        for offset, failure in block.failures.items():
            self.status[first + offset] = FAILED
            self.failures[first + offset] = failure
        for offset, text in block.printed.items():
            self.printed[first + offset] = text

    def _add_one(self, block: OutcomeBlock, offset: int, index: int) -> None:
        outcome = block.outcome(offset, index)
        self._put_values_one(outcome.value, index)
        self.status[index] = FAILED if not outcome.ok else CACHED if outcome.cached else OK
        self.started[index], self.finished[index] = outcome.started, outcome.finished
        self.engine[index] = _engine_code(outcome.engine)
        self.host_index[index] = self._host_code(outcome.host)
        if not outcome.ok:
            self.failures[index] = (outcome.error, outcome.traceback)
        if outcome.stdout or outcome.stderr:
            self.printed[index] = (outcome.stdout, outcome.stderr)

    def _put_values(self, block: OutcomeBlock, where: slice) -> None:
        if block.names is not None and block.names == self.names:
            for name, column in zip(self.names, block.columns, strict=True):
                self.columns[name][where] = column
            return
        for offset, index in enumerate(range(where.start, where.stop)):
            self._put_values_one(block.value(offset), index)

    def _put_values_one(self, value: Any, index: int) -> None:
        if value is None:  # a failed element: None in every column (a dict, if any, goes)
            for column in self.columns.values():
                column[index] = None
            if self.dicts is not None:
                self.dicts[index] = None
            return
        if self.names and isinstance(value, dict) and all(name in value for name in self.names):
            for name in self.names:
                self.columns[name][index] = value[name]
            return
        if self.dicts is None:
            self.dicts = [None] * self.total
        self.dicts[index] = value

    def _host_code(self, host: str) -> int:
        try:
            return self.hosts.index(host)
        except ValueError:
            self.hosts.append(host)
            return len(self.hosts) - 1

    def fail(self, indices: Sequence[int], error: str, traceback: str = "", when: float = 0.0) -> None:
        """Mark elements failed on this side (they could not be sent, their chunk failed as a whole)."""
        for index in indices:
            self.status[index] = FAILED
            self.failures[index] = (error, traceback)
            self.started[index] = self.finished[index] = when

    # -- reading -------------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: int) -> ItemOutcome | None:  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.total))]  # type: ignore[return-value]
        if index < 0:
            index += self.total
        status = self.status[index]
        if status == NOT_RUN:
            return None
        failure = self.failures.get(index)
        stdout, stderr = self.printed.get(index, ("", ""))
        engine = self.engine[index]
        return ItemOutcome(index, failure is None, None if failure else self.value(index),
                           failure[0] if failure else "", failure[1] if failure else "",
                           None if engine == NO_ENGINE else engine, self.hosts[self.host_index[index]],
                           self.started[index], self.finished[index], stdout, stderr, status == CACHED)

    def __iter__(self) -> Iterator[ItemOutcome | None]:
        return (self[index] for index in range(self.total))

    def value(self, index: int) -> Any:
        """Element `index`'s dict of outputs (None if it failed or did not run)."""
        if self.status[index] in (FAILED, NOT_RUN):
            return None
        if self.dicts is not None and self.dicts[index] is not None:
            return self.dicts[index]
        return {name: self.columns[name][index] for name in self.names}

    def count(self, status: int) -> int:  # type: ignore[override]
        """How many elements have this status byte."""
        return self.status.count(status)

    @property
    def ok(self) -> int:
        """Elements with a value (run now or served from the store)."""
        return self.total - self.status.count(FAILED) - self.status.count(NOT_RUN)

    def statuses(self) -> list[str]:
        """Every element's status by name ("ok", "failed", "cached", "not_run"): for a look at few elements."""
        return [STATUS_NAMES[code] for code in self.status]

    def failed_indices(self) -> list[int]:
        return sorted(self.failures)

    def output(self, name: str) -> list[Any]:
        """Output `name` of every element (None where it failed or did not run): the table's own list when
        every value came in columns, else a new list."""
        column = self.columns.get(name) or [None] * self.total
        if self.dicts is None:
            return column
        return [column[i] if value is None else value.get(name) if isinstance(value, dict) else None
                for i, value in enumerate(self.dicts)]


def failed_block(start: int, size: int, error: str, traceback: str, engine: int | None = None,
                 when: float = 0.0, host: str = "") -> OutcomeBlock:
    """A block of `size` elements from `start` that all failed with `error` at `when` (without running)."""
    times = array("d", [when]) * size
    return OutcomeBlock(start, None, [[None] * size], times, array("d", times),
                        dict.fromkeys(range(size), (error, traceback)), {}, engine, host)


def _engine_code(engine: int | None) -> int:
    return NO_ENGINE if engine is None else engine
