"""Edit keys: what tells, without running anything, that an edit changed what a node would compute.

`edit_keys(workflow, registry)` gives every node (nested ones included, by path) a key built like its cache key
(`keys.node_key`: type and version, properties, body signature, its inputs' keys), with each input keyed by where
its value comes from rather than by the value itself: an edge by its source's edit key and port, a value set on
the node by its digest, a Group's boundary input by the key of the Group's input. So a node's edit key changes
exactly when an edit changes the node, one of its settings or its body, or anything upstream of it; moving,
renaming or recolouring a node changes no key, and undoing an edit gives the keys of before back.

Two cases are coarser than the cache: a node inside a Map, Filter, For or While body runs once per element (or
iteration), so its key follows its container's key; and a node that is never cached (its results may differ
from run to run) changes the keys downstream only when it is edited itself. The app compares the keys of the
workflow a run ran with the keys now to show which results are from before an edit.
"""

from __future__ import annotations

from collections.abc import Mapping

from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime.cache import digest
from pflow_studio.runtime.container_types import ONE_NODE_BODY_TYPES
from pflow_studio.runtime.graph import topological_order
from pflow_studio.runtime.keys import node_key
from pflow_studio.runtime.model import Edge, Workflow

Path = tuple[str, ...]
CYCLE = "cycle"
"""The key an input gets from a node on a cycle whose key is not known yet (such a workflow cannot run)."""


def edit_keys(workflow: Workflow, registry: Registry) -> dict[Path, str]:
    """The edit key of every node of `workflow` and its nested bodies, by node path (see the module docstring)."""
    keys: dict[Path, str] = {}
    _level_keys(workflow, registry, (), {}, "", keys)
    return keys


def _level_keys(workflow: Workflow, registry: Registry, prefix: Path, feeds: Mapping[str, Mapping[str, str]],
                salt: str, out: dict[Path, str]) -> None:
    """Key the nodes of one level into `out`; `feeds` are the keys of the inputs fed from outside (node id ->
    port -> key), `salt` what every key of a Map body also depends on (the Map's key; "" elsewhere)."""
    incoming: dict[str, list[Edge]] = {}
    for edge in workflow.edges:
        incoming.setdefault(edge.target.node, []).append(edge)
    level: dict[str, str] = {}
    for node_id in _order(workflow):
        node = workflow.nodes[node_id]
        inputs = {port: "=" + digest(value) for port, value in node.input_values.items()}
        for edge in incoming.get(node_id, ()):
            inputs[edge.target.port] = f"{level.get(edge.source.node, CYCLE)}:{edge.source.port}"
        inputs.update(feeds.get(node_id, {}))
        key = node_key(node, registry, inputs)
        if salt:
            key = digest(salt, key)
        level[node_id] = out[(*prefix, node_id)] = key
        body = node.body
        if body is None:
            continue
        if node.type_name in ONE_NODE_BODY_TYPES:
            _level_keys(body, registry, (*prefix, node_id), {}, key, out)
            continue
        inner: dict[str, dict[str, str]] = {}
        for boundary in body.inputs:
            for target in boundary.targets:
                inner.setdefault(target.node, {})[target.port] = inputs.get(boundary.name, "none")
        _level_keys(body, registry, (*prefix, node_id), inner, salt, out)


def _order(workflow: Workflow) -> list[str]:
    """The level's nodes, sources before what they feed (in node order where a cycle leaves no such order)."""
    try:
        return topological_order(workflow)
    except ValueError:
        return list(workflow.nodes)
