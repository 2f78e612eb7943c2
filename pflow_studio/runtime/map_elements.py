"""One Map run's elements against the element store: recording the finished ones in batches, ending the run.

`MapElements` is what `stored_elements.StoreBinding.open_map` returns. Finished elements are handed to the
store's writer thread (`ElementStore.later`) every `FLUSH_ELEMENTS` elements or `FLUSH_SECONDS` and at the
end; the writer makes their rows (keys, pickles, previews) and writes each hand-over in one transaction, while
the Map goes on. Element keys (`runtime.keys`) are computed when needed, a batch at a time, never all kept.
Elements whose inputs cannot be pickled have no key: they are not stored.
"""

from __future__ import annotations

import pickle
import reprlib
import time
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import cloudpickle

from pflow_studio.runtime import keys as cache_keys
from pflow_studio.runtime.element_store.records import FAILED, OK, ElementRow, StoredElement
from pflow_studio.runtime.element_store.store import ElementStore
from pflow_studio.runtime.element_table import OutcomeBlock
from pflow_studio.runtime.outcomes import ItemOutcome

FLUSH_ELEMENTS = 256
FLUSH_SECONDS = 0.5
ROWS_AT_ONCE = 16
YIELD_AFTER = 100e-6  # seconds of row making (while the Map runs) between two chances for other threads to run
_SHORT = reprlib.Repr()  # (Python 3.11's Repr takes no keyword arguments)
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlist, _SHORT.maxtuple, _SHORT.maxdict, _SHORT.maxlevel = 60, 60, 8, 8, 6, 3
PREVIEW_CHARS = 120
_PLAIN = frozenset({int, float, bool, type(None)})

InputSide = tuple[bytes | None, bytes | None, str]
"""What an element's row takes from its inputs alone: its key, its pickled inputs, their preview."""


class MapElements:
    """One Map run's elements against the store (see the module docstring)."""

    def __init__(self, store: ElementStore, prefix: bytes, items: Sequence[Mapping[str, Any]], fed: list[str]) -> None:
        self.store = store
        self.prefix = prefix
        self.items = items
        self.fed = fed
        self.run: int | None = None  # set on the store's writer thread
        self.body = ""
        self.served: dict[int, ItemOutcome] = {}
        self._finished: list[tuple[OutcomeBlock, Sequence[int]]] = []  # recorded, not handed to the writer yet
        self._count = 0  # elements in `_finished`
        self._handed = time.monotonic()
        self._running = True  # the Map has not finished yet

    def keys_of(self, indices: Sequence[int]) -> list[bytes | None]:
        """The keys of the elements at `indices`."""
        return cache_keys.element_keys(self.prefix, self.fed, [self.items[index] for index in indices])

    def begin(self, scope: str, path: Sequence[str], label: str, body: str, broadcast: bytes | None,
              served: dict[int, ItemOutcome], served_keys: Sequence[bytes | None]) -> None:
        """Start the run in the store with the `served` elements (by index; their keys in index order) marked
        as served from it (written by the store's writer thread, as everything below)."""
        self.body, self.served = body, served
        pairs = list(zip(sorted(served), served_keys, strict=True))

        def begin_run() -> None:
            self.run = self.store.begin_run(scope, path, label, body, len(self.items), broadcast, pairs)
        self.store.later(begin_run)

    def record(self, block: OutcomeBlock, at: Sequence[int]) -> None:
        """Take in a block of finished elements (element i of it is the Map's element `at[i]`): handed to the
        store's writer every `FLUSH_ELEMENTS` elements or `FLUSH_SECONDS`, which writes each hand-over in one
        transaction."""
        self._finished.append((block, at))
        self._count += len(block)
        if self._count >= FLUSH_ELEMENTS or time.monotonic() - self._handed >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Hand what was recorded since the last flush to the writer."""
        if self._finished:
            batch, self._finished, self._count = self._finished, [], 0
            self.store.later(lambda: self._write([block.outcome(offset, index) for block, at in batch
                                                  for offset, index in enumerate(at)]))
        self._handed = time.monotonic()

    def finish(self, state: str, not_run: Sequence[int]) -> None:
        """End the run: write what is left, mark the elements that did not run, note the run's state."""
        self._running = False
        self.flush()
        missed = list(not_run)
        self.store.later(lambda: self.store.finish_run(self.run, state, list(zip(missed, self.keys_of(missed),
                                                                                    strict=True))))

    def _write(self, outcomes: Sequence[ItemOutcome]) -> None:
        """Make the rows of finished elements and write them in one transaction (on the writer thread). While
        the Map runs, rows are made `ROWS_AT_ONCE` at a time, letting the Map's thread in after each
        `YIELD_AFTER` seconds of it: the Map should hardly notice the writer."""
        now = time.time()
        rows: list[ElementRow] = []
        statuses: list[tuple[int, bytes | None, int]] = []
        clock = time.perf_counter
        yielded = clock()
        for start in range(0, len(outcomes), ROWS_AT_ONCE):
            part = outcomes[start:start + ROWS_AT_ONCE]
            sides = self._input_sides([outcome.index for outcome in part])
            for outcome, (key, inputs, input_text) in zip(part, sides, strict=True):
                statuses.append((outcome.index, key, OK if outcome.ok else FAILED))
                if key is not None:
                    rows.append(outcome_row(outcome, key, self.body, inputs, input_text, now))
            if self._running and clock() - yielded >= YIELD_AFTER:
                time.sleep(0)  # (a thread waiting for the interpreter lock takes it now, not 5 ms later)
                yielded = clock()
        self.store.record(self.run, rows, statuses)

    def _input_sides(self, indices: Sequence[int]) -> list[InputSide]:
        """What the rows of the elements at `indices` take from their inputs alone."""
        sides = []
        for index, key in zip(indices, self.keys_of(indices), strict=True):
            if key is None:
                sides.append((None, None, ""))
                continue
            bindings = self.items[index]
            inputs = {name: bindings[name] for name in self.fed}
            sides.append((key, pickled(inputs), short_text(inputs)))
        return sides


