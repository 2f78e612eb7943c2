"""VisTrails Control Flow's loops, For and While, as containers whose body is one node (a node or a Group),
opened and edited like a Map's. Their ports come from that function node. docs/execution.md ("Loops") has
the semantics and where they differ from VisTrails'.

- **For** (`core.for`): inputs `lower` (default 0) and `higher`; the body runs once for every index i in
  [lower, higher), i fed to the function input `index_port` (empty: its first input). Every other function
  input is a For input, the same for every iteration. Every function output becomes a list output of the
  same name: one value per iteration, in index order. Iterations are independent: a For is a Map over
  range(lower, higher) and runs on the Map's runner (in this process, or on the cluster's engines).
- **While** (`core.while`): a do-while. The body runs; when the function output `condition_port` is falsy the
  loop stops, else it runs again, at most `max_iterations` times, waiting `delay` seconds in between. The
  function inputs named in `state_ports` (each also an output of the same name) take the previous
  iteration's outputs; the While's inputs give their first values, and every other input is the same for
  every iteration. Outputs: the function's outputs of the last iteration, and `iterations` (how many ran).
  Reaching `max_iterations` with the condition still true is reported by a `warning` event.

Execution is in `runtime.mapping.run_for` and `runtime.while_loop.run_while`.
"""

from __future__ import annotations

from typing import Any

from pflow_studio.nodes.api import ExecutionContext, In, Out, Prop
from pflow_studio.runtime.container_types import FOR_TYPE, WHILE_TYPE
from pflow_studio.runtime.containers import OneNodeContainer
from pflow_studio.runtime.mapping import run_for
from pflow_studio.runtime.while_loop import run_while

FOR_BOUNDS = ("lower", "higher")
ITERATIONS = "iterations"


class For(OneNodeContainer):
    """Run a node or a Group once per index in [lower, higher); its outputs are lists in index order."""

    type_name = FOR_TYPE
    label = "For"
    properties = [
        Prop("index_port", str, "", doc="the function input that takes the loop index (empty: its first input)",
             expects="an input name (text; empty: the first input)"),
    ]

    def index_port(self) -> str:
        """The function input fed the index: `index_port`, else the function's first input ("" when none)."""
        chosen = self.values.get("index_port") or ""
        if chosen or self.function() is None:
            return str(chosen)
        return next((port.name for port in self.function().input_ports()), "")

    def empty_means(self, name: str) -> str:
        index = self.index_port() if name == "index_port" else ""
        return f"{index} (its first input)" if index else ""

    def fed_ports(self) -> list[str]:
        """The function inputs fed per iteration (what a Map's runner and element store need)."""
        index = self.index_port()
        return [index] if index else []

    def input_ports(self) -> list[In]:
        function = self.function()
        if function is None:
            return []
        index = self.index_port()
        ports = [In("lower", int, default=0, doc="the first index"),
                 In("higher", int, doc="the index the loop stops before")]
        ports += [self.passed_input(port, f"the same for every iteration: '{port.name}'")
                  for port in function.input_ports() if port.name != index]
        return ports

    def output_ports(self) -> list[Out]:
        function = self.function()
        if function is None:
            return []
        return [Out(port.name, "list", doc=f"'{port.name}' of every iteration") for port in function.output_ports()]

    def check(self) -> list[str]:
        problems = super().check()
        function = self.function()
        if function is None:
            return [*problems, *self.body_problems()]
        names = [port.name for port in function.input_ports()]
        chosen = self.values.get("index_port") or ""
        if not names:
            problems.append("the function has no input to take the loop index")
        elif chosen and chosen not in names:
            problems.append(f"'{chosen}' is not an input of the function node (inputs: {sorted(names)})")
        index = self.index_port()
        clashes = sorted(name for name in FOR_BOUNDS if name in names and name != index)
        if clashes:
            problems.append(f"the function input(s) {clashes} clash with the For's own inputs: rename them")
        return problems

    def execute(self, inputs: dict[str, Any], context: ExecutionContext) -> dict[str, Any]:
        return run_for(self, inputs, context)


class While(OneNodeContainer):
    """Run a node or a Group again and again while its condition output is true, passing state along."""

    type_name = WHILE_TYPE
    label = "While"
    properties = [
        Prop("condition_port", str, "", doc="the function output that says whether to run again (falsy: stop); "
             "empty: run max_iterations times", expects="an output name (text; empty: no condition)"),
        Prop("state_ports", list, [], items=str, expects="a list of names, each an input and an output",
             doc="names that are both a function output and input: each iteration's output feeds the next"),
        Prop("max_iterations", int, 20, minimum=1, doc="the body runs at most this many times"),
        Prop("delay", float, 0.0, minimum=0.0, doc="seconds to wait between iterations"),
    ]

    def empty_means(self, name: str) -> str:
        return "none: run max_iterations times" if name == "condition_port" else ""

    def state_ports(self) -> list[str]:
        """The state names (none when `state_ports` is not a list of names, which `check` reports)."""
        return self.names_setting("state_ports")

    def input_ports(self) -> list[In]:
        function = self.function()
        if function is None:
            return []
        state = set(self.state_ports())
        return [self.passed_input(port, f"the first value of state '{port.name}'" if port.name in state
                                  else f"the same for every iteration: '{port.name}'")
                for port in function.input_ports()]

    def output_ports(self) -> list[Out]:
        function = self.function()
        if function is None:
            return []
        ports = [Out(port.name, port.type, doc=f"'{port.name}' of the last iteration")
                 for port in function.output_ports()]
        return [*ports, Out(ITERATIONS, int, doc="how many times the body ran")]

    def check(self) -> list[str]:
        problems = super().check()
        function = self.function()
        if function is None:
            return [*problems, *self.body_problems()]
        inputs = {port.name for port in function.input_ports()}
        outputs = {port.name for port in function.output_ports()}
        condition = self.values.get("condition_port") or ""
        if condition and condition not in outputs:
            problems.append(f"'{condition}' is not an output of the function node (outputs: {sorted(outputs)})")
        for name in self.state_ports():
            if name not in inputs or name not in outputs:
                problems.append(f"state '{name}' must be both an input and an output of the function node "
                                f"(inputs: {sorted(inputs)}, outputs: {sorted(outputs)})")
        if ITERATIONS in outputs:
            problems.append(f"the function output '{ITERATIONS}' clashes with the While's own output: rename it")
        return problems

    def execute(self, inputs: dict[str, Any], context: ExecutionContext) -> dict[str, Any]:
        return run_while(self, inputs, context)
