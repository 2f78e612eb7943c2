"""What the Results dock shows for the selected node, from the last run and from elements run here.

- A node outside Map and Filter bodies: its outputs from the last run. A Map whose failed elements were left
  out of its lists (on_error "skip") or set to None ("none") says how many, with a button opening Work Items
  on its failed elements.
- A node inside a Map, Filter or For body runs once per element: the dock shows its outputs for the element
  last run here ("Run element here", `runtime.element_trace`), or offers to run one. A While's function node
  shows its outputs of the While's last iteration (the While's own outputs, but `iterations`).
- Values from before an edit say so (`STALE_NOTE`): a node's outputs when an edit changed its key or one
  upstream of it since the last run (`app.edit_feedback`), an element's trace when the Map's body was edited
  since it was taken. After every edit check the dock shows the selection again if that changed.
"""

from __future__ import annotations

import reprlib
import time
from typing import Any

from PySide6.QtCore import QObject

from pflow_studio.app.result_inspector import ResultInspector
from pflow_studio.canvas.levels import node_at
from pflow_studio.runtime.container_types import FILTER_TYPE, FOR_TYPE, MAP_TYPE, WHILE_TYPE
from pflow_studio.runtime.element_trace import ElementTrace
from pflow_studio.runtime.keys import body_signature
from pflow_studio.runtime.model import ModelError, Workflow
from pflow_studio.runtime.results import RunResult

SHORT = reprlib.Repr()  # Python 3.11 takes no keywords here
SHORT.maxstring, SHORT.maxother, SHORT.maxlist, SHORT.maxtuple, SHORT.maxdict = 40, 40, 4, 4, 3
FUNCTION_CONTAINERS = {MAP_TYPE: "Map", FILTER_TYPE: "Filter", FOR_TYPE: "For"}
LEFT_OUT = {"skip": "left out of its lists", "none": "set to None in its lists"}
STALE_NOTE = "These values are from before your edit: run again to update them."


def function_container(workflow: Workflow, path: tuple[str, ...]) -> tuple[tuple[str, ...], str] | None:
    """(the path of the outermost Map or Filter whose body holds the node at `path`, "Map" or "Filter"), or
    None when no Map or Filter holds it."""
    level = workflow
    for depth, container_id in enumerate(path[:-1]):
        node = level.nodes.get(container_id)
        if node is None or node.body is None:
            return None
        kind = FUNCTION_CONTAINERS.get(node.type_name)
        if kind:
            return tuple(path[:depth + 1]), kind
        level = node.body
    return None


def inputs_text(inputs: dict[str, Any]) -> str:
    """`name = value, ...` with each value's repr shortened (an array or a long list stays one short line)."""
    return ", ".join(f"{name} = {_short(value)}" for name, value in inputs.items())


def _short(value: Any) -> str:
    shape, dtype = getattr(value, "shape", None), getattr(value, "dtype", None)
    if isinstance(shape, tuple) and dtype is not None and shape:  # a numpy array, without importing numpy
        return f"{dtype} array {' x '.join(map(str, shape))}"
    return SHORT.repr(value)


def last_outputs(result: RunResult | None, path: tuple[str, ...]) -> dict[str, Any] | None:
    """The outputs the node at `path` (outside Map and Filter bodies) gave in `result`, None when none."""
    if result is None:
        return None
    return result.outputs.get(path[0]) if len(path) == 1 else result.nested_outputs.get(tuple(path))


def while_outputs(workflow: Workflow, result: RunResult | None, path: tuple[str, ...]
                  ) -> tuple[dict[str, Any] | None, str]:
    """When the node at `path` is a While's function node: its outputs in the While's last iteration and a note
    saying so; else (None, "")."""
    if len(path) < 2 or node_at(workflow, path[:-1]).type_name != WHILE_TYPE:
        return None, ""
    produced = last_outputs(result, path[:-1])
    if produced is None:
        return None, ""
    count = produced.get("iterations")
    return ({name: value for name, value in produced.items() if name != "iterations"},
            f"Its outputs in the last of the While's {count} iteration(s).")


