"""Array nodes: make numpy arrays (from a list, linspace, arange), stack them, reduce them along an axis, and turn
them into lists (to Map over their rows).
Category "Arrays". An array input also takes a list or a number (converted with `numpy.asarray`). A reduction
over all axes gives a plain Python number; along an axis, an array. numpy's failures (a ragged list, shapes that
do not fit, an axis out of range) raise `NodeError` with numpy's reason."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import numpy as np

from pflow_studio.nodes.api import In, NodeError, NodeType, Out, Prop, array_items

DTYPES = ("auto", "float64", "float32", "int64", "int32", "bool", "complex128")
MAX_ELEMENTS = 2**31
"""The most elements linspace and arange make: a mistyped step must not fill the machine's memory."""


@contextmanager
def numpy_errors(doing: str) -> Iterator[None]:
    """Turn numpy's ValueError / TypeError (and its AxisError) into a `NodeError` saying what was being done."""
    try:
        yield
    except (ValueError, TypeError, IndexError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise NodeError(f"cannot {doing}: {reason}") from None


def as_array(value: Any, port: str, dtype: str = "auto") -> np.ndarray:
    """An array input's value as an array (lists and numbers converted), or a NodeError naming the port."""
    if isinstance(value, (str, bytes, dict)):
        raise NodeError(f"input '{port}' must be an array, a list or a number, not {type(value).__name__}")
    with numpy_errors(f"make an array of input '{port}'"):
        array = np.asarray(value, dtype=None if dtype == "auto" else dtype)
    if array.dtype == object:
        raise NodeError(f"input '{port}' must hold numbers, not objects of mixed kinds")
    return array


def plain(value: Any) -> Any:
    """A numpy scalar or 0-d array as the Python number it holds; an array unchanged."""
    return value.item() if isinstance(value, np.generic) or (isinstance(value, np.ndarray) and value.ndim == 0) \
        else value


def _count(count: float, what: str) -> None:
    if count > MAX_ELEMENTS:
        raise NodeError(f"{what} would make {count:.0f} elements (at most {MAX_ELEMENTS})")


class FromList(NodeType):
    """A numpy array of a (nested) list of numbers."""

    type_name = "array.from_list"
    label = "Array from List"
    category = "Arrays"
    inputs = [In("values", list, doc="numbers, or lists of numbers of equal length")]
    outputs = [Out("array", "array")]
    properties = [Prop("dtype", str, "auto", choices=DTYPES, doc="the element type (auto: numpy's choice)",
                       widget="combo")]

    def compute(self, values: Any) -> dict[str, Any]:
        return {"array": as_array(values, "values", self.values["dtype"])}


class ToList(NodeType):
    """An array as a list of its rows: plain Python numbers for a 1-D array, arrays one dimension less otherwise
    (what a Map takes, one element per row)."""

    type_name = "array.to_list"
    label = "Array to List"
    category = "Arrays"
    inputs = [In("array", "array")]
    outputs = [Out("list", list)]

    def compute(self, array: Any) -> dict[str, Any]:
        data = as_array(array, "array")
        if data.ndim == 0:
            raise NodeError("input 'array' must have at least one dimension, got a single number")
        return {"list": array_items(data)}


class Linspace(NodeType):
    """`num` evenly spaced numbers from `start` to `stop` (numpy.linspace)."""

    type_name = "array.linspace"
    label = "Linspace"
    category = "Arrays"
    inputs = [In("start", float, default=0.0), In("stop", float, default=1.0),
              In("num", int, default=50, doc="how many numbers")]
    outputs = [Out("array", "array")]
    properties = [Prop("endpoint", bool, True, doc="include stop")]

    def compute(self, start: Any, stop: Any, num: Any) -> dict[str, Any]:
        if isinstance(num, bool) or not isinstance(num, int) or num < 0:
            raise NodeError(f"input 'num' must be a whole number of at least 0, not {num!r}")
        _count(num, "linspace")
        with numpy_errors("make a linspace"):
            return {"array": np.linspace(start, stop, num, endpoint=self.values["endpoint"])}


class Arange(NodeType):
    """Numbers from `start` up to (not including) `stop`, counting by `step` (numpy.arange)."""

    type_name = "array.arange"
    label = "Arange"
    category = "Arrays"
    inputs = [In("start", float, default=0.0), In("stop", float), In("step", float, default=1.0, doc="not 0")]
    outputs = [Out("array", "array")]

    def compute(self, start: Any, stop: Any, step: Any) -> dict[str, Any]:
        if step == 0:
            raise NodeError("input 'step' must not be 0")
        with numpy_errors("make an arange"):
            _count((stop - start) / step, "arange")
            return {"array": np.arange(start, stop, step)}


class Stack(NodeType):
    """Arrays of one shape joined along a new axis (numpy.stack): N arrays of shape S make one of N x S."""

    type_name = "array.stack"
    label = "Stack Arrays"
    category = "Arrays"
    inputs = [In("arrays", list, doc="a list of arrays (or lists) of the same shape")]
    outputs = [Out("array", "array")]
    properties = [Prop("axis", int, 0, doc="where the new axis goes")]

    def compute(self, arrays: Any) -> dict[str, Any]:
        if not isinstance(arrays, (list, tuple)) or not arrays:
            raise NodeError("input 'arrays' must be a non-empty list of arrays")
        parts = [as_array(part, f"arrays[{i}]") for i, part in enumerate(arrays)]
        with numpy_errors("stack the arrays"):
            return {"array": np.stack(parts, axis=self.values["axis"])}


class _Reduction(NodeType):
    """Base of the reductions along an axis; subclasses set `function` and `verb`."""

    category = "Arrays"
    inputs = [In("array", "array")]
    outputs = [Out("result", "array", doc="a number when reducing over all axes, else an array")]
    properties = [Prop("axis", int, None, doc="the axis to reduce along; empty: all of them")]
    function: ClassVar[Callable[..., Any]]
    verb: ClassVar[str] = "reduce"

    def options(self) -> dict[str, Any]:
        return {}

    def compute(self, array: Any) -> dict[str, Any]:
        data = as_array(array, "array")
        with numpy_errors(f"take the {self.verb} of an array of shape {data.shape}"):
            return {"result": plain(type(self).function(data, axis=self.values["axis"], **self.options()))}


class Sum(_Reduction):
    """The sum of an array's elements, along an axis or over all."""

    type_name = "array.sum"
    label = "Array Sum"
    function = staticmethod(np.sum)
    verb = "sum"


class Mean(_Reduction):
    """The mean of an array's elements, along an axis or over all."""

    type_name = "array.mean"
    label = "Array Mean"
    function = staticmethod(np.mean)
    verb = "mean"


class Std(_Reduction):
    """The standard deviation of an array's elements, along an axis or over all."""

    type_name = "array.std"
    label = "Array Std"
    function = staticmethod(np.std)
    verb = "standard deviation"
    properties = [*_Reduction.properties, Prop("ddof", int, 0, minimum=0, doc="delta degrees of freedom")]

    def options(self) -> dict[str, Any]:
        return {"ddof": self.values["ddof"]}


class Min(_Reduction):
    """The smallest of an array's elements, along an axis or over all."""

    type_name = "array.min"
    label = "Array Min"
    function = staticmethod(np.min)
    verb = "minimum"


class Max(_Reduction):
    """The largest of an array's elements, along an axis or over all."""

    type_name = "array.max"
    label = "Array Max"
    function = staticmethod(np.max)
    verb = "maximum"
