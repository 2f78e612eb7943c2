"""Result caching: keys from a node's type, properties, body and input keys; a bounded store.

A node's key chains its inputs' keys (an edge contributes its source's key and port), so an
unchanged node is recognised without hashing its input values, as ComfyUI does from ancestry.
Outputs of a node that is not cacheable (files, side effects) are keyed by a digest of the values
themselves, so nodes downstream of an unchanged file are still found in the cache.
"""

from __future__ import annotations

import collections
import hashlib
import json
import pickle
import threading
import uuid
from typing import Any


def _stable_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=repr, allow_nan=True)


def digest(*parts: Any) -> str:
    """A stable hex digest of JSON-like parts (non-JSON values hash by repr)."""
    return hashlib.sha256(_stable_json(parts).encode()).hexdigest()


def value_key(value: Any) -> str:
    """A key for a concrete value: a digest of its pickle, or a unique key when unpicklable
    (so whatever depends on it is never served from the cache by mistake). The data of numpy arrays (anywhere
    in the value) is hashed where it lies, not copied into the pickle: their dtype and shape are in the pickle,
    then each array's length and bytes (a value without such buffers hashes exactly as its plain pickle)."""
    hasher = hashlib.sha256()
    if not hash_pickled(hasher, value):
        return "unique-" + uuid.uuid4().hex
    return hasher.hexdigest()


def hash_pickled(hasher: Any, value: Any) -> bool:
    """Feed `hasher` with `value`'s pickle (protocol 5), its out-of-band buffers (numpy arrays' data) after it,
    each with its length; False when `value` cannot be pickled."""
    buffers: list[pickle.PickleBuffer] = []
    try:
        hasher.update(pickle.dumps(value, protocol=5, buffer_callback=buffers.append))
        for buffer in buffers:
            data = buffer.raw()
            hasher.update(b"|%d|" % data.nbytes)
            hasher.update(data)
    except Exception:
        return False
    return True


class ResultCache:
    """A thread-safe LRU of node outputs by key."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._entries: collections.OrderedDict[str, dict[str, Any]] = collections.OrderedDict()
        self._lock = threading.Lock()
        self.max_entries = max_entries

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            outputs = self._entries.get(key)
            if outputs is not None:
                self._entries.move_to_end(key)
            return outputs

    def put(self, key: str, outputs: dict[str, Any]) -> None:
        with self._lock:
            self._entries[key] = outputs
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
