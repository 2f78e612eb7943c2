"""The executor: runs a workflow's nodes in dependency order and reports events.

Semantics:
- The run computes its *targets* (by default every sink: node whose outputs nothing consumes)
  and, on demand, everything they need. A node runs once all the inputs it needs are known.
  Lazy nodes (If, ExecuteInOrder) say which inputs they need as they learn others
  (`NodeType.inputs_needed`); an input never asked for is never computed, and nodes needed only
  by such inputs end `skipped` ("not needed").
- An input takes, in order: the value fed from outside (a Group boundary, a Map element), the
  output its edge comes from, the node's own `input_values`, the port default, else None for an
  optional port. A required input with none of these fails the node.
- A failing node is reported with its traceback; nodes that need its outputs end `skipped`;
  independent branches still run. The run's status is then "failed".
- With a cache, each node gets a key from its type, properties, body and input keys; a node
  whose key is in the cache is not run (`finished` with cached=True).
- A cancelled token stops the run between nodes (and a Map between elements); nodes not run end
  `cancelled` and the status is "cancelled".
- Outputs of nodes inside Group bodies are kept in `RunResult.nested_outputs` by node path (also
  when the Group came from the cache); nodes in Map / Filter bodies run once per element, in
  their own runs, and are not kept there.
"""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Iterable
from typing import Any

from pflow_studio.nodes.api import NO_DEFAULT, NodeType
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime import events as ev
from pflow_studio.runtime.cache import ResultCache, digest, value_key
from pflow_studio.runtime.cancel import Cancelled, CancelToken
from pflow_studio.runtime.errors import BodyFailed, InvalidWorkflow
from pflow_studio.runtime.graph import instantiate, topological_order, upstream
from pflow_studio.runtime.model import Node, PortRef, Workflow
from pflow_studio.runtime.runners import Runner, SerialRunner
from pflow_studio.runtime.validation import validate

FINISHED, CACHED, FAILED, SKIPPED, CANCELLED = "finished", "cached", "failed", "skipped", "cancelled"
_NOT_OK = frozenset({FAILED, SKIPPED, CANCELLED})


@dataclasses.dataclass
class NodeFailure:
    """A node that failed: where, its message, its traceback and optional details (Map items)."""

    path: tuple[str, ...]
    label: str
    message: str
    traceback: str = ""
    details: Any = None

    def __str__(self) -> str:
        return f"node '{self.label}' failed: {self.message}"


@dataclasses.dataclass
class RunResult:
    """The end of a run: status ("ok", "failed", "cancelled"), outputs and final state per node
    id of the workflow run, and every failure (nested ones included, by path). `nested_outputs`:
    the outputs of nodes inside Group bodies, by path (container ids, then the node's id)."""

    status: str
    outputs: dict[str, dict[str, Any]]
    states: dict[str, str]
    failures: list[NodeFailure]
    nested_outputs: dict[tuple[str, ...], dict[str, Any]] = dataclasses.field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclasses.dataclass
class _Environment:
    """What every (nested) run of one execution shares."""

    registry: Registry
    runner: Runner
    cache: ResultCache | None
    bus: ev.EventBus
    cancel: CancelToken
    failures: list[NodeFailure]
    nested: dict[tuple[str, ...], dict[str, Any]] = dataclasses.field(default_factory=dict)
    items: dict[tuple[str, ...], dict[str, Any]] = dataclasses.field(default_factory=dict)  # for the cache


@dataclasses.dataclass
class ExecutionContext:
    """What a container's `execute` gets: its own path, the shared environment, which of its
    inputs were really provided (not just defaulted to None), and their cache keys."""

    env: _Environment
    path: tuple[str, ...]
    provided: frozenset[str]
    input_keys: dict[str, str]

    @property
    def registry(self) -> Registry:
        return self.env.registry

    @property
    def runner(self) -> Runner:
        return self.env.runner

    @property
    def cancel(self) -> CancelToken:
        return self.env.cancel

    def emit(self, kind: str, **fields: Any) -> None:
        if kind == ev.ITEMS and self.env.cache is not None:
            self.env.items[self.path] = fields  # replayed (cached=True) when the node comes from the cache
        if self.env.bus:
            self.env.bus.emit(ev.Event(kind, self.path, **fields))

    def run_body(
        self,
        body: Workflow,
        feeds: dict[PortRef, tuple[Any, str]],
        targets: Iterable[str],
    ) -> RunResult:
        """Run a nested workflow with values fed into inner ports; events carry nested paths."""
        return _WorkflowRun(self.env, body, feeds, list(targets), self.path).run()


