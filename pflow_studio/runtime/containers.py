"""Container node types: Group, Map and Filter (For and While are in `runtime.loops`). Their ports come from
their body workflow.

- **Group** (`core.group`): the body's boundary ports are the group's ports. A boundary input's
  type is that of its first inner target; a boundary output's type is its inner source's.
- **Map** (`core.map`): the body holds exactly one node (a plain node or a Group), the function.
  In `ports` mode every function input is a Map input: *mapped* inputs (listed in the `mapped`
  property) take a list, one element per task; the others are *broadcast*: one value for every
  task (left unconnected, the function node's own value or default applies). Several mapped lists
  combine as `zip` (equal lengths required) or `product` (cartesian, first list slowest). Every
  function output becomes a list output of the same name, in input order.
  In `vistrails` mode (VisTrails Control Flow's Map): input `input_list` takes the list; the
  `input_ports` property names the function inputs each element feeds (one name: the element is
  the value; several: each element is a tuple of that length, position k to port k); the
  remaining function inputs are broadcast; output `result` collects the `output_port` output.
- **Filter** (`core.filter`): the same inputs as a Map; keeps the elements for which the function's
  `output_port` output (default: its first output) is True, in order; a non-bool is an error.
  Output `result`: the kept elements (with several mapped inputs, tuples of their values).

Map and Filter run through `runtime.mapping`; this module declares ports and checks configuration.
"""

from __future__ import annotations

from typing import Any

from pflow_studio.nodes.api import ExecutionContext, In, NodeType, Out, Prop
from pflow_studio.runtime.cancel import Cancelled
from pflow_studio.runtime.container_types import FILTER_TYPE, GROUP_TYPE, MAP_TYPE
from pflow_studio.runtime.errors import BodyFailed
from pflow_studio.runtime.graph import instantiate
from pflow_studio.runtime.mapping import run_filter, run_map
from pflow_studio.runtime.model import Node

MAP_MODES = ("ports", "vistrails")
COMBINE_MODES = ("zip", "product")
ON_ERROR_MODES = ("fail", "skip", "none")


class Group(NodeType):
    """A sub-workflow collapsed into one node; its ports are the body's boundary ports."""

    type_name = GROUP_TYPE
    category = "Structure"
    label = "Group"

    def input_ports(self) -> list[In]:
        ports = []
        for boundary in self.body.inputs if self.body is not None else []:
            port_type, required = "any", False
            for index, target in enumerate(boundary.targets):
                inner_node = self.body.nodes.get(target.node)
                inner = instantiate(inner_node, self.registry).input_port(target.port) if inner_node else None
                if inner is None:
                    continue
                if index == 0:
                    port_type = inner.type
                required = required or (inner.required and target.port not in inner_node.input_values)
            # Left unconnected, a boundary input leaves its inner targets to their own values.
            ports.append(In(boundary.name, port_type, optional=not required))
        return ports

    def execute(self, inputs: dict[str, Any], context: ExecutionContext) -> dict[str, Any]:
        """Feed the provided inputs to the inner targets, run the body, return boundary outputs."""
        feeds = {}
        for boundary in self.body.inputs:
            if boundary.name in context.provided:
                value, key = inputs[boundary.name], context.input_keys[boundary.name]
                feeds.update({target: (value, key) for target in boundary.targets})
        targets = [b.source.node for b in self.body.outputs] + self.body.sinks()
        result = context.run_body(self.body, feeds, targets)
        if result.status == "cancelled":
            raise Cancelled("the run was cancelled")
        failed = [self.body.nodes[n].label for n, state in result.states.items() if state == "failed"]
        if failed:
            raise BodyFailed(f"inner node(s) failed: {', '.join(failed)}")
        outputs = {}
        for boundary in self.body.outputs:
            produced = result.outputs.get(boundary.source.node)
            if produced is None or boundary.source.port not in produced:
                raise BodyFailed(f"output '{boundary.name}': inner node '{boundary.source.node}' did not run")
            outputs[boundary.name] = produced[boundary.source.port]
        return outputs

    def output_ports(self) -> list[Out]:
        ports = []
        for boundary in self.body.outputs if self.body is not None else []:
            inner_node = self.body.nodes.get(boundary.source.node)
            inner = instantiate(inner_node, self.registry).output_port(boundary.source.port) if inner_node else None
            ports.append(Out(boundary.name, inner.type if inner is not None else "any"))
        return ports


