"""The selected element's detail: its full inputs and outputs, what it printed, its error with the user's
frames first, and the result of running it here.

`ElementDetailPane` has a title line over tabs: Inputs (the mapped values, then the broadcast ones) and Outputs,
each value in its viewer (`ValueTabs`, as the Results dock shows values), Printed (stdout, stderr), Error
(message, the line of the user's code that raised it, and the traceback with pflow-studio's own frames
folded into one line: `traceback_view.TracebackView`; "Show all frames" beside the title
unfolds them) and Run here (the outcome of Run here: its result or its local traceback, and what it printed).
"Open in console" (`console_action`, a button beside the title and in the table's menu) binds the shown
element's outputs, inputs and error in the Console dock.
*Pin* (a button beside each output viewer's Export) asks (`pin_requested(title, value)`) to pin the current
output's viewer in the Results dock; *Compare* (`compare_requested`) to show it beside the Results dock's pinned
viewer.
"""

from __future__ import annotations

import pprint
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPlainTextEdit, QTabWidget, QVBoxLayout, QWidget

from pflow_studio.app.console.dock import console_action, open_in_console
from pflow_studio.app.console.names import element_names
from pflow_studio.app.result_inspector import MAX_CHARS, format_outputs
from pflow_studio.app.traceback_view import TracebackView, text_box_style
from pflow_studio.app.viewers.value_tabs import ValueTabs
from pflow_studio.app.work_items.texts import STATUS_LABELS, duration_text
from pflow_studio.runtime.element_store.records import ElementDetail, ItemRow
from pflow_studio.runtime.outcomes import ItemOutcome

TABS = ("inputs", "outputs", "printed", "error", "here")
UNREADABLE = "(cannot be read back from the element store)"


class ElementDetailPane(QWidget):
    """See the module docstring."""

    pin_requested = Signal(str, object)
    compare_requested = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("Select an element to see its inputs, outputs and error.", self)
        self.title.setWordWrap(True)
        self.show_all = QCheckBox("Show all frames", self)
        self.show_all.setToolTip("Show the frames of pflow-studio's own code in tracebacks (folded into one line)")
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setStyleSheet("QTabBar::tab { padding: 4px 8px; }")  # five tabs in a narrow pane
        self.inputs, self.outputs, self.printed = ValueTabs(self), ValueTabs(self), _text_box(self)
        self.error, self.here = TracebackView(self), TracebackView(self)
        for widget, label in ((self.inputs, "Inputs"), (self.outputs, "Outputs"), (self.printed, "Printed"),
                              (self.error, "Error"), (self.here, "Run here")):
            self.tabs.addTab(widget, label)
        self.show_all.toggled.connect(lambda on: (self.error.set_show_all(on), self.here.set_show_all(on)))
        self.shown: tuple[ItemRow, ElementDetail, dict[str, Any] | None, str] | None = None
        self.console_action, console_button = console_action(
            self, "action_element_console", "Bind this element's outputs (value, outputs), inputs (inputs, each by "
            "its port's name) and error in the Console dock, to look at them in Python", self.open_in_console)
        self.pin_action = self._action("Pin", "Pin this output's viewer in the Results dock (it stays there while "
                                       "you look at other elements and nodes)", self.pin_requested)
        self.compare_action = self._action("Compare", "Show this output beside the value pinned in the Results dock, "
                                           "in a window of their own", self.compare_requested)
        self.outputs.actions_shown = [self.pin_action, self.compare_action]
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(console_button)
        top.addWidget(self.show_all)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

    def _action(self, text: str, tip: str, signal: Any) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setEnabled(False)
        action.triggered.connect(lambda _checked=False: self._ask(signal))
        return action

    def _ask(self, signal: Any) -> None:
        current = self.outputs.current()
        if current is not None:
            signal.emit(*current)

    def tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(TABS.index(name))

    def current_tab(self) -> str:
        return TABS[self.tabs.currentIndex()]

    def show_nothing(self, note: str = "Select an element to see its inputs, outputs and error.") -> None:
        self.title.setText(note)
        self._shown(None)
        self.inputs.set_values("", None)
        self.outputs.set_values("", None)
        self.printed.clear()
        self.error.show_error("", "")
        self.here.show_error("", "")

    def show_element(self, item: ItemRow, detail: ElementDetail | None, broadcast: dict[str, Any] | None,
                     where: str = "") -> None:
        """Show a row of the table with what the store holds about it (`detail`, None when nothing); `where` names
        its Map (for the console)."""
        self.title.setText(_title(item))
        self.here.show_error("", "")
        if detail is None:
            self._shown(None)
            note = ("This element did not run (the run was stopped, or its cluster failed, first)."
                    if item.status == "not_run"
                    else "This element is no longer in the element store.")
            self.inputs.set_values("", None, note)
            self.outputs.set_values("", None, note)
            self.printed.setPlainText(note)
            self.error.show_error(item.error or note, "")
            return
        prefix = f"element {item.index}."
        self.inputs.set_values(prefix, *_input_values(detail.inputs, broadcast))
        self.outputs.set_values(prefix, *_output_values(detail.outputs, detail.status))
        self._shown((item, detail, broadcast, where))
        self.printed.setPlainText(printed_text(detail.stdout, detail.stderr))
        self.error.show_error(detail.error or "No error: this element succeeded.", detail.traceback)
        if detail.status == "failed":
            self.tab("error")
        elif self.current_tab() in ("error", "here"):
            self.tab("outputs")

    def _shown(self, shown: tuple[ItemRow, ElementDetail, dict[str, Any] | None, str] | None) -> None:
        self.shown = shown
        self.console_action.setEnabled(shown is not None)
        has_outputs = shown is not None and shown[1].status == "ok" and bool(self.outputs.values)
        self.pin_action.setEnabled(has_outputs)
        self.compare_action.setEnabled(has_outputs)

    def open_in_console(self) -> None:
        """Bind the shown element in the window's Console dock."""
        if self.shown is None:
            return
        item, detail, broadcast, where = self.shown
        outputs = detail.outputs if detail.status == "ok" else None
        names = element_names(item.index, detail.inputs, outputs, broadcast, detail.error)
        open_in_console(self, names, f"{where or 'Map'}, element {item.index}")

    def show_local_start(self, index: int) -> None:
        self.here.show_error(f"Running element {index} here (in this process, with the Map's current body)… "
                             "Stop (Esc) stops waiting for it.", "")
        self.tab("here")

    def show_local_note(self, note: str) -> None:
        self.here.show_error(note, "")
        self.tab("here")

    def show_local_outcome(self, outcome: ItemOutcome) -> None:
        """Show the outcome of Run element here (its result, or its error and local traceback)."""
        took = duration_text(outcome.finished - outcome.started) or "no time"
        printed = printed_text(outcome.stdout, outcome.stderr, empty="")
        if outcome.ok:
            head = f"Element {outcome.index} ran here in {took}: ok (not stored)."
            self.here.show_error(f"{head}\n\n{_outputs_text(outcome.value, 'ok')}", "", printed)
        else:
            self.here.show_error(f"Element {outcome.index} failed here after {took}: {outcome.error}",
                                 outcome.traceback, printed)
        self.tab("here")