class Executor:
    """Runs workflows. Keep one per project to reuse its result cache across runs.

    `registry` holds every node type the workflows use (`runtime.registry.default_registry()`:
    the library, the containers and plug-ins); `runner` runs Map elements (default: in this
    process); `cache`: True for a new result cache, a `ResultCache` to share, False for none."""

    def __init__(
        self,
        registry: Registry,
        runner: Runner | None = None,
        cache: ResultCache | bool | None = True,
    ) -> None:
        self.registry = registry
        self.runner: Runner = runner or SerialRunner()
        self.cache: ResultCache | None = ResultCache() if cache is True else (cache or None)

    def run(
        self,
        workflow: Workflow,
        *,
        targets: Iterable[str] | None = None,
        listeners: Iterable[ev.Listener] = (),
        cancel: CancelToken | None = None,
        check: bool = True,
        feeds: dict[PortRef, Any] | None = None,
    ) -> RunResult:
        """Run `workflow` (or just `targets` and what they need). `feeds` sets input ports from
        outside (as a Map element does). Raises `InvalidWorkflow` before running anything when
        validation finds problems (with `check`)."""
        if check:
            problems = validate(workflow, self.registry)
            if problems:
                raise InvalidWorkflow(problems)
        env = _Environment(self.registry, self.runner, self.cache, ev.EventBus(listeners), cancel or CancelToken(), [])
        wanted = list(targets) if targets is not None else workflow.sinks()
        keyed = {ref: (value, value_key(value) if self.cache else "") for ref, value in (feeds or {}).items()}
        result = _WorkflowRun(env, workflow, keyed, wanted, ()).run()
        result.failures = env.failures
        result.nested_outputs = env.nested
        if result.status == "ok" and env.failures:
            result.status = "failed"
        return result


