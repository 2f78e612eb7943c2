"""Constant values: int, float, str, bool and list/JSON."""

from __future__ import annotations

from typing import Any

from pflow_studio.nodes.api import NodeType, Out, Prop


class _Constant(NodeType):
    category = "Values"
    value_type: str = "any"

    def compute(self) -> dict[str, Any]:
        return {"value": self.values["value"]}


class Integer(_Constant):
    """A whole number."""

    type_name = "const.int"
    label = "Integer"
    properties = [Prop("value", int, 0)]
    outputs = [Out("value", int)]


class Float(_Constant):
    """A floating-point number."""

    type_name = "const.float"
    label = "Float"
    properties = [Prop("value", float, 0.0)]
    outputs = [Out("value", float)]
