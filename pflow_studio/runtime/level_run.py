"""One run of one workflow level, and the context a node's `execute` receives.

`LevelRun` settles every node its targets need, in dependency order, reporting events; a
container's body runs as a level of its own through `NodeContext.run_body`, sharing the run's
`RunEnvironment`. The semantics are stated in the executor's docstring (`runtime.executor`).
"""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Iterable, Mapping
from typing import Any

from pflow_studio.nodes.api import ElementMemory, NodeType
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime import events as ev
from pflow_studio.runtime import keys
from pflow_studio.runtime.bypass import bypass_routes, describe_routes
from pflow_studio.runtime.cache import ResultCache
from pflow_studio.runtime.cancel import Cancelled, CancelToken
from pflow_studio.runtime.errors import BodyFailed, InputMissing, InputSkipped
from pflow_studio.runtime.graph import instantiate, topological_order, upstream
from pflow_studio.runtime.model import Node, PortRef, Workflow
from pflow_studio.runtime.node_inputs import LevelInputs, NodeInputs, Settled
from pflow_studio.runtime.results import CACHED, CANCELLED, FAILED, FINISHED, SKIPPED, NodeFailure, RunResult
from pflow_studio.runtime.runners import Runner

_EVENT_OF_STATE = {FINISHED: ev.FINISHED, CACHED: ev.FINISHED, FAILED: ev.FAILED, SKIPPED: ev.SKIPPED,
                   CANCELLED: ev.CANCELLED}


@dataclasses.dataclass
class RunEnvironment:
    """What every (nested) level run of one execution shares."""

    registry: Registry
    runner: Runner
    cache: ResultCache | None
    bus: ev.EventBus
    cancel: CancelToken
    failures: list[NodeFailure]
    nested: dict[tuple[str, ...], dict[str, Any]] = dataclasses.field(default_factory=dict)
    items: dict[tuple[str, ...], dict[str, Any]] = dataclasses.field(default_factory=dict)  # for the cache
    warnings: dict[tuple[str, ...], dict[str, Any]] = dataclasses.field(default_factory=dict)  # for the cache too
    elements: ElementMemory | None = None  # the element store Maps keep their elements in
    refresh: frozenset[tuple[str, ...]] = frozenset()  # nodes run again even when the cache holds them


@dataclasses.dataclass
class NodeContext:
    """What a node's `execute` gets (`nodes.api.ExecutionContext`): its own path, the shared
    environment, which of its inputs were really provided (not just defaulted to None), and their
    cache keys."""

    env: RunEnvironment
    path: tuple[str, ...]
    provided: frozenset[str]
    input_keys: dict[str, str]
    label: str = ""

    @property
    def registry(self) -> Registry:
        return self.env.registry

    @property
    def runner(self) -> Runner:
        return self.env.runner

    @property
    def cancel(self) -> CancelToken:
        return self.env.cancel

    @property
    def elements(self) -> ElementMemory | None:
        return self.env.elements

    def emit(self, kind: str, **fields: Any) -> None:
        """Report an event about this node (an `items` or `warning` event is also kept for the cache)."""
        if kind in (ev.ITEMS, ev.WARNING) and self.env.cache is not None:
            kept = self.env.items if kind == ev.ITEMS else self.env.warnings
            kept[self.path] = fields  # replayed (cached=True) when the node comes from the cache
        if self.env.bus:
            self.env.bus.emit(ev.Event(kind, self.path, **fields))

    def run_body(self, body: Workflow, feeds: Mapping[PortRef, tuple[Any, str]], targets: Iterable[str]) -> RunResult:
        """Run a nested workflow with values fed into inner ports; events carry nested paths."""
        return LevelRun(self.env, body, feeds, list(targets), self.path).run()