def printed_text(stdout: str, stderr: str, empty: str = "It printed nothing.") -> str:
    parts = [f"{name}:\n{text.rstrip()}" for name, text in (("stdout", stdout), ("stderr", stderr)) if text]
    return "\n\n".join(parts) if parts else empty


def _title(item: ItemRow) -> str:
    where = f" on engine {item.engine}" if item.engine is not None else ""
    where += f" @ {item.host}" if item.host else ""
    took = duration_text(item.duration)
    return f"Element {item.index}: {STATUS_LABELS.get(item.status, item.status)}{where}" + (f", {took}" if took else "")


def _input_values(inputs: Any, broadcast: dict[str, Any] | None) -> tuple[dict[str, Any] | None, str]:
    """(the element's mapped inputs, then the broadcast ones marked so; a note when they cannot be read)."""
    if not isinstance(inputs, dict):
        return None, UNREADABLE
    return {**inputs, **{f"{name} (broadcast)": value for name, value in (broadcast or {}).items()}}, ""


def _output_values(outputs: Any, status: str) -> tuple[dict[str, Any] | None, str]:
    if status != "ok":
        return None, "No outputs: this element failed."
    if outputs is None:
        return None, UNREADABLE
    return (outputs, "") if isinstance(outputs, dict) else ({"value": outputs}, "")


def _outputs_text(outputs: Any, status: str) -> str:
    if status != "ok":
        return "No outputs: this element failed."
    if isinstance(outputs, dict) and outputs:
        return format_outputs(outputs)
    return _pretty(outputs)


def _pretty(value: Any) -> str:
    if value is None:
        return UNREADABLE
    text = pprint.pformat(value, width=80, sort_dicts=False, compact=True)
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS] + "\n… (cut)"


def _text_box(parent: QWidget) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    text_box_style(box)
    return box