def element_row(outcome: ItemOutcome, key: bytes, body: str, inputs: dict[str, Any], now: float) -> ElementRow:
    """The `elements` row of a finished element whose inputs were `inputs` (see `records.ElementRow`)."""
    return outcome_row(outcome, key, body, pickled(inputs), short_text(inputs), now)


def outcome_row(outcome: ItemOutcome, key: bytes, body: str, inputs: bytes | None, input_text: str,
                now: float) -> ElementRow:
    """The `elements` row of a finished element, its inputs already pickled and previewed."""
    value = pickled(outcome.value) if outcome.ok else None
    size = (len(value or b"") + len(inputs or b"") + len(outcome.traceback) + len(outcome.stdout)
            + len(outcome.stderr) + 128)
    return (key, body, OK if outcome.ok else FAILED, value, inputs, input_text,
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


def served_outcome(index: int, element: StoredElement) -> ItemOutcome:
    """The outcome of element `index` served from the store."""
    return ItemOutcome(index, True, element.value, engine=element.engine, host=element.host,
                       started=element.started, finished=element.finished, stdout=element.stdout,
                       stderr=element.stderr, cached=True)


def recall_served(store: ElementStore, elements: MapElements, forced: Collection[int],
                  slice_size: int = 10_000) -> tuple[dict[int, ItemOutcome], list[bytes | None]]:
    """The elements of a Map served from `store` (by index, not those in `forced`) and their keys in index
    order; keys are computed and looked up `slice_size` at a time."""
    served: dict[int, ItemOutcome] = {}
    keys: list[bytes | None] = []
    total = len(elements.items)
    for start in range(0, total, slice_size):
        chunk = elements.keys_of(range(start, min(total, start + slice_size)))
        for position, element in sorted(store.recall(chunk).items()):
            if start + position not in forced:
                served[start + position] = served_outcome(start + position, element)
                keys.append(chunk[position])
    return served, keys


def pickled(value: Any) -> bytes | None:
    """The value pickled (cloudpickle for what plain pickle refuses), or None when it cannot be."""
    try:
        return pickle.dumps(value, protocol=5)
    except Exception:
        pass
    try:
        return cloudpickle.dumps(value, protocol=5)
    except Exception:
        return None