class LevelRun:
    """One run of one workflow level: `targets` and what they need; `prefix` is the path of the
    container whose body this is (`()` at the top)."""

    def __init__(
        self,
        env: RunEnvironment,
        workflow: Workflow,
        feeds: Mapping[PortRef, tuple[Any, str]],
        targets: list[str],
        prefix: tuple[str, ...],
    ) -> None:
        self.env = env
        self.workflow = workflow
        self.prefix = prefix
        self.bus = env.bus
        self.plan = topological_order(workflow, upstream(workflow, targets))
        wanted = set(targets)
        self.targets = [t for t in self.plan if t in wanted]
        self.settled = Settled()
        self.instances: dict[str, NodeType] = {}
        self.keyed = env.cache is not None  # without a cache, no key is ever needed
        self.inputs = LevelInputs(workflow, feeds, self.settled, self.keyed)

    # -- events ------------------------------------------------------------------------------

    def _emit(self, kind: str, node_id: str | None, **fields: Any) -> None:
        if self.bus:
            path = (*self.prefix, node_id) if node_id is not None else self.prefix
            self.bus.emit(ev.Event(kind, path, **fields))

    def _settle(self, node_id: str, state: str, **fields: Any) -> None:
        self.settled.states[node_id] = state
        self._emit(_EVENT_OF_STATE[state], node_id, cached=state == CACHED, **fields)
        if self.bus:
            self._emit(ev.PROGRESS, None, done=len(self.settled.states), total=len(self.plan))

    # -- the run -----------------------------------------------------------------------------

    def run(self) -> RunResult:
        """Settle every planned node (run, cached, failed, skipped or cancelled) and return the result."""
        if self.bus:
            for node_id in self.plan:
                self._emit(ev.QUEUED, node_id)
        cancelled = not self._run_targets()
        states = self.settled.states
        for node_id in self.plan:
            if node_id not in states:
                if cancelled or self.env.cancel.cancelled:
                    self._settle(node_id, CANCELLED, message="the run was cancelled")
                else:
                    self._settle(node_id, SKIPPED, message="not needed")
        if self.env.cancel.cancelled:
            status = "cancelled"
        elif any(state == FAILED for state in states.values()):
            status = "failed"
        else:
            status = "ok"
        if self.prefix:
            for node_id, produced in self.settled.outputs.items():
                self.env.nested[(*self.prefix, node_id)] = produced
        return RunResult(status, self.settled.outputs, states, self.env.failures)

    def _run_targets(self) -> bool:
        """Settle the targets, depth first through what they wait for; False when cancelled."""
        stack = list(reversed(self.targets))
        while stack:
            if self.env.cancel.cancelled:
                return False
            node_id = stack[-1]
            if node_id in self.settled.states:
                stack.pop()
                continue
            waiting = self._advance(node_id)
            if waiting:
                stack.extend(reversed(waiting))
            else:
                stack.pop()
        return True

    def _instance(self, node: Node) -> NodeType:
        instance = self.instances.get(node.id)
        if instance is None:
            instance = self.instances[node.id] = instantiate(node, self.env.registry)
        return instance

    def _advance(self, node_id: str) -> list[str]:
        """Run the node if what it needs is known; else return the sources still to compute."""
        node = self.workflow.nodes[node_id]
        instance = self._instance(node)
        if node.bypassed:
            return self._advance_bypassed(node, instance)
        try:
            inputs = self.inputs.gather(node, instance)
            waiting = self.inputs.waiting(node_id, instance, inputs)
        except InputMissing as exc:
            self._fail(node, str(exc))
            return []
        except InputSkipped as exc:
            self._settle(node_id, SKIPPED, message=str(exc))
            return []
        if not waiting:
            self._run_node(node, instance, inputs)
        return waiting

    def _advance_bypassed(self, node: Node, instance: NodeType) -> list[str]:
        """Settle a bypassed node once the inputs it passes through are known (`runtime.bypass`): finished
        with those values as its outputs, or skipped when it passes nothing through."""
        routes = bypass_routes(instance)
        passed = {source for source in routes.values() if source is not None}
        inputs = self.inputs.gather(node, instance, tolerant=True)
        sources = self.inputs.incoming.get(node.id, {})
        waiting = [sources[name].node for name in passed
                   if name in sources and name not in inputs.values and sources[name].node not in self.settled.states]
        if waiting:
            return waiting
        produced = {output: inputs.values[source] for output, source in routes.items()
                    if source is not None and source in inputs.values}
        if not produced and routes:
            self._settle(node.id, SKIPPED, message=describe_routes(dict.fromkeys(routes)))
            return []
        key = keys.node_key(node, self.env.registry, inputs.keys) if self.keyed else ""
        self.settled.outputs[node.id], self.settled.keys[node.id] = produced, key
        self._settle(node.id, FINISHED, message=describe_routes(
            {output: source if output in produced else None for output, source in routes.items()}))
        return []

    def _run_node(self, node: Node, instance: NodeType, inputs: NodeInputs) -> None:
        registry = self.env.registry
        cache = self.env.cache if self.keyed and keys.is_cacheable(instance, registry) else None
        key = keys.node_key(node, registry, inputs.keys) if self.keyed else ""
        if cache is not None and (*self.prefix, node.id) not in self.env.refresh \
                and self._served_from_cache(node, cache, key):
            return
        self._emit(ev.STARTED, node.id)
        context = NodeContext(self.env, (*self.prefix, node.id), frozenset(inputs.provided), inputs.keys, node.label)
        try:
            produced = instance.execute(inputs.values, context)
            missing = [p.name for p in instance.output_ports() if p.name not in (produced or {})]
            if missing:
                raise TypeError(f"{node.type_name} did not produce output(s) {', '.join(map(repr, missing))}")
        except Cancelled:
            self._settle(node.id, CANCELLED, message="the run was cancelled")
            return
        except BodyFailed as exc:
            self._fail(node, str(exc))
            return
        except Exception as exc:
            self._fail(node, f"{type(exc).__name__}: {exc}", "".join(traceback.format_exception(exc)),
                       getattr(exc, "details", None))
            return
        self._keep(node, produced, cache, key)
        self._settle(node.id, FINISHED)

    def _served_from_cache(self, node: Node, cache: ResultCache, key: str) -> bool:
        """Settle the node as cached when its key is in the cache (inner outputs and the last
        `items` and `warning` events restored); False when it must run."""
        hit = cache.get(key)
        if hit is None:
            return False
        self.settled.outputs[node.id], self.settled.keys[node.id] = hit, key
        if node.body is not None:
            self._restore_nested(cache, key, node.id)
            items = cache.get(key + "/items")
            if items is not None:
                self._emit(ev.ITEMS, node.id, cached=True, **items)
        warning = cache.get(key + "/warning")
        if warning is not None:
            self._emit(ev.WARNING, node.id, cached=True, **warning)
        self._settle(node.id, CACHED)
        return True

    def _keep(self, node: Node, produced: dict[str, Any], cache: ResultCache | None, key: str) -> None:
        """Record a node's outputs and its key (in the cache too, when it is reusable; keyed by the values
        it produced when it is not, so what depends on it is stale exactly when they changed). A Map whose
        elements partly failed (on_error skip / none) is not reused: its failed elements run again."""
        self.settled.outputs[node.id] = produced
        items = self.env.items.pop((*self.prefix, node.id), None)
        warning = self.env.warnings.pop((*self.prefix, node.id), None)
        if cache is not None and not (items and items.get("details", {}).get("failures")):
            self.settled.keys[node.id] = key
            cache.put(key, produced)
            if warning is not None:
                cache.put(key + "/warning", warning)
            if node.body is not None:
                self._keep_nested(cache, key, node.id)
                if items is not None:
                    cache.put(key + "/items", items)
        else:
            self.settled.keys[node.id] = keys.outputs_key(key, produced) if self.keyed else key

    def _keep_nested(self, cache: ResultCache, key: str, node_id: str) -> None:
        """Cache a container's inner outputs next to its own, by path relative to it."""
        inside = (*self.prefix, node_id)
        depth = len(inside)
        kept = {path[depth:]: out for path, out in self.env.nested.items() if path[:depth] == inside}
        if kept:
            cache.put(key + "/nested", kept)

    def _restore_nested(self, cache: ResultCache, key: str, node_id: str) -> None:
        kept = cache.get(key + "/nested")
        if kept:
            inside = (*self.prefix, node_id)
            self.env.nested.update({(*inside, *path): out for path, out in kept.items()})

    def _fail(self, node: Node, message: str, trace: str = "", details: Any = None) -> None:
        failure = NodeFailure((*self.prefix, node.id), node.label, message, trace, details)
        self.env.failures.append(failure)
        self._settle(node.id, FAILED, message=message, traceback=trace, details=details)
