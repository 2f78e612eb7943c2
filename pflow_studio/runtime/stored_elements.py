"""How a Map run uses the element store: which of its elements are served from it, and recording the
others as they finish.

`StoreBinding(store, scope)` is what a run carries (`Executor.run(..., elements=...)`): the store and the
project the run belongs to (`scope`: its path, "" when unsaved). For each Map, `open_map` computes the
elements' keys (`runtime.keys`), recalls the stored ones and starts a run record in the store; the
`MapElements` it returns holds the `served` outcomes (marked `cached`), takes the finished ones through
`record` (buffered, written one transaction per `FLUSH_ELEMENTS` elements or `FLUSH_SECONDS`, so a crash
loses at most that much) and ends with `finish`. Elements whose inputs cannot be pickled have no key: they
always run and are not stored. Failed elements are stored for inspection but never served.
"""

from __future__ import annotations

import dataclasses
import pickle
import reprlib
import time
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import cloudpickle

from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime import keys as cache_keys
from pflow_studio.runtime.element_store.records import FAILED, OK, ElementRow, StoredElement
from pflow_studio.runtime.element_store.store import ElementStore
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.runners import ItemOutcome

FLUSH_ELEMENTS = 256
FLUSH_SECONDS = 0.5
_SHORT = reprlib.Repr()  # (Python 3.11's Repr takes no keyword arguments)
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlist, _SHORT.maxtuple, _SHORT.maxdict, _SHORT.maxlevel = 60, 60, 8, 8, 6, 3
PREVIEW_CHARS = 120
_PLAIN = frozenset({int, float, bool, type(None)})


@dataclasses.dataclass
class StoreBinding:
    """The element store as one run uses it: the store, the project (`scope`) the run belongs to, and the
    elements to compute again even when stored (`recompute`: Map path -> element indices)."""

    store: ElementStore
    scope: str = ""
    recompute: Mapping[tuple[str, ...], Collection[int]] = dataclasses.field(default_factory=dict)

    def open_map(self, path: tuple[str, ...], label: str, body: Workflow, function_id: str,
                 settings: Mapping[str, Any], broadcast: Mapping[str, Any], fed: Sequence[str],
                 items: Sequence[Mapping[str, Any]], registry: Registry) -> MapElements:
        """Look the Map's elements up and start recording its run (see the module docstring)."""
        prefix = cache_keys.element_key_prefix(body, function_id, settings, broadcast, registry)
        elements = MapElements(self.store, prefix, items, list(fed))
        served: dict[int, ItemOutcome] = {}
        if self.store.holds_group(cache_keys.element_group(prefix)):  # else none is stored: no key is looked up
            forced = self.recompute.get(tuple(path), ())
            served = {index: _served(index, element) for index, element in
                      self.store.recall(elements.keys_of(range(len(items)))).items() if index not in forced}
        body_key = cache_keys.body_signature(body, registry) or ""
        elements.begin(self.scope, path, label, body_key, _pickled(dict(broadcast)), served)
        return elements


class MapElements:
    """One Map run's elements against the store (see the module docstring). Element keys are computed when
    first needed (a Map none of whose elements is stored needs them only to record what finished)."""

    def __init__(self, store: ElementStore, prefix: bytes, items: Sequence[Mapping[str, Any]], fed: list[str]) -> None:
        self.store = store
        self.prefix = prefix
        self.items = items
        self.fed = fed
        self.run: int | None = None
        self.body = ""
        self.served: dict[int, ItemOutcome] = {}
        self._keys: list[bytes | None] | None = None
        self._rows: list[ElementRow] = []
        self._statuses: list[tuple[int, bytes | None, int]] = []
        self._flushed = time.monotonic()

    def keys_of(self, indices: Sequence[int]) -> list[bytes | None]:
        """The keys of the elements at `indices` (all of them are computed once when `indices` is every one)."""
        if self._keys is None and len(indices) == len(self.items):
            self._keys = cache_keys.element_keys(self.prefix, self.fed, self.items)
        if self._keys is not None:
            return [self._keys[index] for index in indices]
        return cache_keys.element_keys(self.prefix, self.fed, [self.items[index] for index in indices])

    def begin(self, scope: str, path: Sequence[str], label: str, body: str, broadcast: bytes | None,
              served: dict[int, ItemOutcome]) -> None:
        """Start the run in the store, the `served` elements (by index) marked as served from it."""
        self.body, self.served = body, served
        indices = sorted(served)
        self.run = self.store.begin_run(scope, path, label, body, len(self.items), broadcast,
                                        list(zip(indices, self.keys_of(indices), strict=True)))

    def record(self, outcomes: Sequence[ItemOutcome]) -> None:
        """Take in finished elements (indices of the whole Map); they reach the disk in batches."""
        now = time.time()
        keys = self.keys_of([outcome.index for outcome in outcomes])
        for outcome, key in zip(outcomes, keys, strict=True):
            self._statuses.append((outcome.index, key, OK if outcome.ok else FAILED))
            if key is not None:
                self._rows.append(element_row(outcome, key, self.body, self._inputs(outcome.index), now))
        if len(self._statuses) >= FLUSH_ELEMENTS or time.monotonic() - self._flushed >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Write what was recorded since the last flush, in one transaction."""
        if self._statuses:
            rows, statuses, self._rows, self._statuses = self._rows, self._statuses, [], []
            self.store.record(self.run, rows, statuses)
        self._flushed = time.monotonic()

    def finish(self, state: str, not_run: Sequence[int]) -> None:
        """End the run: write what is left, mark the elements that did not run, note the run's state."""
        self.flush()
        self.store.finish_run(self.run, state, list(zip(not_run, self.keys_of(not_run), strict=True)))

    def _inputs(self, index: int) -> dict[str, Any]:
        bindings = self.items[index]
        return {name: bindings[name] for name in self.fed}