class _WorkflowRun:
    """One run of one workflow level."""

    def __init__(
        self,
        env: _Environment,
        workflow: Workflow,
        feeds: dict[PortRef, tuple[Any, str]],
        targets: list[str],
        prefix: tuple[str, ...],
    ) -> None:
        self.env = env
        self.workflow = workflow
        self.feeds = feeds
        self.prefix = prefix
        self.bus = env.bus
        self.incoming: dict[str, dict[str, PortRef]] = {}
        for edge in workflow.edges:
            self.incoming.setdefault(edge.target.node, {})[edge.target.port] = edge.source
        self.plan = topological_order(workflow, upstream(workflow, targets))
        self.targets = [t for t in self.plan if t in set(targets)]
        self.states: dict[str, str] = {}
        self.outputs: dict[str, dict[str, Any]] = {}
        self.keys: dict[str, str] = {}
        self.instances: dict[str, NodeType] = {}
        self.keyed = env.cache is not None  # without a cache, no key is ever needed

    # -- events ------------------------------------------------------------------------------

    def _emit(self, kind: str, node_id: str | None, **fields: Any) -> None:
        if self.bus:
            path = (*self.prefix, node_id) if node_id is not None else self.prefix
            self.bus.emit(ev.Event(kind, path, **fields))

    def _settle(self, node_id: str, state: str, **fields: Any) -> None:
        self.states[node_id] = state
        kind = {FINISHED: ev.FINISHED, CACHED: ev.FINISHED, FAILED: ev.FAILED, SKIPPED: ev.SKIPPED,
                CANCELLED: ev.CANCELLED}[state]
        self._emit(kind, node_id, cached=state == CACHED, **fields)
        if self.bus:
            self._emit(ev.PROGRESS, None, done=len(self.states), total=len(self.plan))

    # -- the run -----------------------------------------------------------------------------

    def run(self) -> RunResult:
        if self.bus:
            for node_id in self.plan:
                self._emit(ev.QUEUED, node_id)
        stack = list(reversed(self.targets))
        cancelled = False
        while stack:
            if self.env.cancel.cancelled:
                cancelled = True
                break
            node_id = stack[-1]
            if node_id in self.states:
                stack.pop()
                continue
            waiting = self._advance(node_id)
            if waiting:
                stack.extend(reversed(waiting))
            else:
                stack.pop()
        for node_id in self.plan:
            if node_id not in self.states:
                if cancelled or self.env.cancel.cancelled:
                    self._settle(node_id, CANCELLED, message="the run was cancelled")
                else:
                    self._settle(node_id, SKIPPED, message="not needed")
        if self.env.cancel.cancelled:
            status = "cancelled"
        elif any(state == FAILED for state in self.states.values()):
            status = "failed"
        else:
            status = "ok"
        if self.prefix:
            nested, prefix = self.env.nested, self.prefix
            for node_id, produced in self.outputs.items():
                nested[(*prefix, node_id)] = produced
        return RunResult(status, self.outputs, self.states, self.env.failures)

    def _instance(self, node: Node) -> NodeType:
        instance = self.instances.get(node.id)
        if instance is None:
            instance = self.instances[node.id] = instantiate(node, self.env.registry)
        return instance

    def _advance(self, node_id: str) -> list[str]:
        """Run the node if what it needs is known; else return the sources still to compute."""
        node = self.workflow.nodes[node_id]
        instance = self._instance(node)
        sources = self.incoming.get(node_id, {})
        available: dict[str, Any] = {}
        keys: dict[str, str] = {}
        provided: set[str] = set()
        for port in instance.input_ports():
            name = port.name
            ref = PortRef(node_id, name)
            if ref in self.feeds:
                available[name], keys[name] = self.feeds[ref]
                provided.add(name)
            elif name in sources:
                source = sources[name]
                state = self.states.get(source.node)
                if state is None or state in _NOT_OK:
                    continue
                produced = self.outputs[source.node]
                if source.port not in produced:
                    self._fail(node, f"input '{name}': node '{self._label(source.node)}' produced no output "
                                     f"'{source.port}'")
                    return []
                available[name] = produced[source.port]
                keys[name] = f"{self.keys[source.node]}:{source.port}" if self.keyed else ""
                provided.add(name)
            elif name in node.input_values:
                available[name] = node.input_values[name]
                keys[name] = "=" + digest(available[name]) if self.keyed else ""
                provided.add(name)
            elif port.default is not NO_DEFAULT:
                available[name] = port.default
                keys[name] = "=" + digest(port.default) if self.keyed else ""
            elif port.optional:
                available[name] = None
                keys[name] = "none"
            else:
                self._fail(node, f"input '{name}' is required and has no value")
                return []

        needed = instance.inputs_needed(available)
        lazy = needed is not None
        if not lazy:
            needed = list(sources)
        waiting = []
        for name in needed:
            source = sources.get(name)
            if source is None or name in available:
                continue
            state = self.states.get(source.node)
            if state is None:
                waiting.append(source.node)
            else:
                self._settle(node_id, SKIPPED, message=f"not run: input '{name}' comes from "
                                                      f"'{self._label(source.node)}', which {state}")
                return []
        if waiting:
            return waiting
        if lazy:
            for name in sources:
                if name not in available:
                    available[name], keys[name] = None, "unneeded"
        self._run_node(node, instance, available, keys, provided)
        return []

    def _run_node(self, node: Node, instance: NodeType, inputs: dict[str, Any], input_keys: dict[str, str],
                  provided: set[str]) -> None:
        cache = self.env.cache if self.keyed and _cacheable(instance, self.env.registry) else None
        key = digest(node.type_name, node.properties, _body_signature(node), sorted(input_keys.items())) \
            if self.keyed else ""
        if cache is not None:
            hit = cache.get(key)
            if hit is not None:
                self.outputs[node.id], self.keys[node.id] = hit, key
                if node.body is not None:
                    self._restore_nested(cache, key, node.id)
                    items = cache.get(key + "/items")
                    if items is not None:
                        self._emit(ev.ITEMS, node.id, cached=True, **items)
                self._settle(node.id, CACHED)
                return
        self._emit(ev.STARTED, node.id)
        context = ExecutionContext(self.env, (*self.prefix, node.id), frozenset(provided), input_keys)
        try:
            produced = instance.execute(inputs, context)
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
        self.outputs[node.id] = produced
        if cache is not None:
            self.keys[node.id] = key
            cache.put(key, produced)
            if node.body is not None:
                self._keep_nested(cache, key, node.id)
                items = self.env.items.pop((*self.prefix, node.id), None)
                if items is not None:
                    cache.put(key + "/items", items)
        elif instance.cacheable or not self.keyed:
            self.keys[node.id] = key
        else:
            self.keys[node.id] = digest(key, {name: value_key(v) for name, v in produced.items()})
        self._settle(node.id, FINISHED)

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

    def _label(self, node_id: str) -> str:
        return self.workflow.nodes[node_id].label


def _cacheable(instance: NodeType, registry: Registry) -> bool:
    """A node is cached when its type is cacheable and so is every node in its body."""
    if not instance.cacheable:
        return False
    body = instance.body
    if body is None:
        return True
    for inner, _ in body.walk():
        if not registry.get(inner.type_name).cacheable:
            return False
    return True


def _body_signature(node: Node) -> Any:
    return None if node.body is None else repr(node.body.canonical())
