"""Bypassed (muted) nodes: which input each output passes through.

A bypassed node does not run. Each of its outputs passes through one of its inputs when the types allow:
the input of the same name when its type can feed the output's, else the first input (in port order) of
exactly the output's type, else, for an output of type "any", the first input. An output with no such input
is empty: nodes that read it are skipped ("not run"), as after a failure, but nothing fails.
"""

from __future__ import annotations

from pflow_studio.nodes.api import NodeType
from pflow_studio.nodes.types import compatible


def bypass_routes(instance: NodeType) -> dict[str, str | None]:
    """{output name: the input it passes through, or None when it is empty} for a bypassed node."""
    inputs = list(instance.input_ports())
    routes: dict[str, str | None] = {}
    for output in instance.output_ports():
        same = next((p for p in inputs if p.name == output.name and compatible(p.type, output.type)), None)
        typed = next((p for p in inputs if p.type == output.type), None)
        first = inputs[0] if inputs and output.type == "any" else None
        chosen = same or typed or first
        routes[output.name] = chosen.name if chosen is not None else None
    return routes


def describe_routes(routes: dict[str, str | None]) -> str:
    """'bypassed: passes a -> result; out empty' style text for the node's state message."""
    passed = [f"{source} -> {output}" for output, source in routes.items() if source is not None]
    empty = [output for output, source in routes.items() if source is None]
    parts = [f"passes {', '.join(passed)}"] if passed else []
    if empty:
        parts.append(f"{', '.join(empty)} empty")
    return "bypassed" + (": " + "; ".join(parts) if parts else "")
