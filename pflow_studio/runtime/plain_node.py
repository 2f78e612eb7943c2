"""The lean run of a Map body that is one plain node: what the executor would do for that node, without it.

A Map's body runs once per element; through the executor that costs ~14 µs per element before the
node computes anything (a level run, its plan, events, the input search), where a trivial node takes
under 1 µs. `PlainNode.of(body, function_id, registry)` accepts a body of exactly one node and no edges
whose type computes plainly (neither overrides `execute` nor has lazy inputs, so no container and no
control-flow node), else None (the executor runs it). Calling it runs one element with the executor's
semantics for that node:
- a fresh node instance per element, its inputs taken in the executor's order: the element's value,
  the node's own `input_values`, the port default, None for an optional port; a required input with
  none of these fails the element with "input 'x' is required and has no value" (no traceback);
- `compute(**inputs)`, whose dict must hold every output port (else a TypeError naming the missing ones);
- a failure raises `ElementFailed` with the message the executor gives ("TypeError: ..." with the
  traceback of the exception; a `BodyFailed` or a cancelled node without one), so the element's error
  reads the same; its traceback begins at this module's call of `compute` instead of the executor's
  frames (`level_run`, `NodeType.execute`), and is the same from the node's code down. KeyboardInterrupt
  (an element interrupted on its engine) passes through.
What it prints is captured by the runner, as for any element.
"""

from __future__ import annotations

import traceback
from typing import Any

from pflow_studio.nodes.api import NO_DEFAULT, NodeType
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime.cancel import Cancelled
from pflow_studio.runtime.errors import BodyFailed, ElementFailed
from pflow_studio.runtime.model import Node, Workflow


class PlainNode:
    """Runs a one-node body for one element at a time (see the module docstring)."""

    def __init__(self, node: Node, node_type: type[NodeType], registry: Registry) -> None:
        self.node = node
        self.node_type = node_type
        self.registry = registry

    @classmethod
    def of(cls, body: Workflow, function_id: str, registry: Registry) -> PlainNode | None:
        """The lean runner of `body` when it is one plain node (`function_id`), else None."""
        node = body.nodes.get(function_id)
        if node is None or len(body.nodes) != 1 or body.edges or node.body is not None:
            return None
        try:
            node_type = registry.get(node.type_name)
        except Exception:  # the executor reports it as it always did
            return None
        if node_type.execute is not NodeType.execute or node_type.inputs_needed is not NodeType.inputs_needed:
            return None
        return cls(node, node_type, registry)

    def __call__(self, bindings: dict[str, Any]) -> dict[str, Any]:
        node = self.node
        instance = self.node_type(node.properties, None, self.registry)
        values = {}
        own = node.input_values
        for port in instance.input_ports():
            name = port.name
            if name in bindings:
                values[name] = bindings[name]
            elif name in own:
                values[name] = own[name]
            elif port.default is not NO_DEFAULT:
                values[name] = port.default
            elif port.optional:
                values[name] = None
            else:
                raise ElementFailed(f"input '{name}' is required and has no value", "")
        try:
            produced = instance.compute(**values)
            missing = [p.name for p in instance.output_ports() if p.name not in (produced or {})]
            if missing:
                raise TypeError(f"{node.type_name} did not produce output(s) {', '.join(map(repr, missing))}")
        except Cancelled:
            raise ElementFailed("the function node did not run (cancelled)", "") from None
        except BodyFailed as exc:
            raise ElementFailed(str(exc), "") from None
        except Exception as exc:
            raise ElementFailed(f"{type(exc).__name__}: {exc}", "".join(traceback.format_exception(exc))) from None
        return produced
