"""The words and colours of the work-item view: status names, the run's header line, the Map's badge."""

from __future__ import annotations

import time

from pflow_studio.canvas.run_state import state_color
from pflow_studio.runtime.element_store.records import CACHED, FAILED, NOT_RUN, OK, RunInfo

STATUS_LABELS = {"ok": "ok", "failed": "failed", "cached": "from store", "not_run": "not run"}
STATUS_FILTERS = [(OK, "ok"), (FAILED, "failed"), (CACHED, "from store"), (NOT_RUN, "not run")]
"""The status filter's choices: (store status code, label)."""
_CANVAS_STATES = {"ok": "finished", "failed": "failed", "cached": "cached", "not_run": "cancelled"}
_RUN_STATES = {"running": "running or interrupted", "ok": "finished", "failed": "finished with failures",
               "cancelled": "stopped", "error": "ended by an error"}


def status_color(status: str) -> tuple[int, int, int]:
    """An element status's colour: the canvas's colour of the matching run state."""
    return state_color(_CANVAS_STATES.get(status, "skipped")) or (128, 128, 128)


def counts_text(run: RunInfo) -> str:
    """"1,000 elements: 940 ok, 12 failed, 48 from the store" (statuses with none left out)."""
    counts = run.counts
    parts = [f"{counts.get('ok', 0):,} ok"]
    if counts.get("failed"):
        parts.append(f"{counts['failed']:,} failed")
    if counts.get("cached"):
        parts.append(f"{counts['cached']:,} from the store")
    if counts.get("not_run"):
        parts.append(f"{counts['not_run']:,} not run")
    return f"{run.total:,} element{'s' if run.total != 1 else ''}: {', '.join(parts)}"


NOT_KEPT = ("its elements are not kept in the element store: its body must not be reused (a file node, or a "
            "Python node set to 'never cache')")


def run_header(label: str, run: RunInfo | None, kept: bool = True) -> str:
    """The view's header line for the Map `label` and its last run (None: it has not run with the store;
    `kept` False: its elements are never stored)."""
    if not kept:
        return f"{label}: {NOT_KEPT}"
    if run is None:
        return f"{label}: no run in the element store yet; run it (F5) to list its elements"
    when = time.strftime("%H:%M:%S" if time.time() - run.started < 86_400 else "%Y-%m-%d %H:%M",
                         time.localtime(run.started))
    return f"{label}: last run {when}, {_RUN_STATES.get(run.state, run.state)}. {counts_text(run)}"


def badge(run: RunInfo | None) -> tuple[str, bool]:
    """The Map's badge: ("12 failed", True) when elements failed, else ("1,000 stored", False); ("", False)
    when there is nothing to say."""
    if run is None:
        return "", False
    failed = run.counts.get("failed", 0)
    if failed:
        return f"{failed:,} failed", True
    stored = run.counts.get("ok", 0) + run.counts.get("cached", 0)
    return (f"{stored:,} stored", False) if stored else ("", False)


def duration_text(seconds: float) -> str:
    """A duration for the table: "< 1 µs", "3 µs", "214 ms", "2.14 s", "12.3 s", "4 min 05 s" ("" for none)."""
    if seconds <= 0:
        return ""
    if seconds < 0.0000005:
        return "< 1 µs"
    if seconds < 0.0005:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 10:
        return f"{seconds:.2f} s"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"
