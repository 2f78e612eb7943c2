"""Copy/paste payloads: a selection of model nodes and edges as JSON, with fresh ids on paste.

The payload is `{"format": "pflow-nodes", "version": 1, "workflow": <project-file workflow JSON>}`,
put on the system clipboard under `MIME_TYPE` and as plain text, so it moves between windows
(and processes). No Qt here except through the caller.
"""

from __future__ import annotations

import json
from collections.abc import Container
from typing import Any

from pflow_studio.project.codec import decode_workflow, encode_workflow
from pflow_studio.runtime.model import Edge, PortRef, Workflow, new_id

MIME_TYPE = "application/x-pflow-nodes"
FORMAT = "pflow-nodes"


def dumps(selection: Workflow) -> str:
    """The clipboard text for a selection (see `runtime.operations.extract`)."""
    return json.dumps({"format": FORMAT, "version": 1, "workflow": encode_workflow(selection)}, indent=1)


def loads(text: str, registry: Container[str] | None = None) -> Workflow:
    """The selection in a clipboard text; raises ValueError when it is not one."""
    try:
        data: Any = json.loads(text)
    except ValueError:
        raise ValueError("the clipboard holds no pflow nodes") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("the clipboard holds no pflow nodes")
    return decode_workflow(data.get("workflow"), registry)


def with_new_ids(workflow: Workflow, offset: tuple[float, float] = (0.0, 0.0)) -> Workflow:
    """The workflow (changed in place and returned) with every node id, nested ones too, replaced by a
    fresh one and top-level positions moved by `offset`."""
    for node in workflow.nodes.values():
        if "pos" in node.ui:
            x, y = node.position
            node.ui["pos"] = [x + offset[0], y + offset[1]]
    _renumber(workflow)
    return workflow


def _renumber(workflow: Workflow) -> None:
    mapping = {old: new_id("g" if node.body is not None else "n") for old, node in workflow.nodes.items()}

    def ref(port: PortRef) -> PortRef:
        return PortRef(mapping.get(port.node, port.node), port.port)

    nodes = {}
    for old, node in workflow.nodes.items():
        node.id = mapping[old]
        nodes[node.id] = node
        if node.body is not None:
            _renumber(node.body)
    workflow.nodes = nodes
    workflow.edges = [Edge(ref(e.source), ref(e.target)) for e in workflow.edges]
    for boundary in workflow.inputs:
        boundary.targets = [ref(t) for t in boundary.targets]
    for boundary in workflow.outputs:
        boundary.source = ref(boundary.source)
