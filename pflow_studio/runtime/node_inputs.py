"""A node's inputs in one level's run: where each value comes from, its cache key, and whether
the node can run yet.

An input takes, in order: the value fed from outside (a Group boundary, a Map element), the output
its edge comes from, the node's own `input_values`, the port default, else None for an optional
port (the executor's docstring states the whole semantics). When the run keeps a cache, each value
gets a key: an edge chains its source's key and port, a constant is keyed by its digest.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from pflow_studio.nodes.api import NO_DEFAULT, NodeType
from pflow_studio.runtime.cache import digest
from pflow_studio.runtime.errors import InputMissing, InputSkipped
from pflow_studio.runtime.model import Node, PortRef, Workflow
from pflow_studio.runtime.results import NOT_OK


@dataclasses.dataclass
class Settled:
    """What one level's run knows so far: the final state of each settled node, and the outputs
    and cache key of each node that produced."""

    states: dict[str, str] = dataclasses.field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    keys: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class NodeInputs:
    """A node's input values known so far, their cache keys, and the inputs really provided
    (fed, connected or set on the node; not a port default or None)."""

    values: dict[str, Any] = dataclasses.field(default_factory=dict)
    keys: dict[str, str] = dataclasses.field(default_factory=dict)
    provided: set[str] = dataclasses.field(default_factory=set)


class LevelInputs:
    """The sources of the inputs of one workflow level's nodes: values fed from outside (port ->
    (value, cache key)) and the level's edges, read against what the run has `settled`."""

    def __init__(self, workflow: Workflow, feeds: Mapping[PortRef, tuple[Any, str]], settled: Settled,
                 keyed: bool) -> None:
        self.workflow = workflow
        self.feeds = feeds
        self.settled = settled
        self.keyed = keyed  # without a cache, no key is ever needed
        self.incoming: dict[str, dict[str, PortRef]] = {}
        for edge in workflow.edges:
            self.incoming.setdefault(edge.target.node, {})[edge.target.port] = edge.source

    def gather(self, node: Node, instance: NodeType, *, tolerant: bool = False) -> NodeInputs:
        """Every input value known now; an edge whose source has not run yet, or ended without
        outputs, is left out. Raises `InputMissing` when the node cannot run (with `tolerant`, for a
        bypassed node, a required input without a value is left out instead)."""
        sources = self.incoming.get(node.id, {})
        inputs = NodeInputs()
        for port in instance.input_ports():
            name = port.name
            ref = PortRef(node.id, name)
            if ref in self.feeds:
                inputs.values[name], inputs.keys[name] = self.feeds[ref]
                inputs.provided.add(name)
            elif name in sources:
                try:
                    self._take_from_edge(inputs, name, sources[name])
                except InputSkipped:
                    if not tolerant:
                        raise
            elif name in node.input_values:
                inputs.values[name] = node.input_values[name]
                inputs.keys[name] = self._constant_key(inputs.values[name])
                inputs.provided.add(name)
            elif port.default is not NO_DEFAULT:
                inputs.values[name] = port.default
                inputs.keys[name] = self._constant_key(port.default)
            elif port.optional:
                inputs.values[name], inputs.keys[name] = None, "none"
            elif not tolerant:
                raise InputMissing(f"input '{name}' is required and has no value")
        return inputs

    def waiting(self, node_id: str, instance: NodeType, inputs: NodeInputs) -> list[str]:
        """The source nodes still to run before this node can ([] when it can run now).

        A lazy node says which inputs it needs (`NodeType.inputs_needed`); once nothing is
        waiting, the connected inputs it did not ask for are None. Raises `InputSkipped` when a
        needed input's source ended without outputs."""
        sources = self.incoming.get(node_id, {})
        needed = instance.inputs_needed(inputs.values)
        lazy = needed is not None
        waiting = []
        for name in needed if lazy else list(sources):
            source = sources.get(name)
            if source is None or name in inputs.values:
                continue
            state = self.settled.states.get(source.node)
            if state is None:
                waiting.append(source.node)
            else:
                raise InputSkipped(f"not run: input '{name}' comes from '{self._label(source.node)}', which {state}")
        if lazy and not waiting:
            for name in sources:
                if name not in inputs.values:
                    inputs.values[name], inputs.keys[name] = None, "unneeded"
        return waiting

    def _take_from_edge(self, inputs: NodeInputs, name: str, source: PortRef) -> None:
        state = self.settled.states.get(source.node)
        if state is None or state in NOT_OK:
            return
        produced = self.settled.outputs[source.node]
        if source.port not in produced and self.workflow.nodes[source.node].bypassed:
            raise InputSkipped(f"not run: input '{name}' comes from output '{source.port}' of "
                               f"'{self._label(source.node)}', which is bypassed and has nothing to pass through")
        if source.port not in produced:
            raise InputMissing(f"input '{name}': node '{self._label(source.node)}' produced no output "
                               f"'{source.port}'")
        inputs.values[name] = produced[source.port]
        inputs.keys[name] = f"{self.settled.keys[source.node]}:{source.port}" if self.keyed else ""
        inputs.provided.add(name)

    def _constant_key(self, value: Any) -> str:
        return "=" + digest(value) if self.keyed else ""

    def _label(self, node_id: str) -> str:
        return self.workflow.nodes[node_id].label
