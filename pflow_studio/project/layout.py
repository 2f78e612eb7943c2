"""Pretty-printed JSON laid out for readable git diffs.

Like `json.dumps(value, indent=2, ensure_ascii=False)`, except that a list or object whose members
are all scalars (null, booleans, numbers, text) stays on one line when that line is at most
`ONE_LINE_WIDTH` characters: an edge, a position `[x, y]` or a short property dict is one line,
so moving a node or rewiring an edge changes one line. Key order is kept as given.
"""

from __future__ import annotations

import json
from typing import Any

ONE_LINE_WIDTH = 120
INDENT = "  "


def pretty(value: Any) -> str:
    """`value` (plain JSON, no NaN/infinity) as text without a trailing newline."""
    return "".join(_layout(value, 0))


def _scalar(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _layout(value: Any, level: int) -> list[str]:
    if isinstance(value, dict):
        items = list(value.items())
        if not items:
            return ["{}"]
        if all(not isinstance(v, (dict, list)) for _, v in items):
            line = "{" + ", ".join(f"{_scalar(k)}: {_scalar(v)}" for k, v in items) + "}"
            if len(line) <= ONE_LINE_WIDTH:
                return [line]
        pad = INDENT * (level + 1)
        parts = ["{"]
        for index, (key, item) in enumerate(items):
            parts += ["\n", pad, _scalar(key), ": ", *_layout(item, level + 1)]
            parts.append("," if index < len(items) - 1 else "")
        parts += ["\n", INDENT * level, "}"]
        return parts
    if isinstance(value, list):
        if not value:
            return ["[]"]
        if all(not isinstance(v, (dict, list)) for v in value):
            line = "[" + ", ".join(_scalar(v) for v in value) + "]"
            if len(line) <= ONE_LINE_WIDTH:
                return [line]
        pad = INDENT * (level + 1)
        parts = ["["]
        for index, item in enumerate(value):
            parts += ["\n", pad, *_layout(item, level + 1)]
            parts.append("," if index < len(value) - 1 else "")
        parts += ["\n", INDENT * level, "]"]
        return parts
    return [_scalar(value)]
