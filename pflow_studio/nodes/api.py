"""The node API: how a node type declares its ports, properties and computation.

A node type is a subclass of `NodeType`. It declares `type_name` (stable, saved in project files),
`inputs` and `outputs` (ports) and `properties` (configuration that is not a port). The executor
creates one instance per model node, with that node's property values, and calls `compute` with
one keyword argument per input port and expects a dict of output values back::

    class Scale(NodeType):
        \"\"\"Multiply a number by a factor.\"\"\"
        type_name = "math.scale"
        inputs = [In("value", float), In("factor", float, default=2.0)]
        outputs = [Out("result", float)]

        def compute(self, value: float, factor: float) -> dict:
            return {"result": value * factor}

An input that no edge feeds takes the node's own value for it (the model node's `input_values`) when
set, else the port's default; a required input (no default) with neither is a validation error.
Properties are not inputs: a property named like a port does not feed it (docs/execution.md).
Types whose ports depend on the instance (Python code, string format, Groups, Maps) override
`input_ports` / `output_ports`. Containers override `execute`, which receives an
`ExecutionContext`: what the executor offers a running node (its path, which inputs were really
provided, the registry, the Map runner, the cancel token, events, running a nested body). The
protocols at the end describe it without importing the runtime. This module imports no Qt.
"""

from __future__ import annotations

import dataclasses
import pathlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from pflow_studio.nodes.properties import property_problems
from pflow_studio.nodes.types import port_type_name

if TYPE_CHECKING:
    from pflow_studio.nodes.registry import Registry


class _NoDefault:
    """Marker for a port or property without a default value."""

    _instance: _NoDefault | None = None

    def __new__(cls) -> _NoDefault:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_DEFAULT"

    def __reduce__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: Any = _NoDefault()


@dataclasses.dataclass(frozen=True)
class In:
    """An input port: name, type name (see `nodes.types`), optional default, doc."""

    name: str
    type: Any = "any"
    default: Any = NO_DEFAULT
    doc: str = ""
    optional: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", port_type_name(self.type))

    @property
    def required(self) -> bool:
        """True when the node cannot run without a value on this port."""
        return self.default is NO_DEFAULT and not self.optional


@dataclasses.dataclass(frozen=True)
class Out:
    """An output port: name, type name, doc."""

    name: str
    type: Any = "any"
    doc: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", port_type_name(self.type))


@dataclasses.dataclass(frozen=True)
class Prop:
    """A property that is not a port: shown in the properties panel, saved as plain JSON.

    `choices` restricts the value to a list; `items` is the type of a list's items; `minimum` and
    `maximum` bound a number; `expects` says in words what the property takes (for messages; else one is
    made from the rest). `nodes.properties` checks values against all of it. `widget` hints the editor
    ("text", "code", "expression", "combo", "check", "json", "list"); the canvas picks one from the type when it
    is empty.
    """

    name: str
    type: Any = "any"
    default: Any = None
    choices: tuple[Any, ...] | None = None
    doc: str = ""
    widget: str = ""
    items: Any = ""
    minimum: float | None = None
    maximum: float | None = None
    expects: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", port_type_name(self.type))
        if self.items:
            object.__setattr__(self, "items", port_type_name(self.items))
        if self.choices is not None:
            object.__setattr__(self, "choices", tuple(self.choices))


class NodeError(Exception):
    """An error raised by a node's computation or configuration; its message is shown to users."""


