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
  The first part is the Map's key prefix (`element_key_prefix`), the second the element's digest
  (`element_digests`); the keys of one Map's elements share their first bytes (`element_group`).
"""

from __future__ import annotations

import hashlib
import pickle
import struct
import sys
from array import array
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
                  body_signature(node.body, registry), sorted(input_keys.items()),
                  *(("bypassed",) if node.bypassed else ()))


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


KEY_BYTES = 12
"""Bytes of an element's own digest; its whole key is its group and this digest (`element_keys`)."""
NO_KEY = bytes(KEY_BYTES)
"""The digest slot of an element that has no key (its values cannot be pickled): never looked up."""


def element_digests(prefix: bytes, columns: Sequence[Sequence[Any]], indices: Sequence[int] | None = None
                    ) -> tuple[bytes, list[int]]:
    """The digests of elements from their own input values, `KEY_BYTES` each, concatenated: element i's values
    are `column[i]` of each of `columns` (the Map's fed ports), for i in `indices` (default: all). With one
    column, a plain int (64-bit) or float is its own digest (`_exact`: a type byte and the value's 8 bytes, no
    hash); anything else is a blake2b digest, salted with the whole prefix, of an exact encoding (`_encoded`).
    An element's digest depends on its values alone (never on its neighbours'). Digests mean nothing without
    their Map's prefix: the store keeps the prefix with them. Also the positions (in `indices`) of the elements
    without a key (their values cannot be pickled; their slot holds `NO_KEY`)."""
    chosen = [list(column) if indices is None else picked(column, indices) for column in columns]
    count = len(chosen[0]) if chosen else (0 if indices is None else len(indices))
    if len(chosen) == 1 and (exact := _all_exact(chosen[0])) is not None:
        return exact, []
    parts = [_encoded(column) for column in chosen]
    if not parts:
        data: list[bytes | None] = [b""] * count
    elif len(parts) == 1:
        data = parts[0]
    else:
        data = [None if None in row else b"".join(b"%d|%b" % (len(part), part) for part in row)
                for row in zip(*parts, strict=True)]
    copy = hashlib.blake2b(digest_size=KEY_BYTES, salt=prefix[:16], person=prefix[16:32]).copy
    keyless = [position for position, item in enumerate(data) if item is None]
    single = len(chosen) == 1
    digests = b"".join([NO_KEY if item is None else _exact_one(value) if single and _is_exact(value)
                        else _digest_of(copy(), item) for item, value in zip(data, chosen[0] if single else data,
                                                                             strict=True)])
    return digests, keyless


_INT64 = (-(2**63), 2**63)


def _is_exact(value: Any) -> bool:
    kind = type(value)
    return kind is float or (kind is int and _INT64[0] <= value < _INT64[1])


def _exact_one(value: Any) -> bytes:
    """A plain int's or float's digest: its type byte (1 int, 2 float), three zero bytes, its 8 bytes (little
    endian). (A blake2b digest equals one of these with probability 2^-96.)"""
    if type(value) is int:
        return b"\x01\x00\x00\x00" + struct.pack("<q", value)
    return b"\x02\x00\x00\x00" + struct.pack("<d", value)


def picked(column: Sequence[Any], indices: Sequence[int]) -> list[Any]:
    """`column`'s values at `indices` (a slice when they are a range)."""
    if isinstance(indices, range) and indices.step == 1:
        return list(column[indices.start:indices.stop])
    return [column[i] for i in indices]


_EXACT_TYPES = {int: (1, "q"), float: (2, "d")}


def _all_exact(values: Sequence[Any]) -> bytes | None:
    """`_exact_one` of every value, made in bulk; None unless every value is an int that fits 64 bits, or every
    value a float."""
    kinds = set(map(type, values))
    if len(kinds) != 1 or (kind := next(iter(kinds))) not in _EXACT_TYPES:
        return None
    tag, code = _EXACT_TYPES[kind]
    try:
        packed = array(code, values)
    except OverflowError:
        return None
    if sys.byteorder == "big":
        packed.byteswap()
    data = packed.tobytes()
    out = bytearray(KEY_BYTES * len(values))
    out[0::KEY_BYTES] = bytes([tag]) * len(values)
    for byte in range(8):
        out[KEY_BYTES - 8 + byte::KEY_BYTES] = data[byte::8]
    return bytes(out)


def _digest_of(hasher: Any, data: bytes) -> bytes:
    hasher.update(data)
    return hasher.digest()


def _encoded(values: Sequence[Any]) -> list[bytes | None]:
    """Each value as bytes that differ exactly when the values differ (in type or value): ints, strings and
    floats by their text (tagged by type), anything else pickled; None where it cannot be pickled."""
    kinds = set(map(type, values))
    if kinds == {int}:
        return [b"i%d" % value for value in values]
    if kinds == {float}:
        return [b"f" + value.hex().encode() for value in values]
    return [_one_encoded(value) for value in values]


def _one_encoded(value: Any) -> bytes | None:
    kind = type(value)
    if kind is int:
        return b"i%d" % value
    if kind is float:
        return b"f" + value.hex().encode()
    if kind is str and value.isascii():
        return b"s" + value.encode()
    try:
        return b"p" + pickle.dumps(value, protocol=5)
    except Exception:
        return None


def element_keys(prefix: bytes, fed: Sequence[str], items: Sequence[Mapping[str, Any]]) -> list[bytes | None]:
    """Each element's whole key (its group, then its digest; see `element_digests`) from its bindings, None for
    an element without a key. For a few elements (tests, a look at one); Maps use `element_digests`."""
    digests, keyless = element_digests(prefix, [[bindings[name] for bindings in items] for name in fed],
                                       None if fed else range(len(items)))
    group, missing = element_group(prefix), set(keyless)
    return [None if position in missing else group + digests[position * KEY_BYTES:(position + 1) * KEY_BYTES]
            for position in range(len(items))]


def _version(type_name: str, registry: Registry) -> str:
    return str(registry.get(type_name).version) if type_name in registry else ""
