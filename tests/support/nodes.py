"""Test-only node types and a registry holding them, the runtime containers and the library."""

from __future__ import annotations

import threading
import time
from typing import Any

from pflow_studio.nodes.api import In, NodeError, NodeType, Out, Prop
from pflow_studio.nodes.library import constants, control_flow, control_flow_lists
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime import containers, loops

CALLS: dict[str, int] = {}
_lock = threading.Lock()


def count(name: str) -> None:
    with _lock:
        CALLS[name] = CALLS.get(name, 0) + 1


class Number(NodeType):
    """Emit the `value` property."""

    type_name = "test.number"
    properties = [Prop("value", "any", 0)]
    outputs = [Out("value", float)]

    def compute(self) -> dict[str, Any]:
        count(self.type_name)
        return {"value": self.values["value"]}


class Items(NodeType):
    """Emit the `value` property as a list."""

    type_name = "test.items"
    properties = [Prop("value", list, [])]
    outputs = [Out("value", list)]

    def compute(self) -> dict[str, Any]:
        return {"value": list(self.values["value"])}


class Add(NodeType):
    """a + b."""

    type_name = "test.add"
    inputs = [In("a", float), In("b", float, default=0.0)]
    outputs = [Out("result", float)]

    def compute(self, a: float, b: float) -> dict[str, Any]:
        count(self.type_name)
        return {"result": a + b}


class SquareOffset(NodeType):
    """x*x + offset, and x alone."""

    type_name = "test.square_offset"
    inputs = [In("x", float), In("offset", float, default=0.0)]
    outputs = [Out("y", float), Out("x", float)]

    def compute(self, x: float, offset: float) -> dict[str, Any]:
        count(self.type_name)
        if x == 13:
            raise NodeError("13 is unlucky")
        return {"y": x * x + offset, "x": x}


class Text(NodeType):
    """A string."""

    type_name = "test.text"
    properties = [Prop("value", str, "")]
    outputs = [Out("value", str)]

    def compute(self) -> dict[str, Any]:
        return {"value": self.values["value"]}


class Fail(NodeType):
    """Always raises."""

    type_name = "test.fail"
    inputs = [In("a", "any", optional=True)]
    outputs = [Out("result", "any")]

    def compute(self, a: Any) -> dict[str, Any]:
        raise RuntimeError("boom")


class Slow(NodeType):
    """Sleeps `seconds`, passing its input through."""

    type_name = "test.slow"
    inputs = [In("a", "any", optional=True)]
    properties = [Prop("seconds", float, 0.05)]
    outputs = [Out("result", "any")]

    def compute(self, a: Any) -> dict[str, Any]:
        time.sleep(self.values["seconds"])
        count(self.type_name)
        return {"result": a}


class Choose(NodeType):
    """A lazy if: needs `condition`, then only the chosen branch."""

    type_name = "test.choose"
    inputs = [In("condition", bool), In("yes", "any", optional=True), In("no", "any", optional=True)]
    outputs = [Out("result", "any")]

    def inputs_needed(self, available: dict[str, Any]) -> list[str]:
        if "condition" not in available:
            return ["condition"]
        return ["condition", "yes" if available["condition"] else "no"]

    def compute(self, condition: bool, yes: Any, no: Any) -> dict[str, Any]:
        return {"result": yes if condition else no}


class Truth(NodeType):
    """Emit the `value` property as a bool."""

    type_name = "test.truth"
    properties = [Prop("value", bool, True)]
    outputs = [Out("value", bool)]

    def compute(self) -> dict[str, Any]:
        return {"value": self.values["value"]}


class IsEven(NodeType):
    """x % 2 == 0 (or a non-bool when `broken`)."""

    type_name = "test.is_even"
    inputs = [In("x", int)]
    properties = [Prop("broken", bool, False)]
    outputs = [Out("result", bool)]

    def compute(self, x: int) -> dict[str, Any]:
        return {"result": "yes" if self.values["broken"] else x % 2 == 0}


class Volatile(NodeType):
    """Not cacheable: emits the `value` property, counting its runs."""

    type_name = "test.volatile"
    cacheable = False
    properties = [Prop("value", "any", 0)]
    outputs = [Out("value", "any")]

    def compute(self) -> dict[str, Any]:
        count(self.type_name)
        return {"value": self.values["value"]}


class Step(NodeType):
    """x + step, and whether that is still below `limit` (a While's state and condition); fails at x == 13."""

    type_name = "test.step"
    inputs = [In("x", float), In("step", float, default=1.0), In("limit", float, default=10.0)]
    outputs = [Out("x", float), Out("go_on", bool)]

    def compute(self, x: float, step: float, limit: float) -> dict[str, Any]:
        count(self.type_name)
        if x == 13:
            raise NodeError("13 is unlucky")
        return {"x": x + step, "go_on": x + step < limit}


def make_registry() -> Registry:
    registry = Registry()
    for node_type in (Number, Items, Add, SquareOffset, Text, Fail, Slow, Choose, Truth, IsEven, Volatile, Mix, Step):
        registry.register(node_type)
    registry.register_module(containers)
    registry.register_module(loops)
    return registry


class Mix(NodeType):
    """Three inputs (required, default, optional) and three outputs, one named like an input."""

    type_name = "test.mix"
    inputs = [In("a", float), In("b", float, default=1.0), In("c", float, optional=True)]
    outputs = [Out("sum", float), Out("product", float), Out("a", float)]

    def compute(self, a: float, b: float, c: float | None) -> dict[str, Any]:
        count(self.type_name)
        c = 0.0 if c is None else c
        return {"sum": a + b + c, "product": a * b, "a": a}


class Pair(NodeType):
    """A non-lazy node with two optional inputs (the control for ExecuteInOrder)."""

    type_name = "test.pair"
    inputs = [In("first", "any", optional=True), In("second", "any", optional=True)]
    outputs = [Out("result", "any")]

    def compute(self, first: Any, second: Any) -> dict[str, Any]:
        return {"result": [first, second]}


def control_flow_registry() -> Registry:
    """The test node types, the containers, the constants and the Control Flow library, and `Pair`."""
    registry = make_registry()
    for module in (constants, control_flow, control_flow_lists):
        registry.register_module(module)
    registry.register(Pair)
    return registry
