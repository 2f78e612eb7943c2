"""What the element store hands out: plain records, safe to pass to another thread."""

from __future__ import annotations

import dataclasses
from typing import Any

OK, FAILED, CACHED, NOT_RUN = 1, 2, 3, 4
"""Element statuses in a Map run (the store's `elements` rows are only OK or FAILED)."""
STATUS_NAMES = {OK: "ok", FAILED: "failed", CACHED: "cached", NOT_RUN: "not_run"}
STATUS_CODES = {name: code for code, name in STATUS_NAMES.items()}

@dataclasses.dataclass
class RunInfo:
    """One Map run in the store."""

    id: int
    scope: str
    path: tuple[str, ...]
    label: str
    body: str
    total: int
    state: str
    started: float
    finished: float | None
    counts: dict[str, int]


@dataclasses.dataclass
class StoreInfo:
    """What the store holds (for `pflow-studio cache info`): `ok` elements can be served, `failed` ones (failed,
    or without a key) cannot; `blocks` rows hold them."""

    path: str
    bytes: int
    max_bytes: int
    elements: int
    ok: int
    failed: int
    runs: int
    blocks: int = 0


@dataclasses.dataclass
class ItemRow:
    """One element of a Map run, as the work-item view lists it (`key` None: its inputs could not be keyed, or
    it is not stored; `stored` False: no longer in the store, or never stored; `where`: its block and offset
    there, for `ElementStore.element`)."""

    index: int
    key: bytes | None
    status: str
    input_text: str
    preview: str
    error: str
    engine: int | None
    host: str
    started: float
    finished: float
    stored: bool
    where: tuple[int, int] | None = None

    @property
    def duration(self) -> float:
        return max(0.0, self.finished - self.started) if self.finished else 0.0


@dataclasses.dataclass
class ElementDetail:
    """Everything stored about one element: its inputs and outputs (unpickled; None when they cannot be),
    what it printed, and its error."""

    key: bytes
    status: str
    inputs: Any
    outputs: Any
    error: str
    traceback: str
    stdout: str
    stderr: str
    engine: int | None
    host: str
    started: float
    finished: float
