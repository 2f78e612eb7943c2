"""The garbage collector while a `pflow-studio` command-line process starts: paused, then what exists frozen.

Starting imports some 550 modules (ipyparallel's among them) that make long-lived objects and next to no
garbage, yet each full collection walks every tracked object: in a `pflow-studio run` of a 2,000-element
Map the collector took ~30 ms, one full pass over the imported modules' objects 14 - 24 ms of it.
`pause()` (the launcher calls it first thing in a command-line process) stops automatic collection;
`resume()` moves every object that exists to the permanent generation (`gc.freeze`), which later passes
skip, and collects as usual again. The little garbage made while paused is never collected. Where
`pause()` was not called (tests calling `main(argv)` in their own process), `resume()` does nothing.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop automatic collection until `resume()`."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Freeze what exists and collect automatically again, if `pause()` stopped it; else nothing."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
