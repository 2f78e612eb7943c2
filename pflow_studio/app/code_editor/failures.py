"""Which line of a Python node's code a run failed on, from the run's events.

A node's code compiles under a file name made from its text, so a traceback frame naming that file is a line
of that very text: the last such frame is the failing line (`runtime.user_code`, Qt-free). `FailedLines`
keeps, per node path, the failure of the last run that ran the node: a failed node, or the elements of a
Map or Filter that failed (each element's traceback is searched for the code of the nodes inside it), or
the syntax error that kept a run from starting (its problem's message names the line). A
node that finishes drops its mark; a mark also stops applying once the node's code is edited (its file
name changes).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

from pflow_studio.canvas.levels import node_at
from pflow_studio.runtime import events as ev
from pflow_studio.runtime.model import ModelError, Node, Workflow
from pflow_studio.runtime.user_code import code_file, user_code_line
from pflow_studio.runtime.validation import Problem

Path = tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class CodeFailure:
    """The failing `line` (1-based) of the code compiled as `filename`, and the error it raised."""

    filename: str
    line: int
    message: str


def _error_text(traceback_text: str) -> str:
    """The exception line that ends a traceback."""
    lines = [line for line in traceback_text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


class FailedLines:
    """The failing line of Python nodes' code in the last runs, by node path (see the module docstring)."""

    def __init__(self) -> None:
        self.marks: dict[Path, CodeFailure] = {}
        self._element_tracebacks: dict[Path, list[str]] = {}

    def clear(self) -> None:
        self.marks.clear()
        self._element_tracebacks.clear()

    def on_event(self, event: ev.Event, workflow: Workflow | None) -> bool:
        """Take in an event of a run of `workflow` (the copy that ran); True when the marks changed."""
        if event.kind == ev.ITEMS and isinstance(event.details, dict):
            failures = event.details.get("failures") or []
            self._element_tracebacks[event.path] = [str(f.get("traceback") or "") for f in failures]
            return False
        if event.kind not in (ev.FINISHED, ev.FAILED) or workflow is None:
            return False
        before = dict(self.marks)
        for path in [p for p in self.marks if p[: len(event.path)] == event.path]:
            del self.marks[path]
        texts = [event.traceback] if event.kind == ev.FAILED else []
        texts += self._element_tracebacks.pop(event.path, [])
        if isinstance(event.details, list):
            texts += [str(d.get("traceback") or "") for d in event.details if isinstance(d, dict)]
        for path, node in _nodes_at_and_under(workflow, event.path):
            self._mark(path, node, texts)
        return self.marks != before

    def on_problems(self, problems: Iterable[Problem], workflow: Workflow) -> bool:
        """Take in the problems that kept `workflow` from running: a Python node's syntax error marks its line.
        True when the marks changed."""
        before = dict(self.marks)
        for problem in problems:
            try:
                node = node_at(workflow, problem.path)
            except ModelError:
                continue
            self._mark(tuple(problem.path), node, [problem.message])
        return self.marks != before

    def _mark(self, path: Path, node: Node, texts: list[str]) -> None:
        filename = code_file(node)
        if filename is None:
            return
        for text in texts:
            line = user_code_line(text, node)
            if line is not None:
                self.marks[path] = CodeFailure(filename, line, _error_text(text))
                return

    def failure(self, path: Path, node: Node) -> CodeFailure | None:
        """The mark of the node at `path` when its code is still the code that failed."""
        mark = self.marks.get(tuple(path))
        return mark if mark is not None and mark.filename == code_file(node) else None


def _nodes_at_and_under(workflow: Workflow, path: Path) -> Iterator[tuple[Path, Node]]:
    """The node at `path` and every node inside it (nothing when the path is not in `workflow`)."""
    try:
        node = node_at(workflow, path)
    except ModelError:
        return
    yield path, node
    if node.body is not None:
        for inner, holders in node.body.walk(path):
            yield (*holders, inner.id), inner
