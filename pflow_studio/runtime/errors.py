"""The runtime's exceptions that cross module lines: raised in one module, caught or reported in
another (the executor turns each into a node failure, a Map runner into an element's outcome).
`Cancelled` lives with the cancel token (`runtime.cancel`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pflow_studio.nodes.api import NodeError
from pflow_studio.runtime.validation import Problem


class InvalidWorkflow(Exception):
    """The workflow did not pass validation; `problems` name each node and port at fault."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class BodyFailed(Exception):
    """A container's body failed; the inner failures were reported with their own paths."""


class ElementFailed(Exception):
    """The function failed on one element; carries the inner traceback text and the node that failed (its
    label, after the labels of the Groups holding it: "Group/Divide"). Its text names that node."""

    def __init__(self, message: str, inner_traceback: str, node: str = "") -> None:
        super().__init__(f"node '{node}' failed: {message}" if node else message)
        self.message = message
        self.inner_traceback = inner_traceback
        self.node = node


class MapItemsFailed(NodeError):
    """Some elements of a Map failed; `details` lists each with index, input, error, traceback."""

    def __init__(self, message: str, details: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.details = details


class LoopFailed(MapItemsFailed):
    """Iterations of a For or While failed; `details` lists each as a Map's failed elements are (index, input,
    error, traceback)."""


class InputMissing(Exception):
    """A node cannot run: a required input has no value, or its source produced no such output.
    The node fails with this message."""


class InputSkipped(Exception):
    """A node is not run: an input it needs comes from a node that ended without outputs (failed,
    skipped or cancelled). The node ends skipped with this message."""
