"""A Map body compiled once into a plan, run for each element with the executor's semantics.

Through the executor an element costs ~14 µs per level run before any node computes (its plan, events,
input search, cache keys); a Group of two math nodes ~88 µs. `CompiledBody.of(body, function_id,
registry)` turns the body into `body_plan.LevelPlan`s: node types instantiated once, each node's
`compute` bound, port wiring as step indexes, constant inputs (own values, port defaults, None for an
optional port) folded; a Group becomes a step running its own compiled body. It returns None when the
body holds what a plan does not express (a Map or Filter, any other node overriding `execute`, an unknown
type, a cycle, an edge from a node that is not there): the executor runs that body, decided once.

Calling it runs one element: the same values, the same failures as `BodyTask` through the executor (the
first failure's message and traceback text, "the function node did not run (...)" otherwise), the same
nodes run in the same order (so the same printed output). Differences, by design: a node's instance is
made once per plan and serves every element (node types compute outputs from inputs and keep no state
between calls); a traceback begins at this plan's call of `compute` instead of the executor's frames,
and is the same from the node's code down. KeyboardInterrupt (an element interrupted) passes through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from pflow_studio.nodes.api import NO_DEFAULT, NodeType
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime.body_plan import InnerFailed, LevelPlan, Step, Unplannable
from pflow_studio.runtime.container_types import GROUP_TYPE
from pflow_studio.runtime.errors import BodyFailed, ElementFailed
from pflow_studio.runtime.graph import topological_order, upstream
from pflow_studio.runtime.model import Node, PortRef, Workflow
from pflow_studio.runtime.results import FINISHED


class CompiledBody:
    """One Map body's plans, one per set of bound input names (see the module docstring)."""

    def __init__(self, body: Workflow, function_id: str, registry: Registry) -> None:
        self.body = body
        self.function_id = function_id
        self.registry = registry
        self.plans: dict[tuple[str, ...], tuple[LevelPlan, int | None]] = {}

    @classmethod
    def of(cls, body: Workflow, function_id: str, registry: Registry) -> CompiledBody | None:
        """The compiled body, or None when the executor must run it (see the module docstring)."""
        compiled = cls(body, function_id, registry)
        try:
            compiled.plan_for(())
        except Unplannable:
            return None
        return compiled

    def plan_for(self, names: tuple[str, ...]) -> tuple[LevelPlan, int | None]:
        """The plan for elements binding `names` (fed in that order), and the function's step index."""
        plan = self.plans.get(names)
        if plan is None:
            fed = {PortRef(self.function_id, name): slot for slot, name in enumerate(names)}
            level, index = compile_level(self.body, [self.function_id], fed, self.registry)
            plan = self.plans[names] = (level, index.get(self.function_id))
        return plan

    def __call__(self, bindings: dict[str, Any]) -> dict[str, Any]:
        return self.feeder(tuple(bindings))(list(bindings.values()))

    def feeder(self, names: tuple[str, ...]) -> Callable[[Sequence[Any]], dict[str, Any]]:
        """A call running one element given the values of `names` in that order (no dict per element): the
        function's outputs, or `ElementFailed` as `__call__` raises it."""
        level, function = self.plans.get(names) or self.plan_for(names)
        run = level.run

        def run_element(feed: Sequence[Any]) -> dict[str, Any]:
            outputs, states, _failed, failures = run(feed)
            if failures:
                message, trace, node = failures[0]
                raise ElementFailed(message, trace, node)
            state = states[function] if function is not None else None
            if state != FINISHED:
                raise ElementFailed(f"the function node did not run ({state})", "")
            return outputs[function]

        return run_element


def compile_level(workflow: Workflow, targets: Iterable[str], fed: dict[PortRef, int],
                  registry: Registry) -> tuple[LevelPlan, dict[str, int]]:
    """The plan of one level with these targets and fed ports (port -> feed slot), and each node's step index."""
    wanted = list(targets)
    try:
        order = topological_order(workflow, upstream(workflow, wanted))
    except ValueError as exc:
        raise Unplannable(str(exc)) from None
    index = {node_id: i for i, node_id in enumerate(order)}
    incoming: dict[str, dict[str, PortRef]] = {}
    for edge in workflow.edges:
        incoming.setdefault(edge.target.node, {})[edge.target.port] = edge.source
    steps = [compile_step(workflow.nodes[node_id], incoming.get(node_id, {}), fed, index, registry)
             for node_id in order]
    wanted_set = set(wanted)
    return LevelPlan(steps, [index[n] for n in order if n in wanted_set]), index


