"""Running a question on engines as source text, so that an engine answers without pflow_studio installed.

A function of a pflow_studio module is pickled by reference and fails to unpickle where pflow_studio is not
installed. `ask_source` sends `eval` (a builtin, pickled by name) with an expression that executes
`source` in a fresh namespace and returns what its `report()` returns (plain values only: the answer is
unpickled here).
"""

from __future__ import annotations

from typing import Any

EXPRESSION = "exec(SOURCE, globals()) or report()"  # eval'd on the engine with {"SOURCE": source} as globals


def ask_source(view: Any, source: str) -> Any:
    """Run `source`'s `report()` on the engines of `view` (a DirectView); returns its AsyncResult at once."""
    return view.apply_async(eval, EXPRESSION, {"SOURCE": source})
