"""Port data types: their names, which output type may feed which input type, and value checks.

Types are plain names so they save as JSON: any, int, float, str, bool, list, dict, path, array, figure.
`any` on either end accepts everything; an int feeds a float; a str and a path feed each other;
a bool feeds an int or a float (Python's own numeric tower).

`array` is a numpy array. A list or a number feeds an array input (the node converts it with numpy), and an
array feeds a float input (the math nodes work elementwise on arrays as numpy does) and a list input (its
numbers, or its rows: list nodes and a Map's mapped inputs take them). `figure` is a matplotlib
`Figure` (what plot nodes make). Neither is ever a JSON value: an array input's own value is a JSON list or
number. Checking values of these types does not import numpy or matplotlib (a value of theirs exists only when
they are imported already).
"""

from __future__ import annotations

import pathlib
import sys
import typing
from typing import Any

TYPE_NAMES: tuple[str, ...] = ("any", "int", "float", "str", "bool", "list", "dict", "path", "array", "figure")

_PYTHON_TYPES: dict[Any, str] = {
    int: "int",
    float: "float",
    str: "str",
    bool: "bool",
    list: "list",
    tuple: "list",
    dict: "dict",
    pathlib.Path: "path",
    typing.Any: "any",
    object: "any",
}

_FOREIGN_TYPES: dict[tuple[str, str], str] = {("numpy", "ndarray"): "array", ("matplotlib.figure", "Figure"): "figure"}

_ACCEPTS: dict[str, frozenset[str]] = {
    "float": frozenset({"int", "bool", "array"}),
    "array": frozenset({"list", "int", "float", "bool"}),
    "list": frozenset({"array"}),
    "int": frozenset({"bool"}),
    "str": frozenset({"path"}),
    "path": frozenset({"str"}),
}


def port_type_name(declared: Any) -> str:
    """Normalise a declared port type (a name or a Python type) to its name."""
    if isinstance(declared, str):
        if declared not in TYPE_NAMES:
            raise ValueError(f"unknown port type {declared!r}; known: {', '.join(TYPE_NAMES)}")
        return declared
    foreign = _FOREIGN_TYPES.get((getattr(declared, "__module__", ""), getattr(declared, "__qualname__", "")))
    if foreign is not None:
        return foreign
    try:
        return _PYTHON_TYPES[declared]
    except (KeyError, TypeError):
        raise ValueError(f"unsupported port type {declared!r}") from None


def compatible(source: str, target: str) -> bool:
    """True when a value of output type `source` may feed an input of type `target`."""
    return source == target or "any" in (source, target) or source in _ACCEPTS.get(target, ())


def value_matches(value: Any, type_name: str) -> bool:
    """True when a concrete value fits a port type (used for property values and Map items)."""
    if type_name == "any" or value is None:
        return True
    if type_name == "bool":
        return isinstance(value, bool)
    if type_name == "int":
        return isinstance(value, int)
    if type_name == "float":
        return isinstance(value, (int, float))
    if type_name == "str":
        return isinstance(value, (str, pathlib.PurePath))
    if type_name == "path":
        return isinstance(value, (str, pathlib.PurePath))
    if type_name == "list":
        return isinstance(value, (list, tuple))
    if type_name == "dict":
        return isinstance(value, dict)
    if type_name == "array":
        return is_array(value) or (isinstance(value, (list, tuple, int, float)))
    if type_name == "figure":
        return _is_instance(value, "matplotlib.figure", "Figure")
    return True


def is_array(value: Any) -> bool:
    """True when `value` is a numpy array (without importing numpy)."""
    return _is_instance(value, "numpy", "ndarray")


def _is_instance(value: Any, module: str, name: str) -> bool:
    loaded = sys.modules.get(module)
    kind = getattr(loaded, name, None) if loaded is not None else None
    return kind is not None and isinstance(value, kind)
