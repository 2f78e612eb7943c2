"""Validation: every problem that would stop a workflow, each naming its node and port.

Checked at every level (Group, Map and Filter bodies included): unknown node types, property values
that do not fit their declarations (`nodes.properties`; such a node's ports and edges are not checked
further), bad configuration (`NodeType.check`), edges to missing nodes or ports, two edges into one input, type
mismatches along edges and in constant input values, cycles, required inputs with no value,
dangling or conflicting Group boundary ports, and bodies nested too deeply (`runtime.nesting`).
"""

from __future__ import annotations

import dataclasses

from pflow_studio.nodes.api import In, NodeType
from pflow_studio.nodes.properties import property_problems
from pflow_studio.nodes.registry import Registry, UnknownNodeType
from pflow_studio.nodes.types import compatible, value_matches
from pflow_studio.runtime.graph import find_cycle, instantiate
from pflow_studio.runtime.model import Node, PortRef, Workflow
from pflow_studio.runtime.nesting import deepest, nesting_problem


@dataclasses.dataclass(frozen=True)
class Problem:
    """One validation problem: the node's path (container ids, then its id), its label, the port
    (or "") and a message."""

    path: tuple[str, ...]
    label: str
    port: str
    message: str

    def __str__(self) -> str:
        where = f"node '{self.label}'"
        if self.label != self.path[-1]:
            where += f" ({self.path[-1]})"
        if len(self.path) > 1:
            where += f" inside '{'/'.join(self.path[:-1])}'"
        if self.port:
            where += f", port '{self.port}'"
        return f"{where}: {self.message}"


def validate(workflow: Workflow, registry: Registry) -> list[Problem]:
    """All problems of `workflow` and its nested bodies; empty when it can run. Bodies nested deeper than
    `runtime.nesting.MAX_NESTING` are the one problem then reported (on the top-level container)."""
    too_deep = nesting_problem(workflow)
    if too_deep:
        top = workflow.nodes[deepest(workflow)[0]]
        return [Problem((top.id,), top.label, "", too_deep)]
    return _Validator(registry).check(workflow, (), frozenset())


