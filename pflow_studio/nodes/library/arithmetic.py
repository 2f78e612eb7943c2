"""Arithmetic on numbers: binary operations (inputs `a`, `b`), unary ones (input `value`), comparison
and rounding. Every node's output is `result`. Failures (division by zero, a non-real power, a value
that is not a number) raise `NodeError` naming the operation and its operands.

A numpy array on an input makes the operation elementwise, as numpy computes it (broadcasting; Compare gives an
array of bools): there a division by zero gives inf or nan like numpy, without warnings, and shapes that do not
broadcast are the error. numpy is only used when an array comes in (it is loaded then)."""

from __future__ import annotations

import contextlib
import operator
import sys
from collections.abc import Callable
from typing import Any, ClassVar

from pflow_studio.nodes.api import NO_DEFAULT, In, NodeError, NodeType, Out, Prop
from pflow_studio.nodes.types import is_array


def _elementwise(*values: Any) -> contextlib.AbstractContextManager[Any]:
    """numpy's silence about inf / nan while computing on arrays; nothing for plain numbers."""
    if any(map(is_array, values)):
        return sys.modules["numpy"].errstate(all="ignore")
    return contextlib.nullcontext()


def _operands(b_default: Any = NO_DEFAULT) -> list[In]:
    return [In("a", float, doc="left operand"), In("b", float, default=b_default, doc="right operand")]


class _Binary(NodeType):
    """Base of `result = a <op> b`; subclasses set `symbol` and override `apply`."""

    category = "Math"
    inputs = _operands()
    outputs = [Out("result", float)]
    symbol: ClassVar[str] = "?"

    def apply(self, a: Any, b: Any) -> Any:
        raise NotImplementedError

    def describe(self, a: Any, b: Any) -> str:
        """The operation as users read it in an error message."""
        return f"{_show(a)} {self.symbol} {_show(b)}"

    def compute(self, a: Any, b: Any) -> dict[str, Any]:
        try:
            with _elementwise(a, b):
                result = self.apply(a, b)
        except ValueError as exc:  # only numpy raises it here: shapes that do not broadcast
            raise NodeError(f"cannot compute {self.describe(a, b)}: {str(exc).splitlines()[0]}") from None
        except ZeroDivisionError:
            culprit = " (input 'b' is 0)" if b == 0 else ""
            raise NodeError(f"{self.describe(a, b)}: division by zero{culprit}") from None
        except OverflowError:
            raise NodeError(f"{self.describe(a, b)}: the result is too large") from None
        except TypeError:
            raise NodeError(f"cannot compute {self.describe(a, b)}: inputs 'a' and 'b' must be numbers, "
                            f"got {type(a).__name__} and {type(b).__name__}") from None
        if isinstance(result, complex):
            raise NodeError(f"{self.describe(a, b)} has no real result")
        return {"result": result}


def _show(value: Any) -> str:
    if is_array(value):
        return f"array{value.shape}"
    text = repr(value)
    return f"({text})" if text.startswith("-") else text


class Add(_Binary):
    """a + b."""

    type_name = "math.add"
    label = "Add"
    inputs = _operands(0.0)
    symbol = "+"
    apply = staticmethod(operator.add)


class Subtract(_Binary):
    """a - b."""

    type_name = "math.subtract"
    label = "Subtract"
    inputs = _operands(0.0)
    symbol = "-"
    apply = staticmethod(operator.sub)


class Multiply(_Binary):
    """a * b."""

    type_name = "math.multiply"
    label = "Multiply"
    inputs = _operands(1.0)
    symbol = "*"
    apply = staticmethod(operator.mul)


class Divide(_Binary):
    """a / b (true division; b = 0 is an error)."""

    type_name = "math.divide"
    label = "Divide"
    inputs = _operands(1.0)
    symbol = "/"
    apply = staticmethod(operator.truediv)


class Power(_Binary):
    """a raised to the power b (a result that is not a real number is an error)."""

    type_name = "math.power"
    label = "Power"
    inputs = _operands(1.0)
    symbol = "**"
    apply = staticmethod(operator.pow)


class Modulo(_Binary):
    """a modulo b, with the sign of b as in Python (b = 0 is an error)."""

    type_name = "math.modulo"
    label = "Modulo"
    symbol = "%"
    apply = staticmethod(operator.mod)


class Minimum(_Binary):
    """The smaller of a and b."""

    type_name = "math.min"
    label = "Minimum"

    def apply(self, a: Any, b: Any) -> Any:
        return sys.modules["numpy"].minimum(a, b) if is_array(a) or is_array(b) else min(a, b)

    def describe(self, a: Any, b: Any) -> str:
        return f"min({_show(a)}, {_show(b)})"


class Maximum(_Binary):
    """The larger of a and b."""

    type_name = "math.max"
    label = "Maximum"

    def apply(self, a: Any, b: Any) -> Any:
        return sys.modules["numpy"].maximum(a, b) if is_array(a) or is_array(b) else max(a, b)

    def describe(self, a: Any, b: Any) -> str:
        return f"max({_show(a)}, {_show(b)})"


COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    ">": operator.gt,
}


class Compare(_Binary):
    """a <op> b, with op one of <, <=, ==, !=, >=, > (property `op`); the result is a bool."""

    type_name = "math.compare"
    label = "Compare"
    outputs = [Out("result", bool)]
    properties = [Prop("op", str, "<", choices=tuple(COMPARISONS), doc="the comparison", widget="combo")]

    def describe(self, a: Any, b: Any) -> str:
        return f"{_show(a)} {self.values.get('op')} {_show(b)}"

    def apply(self, a: Any, b: Any) -> bool:
        try:
            compare = COMPARISONS[self.values["op"]]
        except KeyError:
            raise NodeError(f"property 'op' must be one of {list(COMPARISONS)}, not {self.values['op']!r}") from None
        result = compare(a, b)
        return result if is_array(result) else bool(result)


class _Unary(NodeType):
    """Base of `result = f(value)`; subclasses set `verb` and override `apply`."""

    category = "Math"
    inputs = [In("value", float)]
    outputs = [Out("result", float)]
    verb: ClassVar[str] = "?"

    def apply(self, value: Any) -> Any:
        raise NotImplementedError

    def compute(self, value: Any) -> dict[str, Any]:
        try:
            with _elementwise(value):
                return {"result": self.apply(value)}
        except TypeError:
            raise NodeError(f"cannot {self.verb} {_show(value)}: input 'value' must be a number, "
                            f"got {type(value).__name__}") from None


class Negate(_Unary):
    """-value."""

    type_name = "math.negate"
    label = "Negate"
    verb = "negate"
    apply = staticmethod(operator.neg)


class Absolute(_Unary):
    """The absolute value |value|."""

    type_name = "math.abs"
    label = "Absolute"
    verb = "take the absolute value of"
    apply = staticmethod(abs)


class Round(NodeType):
    """value rounded to `digits` decimals (Python's round: a half goes to the even neighbour)."""

    type_name = "math.round"
    label = "Round"
    category = "Math"
    inputs = [In("value", float), In("digits", int, default=0, doc="decimals to keep; negative rounds to tens...")]
    outputs = [Out("result", float)]

    def compute(self, value: Any, digits: Any) -> dict[str, Any]:
        if isinstance(digits, bool) or not isinstance(digits, int):
            raise NodeError(f"input 'digits' must be a whole number, not {digits!r}")
        try:
            result = value.round(digits) if is_array(value) else round(value, digits)
        except TypeError:
            raise NodeError(f"cannot round {_show(value)}: input 'value' must be a number, "
                            f"got {type(value).__name__}") from None
        return {"result": result}
