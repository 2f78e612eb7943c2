"""Constant values: int, float, str, bool, list and any plain-JSON value. No inputs; output `value`."""

from __future__ import annotations

import copy
import json
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


class String(_Constant):
    """A piece of text."""

    type_name = "const.str"
    label = "String"
    properties = [Prop("value", str, "", widget="text")]
    outputs = [Out("value", str)]


class Boolean(_Constant):
    """True or False."""

    type_name = "const.bool"
    label = "Boolean"
    properties = [Prop("value", bool, False, widget="check")]
    outputs = [Out("value", bool)]


class List(_Constant):
    """A list of plain-JSON values; each run gets its own copy."""

    type_name = "const.list"
    label = "List"
    properties = [Prop("value", list, [], doc="the list, as JSON", widget="list")]
    outputs = [Out("value", list)]

    def compute(self) -> dict[str, Any]:
        return {"value": copy.deepcopy(list(self.values["value"]))}


class Json(_Constant):
    """Any plain-JSON value: number, text, bool, null, list or object; each run gets its own copy."""

    type_name = "const.json"
    label = "JSON"
    properties = [Prop("value", "any", None, doc="any value JSON can hold", widget="json")]
    outputs = [Out("value", "any")]

    def compute(self) -> dict[str, Any]:
        return {"value": copy.deepcopy(self.values["value"])}

    def check(self) -> list[str]:
        problems = super().check()
        try:
            json.dumps(self.values.get("value"), allow_nan=False)
        except (TypeError, ValueError) as exc:
            problems.append(f"property 'value' is not plain JSON: {exc}")
        return problems
