"""Arithmetic on numbers: binary operations (inputs `a`, `b`), unary ones (input `value`), comparison
and rounding. Every node's output is `result`. Failures (division by zero, a non-real power, a value
that is not a number) raise `NodeError` naming the operation and its operands."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, ClassVar

from pflow_studio.nodes.api import NO_DEFAULT, In, NodeError, NodeType, Out, Prop


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
            result = self.apply(a, b)
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
    apply = staticmethod(min)

    def describe(self, a: Any, b: Any) -> str:
        return f"min({a!r}, {b!r})"


class Maximum(_Binary):
    """The larger of a and b."""

    type_name = "math.max"
    label = "Maximum"
    apply = staticmethod(max)

    def describe(self, a: Any, b: Any) -> str:
        return f"max({a!r}, {b!r})"


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
        return bool(compare(a, b))


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
            return {"result": self.apply(value)}
        except TypeError:
            raise NodeError(f"cannot {self.verb} {value!r}: input 'value' must be a number, "
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
            result = round(value, digits)
        except TypeError:
            raise NodeError(f"cannot round {value!r}: input 'value' must be a number, "
                            f"got {type(value).__name__}") from None
        return {"result": result}