def element_row(outcome: ItemOutcome, key: bytes, body: str, inputs: dict[str, Any], now: float) -> ElementRow:
    """The `elements` row of a finished element (see `records.ElementRow`)."""
    value = _pickled(outcome.value) if outcome.ok else None
    input_blob = _pickled(inputs)
    size = (len(value or b"") + len(input_blob or b"") + len(outcome.traceback) + len(outcome.stdout)
            + len(outcome.stderr) + 128)
    return (key, body, OK if outcome.ok else FAILED, value, input_blob, short_text(inputs),
            short_text(outcome.value) if outcome.ok else "", outcome.error, outcome.traceback, outcome.stdout,
            outcome.stderr, outcome.engine, outcome.host, outcome.started, outcome.finished, size, now)


def short_text(value: Any) -> str:
    """A one-line preview of a value (at most `PREVIEW_CHARS` characters); a dict of one entry by its value."""
    if isinstance(value, dict) and len(value) == 1:
        value = next(iter(value.values()))
    if type(value) in _PLAIN:  # what reprlib would give, only quicker
        text = repr(value)
        if len(text) <= _SHORT.maxlong:
            return text
    try:
        text = _SHORT.repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    text = " ".join(text.split())
    return text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS - 3] + "..."


def _served(index: int, element: StoredElement) -> ItemOutcome:
    return ItemOutcome(index, True, element.value, engine=element.engine, host=element.host,
                       started=element.started, finished=element.finished, stdout=element.stdout,
                       stderr=element.stderr, cached=True)


def _pickled(value: Any) -> bytes | None:
    """The value pickled (cloudpickle for what plain pickle refuses), or None when it cannot be."""
    try:
        return pickle.dumps(value, protocol=5)
    except Exception:
        pass
    try:
        return cloudpickle.dumps(value, protocol=5)
    except Exception:
        return None


class PlanOnly(Exception):
    """Raised instead of running a Map's elements when a run only plans (`PlanBinding`)."""


@dataclasses.dataclass
class MapPlan:
    """What a Map would do: `total` elements, `stored` of them served from the store, the rest run."""

    path: tuple[str, ...]
    label: str
    total: int
    stored: int

    @property
    def to_run(self) -> int:
        return self.total - self.stored


class PlanBinding(StoreBinding):
    """A run that only plans: each Map counts its stored elements (`plans`, by path) and stops there with
    `PlanOnly`; nothing runs and nothing is written. `store` may be None (nothing is stored)."""

    def __init__(self, store: ElementStore | None, scope: str = "") -> None:
        super().__init__(store, scope)  # type: ignore[arg-type]
        self.plans: dict[tuple[str, ...], MapPlan] = {}

    def open_map(self, path: tuple[str, ...], label: str, body: Workflow, function_id: str,
                 settings: Mapping[str, Any], broadcast: Mapping[str, Any], fed: Sequence[str],
                 items: Sequence[Mapping[str, Any]], registry: Registry) -> MapElements:
        stored = 0
        if self.store is not None:
            prefix = cache_keys.element_key_prefix(body, function_id, settings, broadcast, registry)
            if self.store.holds_group(cache_keys.element_group(prefix)):
                stored = self.store.count_stored(cache_keys.element_keys(prefix, fed, items))
        self.plans[tuple(path)] = MapPlan(tuple(path), label, len(items), stored)
        raise PlanOnly(f"planned: {stored} of {len(items)} elements stored")
