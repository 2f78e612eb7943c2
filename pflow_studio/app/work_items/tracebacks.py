"""Tracebacks with the user's code first: pflow-studio's own frames folded into one line.

`fold_own_frames(text)` keeps a formatted Python traceback as it is, except that each run of consecutive
frames from pflow-studio's own modules (a path with a `pflow_studio` directory in it, wherever it ran: this
machine or an engine) becomes one line "  … 3 pflow-studio frames …". The frames of the user's code (Python
nodes, their own modules, libraries they call) and the error lines are kept as they are.
"""

from __future__ import annotations

import re

_FRAME = re.compile(r'^  File "(?P<file>[^"]*)", line \d+')
_OWN = re.compile(r"[\\/]pflow_studio[\\/]")


def fold_own_frames(text: str) -> tuple[str, int]:
    """The traceback with our frames folded, and how many frames were folded."""
    lines = text.splitlines()
    out: list[str] = []
    folded_here = folded = 0
    index = 0
    while index < len(lines):
        match = _FRAME.match(lines[index])
        end = index + 1
        if match:
            while end < len(lines) and lines[end].startswith("    "):  # its source line and carets
                end += 1
        if match and _OWN.search(match["file"]):
            folded_here += 1
        else:
            if folded_here:
                out.append(_fold_line(folded_here))
                folded, folded_here = folded + folded_here, 0
            out.extend(lines[index:end])
        index = end
    if folded_here:
        out.append(_fold_line(folded_here))
        folded += folded_here
    return "\n".join(out), folded


def _fold_line(count: int) -> str:
    return f"  … {count} pflow-studio frame{'s' if count != 1 else ''} …"
