"""VisTrails Control Flow list products: ElementwiseProduct, Dot, Cross, CartesianProduct.

- Two lists of unequal length are an error naming both lengths (never silent truncation); Cross
  needs two lists of exactly 3 elements.
- Pairs and combined tuples are Python tuples (Map's VisTrails mode takes them as one value per
  port); JSON output shows them as lists. An input list is never modified.
- VisTrails' flag ports (NumericalProduct, CombineTuple) are inputs with a default of True: left
  unconnected, they take the node's own input value, else True.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from pflow_studio.nodes.api import In, NodeError, NodeType, Out
from pflow_studio.nodes.library.control_flow import CATEGORY, OPERATIONS, fold, require_bool, require_list

_LISTS = [In("list1", list), In("list2", list)]


def _equal_lists(list1: Any, list2: Any) -> tuple[Sequence[Any], Sequence[Any]]:
    """Both inputs as lists of equal length, or a NodeError with both lengths."""
    list1, list2 = require_list(list1, "list1"), require_list(list2, "list2")
    if len(list1) != len(list2):
        raise NodeError(f"list1 and list2 must have equal lengths: list1 has {len(list1)}, list2 has {len(list2)}")
    return list1, list2


def _products(list1: Sequence[Any], list2: Sequence[Any]) -> list[Any]:
    """[a * b for each position], with a NodeError naming the position that cannot be multiplied."""
    products = []
    for index, (a, b) in enumerate(zip(list1, list2, strict=True)):
        try:
            products.append(a * b)
        except Exception as exc:
            raise NodeError(f"element {index}: cannot multiply {a!r:.40} by {b!r:.40}: {exc}") from exc
    return products


def _as_tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


class ElementwiseProduct(NodeType):
    """Multiply two equal-length lists position by position, or pair them up (numerical_product off)."""

    type_name = "cf.elementwise_product"
    label = "Elementwise Product"
    category = CATEGORY
    inputs = [*_LISTS, In("numerical_product", bool, default=True, doc="False: (a, b) pairs instead of a * b")]
    outputs = [Out("result", list)]

    def compute(self, list1: Sequence[Any], list2: Sequence[Any], numerical_product: bool) -> dict[str, Any]:
        list1, list2 = _equal_lists(list1, list2)
        if require_bool(numerical_product, "input 'numerical_product'"):
            return {"result": _products(list1, list2)}
        return {"result": list(zip(list1, list2, strict=True))}


class Dot(NodeType):
    """The dot product of two equal-length lists: the sum of their elementwise products."""

    type_name = "cf.dot"
    label = "Dot Product"
    category = CATEGORY
    inputs = list(_LISTS)
    outputs = [Out("result", "any")]

    def compute(self, list1: Sequence[Any], list2: Sequence[Any]) -> dict[str, Any]:
        return {"result": fold(_products(*_equal_lists(list1, list2)), OPERATIONS["add"], None, "dot product")}


class Cross(NodeType):
    """The cross product of two 3-D vectors (lists of 3 numbers), as a list of 3."""

    type_name = "cf.cross"
    label = "Cross Product"
    category = CATEGORY
    inputs = list(_LISTS)
    outputs = [Out("result", list)]

    def compute(self, list1: Sequence[Any], list2: Sequence[Any]) -> dict[str, Any]:
        a, b = require_list(list1, "list1"), require_list(list2, "list2")
        for port, vector in (("list1", a), ("list2", b)):
            if len(vector) != 3:
                raise NodeError(f"input '{port}' must have 3 elements for a cross product, not {len(vector)}")
        try:
            return {"result": [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]}
        except Exception as exc:
            raise NodeError(f"cross product of {a!r:.60} and {b!r:.60}: {type(exc).__name__}: {exc}") from exc


class CartesianProduct(NodeType):
    """Every (a, b) pair of two lists, list1 slowest; combine_tuple flattens list/tuple elements."""

    type_name = "cf.cartesian_product"
    label = "Cartesian Product"
    category = CATEGORY
    inputs = [*_LISTS, In("combine_tuple", bool, default=True,
                          doc="concatenate list/tuple elements: [(1, 2)] x [3] -> [(1, 2, 3)]")]
    outputs = [Out("result", list)]

    def compute(self, list1: Sequence[Any], list2: Sequence[Any], combine_tuple: bool) -> dict[str, Any]:
        pairs = itertools.product(require_list(list1, "list1"), require_list(list2, "list2"))
        if require_bool(combine_tuple, "input 'combine_tuple'"):
            return {"result": [_as_tuple(a) + _as_tuple(b) for a, b in pairs]}
        return {"result": list(pairs)}
