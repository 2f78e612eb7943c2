"""Workflow model <-> plain JSON, for project files (the format is in docs/file-format.md).

`encode_workflow` turns a `Workflow` into plain JSON in a fixed key order: nodes in workflow order,
edges sorted, free-form dicts (properties, input values, UI hints) sorted by key, optional keys left
out when they hold their default. `decode_workflow` checks parsed JSON strictly and builds the
model: bodies nest at most `runtime.nesting.MAX_NESTING` deep (checked first, without recursion) and
are checked like the top, node ids must be unique in the whole project, edges and boundary ports must
name nodes of their own workflow, with a registry every node type must be known, and the properties
of known node types must fit their declarations (`nodes.properties`). Both raise `FormatProblem`,
whose message names the item at fault. No Qt, no pickle.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import Any, TypeVar

from pflow_studio.common.plain_json import NotPlainJSON, to_plain
from pflow_studio.nodes.properties import property_problems
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime.model import BoundaryInput, BoundaryOutput, Edge, Node, PortRef, Workflow
from pflow_studio.runtime.nesting import MAX_NESTING, too_deep

WORKFLOW_KEYS = ("nodes", "edges", "inputs", "outputs")
NODE_KEYS = ("id", "type", "properties", "input_values", "ui", "is_output", "bypassed", "body")
EDGE_KEYS = ("source", "source_port", "target", "target_port")
PORT_KEYS = ("node", "port")
INPUT_KEYS = ("name", "targets")
OUTPUT_KEYS = ("name", "source")
_SHOWN_TYPES, _SHOWN_NODES = 5, 3
PortT = TypeVar("PortT", BoundaryInput, BoundaryOutput)


class FormatProblem(ValueError):
    """The content of a project is not what the format allows; the message names the item."""


# -- encoding ------------------------------------------------------------------------------------


def encode_workflow(workflow: Workflow, scope: tuple[str, ...] = ()) -> dict[str, Any]:
    """Plain JSON for `workflow` (raises `FormatProblem` naming the node and value that is not plain)."""
    data: dict[str, Any] = {
        "nodes": [_encode_node(node, scope) for node in workflow.nodes.values()],
        "edges": sorted((_encode_edge(edge, scope) for edge in workflow.edges),
                        key=lambda e: tuple(e[key] for key in EDGE_KEYS)),
    }
    where = _workflow_name(scope)
    if workflow.inputs:
        data["inputs"] = [
            {"name": _text(b.name, f"{where}: boundary input name"),
             "targets": [_encode_port(t, f"{where}: boundary input '{b.name}'") for t in b.targets]}
            for b in workflow.inputs
        ]
    if workflow.outputs:
        data["outputs"] = [
            {"name": _text(b.name, f"{where}: boundary output name"),
             "source": _encode_port(b.source, f"{where}: boundary output '{b.name}'")}
            for b in workflow.outputs
        ]
    return data


def encode_values(values: Any, owner: str, kind: str) -> dict[str, Any]:
    """A dict of free-form values as plain JSON sorted by key; errors read "<owner>, <kind> '<key>': ..."."""
    if not isinstance(values, dict):
        raise FormatProblem(f"{owner}: the {kind} values must be a dict, not {type(values).__name__}")
    plain = {}
    for key in sorted(values, key=str):
        if not isinstance(key, str):
            raise FormatProblem(f"{owner}: {kind} name {key!r} is not text")
        try:
            plain[key] = to_plain(values[key])
        except NotPlainJSON as exc:
            raise FormatProblem(f"{owner}, {kind} '{key}': {exc}") from None
    return plain


def _encode_node(node: Node, scope: tuple[str, ...]) -> dict[str, Any]:
    node_id = _text(node.id, f"a node id{_inside(scope)}")
    owner = f"node '{node_id}'{_inside(scope)}"
    data: dict[str, Any] = {
        "id": node_id,
        "type": _text(node.type_name, f"{owner}: type name"),
        "properties": encode_values(node.properties, owner, "property"),
    }
    if node.input_values:
        data["input_values"] = encode_values(node.input_values, owner, "input")
    if node.ui:
        data["ui"] = encode_values(node.ui, owner, "ui hint")
    if not isinstance(node.is_output, bool):
        raise FormatProblem(f"{owner}: is_output must be True or False, not {node.is_output!r}")
    if node.is_output:
        data["is_output"] = True
    if node.bypassed is not False:
        if node.bypassed is not True:
            raise FormatProblem(f"{owner}: bypassed must be True or False, not {node.bypassed!r}")
        data["bypassed"] = True
    if node.body is not None:
        data["body"] = encode_workflow(node.body, (*scope, node_id))
    return data


def _encode_edge(edge: Edge, scope: tuple[str, ...]) -> dict[str, str]:
    where = f"edge {edge}{_inside(scope)}"
    return {
        "source": _text(edge.source.node, f"{where}: source node id"),
        "source_port": _text(edge.source.port, f"{where}: source port name"),
        "target": _text(edge.target.node, f"{where}: target node id"),
        "target_port": _text(edge.target.port, f"{where}: target port name"),
    }


def _encode_port(ref: PortRef, where: str) -> dict[str, str]:
    return {"node": _text(ref.node, f"{where}: node id"), "port": _text(ref.port, f"{where}: port name")}


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise FormatProblem(f"{what} must be text, not {type(value).__name__} {value!r:.40}")
    try:
        return to_plain(value)
    except NotPlainJSON as exc:
        raise FormatProblem(f"{what}: {exc}") from None


# -- decoding ------------------------------------------------------------------------------------


def decode_workflow(data: Any, registry: Container[str] | None = None, *,
                    declarations: Registry | None = None) -> Workflow:
    """The model for parsed JSON `data` (raises `FormatProblem`); with `registry`, every node type
    at every level must be in it (one error lists the unknown types and the nodes using them). The
    properties of every node whose type `declarations` (default: `registry` when it is a `Registry`)
    knows must fit that type's declarations (`nodes.properties`)."""
    if declarations is None and isinstance(registry, Registry):
        declarations = registry
    deepest = _deepest(data)
    if len(deepest) > MAX_NESTING:
        raise FormatProblem(too_deep(deepest))
    decoder = _Decoder(registry, declarations)
    workflow = decoder.workflow(data, ())
    decoder.raise_unknown_types()
    return workflow


