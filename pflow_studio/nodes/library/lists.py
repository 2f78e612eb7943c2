"""List nodes: build a range, measure, concatenate, index and slice lists. Category "Lists".
Outputs are new lists; an input list is never modified. A list input also takes a numpy array: a 1-D array's
numbers, a bigger array's rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pflow_studio.nodes.api import In, NodeError, NodeType, Out, array_items


def _whole(value: Any, port: str) -> int:
    """An int input's value, or a NodeError naming the port."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise NodeError(f"input '{port}' must be a whole number, not {value!r}")
    return value


def _sequence(value: Any, port: str) -> Sequence[Any]:
    """A list input's value (a list or tuple; a numpy array's items), or a NodeError naming the port."""
    items = array_items(value)
    if items is not None:
        return items
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise NodeError(f"input '{port}' must be a list, not {type(value).__name__}")
    return value


class Range(NodeType):
    """The whole numbers from `start` up to (not including) `stop`, counting by `step`."""

    type_name = "list.range"
    label = "Range"
    category = "Lists"
    inputs = [In("start", int, default=0), In("stop", int), In("step", int, default=1, doc="not 0")]
    outputs = [Out("result", list)]

    def compute(self, start: int, stop: int, step: int) -> dict[str, Any]:
        start, stop, step = _whole(start, "start"), _whole(stop, "stop"), _whole(step, "step")
        if step == 0:
            raise NodeError("input 'step' must not be 0")
        return {"result": list(range(start, stop, step))}


class Length(NodeType):
    """The number of items in a list."""

    type_name = "list.length"
    label = "Length"
    category = "Lists"
    inputs = [In("list", list)]
    outputs = [Out("length", int)]

    def compute(self, list: Sequence[Any]) -> dict[str, Any]:
        return {"length": len(_sequence(list, "list"))}


class Concat(NodeType):
    """The items of a followed by the items of b."""

    type_name = "list.concat"
    label = "Concatenate Lists"
    category = "Lists"
    inputs = [In("a", list), In("b", list)]
    outputs = [Out("result", list)]

    def compute(self, a: Sequence[Any], b: Sequence[Any]) -> dict[str, Any]:
        return {"result": [*_sequence(a, "a"), *_sequence(b, "b")]}


class Item(NodeType):
    """The item at `index` (negative counts from the end: -1 is the last item)."""

    type_name = "list.item"
    label = "Get Item"
    category = "Lists"
    inputs = [In("list", list), In("index", int)]
    outputs = [Out("item", "any")]

    def compute(self, list: Sequence[Any], index: int) -> dict[str, Any]:
        list, index = _sequence(list, "list"), _whole(index, "index")
        if not -len(list) <= index < len(list):
            raise NodeError(f"index {index} is out of range for a list of length {len(list)}")
        return {"item": list[index]}


class Slice(NodeType):
    """list[start:stop:step], as in Python; an unset bound means the list's start or end."""

    type_name = "list.slice"
    label = "Slice"
    category = "Lists"
    inputs = [In("list", list), In("start", int, optional=True), In("stop", int, optional=True),
              In("step", int, optional=True, doc="not 0; negative walks backwards")]
    outputs = [Out("result", list)]

    def compute(self, list: Sequence[Any], start: int | None, stop: int | None,
                step: int | None) -> dict[str, Any]:
        bounds = [None if value is None else _whole(value, port)
                  for port, value in (("start", start), ("stop", stop), ("step", step))]
        if bounds[2] == 0:
            raise NodeError("input 'step' must not be 0")
        return {"result": [*_sequence(list, "list")[slice(*bounds)]]}
