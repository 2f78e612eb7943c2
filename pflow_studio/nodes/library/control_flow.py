"""VisTrails Control Flow nodes: Fold (and Sum, And, Or built on it), If, Default, ExecuteInOrder.

- One table, `OPERATIONS`, holds every fold step; `fold()` is the only loop. Sum, And and Or are
  `fold` with a fixed operation; Fold chooses one by property, or a Python `expression` of `acc`
  (the value so far) and `x` (the element).
- Without an initial value (None counts as none) a fold starts from the operation's identity (add 0,
  multiply 1, and True, or False); min, max, concat and expression start from the first element,
  so an empty list with no initial value is an error for them.
- And/Or (and Fold's and/or) take only bools: a non-bool element is an error naming its index.
- If, Default and ExecuteInOrder are lazy (`inputs_needed`): If computes only the chosen branch,
  Default computes `default` only when `input` is None, ExecuteInOrder computes what `first` needs
  before it asks for `second`. Upstream nodes shared with other branches of the run may already
  have run; laziness orders and skips only what these nodes alone ask for.
For and While (VisTrails' loops, containers with a body) are in `runtime.loops`; Map and Filter in
`runtime.containers`.
"""

from __future__ import annotations

import builtins
import dataclasses
import operator
from collections.abc import Callable, Mapping, Sequence
from types import CodeType
from typing import Any, ClassVar

from pflow_studio.nodes.api import NO_DEFAULT, In, NodeError, NodeType, Out, Prop

CATEGORY = "Control Flow"


def require_list(value: Any, port: str) -> Sequence[Any]:
    """A list input's value (a list or tuple), or a NodeError naming the port."""
    if not isinstance(value, (list, tuple)):
        raise NodeError(f"input '{port}' must be a list, not {type(value).__name__} {value!r:.60}")
    return value


def require_bool(value: Any, what: str) -> bool:
    """`value` when it is True or False, else a NodeError naming `what` (a port or an element)."""
    if not isinstance(value, bool):
        raise NodeError(f"{what} must be True or False, not {type(value).__name__} {value!r:.60}")
    return value


@dataclasses.dataclass(frozen=True)
class Operation:
    """One fold step `step(acc, x)`; `identity` is the start without an initial value (NO_DEFAULT:
    start from the first element); `bools_only` rejects non-bool elements."""

    step: Callable[[Any, Any], Any]
    identity: Any = NO_DEFAULT
    bools_only: bool = False


OPERATIONS: dict[str, Operation] = {
    "add": Operation(operator.add, 0),
    "multiply": Operation(operator.mul, 1),
    "min": Operation(min),
    "max": Operation(max),
    "and": Operation(lambda acc, x: acc and x, True, bools_only=True),
    "or": Operation(lambda acc, x: acc or x, False, bools_only=True),
    "concat": Operation(operator.concat),
}
FOLD_CHOICES = (*OPERATIONS, "expression")


def fold(items: Sequence[Any], operation: Operation, initial: Any = None, name: str = "fold") -> Any:
    """Fold `items` with `operation` from `initial` (None: the identity, else the first element).

    Every failure is a NodeError naming `name` and the element's index."""
    if operation.bools_only:
        if initial is not None:
            require_bool(initial, "input 'initial'")
        for index, item in enumerate(items):
            require_bool(item, f"element {index} of input_list")
    if initial is not None:
        acc, start = initial, 0
    elif operation.identity is not NO_DEFAULT:
        acc, start = operation.identity, 0
    elif items:
        acc, start = items[0], 1
    else:
        raise NodeError(f"{name} of an empty list needs an initial value")
    for index in range(start, len(items)):
        try:
            acc = operation.step(acc, items[index])
        except Exception as exc:
            raise NodeError(f"{name} failed at element {index} ({items[index]!r:.60}): "
                            f"{type(exc).__name__}: {exc}") from exc
    return acc


def compile_expression(source: Any) -> CodeType:
    """Compile Fold's `expression`; NodeError when it is not text, is empty or has a syntax error."""
    if not isinstance(source, str):
        raise NodeError(f"property 'expression' must be text, not {type(source).__name__}")
    if not source.strip():
        raise NodeError("property 'expression' is empty")
    try:
        return compile(source, "<cf.fold expression>", "eval")
    except SyntaxError as exc:
        raise NodeError(f"syntax error in expression at line {exc.lineno}: {exc.msg}") from None
    except ValueError as exc:  # e.g. a null byte
        raise NodeError(f"expression cannot be compiled: {exc}") from None


