"""The result inspector: the selected node's output values from the last run, as readable text; "Open in Console"
(`console_action`) binds them in the Console dock (`value`, `outputs`, each port by its name)."""

from __future__ import annotations

import itertools
import pprint
from typing import Any

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from pflow_studio.app.console.dock import console_action, open_in_console
from pflow_studio.app.console.names import output_names
from pflow_studio.runtime.container_types import FILTER_TYPE, MAP_TYPE
from pflow_studio.runtime.executor import RunResult
from pflow_studio.runtime.model import Workflow

MAX_CHARS = 200_000
SHOWN_ITEMS = 1_000  # items of a list or dict shown, at each level
SHOWN_DEPTH = 4
PER_ELEMENT_NOTE = ("This node is inside a {kind}: it runs once per element; see the {kind}'s outputs "
                    "(go up and select the {kind}).")
FUNCTION_CONTAINERS = {MAP_TYPE: "Map", FILTER_TYPE: "Filter"}


def outputs_at(workflow: Workflow, result: RunResult | None, path: tuple[str, ...]) -> tuple[dict | None, str]:
    """(the outputs the node at `path` produced in `result`, or None; a note saying why not).
    Top-level nodes and nodes inside Groups have outputs; nodes inside a Map or Filter body do not."""
    level = workflow
    for container_id in path[:-1]:
        node = level.nodes.get(container_id)
        if node is None or node.body is None:
            return None, ""
        kind = FUNCTION_CONTAINERS.get(node.type_name)
        if kind:
            return None, PER_ELEMENT_NOTE.format(kind=kind)
        level = node.body
    if result is None:
        return None, ""
    if len(path) == 1:
        return result.outputs.get(path[0]), ""
    return result.nested_outputs.get(tuple(path)), ""


def format_outputs(outputs: dict[str, Any]) -> str:
    """`port = value` blocks, values pretty-printed (long texts cut at MAX_CHARS; lists and dicts shown up to
    SHOWN_ITEMS items at each level, with how many more there are, so a Map's list of a million results is
    shown at once instead of freezing the window while all of it is formatted)."""
    blocks = []
    for port, value in outputs.items():
        text = pprint.pformat(_shortened(value), width=80, sort_dicts=False, compact=True)
        kind = type(value).__name__
        if isinstance(value, (list, tuple, dict, str)):
            kind += f", {len(value)} item{'s' if len(value) != 1 else ''}" if not isinstance(value, str) \
                else f", {len(value)} chars"
        blocks.append(f"{port} ({kind}) =\n{text}")
    text = "\n\n".join(blocks)
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS] + "\n… (cut)"


class _More:
    """Stands for the items left out of a long list or dict."""

    def __init__(self, count: int) -> None:
        self.count = count

    def __repr__(self) -> str:
        return f"… {self.count:,} more"


def _shortened(value: Any, depth: int = 0) -> Any:
    """`value` with every list, tuple and dict cut to SHOWN_ITEMS items (a `_More` marking the rest), to
    `SHOWN_DEPTH` levels."""
    if depth >= SHOWN_DEPTH:
        return value if not isinstance(value, (list, tuple, dict)) or len(value) <= SHOWN_ITEMS else _More(len(value))
    if isinstance(value, dict):
        items = {key: _shortened(item, depth + 1) for key, item in itertools.islice(value.items(), SHOWN_ITEMS)}
        if len(value) > SHOWN_ITEMS:
            items["…"] = _More(len(value) - SHOWN_ITEMS)
        return items
    if isinstance(value, (list, tuple)):
        items = [_shortened(item, depth + 1) for item in value[:SHOWN_ITEMS]]
        if len(value) > SHOWN_ITEMS:
            items.append(_More(len(value) - SHOWN_ITEMS))
        return tuple(items) if isinstance(value, tuple) else items
    return value


class ResultInspector(QWidget):
    """A title line (which node) over the values."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("No node selected.", self)
        self.title.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.shown: tuple[str, dict[str, Any]] | None = None  # the label and outputs shown
        self.console_action, console_button = console_action(
            self, "action_results_console", "Bind these outputs (value, outputs, each port by its name) in the "
            "Console dock, to look at them in Python", self.open_in_console)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(console_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.text)

    def open_in_console(self) -> None:
        """Bind the shown outputs in the window's Console dock."""
        if self.shown is not None:
            label, outputs = self.shown
            open_in_console(self, output_names(outputs), f"Outputs of '{label}'")

    def show_outputs(self, label: str, outputs: dict[str, Any] | None, note: str = "") -> None:
        """Show a node's outputs; None means it has none from the last run (`note` says why)."""
        self.title.setText(label)
        self.shown = (label, outputs) if outputs else None
        self.console_action.setEnabled(self.shown is not None)
        if outputs is None:
            self.text.setPlainText(note or "No results: run the workflow (F5).")
        elif not outputs:
            self.text.setPlainText("This node has no outputs.")
        else:
            self.text.setPlainText(format_outputs(outputs))

    def show_nothing(self, note: str = "No node selected.") -> None:
        self.title.setText(note)
        self.shown = None
        self.console_action.setEnabled(False)
        self.text.clear()
