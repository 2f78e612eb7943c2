"""What decides whether a result is still valid, in one place: the keys of the executor's cached node
results (`level_run`) and of the Map elements kept in the element store (`stored_elements`), and which
nodes may be reused at all. Both use these functions, so they agree on what is stale.

- A node type says `cacheable = False` when its results must never be reused (files, randomness, time);
  an instance may refuse too (`NodeType.is_cacheable()`, e.g. a Python node set to "never cache"). A
  container is reusable only when it and every node of its body are.
- A body's signature covers what its run depends on: its canonical form (nodes, properties, input
  values, code text, edges, boundary ports, nested bodies) and the `version` of every node type in it.
- A node's key: its type and version, properties, body signature and its inputs' keys (an edge's key
  chains its source's key, so an unchanged node is known without hashing its input values).
- The outputs of a node that is not reusable are keyed by their values: what depends on it is stale
  exactly when those values changed.
- A Map element's key: the Map's body signature and settings, the values of its broadcast inputs, and the
  element's own input values (not where they came from: a change elsewhere in the graph does not matter).
  The keys of one Map's elements share their first bytes (`element_group`).
"""

from __future__ import annotations

import hashlib
import operator
import pickle
from collections.abc import Mapping, Sequence
from typing import Any

from pflow_studio.nodes.api import NodeType
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime.cache import digest, value_key
from pflow_studio.runtime.container_types import FUNCTION_CONTAINER_TYPES
from pflow_studio.runtime.graph import instantiate
from pflow_studio.runtime.model import Node, Workflow


def is_cacheable(instance: NodeType, registry: Registry) -> bool:
    """May this node's results be reused: it and every node of its body (nested bodies included)?"""
    if not instance.is_cacheable():
        return False
    body = instance.body
    if body is None:
        return True
    return all(instantiate(inner, registry).is_cacheable() for inner, _ in body.walk())


def body_signature(body: Workflow | None, registry: Registry) -> str | None:
    """A digest of what a body's run depends on (see the module docstring); None for no body."""
    if body is None:
        return None
    versions = sorted({(node.type_name, _version(node.type_name, registry)) for node, _ in body.walk()})
    return digest(repr(body.canonical()), versions)


def map_body_signatures(workflow: Workflow, registry: Registry) -> list[str]:
    """The body signatures of every Map and Filter of `workflow`, nested ones included (what their stored
    elements are filed under in the element store)."""
    return [body_signature(node.body, registry) or "" for node, _ in workflow.walk()
            if node.type_name in FUNCTION_CONTAINER_TYPES and node.body is not None]


def node_key(node: Node, registry: Registry, input_keys: Mapping[str, str]) -> str:
    """The key of a node's result given its inputs' keys."""
    return digest(node.type_name, _version(node.type_name, registry), node.properties,
                  body_signature(node.body, registry), sorted(input_keys.items()))


def outputs_key(key: str, outputs: Mapping[str, Any]) -> str:
    """The key of a not-reusable node's result: its key and the values it produced."""
    return digest(key, {name: value_key(value) for name, value in outputs.items()})


def element_key_prefix(body: Workflow, function_id: str, settings: Mapping[str, Any],
                       broadcast: Mapping[str, Any], registry: Registry) -> bytes:
    """What every element of one Map run shares in its key: the body, the function node, the Map's
    settings (mode, mapped inputs, combination) and the values of the broadcast inputs."""
    text = digest(body_signature(body, registry), function_id, dict(settings),
                  sorted((name, value_key(value)) for name, value in broadcast.items()))
    return bytes.fromhex(text)


GROUP_BYTES = 8
"""Every element key begins with the first `GROUP_BYTES` of its prefix (`element_group`): the store keeps the
elements of one Map together, and knows at once when it holds none of them."""


def element_group(prefix: bytes) -> bytes:
    """The bytes every element key made from `prefix` begins with."""
    return prefix[:GROUP_BYTES]


def element_keys(prefix: bytes, fed: Sequence[str], items: Sequence[Mapping[str, Any]]) -> list[bytes | None]:
    """The key of each element from its own input values (the `fed` ports of its bindings): its group
    (`element_group`) and a 16-byte digest keyed by the whole prefix; None for an element whose values cannot
    be pickled (it is never stored)."""
    keys: list[bytes | None] = []
    append, dumps = keys.append, pickle.dumps
    group, hasher = element_group(prefix), hashlib.blake2b(key=prefix[:64], digest_size=16)
    values = operator.itemgetter(*fed) if fed else (lambda bindings: ())
    single = len(fed) == 1
    for bindings in items:
        try:
            data = dumps((values(bindings),) if single else values(bindings), protocol=5)
        except Exception:
            append(None)
            continue
        digest_of = hasher.copy()
        digest_of.update(data)
        append(group + digest_of.digest())
    return keys


def _version(type_name: str, registry: Registry) -> str:
    return str(registry.get(type_name).version) if type_name in registry else ""
