"""The node registry: node types by stable type name.

The built-in library and the runtime's containers (Group, Map, Filter) register themselves;
third-party packages add theirs through the entry-point group `pflow_studio.nodes`, whose entries
point at a `NodeType` subclass, a module (all its `NodeType` subclasses with a `type_name`), or a
callable returning an iterable of `NodeType` subclasses. `load_entry_points` loads them at once;
after `defer_entry_points` they are loaded the first time a name is not found among the types
registered so far or the whole registry is listed (a run of built-in nodes never pays for the scan
of the installed packages).
"""

from __future__ import annotations

import importlib.metadata
import inspect
import logging
import threading
from collections.abc import Iterable, Iterator
from types import ModuleType

from pflow_studio.nodes.api import NodeType

ENTRY_POINT_GROUP = "pflow_studio.nodes"
log = logging.getLogger(__name__)
_DEFERRED_LOADING = threading.RLock()  # module-wide: a Registry is pickled to engines, a lock cannot be


class UnknownNodeType(KeyError):
    """No node type is registered under this name."""

    def __init__(self, type_name: str) -> None:
        super().__init__(type_name)
        self.type_name = type_name

    def __str__(self) -> str:
        return f"unknown node type '{self.type_name}'"


class Registry:
    """A mapping of type name to `NodeType` subclass."""

    def __init__(self) -> None:
        self._types: dict[str, type[NodeType]] = {}
        self._deferred = False  # plug-ins still to load (see `defer_entry_points`)

    def register(self, node_type: type[NodeType]) -> type[NodeType]:
        """Add a node type (usable as a class decorator). A second, different class under the
        same name is an error, so a plug-in cannot silently replace a built-in."""
        name = node_type.type_name
        if not name:
            raise ValueError(f"{node_type.__qualname__} has no type_name")
        existing = self._types.get(name)
        if existing is not None and existing is not node_type:
            raise ValueError(f"node type '{name}' is already registered by {existing.__module__}")
        self._types[name] = node_type
        return node_type

    def register_module(self, module: ModuleType) -> None:
        """Register every `NodeType` subclass defined in `module` that has a type_name."""
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, NodeType) and obj.type_name and obj.__module__ == module.__name__:
                self.register(obj)

    def get(self, type_name: str) -> type[NodeType]:
        node_type = self._types.get(type_name)
        if node_type is None and self._load_deferred():
            node_type = self._types.get(type_name)
        if node_type is None:
            raise UnknownNodeType(type_name)
        return node_type

    def __contains__(self, type_name: object) -> bool:
        return type_name in self._types or (self._load_deferred() and type_name in self._types)

    def __iter__(self) -> Iterator[type[NodeType]]:
        self._load_deferred()
        return iter(sorted(self._types.values(), key=lambda t: (t.category, t.type_name)))

    def __len__(self) -> int:
        self._load_deferred()
        return len(self._types)

    def names(self) -> list[str]:
        self._load_deferred()
        return sorted(self._types)

    def defer_entry_points(self) -> None:
        """Load the plug-ins only when they may be needed: the first time a type name is not found, or the
        registry is listed or counted (a broken plug-in is reported then)."""
        self._deferred = True

    def _load_deferred(self) -> bool:
        """Load the deferred plug-ins now (once, whichever thread asks first; the others wait for it); True when
        they were deferred."""
        if not self._deferred:
            return False
        with _DEFERRED_LOADING:
            if self._deferred:
                self.load_entry_points()
                self._deferred = False
        return True

    def load_entry_points(self, entry_points: Iterable[importlib.metadata.EntryPoint] | None = None) -> list[str]:
        """Register third-party node types; a broken plug-in is logged and skipped.

        Returns the messages of the plug-ins that failed to load."""
        if entry_points is None:
            entry_points = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
        failures = []
        for ep in entry_points:
            try:
                self._register_object(ep.load())
            except Exception as exc:  # a plug-in must never take the app down
                message = f"node plug-in '{ep.name}' ({ep.value}) failed to load: {exc}"
                log.warning(message)
                failures.append(message)
        return failures

    def _register_object(self, obj: object) -> None:
        if isinstance(obj, ModuleType):
            self.register_module(obj)
        elif inspect.isclass(obj) and issubclass(obj, NodeType):
            self.register(obj)
        elif callable(obj):
            for node_type in obj():
                self.register(node_type)
        else:
            raise TypeError(f"{obj!r} is not a NodeType, a module or a callable")