class _Decoder:
    def __init__(self, registry: Container[str] | None, declarations: Registry | None) -> None:
        self.registry = registry
        self.declarations = declarations
        self.ids: dict[str, tuple[str, ...]] = {}  # node id -> scope where it was first seen
        self.unknown: dict[str, list[tuple[str, tuple[str, ...]]]] = {}  # type -> [(node id, scope)]

    def workflow(self, data: Any, scope: tuple[str, ...]) -> Workflow:
        where = _workflow_name(scope)
        data = _object(data, where)
        _only_keys(data, WORKFLOW_KEYS, where)
        if "nodes" not in data:
            raise FormatProblem(f"{where}: missing key 'nodes'")
        workflow = Workflow()
        for index, item in enumerate(_array(data["nodes"], f"{where}: 'nodes'")):
            node = self.node(item, index, scope)
            workflow.nodes[node.id] = node
        fed: dict[PortRef, Edge] = {}
        for index, item in enumerate(_array(data.get("edges", []), f"{where}: 'edges'")):
            edge = _edge(item, index, scope, workflow)
            if edge.target in fed:
                raise FormatProblem(f"edge {edge}{_inside(scope)}: input {edge.target} already has an edge "
                                    f"(from {fed[edge.target].source}); an input takes one edge")
            fed[edge.target] = edge
            workflow.edges.append(edge)
        workflow.inputs = _boundary_inputs(data.get("inputs", []), where, workflow)
        workflow.outputs = _boundary_outputs(data.get("outputs", []), where, workflow)
        return workflow

    def node(self, data: Any, index: int, scope: tuple[str, ...]) -> Node:
        data = _object(data, f"node #{index + 1}{_inside(scope)}")
        node_id = _required_text(data, "id", f"node #{index + 1}{_inside(scope)}")
        where = f"node '{node_id}'{_inside(scope)}"
        _only_keys(data, NODE_KEYS, where)
        if node_id in self.ids:
            first = self.ids[node_id]
            elsewhere = "in the same workflow" if first == scope else (
                f"inside '{'/'.join(first)}'" if first else "at the top level")
            raise FormatProblem(f"{where}: id '{node_id}' is already used by another node {elsewhere}; "
                                "node ids must be unique in the whole project")
        self.ids[node_id] = scope
        type_name = _required_text(data, "type", where)
        if self.registry is not None and type_name not in self.registry:
            self.unknown.setdefault(type_name, []).append((node_id, scope))
        is_output = data.get("is_output", False)
        if not isinstance(is_output, bool):
            raise FormatProblem(f"{where}: 'is_output' must be true or false, not {describe(is_output)}")
        bypassed = data.get("bypassed", False)
        if not isinstance(bypassed, bool):
            raise FormatProblem(f"{where}: 'bypassed' must be true or false, not {describe(bypassed)}")
        properties = _object(data.get("properties", {}), f"{where}: 'properties'")
        self.check_properties(type_name, properties, where)
        body = None
        if "body" in data:
            body = self.workflow(data["body"], (*scope, node_id))
        return Node(
            id=node_id,
            type_name=type_name,
            properties=properties,
            input_values=_object(data.get("input_values", {}), f"{where}: 'input_values'"),
            ui=_object(data.get("ui", {}), f"{where}: 'ui'"),
            is_output=is_output,
            body=body,
            bypassed=bypassed,
        )

    def check_properties(self, type_name: str, properties: dict[str, Any], where: str) -> None:
        """Refuse property values that do not fit the declarations of a known node type."""
        if self.declarations is None or type_name not in self.declarations:
            return
        problems = property_problems(self.declarations.get(type_name).properties, properties)
        if problems:
            raise FormatProblem(f"{where}: {problems[0]}")

    def raise_unknown_types(self) -> None:
        if not self.unknown:
            return
        hint = "is the plug-in that provides it installed?"
        if len(self.unknown) == 1 and len(next(iter(self.unknown.values()))) == 1:
            type_name, [(node_id, scope)] = next(iter(self.unknown.items()))
            raise FormatProblem(f"node '{node_id}'{_inside(scope)}: unknown node type '{type_name}' ({hint})")
        parts = []
        for type_name, users in list(self.unknown.items())[:_SHOWN_TYPES]:
            names = [f"'{node_id}'" + (f" inside '{'/'.join(scope)}'" if scope else "")
                     for node_id, scope in users[:_SHOWN_NODES]]
            more = f" and {len(users) - _SHOWN_NODES} more" if len(users) > _SHOWN_NODES else ""
            parts.append(f"'{type_name}' ({'node' if len(users) == 1 else 'nodes'} {', '.join(names)}{more})")
        more_types = len(self.unknown) - _SHOWN_TYPES
        tail = f" and {more_types} more type(s)" if more_types > 0 else ""
        raise FormatProblem(f"unknown node types: {', '.join(parts)}{tail} (are the plug-ins that provide them "
                            "installed?)")


