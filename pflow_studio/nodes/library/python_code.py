"""Python nodes: a user's expression or block of code, with ports the user names.

- `py.expression` evaluates one expression; `py.code` runs a block and reads back the variables
  named as outputs. Port lists come from the `inputs` / `outputs` properties: entries "name" or
  "name:type" (a type from `nodes.types`, default any).
- The user's code is compiled and run only in `compute()`, never when a node is loaded or its
  ports are listed; `check()` compiles it to report syntax errors before a run.
- Code runs with the inputs as global variables and the normal builtins (a trusted-user tool).
  It is compiled once per instance and source text; the code object is never pickled, so nodes
  ship to engines with plain pickle or cloudpickle. Tracebacks show the user's own lines.
"""

from __future__ import annotations

import builtins
import hashlib
import keyword
import linecache
from types import CodeType
from typing import Any, ClassVar

from pflow_studio.nodes.api import In, NodeError, NodeType, Out, Prop
from pflow_studio.nodes.types import TYPE_NAMES, value_matches


def parse_port_specs(entries: Any, kind: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(name, type) pairs from "name" / "name:type" entries, and the problems found.

    `kind` ("input" / "output") names the property in messages. A bad type still yields a port
    (of type any) so connections survive while the user fixes it; invalid and repeated names
    yield none."""
    if not isinstance(entries, (list, tuple)):
        return [], [f"property '{kind}s' must be a list of names, not {type(entries).__name__}"]
    specs: list[tuple[str, str]] = []
    problems: list[str] = []
    for position, entry in enumerate(entries, 1):
        if not isinstance(entry, str):
            problems.append(f"{kind} {position} must be text like 'x' or 'x:int', not {entry!r}")
            continue
        name, _, type_name = (part.strip() for part in entry.partition(":"))
        if not name.isidentifier() or keyword.iskeyword(name):
            problems.append(f"{kind} name {name!r} is not a valid Python identifier")
            continue
        if name.startswith("__") and name.endswith("__"):
            problems.append(f"{kind} name {name!r} is reserved")
            continue
        if any(name == taken for taken, _ in specs):
            problems.append(f"{kind} name {name!r} is listed twice")
            continue
        if ":" in entry and type_name not in TYPE_NAMES:
            problems.append(f"{kind} {name!r}: unknown type {type_name!r} (known: {', '.join(TYPE_NAMES)})")
            type_name = "any"
        specs.append((name, type_name or "any"))
    return specs, problems


def code_filename(type_name: str, source: str) -> str:
    """The file name the code `source` of a node of `type_name` is compiled under (tracebacks name it)."""
    return f"<{type_name}-{hashlib.sha1(source.encode()).hexdigest()[:8]}>"


NEVER_CACHE = Prop("never_cache", bool, False, widget="check",
                   doc="never cache (side effects: files, randomness, time): run it every time")


class _PythonNode(NodeType):
    """Shared by py.expression and py.code: ports from properties, lazy compilation, pickling."""

    category = "Python"
    runs_user_code = True
    source_property: ClassVar[str] = ""
    mode: ClassVar[str] = "exec"  # compile() mode

    def input_ports(self) -> list[In]:
        return [In(name, type_name) for name, type_name in parse_port_specs(self.values.get("inputs"), "input")[0]]

    def check(self) -> list[str]:
        problems = super().check()
        if problems:  # the property values themselves are wrong: nothing more to say
            return problems
        problems += self._port_problems()
        try:
            self._code()
        except NodeError as exc:
            problems.append(str(exc))
        return problems

    def _port_problems(self) -> list[str]:
        """What is wrong with the port names listed in the properties."""
        return parse_port_specs(self.values.get("inputs"), "input")[1]

    def is_cacheable(self) -> bool:
        return self.cacheable and not self.values.get("never_cache")

    def _code(self) -> CodeType:
        """The compiled source, cached per instance and source text; NodeError on a syntax error."""
        source = self.values.get(self.source_property)
        cached = self.__dict__.get("_compiled")
        if cached is not None and cached[0] == source:
            return cached[1]
        if not isinstance(source, str):
            raise NodeError(f"property '{self.source_property}' must be text, not {type(source).__name__}")
        if self.mode == "eval" and not source.strip():
            raise NodeError(f"property '{self.source_property}' is empty")
        filename = code_filename(self.type_name, source)
        try:
            code = compile(source, filename, self.mode)
        except SyntaxError as exc:
            where = f"line {exc.lineno}" + (f", column {exc.offset}" if exc.offset and exc.offset > 0 else "")
            raise NodeError(f"syntax error in {self.source_property} at {where}: {exc.msg}") from None
        except ValueError as exc:  # e.g. a null byte
            raise NodeError(f"{self.source_property} cannot be compiled: {exc}") from None
        # Lets tracebacks quote the user's lines; mtime None keeps checkcache from dropping it.
        linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
        self._compiled = (source, code)
        return code

    def _namespace(self, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"__builtins__": builtins, "__name__": self.type_name, **inputs}

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_compiled", None)
        return state


class Expression(_PythonNode):
    """Evaluate a Python expression of the input variables, e.g. "x * 2 + y"."""

    type_name = "py.expression"
    label = "Python Expression"
    source_property = "expression"
    mode = "eval"
    properties = [
        Prop("expression", str, "x", doc="a Python expression of the input names", widget="expression"),
        Prop("inputs", list, ["x"], doc='input names, optionally typed: "x", "n:int"', widget="list",
             items=str, expects='a list of names like "x" or "n:int"'),
        NEVER_CACHE,
    ]
    outputs = [Out("result", "any")]

    def compute(self, /, **inputs: Any) -> dict[str, Any]:
        return {"result": eval(self._code(), self._namespace(inputs))}


class Code(_PythonNode):
    """Run a block of Python code; inputs are variables, outputs are the variables it assigns."""

    type_name = "py.code"
    label = "Python Code"
    source_property = "code"
    properties = [
        Prop("code", str, "result = x", doc="Python code; assign every output variable", widget="code"),
        Prop("inputs", list, ["x"], doc='input names, optionally typed: "x", "n:int"', widget="list",
             items=str, expects='a list of names like "x" or "n:int"'),
        Prop("outputs", list, ["result"], doc='output variable names, optionally typed: "y:float"', widget="list",
             items=str, expects='a list of names like "y" or "y:float"'),
        NEVER_CACHE,
    ]

    def output_ports(self) -> list[Out]:
        return [Out(name, type_name) for name, type_name in parse_port_specs(self.values.get("outputs"), "output")[0]]

    def _port_problems(self) -> list[str]:
        return super()._port_problems() + parse_port_specs(self.values.get("outputs"), "output")[1]

    def compute(self, /, **inputs: Any) -> dict[str, Any]:
        namespace = self._namespace(inputs)
        exec(self._code(), namespace)
        return {port.name: _read_output(namespace, port) for port in self.output_ports()}


def _read_output(namespace: dict[str, Any], port: Out) -> Any:
    if port.name not in namespace:
        raise NodeError(f"output '{port.name}' was never assigned by the code")
    value = namespace[port.name]
    if not value_matches(value, port.type):
        raise NodeError(f"output '{port.name}' is declared {port.type} but the code set it to "
                        f"{type(value).__name__} {value!r:.60}")
    return value