class NodeType:
    """Base of every node type. Subclasses set the class attributes and override `compute`."""

    type_name: ClassVar[str] = ""
    category: ClassVar[str] = "Other"
    label: ClassVar[str] = ""
    inputs: ClassVar[list[In]] = []
    outputs: ClassVar[list[Out]] = []
    properties: ClassVar[list[Prop]] = []
    cacheable: ClassVar[bool] = True
    version: ClassVar[str] = "1"
    """Part of every cache key of this type's results: change it when `compute` changes what it returns."""
    runs_user_code: ClassVar[bool] = False
    """True when a node of this type runs Python code held in its property values (the app asks before it
    runs such nodes of a project from elsewhere: docs/execution.md, "Trust"). Plug-in types that do set it."""

    def __init__(self, values: Mapping[str, Any] | None = None, body: Any = None, registry: Any = None) -> None:
        """`values`: property values (defaults fill the rest); `body`: a container's workflow;
        `registry`: where a container looks up the node types of its body."""
        self.values: dict[str, Any] = self.default_values()
        if values:
            self.values.update(values)
        self.body = body
        self.registry = registry

    # -- declaration -------------------------------------------------------------------------

    @classmethod
    def display_name(cls) -> str:
        """The human name shown in the palette and on the canvas."""
        return cls.label or cls.__name__

    @classmethod
    def description(cls) -> str:
        """The first line of the class docstring."""
        return (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""

    @classmethod
    def holds_code(cls, values: Mapping[str, Any]) -> bool:
        """Whether a node of this type with these property `values` runs user code: `runs_user_code`, narrowed by
        a type that runs code only in some settings (Fold with an expression)."""
        return cls.runs_user_code

    @classmethod
    def default_values(cls) -> dict[str, Any]:
        """Property defaults (deep-copied so instances never share a mutable default)."""
        import copy

        return {p.name: copy.deepcopy(p.default) for p in cls.properties}

    def input_ports(self) -> list[In]:
        """This instance's input ports (default: the class's `inputs`)."""
        return list(self.inputs)

    def output_ports(self) -> list[Out]:
        """This instance's output ports (default: the class's `outputs`)."""
        return list(self.outputs)

    def input_port(self, name: str) -> In | None:
        return next((p for p in self.input_ports() if p.name == name), None)

    def output_port(self, name: str) -> Out | None:
        return next((p for p in self.output_ports() if p.name == name), None)

    def empty_means(self, name: str) -> str:
        """What the property `name` left empty means for this instance, in a few words (the properties dock shows
        it in the empty field), or "" when nothing in particular."""
        return ""

    def check(self) -> list[str]:
        """Configuration problems of this instance, as messages: property values that do not fit their
        declarations (`nodes.properties`); subclasses add their own checks."""
        return property_problems(self.properties, self.values)

    # -- execution ---------------------------------------------------------------------------

    def is_cacheable(self) -> bool:
        """May this node's results be reused? The type's `cacheable` (False for file writes, randomness,
        time); an instance may refuse too (a Python node set to "never cache")."""
        return self.cacheable

    def inputs_needed(self, available: Mapping[str, Any]) -> list[str] | None:
        """Lazy inputs: which connected inputs must be computed next, given those already known.

        Return None (the default) when every connected input is needed up front. A lazy node
        (If, ExecuteInOrder) returns the names it needs now; it is asked again until it returns
        only names already in `available`, and inputs never asked for are never computed.
        """
        return None

    def execute(self, inputs: dict[str, Any], context: ExecutionContext) -> dict[str, Any]:
        """Run the node. Containers (Group, Map) override this to use the execution context."""
        return self.compute(**inputs)

    def compute(self, **inputs: Any) -> dict[str, Any]:
        """Compute the outputs from the inputs; return {output port name: value}."""
        raise NotImplementedError(f"{type(self).__name__}.compute")


def array_items(value: Any) -> list[Any] | None:
    """The items of a numpy array taken as a list (1-D: its numbers as Python numbers; more dimensions: its
    rows), None when `value` is no array with items. Arrays are told by their `ndim` and `tolist`, so nothing
    here imports numpy."""
    ndim = getattr(value, "ndim", None)
    if not isinstance(ndim, int) or ndim == 0 or not hasattr(value, "tolist"):
        return None
    return value.tolist() if ndim == 1 else list(value)


def as_path(value: Any) -> pathlib.Path:
    """Coerce a path-typed port value (str or Path) to a Path."""
    return value if isinstance(value, pathlib.Path) else pathlib.Path(str(value))


# -- what `execute` receives from the executor -----------------------------------------------


@runtime_checkable
class Cancellation(Protocol):
    """A run's cancel token as nodes see it: checked between steps and handed on to the runner."""

    @property
    def cancelled(self) -> bool: ...

    def raise_if_cancelled(self) -> None: ...

    def wait(self, timeout: float) -> bool: ...


@runtime_checkable
class ElementOutcome(Protocol):
    """What became of one element a runner ran: its value (a dict of function outputs) or its error."""

    index: int
    ok: bool
    value: Any
    error: str
    traceback: str
    engine: int | None
    host: str
    cached: bool


@runtime_checkable
class ElementRunner(Protocol):
    """Runs a task once per element (a Map's runner): one outcome per element (`table[i]`), in input order,
    whatever happened; calls `progress(done, total)` as elements finish and `on_outcomes(block)` with each
    block of finished ones in columns (`runtime.element_table.OutcomeBlock`; every element once, as soon as
    it is known)."""

    name: str

    def map(
        self,
        task: Callable[[dict[str, Any]], dict[str, Any]],
        items: Sequence[dict[str, Any]],
        *,
        progress: Callable[[int, int], None],
        cancel: Cancellation,
        on_outcomes: Callable[[Any], None] | None = None,
    ) -> Sequence[ElementOutcome | None]: ...


@runtime_checkable
class MapMemory(Protocol):
    """One Map run's elements in the element store: the `served` ones need not run (`served.blocks`: blocks
    with the Map indices they serve, `len(served)`, `served.pending(total)`: the indices left to run); the
    others are `record`ed as they finish, a block at a time (element i of `block` is the Map's element
    `at[i]`); `finish(state, not_run)` ends the run."""

    served: Any

    def record(self, block: Any, at: Sequence[int]) -> None: ...

    def finish(self, state: str, not_run: Sequence[int]) -> None: ...


@runtime_checkable
class ElementMemory(Protocol):
    """Where a run keeps Map elements between runs (the runtime's element store, bound to the project).
    `open_map` looks up the elements of one Map run: its body, function node, settings, broadcast values,
    the function inputs each element feeds (`fed`) and every element's bindings."""

    def open_map(self, path: tuple[str, ...], label: str, body: Any, function_id: str, settings: Mapping[str, Any],
                 broadcast: Mapping[str, Any], fed: Sequence[str], items: Sequence[Mapping[str, Any]],
                 registry: Registry) -> MapMemory: ...


@runtime_checkable
class BodyResult(Protocol):
    """The end of a nested body's run: status ("ok", "failed", "cancelled"), and the outputs and
    final state per inner node id."""

    status: str
    outputs: dict[str, dict[str, Any]]
    states: dict[str, str]


@runtime_checkable
class ExecutionContext(Protocol):
    """What `NodeType.execute` receives: the node's `path` (container ids, then its id) and label, the
    inputs really `provided` (not just defaulted), their cache keys, and the run's registry,
    Map runner, element store and cancel token. `emit(kind, **fields)` reports an event about this node (see
    `runtime.events`); `run_body(body, feeds, targets)` runs a container's body (a workflow, as in
    `NodeType.body`) with values fed into inner input ports (port -> (value, cache key)) and
    returns when `targets` (inner node ids) and what they need have run."""

    path: tuple[str, ...]
    label: str
    provided: frozenset[str]
    input_keys: dict[str, str]

    @property
    def registry(self) -> Registry: ...

    @property
    def elements(self) -> ElementMemory | None:
        """The run's element store, or None (no store, or `--no-cache`)."""

    @property
    def runner(self) -> ElementRunner: ...

    @property
    def cancel(self) -> Cancellation: ...

    def emit(self, kind: str, **fields: Any) -> None: ...

    def run_body(self, body: Any, feeds: Mapping[Any, tuple[Any, str]], targets: Iterable[str]) -> BodyResult: ...