def _deepest(data: Any) -> tuple[str, ...]:
    """The ids of the nodes from the top down to the deepest `body` of parsed JSON, found without recursion
    (parts of the wrong shape are skipped here: the structural checks report them)."""
    found: tuple[str, ...] = ()
    pending: list[tuple[Any, tuple[str, ...]]] = [(data, ())]
    while pending:
        level, path = pending.pop()
        nodes = level.get("nodes") if isinstance(level, dict) else None
        for index, item in enumerate(nodes if isinstance(nodes, list) else []):
            if isinstance(item, dict) and "body" in item:
                node_id = item.get("id")
                inner = (*path, node_id if isinstance(node_id, str) else f"#{index + 1}")
                found = inner if len(inner) > len(found) else found
                pending.append((item["body"], inner))
    return found


def _edge(data: Any, index: int, scope: tuple[str, ...], workflow: Workflow) -> Edge:
    where = f"edge #{index + 1}{_inside(scope)}"
    data = _object(data, where)
    _only_keys(data, EDGE_KEYS, where)
    edge = Edge.of(*(_required_text(data, key, where) for key in EDGE_KEYS))
    for node_id in (edge.source.node, edge.target.node):
        if node_id not in workflow.nodes:
            raise FormatProblem(f"edge {edge}{_inside(scope)}: node '{node_id}' is not in this workflow")
    return edge