class _Validator:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.problems: list[Problem] = []

    def add(self, path: tuple[str, ...], label: str, port: str, message: str) -> None:
        self.problems.append(Problem(path, label, port, message))

    def check(self, workflow: Workflow, prefix: tuple[str, ...], fed_from_outside: frozenset[PortRef]) -> list[Problem]:
        instances: dict[str, NodeType] = {}
        for node in workflow.nodes.values():
            path = (*prefix, node.id)
            try:
                wrong = property_problems(self.registry.get(node.type_name).properties, node.properties)
                instance = instantiate(node, self.registry)
                if not wrong:  # else its ports cannot be known: it is left out of the checks of ports and edges
                    instances[node.id] = instance
                for message in [*wrong, *(m for m in instance.check() if m not in wrong)]:
                    self.add(path, node.label, "", message)
            except UnknownNodeType as exc:
                self.add(path, node.label, "", f"{exc}: not installed, so it cannot run (install the plug-in "
                                               "that provides it)")
            except Exception as exc:  # a node type that cannot even list its ports
                self.add(path, node.label, "", f"cannot be set up: {type(exc).__name__}: {exc}")
        self._check_edges(workflow, prefix, instances)
        cycle = find_cycle(workflow)
        if cycle:
            names = " -> ".join(workflow.nodes[n].label for n in cycle)
            self.add((*prefix, cycle[0]), workflow.nodes[cycle[0]].label, "", f"is part of a cycle: {names}")
        fed = set(fed_from_outside)
        fed.update(target for boundary in workflow.inputs for target in boundary.targets)
        self._check_boundary(workflow, prefix, instances)
        self._check_inputs(workflow, prefix, instances, fed)
        for node in workflow.nodes.values():
            instance = instances.get(node.id)
            if node.body is None or instance is None:
                continue
            inner_fed: frozenset[PortRef] = frozenset()
            function_node = getattr(instance, "function_node", None)
            if function_node is not None and function_node() is not None:
                # A Map or Filter feeds every function input; its own ports carry the checks.
                fn = function_node()
                inner_fed = frozenset(PortRef(fn.id, p.name) for p in _input_ports(self.registry, fn))
            self.check(node.body, (*prefix, node.id), inner_fed)
        return self.problems

    def _check_edges(self, workflow: Workflow, prefix: tuple[str, ...], instances: dict[str, NodeType]) -> None:
        seen_targets: dict[PortRef, PortRef] = {}
        for edge in workflow.edges:
            source_node = workflow.nodes.get(edge.source.node)
            target_node = workflow.nodes.get(edge.target.node)
            if source_node is None or target_node is None:
                missing = edge.source.node if source_node is None else edge.target.node
                anchor = target_node or source_node
                path = (*prefix, anchor.id) if anchor else (*prefix, missing)
                label = anchor.label if anchor else missing
                self.add(path, label, "", f"edge {edge} refers to missing node '{missing}'")
                continue
            if edge.target in seen_targets:
                self.add((*prefix, target_node.id), target_node.label, edge.target.port,
                         f"input has two edges (from {seen_targets[edge.target]} and {edge.source})")
            seen_targets[edge.target] = edge.source
            source, target = instances.get(source_node.id), instances.get(target_node.id)
            if source is None or target is None:
                continue
            out = source.output_port(edge.source.port)
            inp = target.input_port(edge.target.port)
            if out is None:
                self.add((*prefix, source_node.id), source_node.label, edge.source.port,
                         f"no such output (outputs: {[p.name for p in source.output_ports()]})")
            if inp is None:
                self.add((*prefix, target_node.id), target_node.label, edge.target.port,
                         f"no such input (inputs: {[p.name for p in target.input_ports()]})")
            if out is not None and inp is not None and not compatible(out.type, inp.type):
                self.add((*prefix, target_node.id), target_node.label, edge.target.port,
                         f"type mismatch: output '{out.name}' of '{source_node.label}' is {out.type}, "
                         f"this input takes {inp.type}")

    def _check_inputs(self, workflow: Workflow, prefix: tuple[str, ...], instances: dict[str, NodeType],
                      fed: set[PortRef]) -> None:
        connected = {edge.target for edge in workflow.edges}
        for node in workflow.nodes.values():
            instance = instances.get(node.id)
            if instance is None:
                continue
            try:
                ports = instance.input_ports()
            except Exception:
                continue
            for port in ports:
                ref = PortRef(node.id, port.name)
                if ref in connected or ref in fed:
                    continue
                if port.name in node.input_values:
                    value = node.input_values[port.name]
                    if not value_matches(value, port.type):
                        self.add((*prefix, node.id), node.label, port.name,
                                 f"value {value!r:.60} does not fit type {port.type}")
                elif port.required and not node.bypassed:
                    self.add((*prefix, node.id), node.label, port.name, "required input has no value or edge")

    def _check_boundary(self, workflow: Workflow, prefix: tuple[str, ...], instances: dict[str, NodeType]) -> None:
        group = prefix[-1] if prefix else ""
        inner_edges = {edge.target for edge in workflow.edges}
        for boundary in workflow.inputs:
            for target in boundary.targets:
                problem = _port_problem(workflow, instances, target, "input")
                if problem is None and target in inner_edges:
                    problem = f"inner input {target} is also fed by an inner edge"
                if problem:
                    self.add(prefix or (group,), group, boundary.name, f"boundary input is dangling: {problem}")
        for boundary in workflow.outputs:
            problem = _port_problem(workflow, instances, boundary.source, "output")
            if problem:
                self.add(prefix or (group,), group, boundary.name, f"boundary output is dangling: {problem}")


def _port_problem(workflow: Workflow, instances: dict[str, NodeType], ref: PortRef, kind: str) -> str | None:
    if ref.node not in workflow.nodes:
        return f"inner node '{ref.node}' does not exist"
    instance = instances.get(ref.node)
    if instance is None:
        return None  # already reported (unknown type)
    port = instance.input_port(ref.port) if kind == "input" else instance.output_port(ref.port)
    if port is None:
        return f"inner node '{workflow.nodes[ref.node].label}' has no {kind} '{ref.port}'"
    return None


def _input_ports(registry: Registry, node: Node) -> list[In]:
    """The input ports of a model node (empty when its type is unknown)."""
    try:
        return instantiate(node, registry).input_ports()
    except Exception:
        return []
