"""Element store rows for tests."""

from __future__ import annotations

from pflow_studio.runtime.map_elements import element_row
from pflow_studio.runtime.outcomes import ItemOutcome


def row(key: bytes, index: int = 0, ok: bool = True, value=None, body: str = "body", used: float = 1.0) -> tuple:
    """An `elements` row for element `index` (outputs {"y": index * 10} or `value`; failed when not `ok`)."""
    outcome = ItemOutcome(index, ok, {"y": value if value is not None else index * 10} if ok else None,
                          error="" if ok else "ValueError: bad", traceback="" if ok else "Traceback ...",
                          engine=1, host="h", started=100.0 + index, finished=101.5 + index, stdout=f"out {index}")
    return element_row(outcome, key, body, {"x": index}, used)