class OneNodeContainer(NodeType):
    """A container whose body holds exactly one node (a plain node or a Group), the function: Map, Filter, For
    and While. The function's inputs that the container does not feed itself become its own inputs."""

    category = "Control Flow"

    def function_node(self) -> Node | None:
        """The body's single node, or None when the body is not exactly one node."""
        if self.body is None or len(self.body.nodes) != 1:
            return None
        return next(iter(self.body.nodes.values()))

    def function(self) -> NodeType | None:
        node = self.function_node()
        return instantiate(node, self.registry) if node is not None else None

    def body_problems(self) -> list[str]:
        """Why the body cannot be run (empty when it holds one node)."""
        if self.function_node() is not None:
            return []
        count = 0 if self.body is None else len(self.body.nodes)
        hint = ": open it (double-click) and add one" if not count else ""
        return [f"the body must hold exactly one node (a node or a Group), not {count}{hint}"]

    def names_setting(self, name: str) -> list[str]:
        """The setting `name` as a list of port names (none when it is not a list of names, which `check`
        reports)."""
        names = self.values.get(name)
        return list(names) if isinstance(names, list) and all(isinstance(n, str) for n in names) else []

    def passed_input(self, port: In, doc: str) -> In:
        """The container's input for a function input it passes on: optional when the function has a value."""
        has_value = not port.required or port.name in self.function_node().input_values
        return In(port.name, port.type, doc=doc, optional=has_value)


class _FunctionContainer(OneNodeContainer):
    """Shared by Map and Filter: a body holding one function node, mapped and broadcast inputs."""

    properties = [
        Prop("mode", str, "ports", choices=MAP_MODES,
             doc="'ports': mapped/broadcast inputs; 'vistrails': InputList + InputPort"),
        Prop("mapped", list, [], doc="function inputs that take one list element per task (ports mode)",
             items=str, expects="a list of input names"),
        Prop("combine", str, "zip", choices=COMBINE_MODES, doc="how several mapped lists combine"),
        Prop("input_ports", list, [], doc="vistrails mode: the function inputs each element feeds",
             items=str, expects="a list of input names"),
        Prop("output_port", str, "", doc="vistrails mode (Map) / predicate (Filter): the function output used",
             expects="an output name (text; empty: the first output)"),
    ]

    def empty_means(self, name: str) -> str:
        function = self.function() if name == "output_port" else None
        first = next((port.name for port in function.output_ports()), "") if function is not None else ""
        return f"{first} (its first output)" if first else ""

    def fed_ports(self) -> list[str]:
        """Function inputs fed per element: `mapped` (ports mode) or `input_ports` (vistrails); a value that is
        not a list of names (which `check` reports) feeds none."""
        return self.names_setting("input_ports" if self.values["mode"] == "vistrails" else "mapped")

    def input_ports(self) -> list[In]:
        function = self.function()
        if function is None:
            return []
        fed = set(self.fed_ports())
        ports = [In("input_list", "list", doc="one element per task")] if self.values["mode"] == "vistrails" else []
        for port in function.input_ports():
            if port.name in fed:
                if self.values["mode"] != "vistrails":
                    ports.append(In(port.name, "list", doc=f"mapped: one element per task for '{port.name}'"))
            else:
                ports.append(self.passed_input(port, f"broadcast to every task: '{port.name}'"))
        return ports

    def check(self) -> list[str]:
        problems = super().check()
        function = self.function()
        if function is None:
            return [*problems, *self.body_problems()]
        names = {p.name for p in function.input_ports()}
        for name in self.fed_ports():
            if name not in names:
                problems.append(f"'{name}' is not an input of the function node (inputs: {sorted(names)})")
        if self.values["mode"] == "vistrails" and not self.fed_ports():
            problems.append("vistrails mode needs at least one name in 'input_ports'")
        if self.values["mode"] == "ports" and not self.fed_ports():
            problems.append("no input is mapped: list at least one function input in 'mapped'")
        chosen = self.values.get("output_port") or ""
        if chosen and function.output_port(chosen) is None:
            problems.append(f"'{chosen}' is not an output of the function node")
        return problems


class Map(_FunctionContainer):
    """Run a node or a Group once per element of a list (or lists); outputs are lists in input order."""

    type_name = MAP_TYPE
    label = "Map"
    properties = [
        *_FunctionContainer.properties,
        Prop("on_error", str, "fail", choices=ON_ERROR_MODES,
             doc="a failing element: fail the Map after all finished, skip it, or put None in its place"),
    ]

    def output_ports(self) -> list[Out]:
        function = self.function()
        if function is None:
            return []
        if self.values["mode"] == "vistrails":
            return [Out("result", "list")]
        return [Out(port.name, "list") for port in function.output_ports()]

    def execute(self, inputs: dict[str, Any], context: ExecutionContext) -> dict[str, Any]:
        return run_map(self, inputs, context)


class Filter(_FunctionContainer):
    """Keep the elements for which the function's output is True (VisTrails' Filter)."""

    type_name = FILTER_TYPE
    label = "Filter"

    def output_ports(self) -> list[Out]:
        return [Out("result", "list")]

    def execute(self, inputs: dict[str, Any], context: ExecutionContext) -> dict[str, Any]:
        return run_filter(self, inputs, context)


def is_function_container(node_type: NodeType) -> bool:
    return isinstance(node_type, _FunctionContainer)
