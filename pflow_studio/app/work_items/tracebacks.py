"""Tracebacks with the user's code first: pflow-studio's own frames folded into one line.

`fold_own_frames(text)` keeps a formatted Python traceback as it is, except that each run of consecutive
frames from pflow-studio's own modules (a path with a `pflow_studio` directory in it, wherever it ran: this
machine or an engine) becomes one line "  … 3 pflow-studio frames …". The frames of the user's code (Python
nodes, their own modules, libraries they call) and the error lines are kept as they are.

`user_first(head, traceback)` is how every view of an error shows it (Errors panel, Results dock, Work items
detail, run record): the message first, then the line that raised it in the user's code (`where_raised`: the
innermost frame of the user's code, a Python node's "line 3 of the code", else a module of theirs, never
pflow-studio's or an installed library's), then the traceback, our frames folded. So the message and the
user's failing line are the first two lines, seen without scrolling.
"""

from __future__ import annotations

import re

from pflow_studio.runtime.user_code import USER_FILE

_FRAME = re.compile(r'^  File "(?P<file>[^"]*)", line (?P<line>\d+)(?:, in (?P<function>.*))?')
_OWN = re.compile(r"[\\/]pflow_studio[\\/]")
_INSTALLED = re.compile(r"[\\/](?:site-packages|dist-packages|lib[\\/]python\d[\d.]*)[\\/]")
_START = "Traceback (most recent call last):"


def user_first(head: str, traceback: str, show_all: bool = False) -> tuple[str, int]:
    """`head` (the message; the traceback's last line when empty), under it where the user's code raised it,
    then the traceback with our frames folded (every frame with `show_all`); and how many frames it folds."""
    trace, folded = fold_own_frames(traceback)
    if show_all or not folded:
        trace = traceback.rstrip("\n")
    lines = [line for line in traceback.splitlines() if line.strip()]
    first = "\n".join(part for part in (head or (lines[-1] if lines else ""), where_raised(traceback)) if part)
    return "\n\n".join(part for part in (first, trace) if part), folded


def where_raised(traceback: str) -> str:
    """"  at line 3 of the code, in f:  <its source>" for the innermost frame of the user's code in the last
    traceback of `traceback` (in the whole text when that one has none); "" when there is none."""
    last = traceback[traceback.rfind(_START):] if _START in traceback else traceback
    frame = _innermost_user_frame(last) or _innermost_user_frame(traceback)
    if frame is None:
        return ""
    file, line, function, source = frame
    where = f"line {line} of the code" if USER_FILE.fullmatch(file) else f"{file}, line {line}"
    if function and function != "<module>":
        where += f", in {function}"
    return f"  at {where}:  {source}" if source else f"  at {where}"


def _innermost_user_frame(text: str) -> tuple[str, str, str, str] | None:
    """(file, line, function, source line) of the last frame neither ours nor of an installed library."""
    lines = text.splitlines()
    found = None
    for index, line in enumerate(lines):
        match = _FRAME.match(line)
        if match and not _OWN.search(match["file"]) and not _INSTALLED.search(match["file"]):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            source = following.strip() if following.startswith("    ") else ""
            found = (match["file"], match["line"], match["function"] or "", source)
    return found


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