class ResultsSession(QObject):
    """See the module docstring. `show()` shows the selected node; `keep_trace` takes an element run here."""

    def __init__(self, window: Any) -> None:
        super().__init__(window.results)  # goes with the dock's widget (no edit reaches it after)
        self.window = window
        self.canvas = window.canvas
        self.inspector: ResultInspector = window.results
        self.traces: dict[tuple[str, ...], ElementTrace] = {}
        self.work_items = window.work_items
        self.work_items.element_traced.connect(self.keep_trace)
        self.feedback = window.edit_feedback
        self.feedback.checked.connect(self._edited)
        self._shown_stale: bool | None = None  # whether the values shown are marked as from before an edit

    def keep_trace(self, map_path: tuple[str, ...], trace: ElementTrace) -> None:
        """Keep the latest element run here of the Map at `map_path` and show the selection again."""
        self.traces[tuple(map_path)] = trace
        self.show()

    def forget(self) -> None:
        """Another document: its elements' traces are not this one's."""
        self.traces.clear()

    def _edited(self) -> None:
        """An edit may have left the values shown out of date (or undone that): show the selection again if so."""
        ids = self.canvas.selected_node_ids()
        if self._shown_stale is not None and len(ids) == 1:
            path = (*self.canvas.level_path(), ids[0])
            container = function_container(self.canvas.workflow(), path)
            stale = self._trace_stale(container[0]) if container else self.feedback.stale(path)
            if stale != self._shown_stale:
                self.show()

    def show(self) -> None:
        """Show the selected node (one node selected) in the Results dock."""
        self._shown_stale = None
        ids = self.canvas.selected_node_ids()
        if len(ids) != 1:
            self.inspector.show_nothing("Select one node to see its results.")
            return
        path = (*self.canvas.level_path(), ids[0])
        workflow = self.canvas.workflow()
        try:
            node = node_at(workflow, path)
        except ModelError:
            self.inspector.show_nothing()
            return
        container = function_container(workflow, path)
        if container is not None:
            self._show_inner(node.label, path, *container)
            return
        last = self.window.runs.last.result if self.window.runs.last is not None else None
        outputs, note = last_outputs(last, path), ""
        if outputs is None:
            outputs, note = while_outputs(workflow, last, path)
        failure = next((f for f in last.failures if tuple(f.path) == path), None) if last is not None else None
        self._shown_stale = (outputs is not None or failure is not None) and self.feedback.stale(path)
        stale = f" {STALE_NOTE}" if self._shown_stale else ""
        if failure is not None:
            self.inspector.show_error(node.label, failure.message, failure.traceback,
                                      f"This node failed in the last run.{stale}")
            return
        self.inspector.show_outputs(node.label, outputs, STALE_NOTE if self._shown_stale else note)
        self._offer_failed(path, node.properties.get("on_error"))

    def _show_inner(self, label: str, path: tuple[str, ...], map_path: tuple[str, ...], kind: str) -> None:
        trace = self.traces.get(map_path)
        if trace is None:
            self.inspector.show_outputs(label, None, f"This node is inside a {kind}: it runs once per element. "
                                        "Run an element here to see what it gives for that element.")
            self._offer_run(map_path)
            return
        relative = path[len(map_path):]
        when = time.strftime("%H:%M:%S", time.localtime(trace.taken))
        note = f"Element {trace.index} of the {kind} ({inputs_text(trace.inputs)}), run here at {when}."
        self._shown_stale = self._trace_stale(map_path)
        if self._shown_stale:
            note += f" The {kind} was edited since. {STALE_NOTE}"
        outputs = trace.outputs_at(relative)
        failure = trace.failures.get(relative)
        if outputs is None and failure:
            self.inspector.show_error(label, failure, trace.tracebacks.get(relative, ""),
                                      f"{note} This node failed for it:")
        else:
            self.inspector.show_outputs(label, outputs, note if outputs is not None else
                                        f"{note} This node did not run for it.")
        self._offer_run(map_path, again=True)

    def _trace_stale(self, map_path: tuple[str, ...]) -> bool:
        """Whether the Map's body was edited since its element trace was taken (False without a trace)."""
        trace = self.traces.get(map_path)
        if trace is None:
            return False
        try:
            body = node_at(self.canvas.workflow(), map_path).body
        except ModelError:
            return True
        return trace.signature != (body_signature(body, self.window.registry) or "")

    def _offer_run(self, map_path: tuple[str, ...], again: bool = False) -> None:
        text = "Run an element here again" if again else "Run an element here"
        self.inspector.offer(text, "Run the element selected in Work items (else the first) in this process, "
                             "keeping every inner node's outputs", lambda: self.work_items.run_element_here(map_path))

    def _offer_failed(self, path: tuple[str, ...], on_error: Any) -> None:
        entry = self.window.runs.map_records.get(tuple(path))
        if on_error not in LEFT_OUT or not entry or not entry.get("failed"):
            return
        failed, total = entry["failed"], entry.get("total", 0)
        self.inspector.add_note(f"{failed:,} of {total:,} elements failed and were {LEFT_OUT[on_error]} "
                                f"(on_error '{on_error}').")
        self.inspector.offer("Show failed elements", "Open Work items on this Map's failed elements",
                             lambda: self.work_items.show_failed(tuple(path)))
