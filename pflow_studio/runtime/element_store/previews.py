"""One-line previews of element values, made when the work-item view shows them (never at store time)."""

from __future__ import annotations

import reprlib
from typing import Any

_SHORT = reprlib.Repr()  # (Python 3.11's Repr takes no keyword arguments)
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlist, _SHORT.maxtuple, _SHORT.maxdict, _SHORT.maxlevel = 60, 60, 8, 8, 6, 3
PREVIEW_CHARS = 120
_PLAIN = frozenset({int, float, bool, type(None)})


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