def _boundary_inputs(data: Any, where: str, workflow: Workflow) -> list[BoundaryInput]:
    def decode(name: str, item: dict[str, Any], what: str) -> BoundaryInput:
        targets = [_port(t, f"{what}: target #{i + 1}", workflow)
                   for i, t in enumerate(_array(_required(item, "targets", what), f"{what}: 'targets'"))]
        return BoundaryInput(name, targets)

    return _boundary_ports(data, where, "input", INPUT_KEYS, decode)


def _boundary_outputs(data: Any, where: str, workflow: Workflow) -> list[BoundaryOutput]:
    def decode(name: str, item: dict[str, Any], what: str) -> BoundaryOutput:
        return BoundaryOutput(name, _port(_required(item, "source", what), f"{what}: source", workflow))

    return _boundary_ports(data, where, "output", OUTPUT_KEYS, decode)


def _boundary_ports(data: Any, where: str, side: str, keys: tuple[str, ...],
                    decode: Callable[[str, dict[str, Any], str], PortT]) -> list[PortT]:
    """The boundary ports of one side ("input" or "output"): each an object with a unique name and only `keys`,
    turned into a port by `decode(name, item, what)`."""
    ports: list[PortT] = []
    names: set[str] = set()
    for index, item in enumerate(_array(data, f"{where}: '{side}s'")):
        what = f"{where}: boundary {side} #{index + 1}"
        item = _object(item, what)
        name = _required_text(item, "name", what)
        what = f"{where}: boundary {side} '{name}'"
        _only_keys(item, keys, what)
        if name in names:
            raise FormatProblem(f"{what}: the name is used twice")
        names.add(name)
        ports.append(decode(name, item, what))
    return ports


def _required(item: dict[str, Any], key: str, what: str) -> Any:
    if key not in item:
        raise FormatProblem(f"{what}: missing key '{key}'")
    return item[key]


def _port(data: Any, where: str, workflow: Workflow) -> PortRef:
    data = _object(data, where)
    _only_keys(data, PORT_KEYS, where)
    ref = PortRef(_required_text(data, "node", where), _required_text(data, "port", where))
    if ref.node not in workflow.nodes:
        raise FormatProblem(f"{where}: node '{ref.node}' is not in this workflow")
    return ref


# -- checks and names ----------------------------------------------------------------------------


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FormatProblem(f"{what} must be an object, not {describe(value)}")
    return value


def _array(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise FormatProblem(f"{what} must be an array, not {describe(value)}")
    return value


def _required_text(data: dict[str, Any], key: str, what: str) -> str:
    value = _required(data, key, what)
    if not isinstance(value, str) or not value:
        raise FormatProblem(f"{what}: '{key}' must be non-empty text, not {describe(value)}")
    return value


def _only_keys(data: dict[str, Any], allowed: tuple[str, ...], what: str) -> None:
    extra = [key for key in data if key not in allowed]
    if extra:
        raise FormatProblem(f"{what}: unknown key '{extra[0]:.60}' (allowed: {', '.join(allowed)})")


def describe(value: Any) -> str:
    """A value as JSON names it, e.g. `an array`, `the number 5`, `the text 'x'`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        try:
            shown = repr(value)
        except ValueError:  # an integer too long for text
            return "a very large number"
        return f"the number {shown if len(shown) <= 40 else shown[:37] + '...'}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}" if value else "empty text"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _inside(scope: tuple[str, ...]) -> str:
    return f" (inside '{'/'.join(scope)}')" if scope else ""


def _workflow_name(scope: tuple[str, ...]) -> str:
    return f"the body of '{'/'.join(scope)}'" if scope else "workflow"
