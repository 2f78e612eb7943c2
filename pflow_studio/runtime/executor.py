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

Where it is done: `runtime.level_run` runs one workflow level (and gives each node its
`nodes.api.ExecutionContext`), `runtime.node_inputs` finds a node's inputs, `runtime.results`
holds what a run ends with and `runtime.errors` the exceptions; Map and Filter elements run
through `runtime.mapping` and `runtime.body_task`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pflow_studio.nodes.api import ElementMemory
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime import events as ev
from pflow_studio.runtime.cache import ResultCache, value_key
from pflow_studio.runtime.cancel import CancelToken
from pflow_studio.runtime.errors import InvalidWorkflow
from pflow_studio.runtime.level_run import LevelRun, RunEnvironment
from pflow_studio.runtime.model import PortRef, Workflow
from pflow_studio.runtime.results import NodeFailure, RunResult
from pflow_studio.runtime.runners import Runner, SerialRunner
from pflow_studio.runtime.validation import validate

__all__ = ["Executor", "InvalidWorkflow", "NodeFailure", "RunResult"]


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
        elements: ElementMemory | None = None,
        refresh: Iterable[tuple[str, ...]] = (),
    ) -> RunResult:
        """Run `workflow` (or just `targets` and what they need). `feeds` sets input ports from
        outside (as a Map element does); Maps keep their elements in `elements` (the element store,
        `runtime.stored_elements.StoreBinding`) when given; the nodes at the `refresh` paths run again
        even when the cache holds their result. Raises `InvalidWorkflow` before running anything when
        validation finds problems (with `check`)."""
        if check:
            problems = validate(workflow, self.registry)
            if problems:
                raise InvalidWorkflow(problems)
        env = RunEnvironment(self.registry, self.runner, self.cache, ev.EventBus(listeners), cancel or CancelToken(),
                             [], elements=elements, refresh=frozenset(map(tuple, refresh)))
        wanted = list(targets) if targets is not None else workflow.sinks()
        keyed = {ref: (value, value_key(value) if self.cache else "") for ref, value in (feeds or {}).items()}
        result = LevelRun(env, workflow, keyed, wanted, ()).run()
        result.failures = env.failures
        result.nested_outputs = env.nested
        if result.status == "ok" and env.failures:
            result.status = "failed"
        return result
