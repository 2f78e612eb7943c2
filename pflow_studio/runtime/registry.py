"""The process-wide node registry: the built-in library, the runtime's containers, and plug-ins."""

from __future__ import annotations

import threading

from pflow_studio.nodes import library
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime import containers, loops

_lock = threading.Lock()
_default: Registry | None = None


def default_registry() -> Registry:
    """Built-in node types, Group/Map/Filter/For/While, and entry-point plug-ins (loaded when first needed: see
    `Registry.defer_entry_points`); built once per process."""
    global _default
    with _lock:
        if _default is None:
            registry = Registry()
            for module in (*library.MODULES, containers, loops):
                registry.register_module(module)
            registry.defer_entry_points()
            _default = registry
    return _default
