"""The names a value is bound to in the console, and the lines that say what is bound.

`output_names(outputs)`: a node's outputs: `outputs` (the dict), `value` (the one output's value, or the dict
when there are several) and each port by its name. `element_names(index, inputs, outputs, broadcast, error)`:
one Map element: the same for its outputs, plus `inputs` (its mapped inputs, then the broadcast ones), each input
by its port name, `index`, and `error` (the message) when it failed. A port whose name is not a Python identifier,
or is one of the names above, is reachable only through `inputs[...]` / `outputs[...]`.
`describe(names)`: one line per name, `name = short text of its value` (an array by its type, shape and dtype).
"""

from __future__ import annotations

import keyword
import reprlib
from collections.abc import Mapping
from typing import Any

RESERVED = frozenset({"value", "outputs", "inputs", "index", "error"})
SHOWN_CHARS = 90
_SHORT = reprlib.Repr()
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlist, _SHORT.maxdict, _SHORT.maxlevel = 60, 60, 6, 4, 2


def output_names(outputs: Mapping[str, Any]) -> dict[str, Any]:
    """See the module docstring."""
    outputs = dict(outputs)
    names: dict[str, Any] = {"value": next(iter(outputs.values())) if len(outputs) == 1 else outputs,
                             "outputs": outputs}
    names.update(_ports(outputs))
    return names


def element_names(index: int, inputs: Mapping[str, Any] | None, outputs: Any,
                  broadcast: Mapping[str, Any] | None = None, error: str = "") -> dict[str, Any]:
    """See the module docstring (`outputs` None or not a dict: bound as `value` alone)."""
    every_input = {**(broadcast or {}), **(inputs or {})}
    if isinstance(outputs, Mapping):
        names = output_names(outputs)
    else:
        names = {"value": outputs}
    names.update(_ports(every_input))
    names.update({"inputs": every_input, "index": index})
    if error:
        names["error"] = error
    return names


def describe(names: Mapping[str, Any]) -> str:
    """One line per bound name: `name = its value in short`."""
    width = max((len(name) for name in names), default=0)
    return "\n".join(f"  {name.ljust(width)} = {_summary(value)}" for name, value in names.items())


def _summary(value: Any) -> str:
    shape, dtype = getattr(value, "shape", None), getattr(value, "dtype", None)
    if isinstance(shape, tuple) and dtype is not None:
        return f"{type(value).__name__} of shape {shape}, dtype {dtype}"
    try:
        text = " ".join(_SHORT.repr(value).split())
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 3] + "..."


def _ports(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items()
            if isinstance(name, str) and name.isidentifier() and not keyword.iskeyword(name)
            and name not in RESERVED}