def compile_step(node: Node, sources: dict[str, PortRef], fed: dict[PortRef, int], index: dict[str, int],
                 registry: Registry) -> Step:
    """One node as a step: inputs in the executor's order (fed, edge, own value, default, None if optional)."""
    if node.bypassed:
        raise Unplannable(f"'{node.id}' is bypassed")
    instance = _instance(node, registry)
    if any(ref.node not in index for ref in sources.values()):
        raise Unplannable(f"an edge into '{node.id}' comes from a node that is not there")
    consts: dict[str, Any] = {}
    feeds, edges, provided, missing = [], [], set(), (1 << 30, "")
    for position, port in enumerate(instance.input_ports()):
        name, ref = port.name, PortRef(node.id, port.name)
        if ref in fed:
            feeds.append((name, fed[ref]))
        elif name in sources:
            edges.append((position, name, index[sources[name].node], sources[name].port))
        elif name in node.input_values:
            consts[name] = node.input_values[name]
        elif port.default is not NO_DEFAULT:
            consts[name] = port.default
            continue
        elif port.optional:
            consts[name] = None
            continue
        else:
            missing = (position, f"input '{name}' is required and has no value")
            break
        provided.add(name)
    lazy = type(instance).inputs_needed is not NodeType.inputs_needed
    call = _group_call(node, provided, registry) if node.type_name == GROUP_TYPE else instance.compute
    return Step(node.label, node.type_name, call, consts, tuple(feeds), tuple(edges),
                {name: index[ref.node] for name, ref in sources.items() if PortRef(node.id, name) not in fed},
                tuple(port.name for port in instance.output_ports()),
                instance.inputs_needed if lazy else None, missing[1], missing[0])


def _instance(node: Node, registry: Registry) -> NodeType:
    """The node's type instance, when a plan can run it: its `execute` is the base one, or it is a Group."""
    try:
        node_type = registry.get(node.type_name)
        if node.type_name == GROUP_TYPE and node.body is None:
            raise Unplannable("a Group without a body")
        if node_type.execute is not NodeType.execute and node.type_name != GROUP_TYPE:
            raise Unplannable(f"{node.type_name} runs through the executor")
        return node_type(node.properties, node.body, registry)
    except Unplannable:
        raise
    except Exception as exc:  # the executor reports it as it always did
        raise Unplannable(f"{type(exc).__name__}: {exc}") from None


def _group_call(node: Node, provided: set[str], registry: Registry) -> Any:
    """A Group's `execute` over its compiled body: provided inputs fed to their inner targets, the body's
    outputs and sinks settled, a failure inside failing the Group (`containers.Group.execute`)."""
    body = node.body
    names: list[str] = []
    fed: dict[PortRef, int] = {}
    for boundary in body.inputs:
        if boundary.name in provided:
            names.append(boundary.name)
            fed.update({target: len(names) - 1 for target in boundary.targets})
    level, index = compile_level(body, [b.source.node for b in body.outputs] + body.sinks(), fed, registry)
    outputs = [(b.name, index.get(b.source.node), b.source.node, b.source.port) for b in body.outputs]

    def run_group(**values: Any) -> dict[str, Any]:
        produced, states, failed, failures = level.run([values[name] for name in names])
        if failed:
            raise InnerFailed(f"inner node(s) failed: {', '.join(failed)}", failures)
        result = {}
        for name, source, source_id, port in outputs:
            inner = produced[source] if source is not None and states[source] == FINISHED else None
            if inner is None or port not in inner:
                raise BodyFailed(f"output '{name}': inner node '{source_id}' did not run")
            result[name] = inner[port]
        return result

    return run_group
