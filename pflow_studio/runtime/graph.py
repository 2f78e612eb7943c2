"""Graph helpers that need node types: instantiating nodes, port lookup, dependency order."""

from __future__ import annotations

from collections.abc import Iterable

from pflow_studio.nodes.api import NodeType
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime.model import Node, Workflow


def instantiate(node: Node, registry: Registry) -> NodeType:
    """The node type instance for a model node (raises `UnknownNodeType`)."""
    return registry.get(node.type_name)(node.properties, node.body, registry)


def find_cycle(workflow: Workflow) -> list[str] | None:
    """Node ids along one cycle (first id repeated at the end), or None when the graph is acyclic."""
    successors: dict[str, list[str]] = {n: [] for n in workflow.nodes}
    for edge in workflow.edges:
        if edge.source.node in successors and edge.target.node in successors:
            successors[edge.source.node].append(edge.target.node)
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(successors, WHITE)
    for root in successors:
        if colour[root] != WHITE:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = []
        while stack:
            node, index = stack.pop()
            if index == 0:
                colour[node] = GREY
                path.append(node)
            nexts = successors[node]
            if index < len(nexts):
                stack.append((node, index + 1))
                child = nexts[index]
                if colour[child] == GREY:
                    return [*path[path.index(child):], child]
                if colour[child] == WHITE:
                    stack.append((child, 0))
            else:
                colour[node] = BLACK
                path.pop()
    return None


def topological_order(workflow: Workflow, only: Iterable[str] | None = None) -> list[str]:
    """Node ids so that every edge goes forward; ties keep node order. Raises ValueError on a
    cycle. With `only`, just those nodes (edges to others are ignored)."""
    members = list(workflow.nodes) if only is None else [n for n in workflow.nodes if n in set(only)]
    member_set = set(members)
    indegree = dict.fromkeys(members, 0)
    successors: dict[str, list[str]] = {n: [] for n in members}
    for edge in workflow.edges:
        if edge.source.node in member_set and edge.target.node in member_set:
            indegree[edge.target.node] += 1
            successors[edge.source.node].append(edge.target.node)
    position = {n: i for i, n in enumerate(members)}
    import heapq

    ready = [position[n] for n in members if indegree[n] == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        node = members[heapq.heappop(ready)]
        order.append(node)
        for child in successors[node]:
            indegree[child] -= 1
            if indegree[child] == 0:
                heapq.heappush(ready, position[child])
    if len(order) != len(members):
        raise ValueError("the workflow has a cycle")
    return order


def upstream(workflow: Workflow, targets: Iterable[str]) -> set[str]:
    """`targets` and every node they depend on through edges."""
    seen: set[str] = set()
    stack = list(targets)
    incoming: dict[str, list[str]] = {}
    for edge in workflow.edges:
        incoming.setdefault(edge.target.node, []).append(edge.source.node)
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(incoming.get(node, ()))
    return seen