class Fold(NodeType):
    """Combine a list's elements one by one, from an initial value, with an operation or expression."""

    type_name = "cf.fold"
    label = "Fold"
    category = CATEGORY
    inputs = [In("input_list", list),
              In("initial", "any", optional=True, doc="the start value; unset: the operation's identity")]
    outputs = [Out("result", "any")]
    runs_user_code = True  # with the operation "expression"
    properties = [
        Prop("operation", str, "add", choices=FOLD_CHOICES, widget="combo"),
        Prop("expression", str, "acc + x", doc="operation 'expression': a Python expression of acc and x",
             widget="expression"),
    ]

    @classmethod
    def holds_code(cls, values: Mapping[str, Any]) -> bool:
        return values.get("operation") == "expression"

    def check(self) -> list[str]:
        problems = super().check()
        if self.values.get("operation") == "expression":
            try:
                compile_expression(self.values.get("expression"))
            except NodeError as exc:
                problems.append(str(exc))
        return problems

    def operation(self) -> tuple[Operation, str]:
        """The chosen operation and its name for messages."""
        chosen = self.values.get("operation")
        if chosen == "expression":
            source = self.values.get("expression")
            code = compile_expression(source)
            step = lambda acc, x: eval(code, {"__builtins__": builtins, "acc": acc, "x": x})  # noqa: E731
            return Operation(step), f"expression {source!r}"
        if chosen not in OPERATIONS:
            raise NodeError(f"property 'operation' must be one of {list(FOLD_CHOICES)}, not {chosen!r}")
        return OPERATIONS[chosen], str(chosen)

    def compute(self, input_list: Sequence[Any], initial: Any) -> dict[str, Any]:
        operation, name = self.operation()
        return {"result": fold(require_list(input_list, "input_list"), operation, initial, name)}


class _FixedFold(NodeType):
    """A fold with a fixed operation from `OPERATIONS` (VisTrails' Fold subclasses)."""

    category = CATEGORY
    operation: ClassVar[str] = ""
    inputs = [In("input_list", list)]
    outputs = [Out("result", "any")]

    def compute(self, input_list: Sequence[Any]) -> dict[str, Any]:
        return {"result": fold(require_list(input_list, "input_list"), OPERATIONS[self.operation], None,
                               self.operation)}


class Sum(_FixedFold):
    """The sum of a list's elements: 0 + e1 + e2 + ... (0 for an empty list)."""

    type_name = "cf.sum"
    label = "Sum"
    operation = "add"


class And(_FixedFold):
    """True when every element of a list of bools is True (True for an empty list)."""

    type_name = "cf.and"
    label = "And"
    operation = "and"
    outputs = [Out("result", bool)]


class Or(_FixedFold):
    """True when any element of a list of bools is True (False for an empty list)."""

    type_name = "cf.or"
    label = "Or"
    operation = "or"
    outputs = [Out("result", bool)]


class If(NodeType):
    """Pass on true_value or false_value by condition; only the chosen branch is computed."""

    type_name = "cf.if"
    label = "If"
    category = CATEGORY
    inputs = [In("condition", bool), In("true_value", "any", optional=True),
              In("false_value", "any", optional=True)]
    outputs = [Out("result", "any")]

    def inputs_needed(self, available: Mapping[str, Any]) -> list[str]:
        condition = available.get("condition")
        if not isinstance(condition, bool):  # not known yet, or bad: compute() reports it
            return ["condition"]
        return ["condition", "true_value" if condition else "false_value"]

    def compute(self, condition: bool, true_value: Any, false_value: Any) -> dict[str, Any]:
        return {"result": true_value if require_bool(condition, "input 'condition'") else false_value}


class Default(NodeType):
    """Pass on input when it has a value (not None), else default; default is computed only then."""

    type_name = "cf.default"
    label = "Default"
    category = CATEGORY
    inputs = [In("input", "any", optional=True), In("default", "any")]
    outputs = [Out("result", "any")]

    def inputs_needed(self, available: Mapping[str, Any]) -> list[str]:
        if "input" in available and available["input"] is None:
            return ["input", "default"]
        return ["input"]

    def compute(self, input: Any, default: Any) -> dict[str, Any]:
        return {"result": default if input is None else input}


class ExecuteInOrder(NodeType):
    """Compute first, then second (for side effects); result is second's value, first is first's."""

    type_name = "cf.execute_in_order"
    label = "Execute In Order"
    category = CATEGORY
    inputs = [In("first", "any", optional=True), In("second", "any", optional=True)]
    outputs = [Out("result", "any"), Out("first", "any")]

    def inputs_needed(self, available: Mapping[str, Any]) -> list[str]:
        return ["first", "second"] if "first" in available else ["first"]

    def compute(self, first: Any, second: Any) -> dict[str, Any]:
        return {"result": second, "first": first}
