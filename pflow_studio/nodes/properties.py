"""The one check of property values against their declarations (`nodes.api.Prop`), used by load
(`project.codec`), validation (`runtime.validation`) and `NodeType.check`.

Every declared property is checked: its type (a bool is not a number; an int fits a float when a float
can hold it), the type of a list's items (`Prop.items`), `choices`, and `minimum` / `maximum`. `null` fits
only a property whose type is `any` or whose default is `null` (an optional setting); a property left out
takes its default. A property name the type does not declare is an error too: files are strict everywhere.
Each problem reads "property 'NAME' must be EXPECTED, got VALUE" (the caller names the node).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pflow_studio.nodes.api import Prop

_EXPECTED = {
    "int": "a whole number (int)",
    "float": "a number (float)",
    "str": "text (str)",
    "path": "a path (text)",
    "bool": "true or false (bool)",
    "list": "a list",
    "dict": "an object (dict)",
}
_ITEMS = {"int": "whole numbers", "float": "numbers", "str": "text", "path": "paths", "bool": "true/false",
          "list": "lists", "dict": "objects"}


def property_problems(declared: Iterable[Prop], values: Mapping[str, Any]) -> list[str]:
    """The problems of `values` (property name -> value) against the `declared` properties; empty when fine."""
    props = {prop.name: prop for prop in declared}
    problems = [f"unknown property {_shown(name)} (properties: {sorted(props) or 'none'})"
                for name in values if name not in props]
    for name, prop in props.items():
        if name in values and not fits(prop, values[name]):
            problems.append(f"property '{name}' must be {expected(prop)}, got {_shown(values[name])}")
    return problems


def fits(prop: Prop, value: Any) -> bool:
    """True when `value` is an allowed value of `prop`."""
    if value is None:
        return prop.type == "any" or prop.default is None
    if prop.choices is not None:
        return any(type(value) is type(choice) and value == choice for choice in prop.choices)
    if not _of_type(value, prop.type):
        return False
    if prop.items and not all(item is not None and _of_type(item, prop.items) for item in value):
        return False
    return _in_range(prop, value)


def expected(prop: Prop) -> str:
    """What `prop` takes, in words: its `expects` text, else one made from its type, items, choices and range."""
    if prop.expects:
        return prop.expects
    if prop.choices is not None:
        return f"one of {list(prop.choices)}"
    text = _EXPECTED.get(prop.type, "a JSON value")
    if prop.items:
        text = f"a list of {_ITEMS.get(prop.items, 'values')}"
    if prop.minimum is not None and prop.maximum is not None:
        text += f" from {prop.minimum} to {prop.maximum}"
    elif prop.minimum is not None:
        text += f" of at least {prop.minimum}"
    elif prop.maximum is not None:
        text += f" of at most {prop.maximum}"
    return text


def _of_type(value: Any, type_name: str) -> bool:
    if type_name == "any":
        return True
    if isinstance(value, bool):
        return type_name == "bool"
    if type_name == "int":
        return isinstance(value, int)
    if type_name == "float":
        return (isinstance(value, float) and math.isfinite(value)) or (isinstance(value, int) and _float_holds(value))
    if type_name in ("str", "path"):
        return isinstance(value, str)
    if type_name == "list":
        return isinstance(value, (list, tuple))
    return type_name == "dict" and isinstance(value, dict)


def _float_holds(value: int) -> bool:
    try:
        float(value)
    except OverflowError:
        return False
    return True


def _in_range(prop: Prop, value: Any) -> bool:
    if not isinstance(value, (int, float)):
        return True
    if prop.minimum is not None and value < prop.minimum:
        return False
    return prop.maximum is None or value <= prop.maximum


def _shown(value: Any) -> str:
    """`value` for a message: its repr cut to 60 characters (a number too long for text says so)."""
    try:
        text = repr(value)
    except ValueError:
        return "a number too long to show"
    except RecursionError:
        return f"a {type(value).__name__} nested too deeply to show"
    return text if len(text) <= 60 else text[:57] + "..."
