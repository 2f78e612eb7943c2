"""How a Map run uses the element store: which of its elements are served from it, and recording the
others as they finish.

`StoreBinding(store, scope)` is what a run carries (`Executor.run(..., elements=...)`): the store and the
project the run belongs to (`scope`: its path, "" when unsaved). For each Map, `open_map` recalls the stored
elements by key (`runtime.keys`; none are looked up when the store holds no block of the Map's key prefix) and
starts a run record in the store; the `map_elements.MapElements` it returns holds the `served` blocks (marked
`cached`, with the Map indices they serve), takes the finished ones through `record` and ends with `finish`.
Elements whose inputs cannot be pickled have no key: they always run and are never served. Failed elements
are stored for inspection but never served. `PlanBinding` only counts what each Map would serve.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime import keys as cache_keys
from pflow_studio.runtime.element_store.blocks import pickled
from pflow_studio.runtime.element_store.store import ElementStore
from pflow_studio.runtime.map_elements import MapElements
from pflow_studio.runtime.model import Workflow


@dataclasses.dataclass
class StoreBinding:
    """The element store as one run uses it: the store, the project (`scope`) the run belongs to, and the
    elements to compute again even when stored (`recompute`: Map path -> element indices)."""

    store: ElementStore
    scope: str = ""
    recompute: Mapping[tuple[str, ...], Collection[int]] = dataclasses.field(default_factory=dict)

    def open_map(self, path: tuple[str, ...], label: str, body: Workflow, function_id: str,
                 settings: Mapping[str, Any], broadcast: Mapping[str, Any], fed: Sequence[str],
                 items: Sequence[Mapping[str, Any]], registry: Registry) -> MapElements:
        """Look the Map's elements up and start recording its run (see the module docstring)."""
        prefix = cache_keys.element_key_prefix(body, function_id, settings, broadcast, registry)
        elements = MapElements(self.store, prefix, items, list(fed))
        if self.store.holds_group(elements.group):
            elements.recall(set(self.recompute.get(tuple(path), ())))
        body_key = cache_keys.body_signature(body, registry) or ""
        elements.begin(self.scope, path, label, body_key, pickled(dict(broadcast)))
        return elements


class PlanOnly(Exception):
    """Raised instead of running a Map's elements when a run only plans (`PlanBinding`)."""


@dataclasses.dataclass
class MapPlan:
    """What a Map would do: `total` elements, `stored` of them served from the store, the rest run."""

    path: tuple[str, ...]
    label: str
    total: int
    stored: int

    @property
    def to_run(self) -> int:
        return self.total - self.stored


class PlanBinding(StoreBinding):
    """A run that only plans: each Map counts its stored elements (`plans`, by path) and stops there with
    `PlanOnly`; nothing runs and nothing is written. `store` may be None (nothing is stored)."""

    def __init__(self, store: ElementStore | None, scope: str = "") -> None:
        super().__init__(store, scope)  # type: ignore[arg-type]
        self.plans: dict[tuple[str, ...], MapPlan] = {}

    def open_map(self, path: tuple[str, ...], label: str, body: Workflow, function_id: str,
                 settings: Mapping[str, Any], broadcast: Mapping[str, Any], fed: Sequence[str],
                 items: Sequence[Mapping[str, Any]], registry: Registry) -> MapElements:
        stored = 0
        if self.store is not None:
            prefix = cache_keys.element_key_prefix(body, function_id, settings, broadcast, registry)
            elements = MapElements(self.store, prefix, items, list(fed))
            if self.store.holds_group(elements.group):
                stored = sum(len(found.at) for found in self.store.find(elements.group, elements.all_digests()))
        self.plans[tuple(path)] = MapPlan(tuple(path), label, len(items), stored)
        raise PlanOnly(f"planned: {stored} of {len(items)} elements stored")
