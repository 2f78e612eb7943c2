"""What a run ends with: the final state of each node, the failures, and the run's result."""

from __future__ import annotations

import dataclasses
from typing import Any

FINISHED, CACHED, FAILED, SKIPPED, CANCELLED = "finished", "cached", "failed", "skipped", "cancelled"
NOT_OK = frozenset({FAILED, SKIPPED, CANCELLED})
"""Final states of nodes that produced no outputs."""


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
