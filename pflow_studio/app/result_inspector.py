"""The result inspector (the Results dock): the selected node's output values from the last run, each in the
viewer its type gets (pflow_studio.app.viewers), with pinned viewers beside them, or the error it failed
with (`show_error`: the user's failing line first, our frames folded); and `format_outputs`, the
values as readable text (the work-item detail pane's). "Open in Console"
(`console_action`) binds the outputs in the Console dock (`value`, `outputs`, each port by its name)."""

from __future__ import annotations

import itertools
import pprint
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QTabBar, QTabWidget, QVBoxLayout, QWidget

from pflow_studio.app.console.dock import console_action, open_in_console
from pflow_studio.app.console.names import output_names
from pflow_studio.app.traceback_view import TracebackView
from pflow_studio.app.viewers.frame import ViewerFrame

MAX_CHARS = 200_000
SHOWN_ITEMS = 1_000  # items of a list or dict shown, at each level
SHOWN_DEPTH = 4
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
    """The Results dock: a title line (which node) with Pin and Compare, the node's outputs one tab each
    (`ViewerFrame`: the viewer its type gets), and beside them the pinned viewers, which stay while the
    selection moves. A cell double-clicked opens its value in a closable tab of its own."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = ""
        self.title = QLabel("No node selected.", self)
        self.title.setWordWrap(True)
        self.pin_button = QPushButton("Pin", self)
        self.pin_button.setToolTip("Keep this viewer beside the results while the selection moves")
        self.pin_button.clicked.connect(self.pin)
        self.compare_button = QPushButton("Compare", self)
        self.compare_button.setToolTip("Open this value and the pinned one side by side in a window")
        self.compare_button.clicked.connect(self.compare)
        self.tabs = QTabWidget(self)
        self.tabs.setTabsClosable(True)
        self.tabs.tabCloseRequested.connect(self._close_opened)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note_button = QPushButton(self)
        self.note_button.clicked.connect(lambda: self._offered())
        self.note_button.hide()
        self.error_view = TracebackView(self)
        self.error_view.hide()
        self._offered: Callable[[], None] = lambda: None
        self.pinned = QTabWidget(self)
        self.pinned.setTabsClosable(True)
        self.pinned.tabCloseRequested.connect(self._unpin)
        self.pinned.hide()
        self.comparisons: list[QSplitter] = []
        self.shown: tuple[str, dict[str, Any]] | None = None  # the label and outputs shown
        self.console_action, self.console_button = console_action(
            self, "action_results_console", "Bind these outputs (value, outputs, each port by its name) in the "
            "Console dock, to look at them in Python", self.open_in_console)
        self._build_layout()
        self._update_buttons()

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        bar.addWidget(self.pin_button)
        bar.addWidget(self.compare_button)
        bar.addWidget(self.console_button)
        live = QWidget(self)
        live_layout = QVBoxLayout(live)
        live_layout.setContentsMargins(0, 0, 0, 0)
        note_bar = QHBoxLayout()
        note_bar.addWidget(self.note, 1)
        note_bar.addWidget(self.note_button, 0, Qt.AlignmentFlag.AlignTop)
        live_layout.addLayout(note_bar)
        live_layout.addWidget(self.error_view, 1)
        live_layout.addWidget(self.tabs, 1)
        splitter = QSplitter(self)
        splitter.addWidget(live)
        splitter.addWidget(self.pinned)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

    def open_in_console(self) -> None:
        """Bind the shown outputs in the window's Console dock."""
        if self.shown is not None:
            label, outputs = self.shown
            open_in_console(self, output_names(outputs), f"Outputs of '{label}'")

    def show_outputs(self, label: str, outputs: dict[str, Any] | None, note: str = "") -> None:
        """Show a node's outputs; None means it has none (`note` says why; with outputs, it says whose they are)."""
        self.label = label
        self.title.setText(label)
        self._clear_tabs()
        self._show_error_view(False)
        self.shown = (label, outputs) if outputs else None
        self.console_action.setEnabled(self.shown is not None)
        if outputs is None:
            self._set_note(note or "No results: run the workflow (F5).")
        elif not outputs:
            self._set_note("This node has no outputs.")
        else:
            self._set_note(note)
            for port, value in outputs.items():
                self._add_frame(f"{label}.{port}", value, port)
        self._update_buttons()

    def show_error(self, label: str, message: str, traceback: str, note: str = "") -> None:
        """Show that a node failed: `note` above its error (message, the user's failing line, the traceback)."""
        self.show_outputs(label, None, note or "This node failed in the last run:")
        self.error_view.show_error(message, traceback)
        self._show_error_view(True)

    def _show_error_view(self, on: bool) -> None:
        self.error_view.setVisible(on)
        self.tabs.setVisible(not on)

    def offer(self, text: str, tip: str, action: Callable[[], None]) -> None:
        """A button beside the note doing `action` (until the dock shows something else)."""
        self._offered = action
        self.note_button.setText(text)
        self.note_button.setToolTip(tip)
        self.note_button.show()
        self.note.show()

    def add_note(self, text: str) -> None:
        """Add a line to the note above the outputs."""
        self._set_note("\n".join(filter(None, (self.note.text(), text))))

    def show_nothing(self, note: str = "No node selected.") -> None:
        self.label = ""
        self.title.setText(note)
        self._clear_tabs()
        self._show_error_view(False)
        self._set_note("")
        self.shown = None
        self.console_action.setEnabled(False)
        self._update_buttons()

    def frames(self) -> list[ViewerFrame]:
        """The viewers of the selected node's outputs (and of the cells opened from them), in tab order."""
        return [self.tabs.widget(index) for index in range(self.tabs.count())]

    def pinned_frames(self) -> list[ViewerFrame]:
        return [self.pinned.widget(index) for index in range(self.pinned.count())]

    def pin(self) -> ViewerFrame | None:
        """Keep a viewer of the current tab's value beside the live ones; the new frame (None: nothing shown)."""
        current = self.tabs.currentWidget()
        return self.pin_value(current.title, current.value) if current is not None else None

    def pin_value(self, title: str, value: Any) -> ViewerFrame:
        """Pin a viewer of any value (e.g. an element's output from the Work Items dock) under `title`."""
        frame = ViewerFrame(title, value, self.pinned)
        frame.open_value.connect(self._open_value)
        self.pinned.addTab(frame, f"pinned: {title}")
        self.pinned.setCurrentWidget(frame)
        self.pinned.show()
        self._update_buttons()
        return frame

    def compare(self) -> QSplitter | None:
        """A window with the current pinned value and the current live value side by side (None: not both)."""
        live = self.tabs.currentWidget()
        return self.compare_with(live.title, live.value) if live is not None else None

    def compare_with(self, title: str, value: Any) -> QSplitter | None:
        """A window with the current pinned value and `value` side by side (None: nothing is pinned)."""
        pinned = self.pinned.currentWidget()
        if pinned is None:
            return None
        window = QSplitter(self, Qt.WindowType.Window)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.setWindowTitle(f"Compare {pinned.title} and {title}")
        ViewerFrame(pinned.title, pinned.value, window)
        ViewerFrame(title, value, window)
        window.destroyed.connect(lambda: self.comparisons.remove(window) if window in self.comparisons else None)
        self.comparisons.append(window)
        window.resize(1100, 520)
        window.show()
        return window

    def _add_frame(self, title: str, value: Any, tab: str, closable: bool = False) -> ViewerFrame:
        frame = ViewerFrame(title, value, self.tabs)
        frame.open_value.connect(self._open_value)
        index = self.tabs.addTab(frame, tab)
        if not closable:
            self.tabs.tabBar().setTabButton(index, QTabBar.ButtonPosition.RightSide, None)
        return frame

    def _open_value(self, title: str, value: Any) -> None:
        frame = self._add_frame(title, value, title.removeprefix(f"{self.label}."), closable=True)
        self.tabs.setCurrentWidget(frame)

    def _close_opened(self, index: int) -> None:
        frame = self.tabs.widget(index)
        self.tabs.removeTab(index)
        frame.deleteLater()
        self._update_buttons()

    def _unpin(self, index: int) -> None:
        frame = self.pinned.widget(index)
        self.pinned.removeTab(index)
        frame.deleteLater()
        self.pinned.setVisible(self.pinned.count() > 0)
        self._update_buttons()

    def _clear_tabs(self) -> None:
        while self.tabs.count():
            self._close_opened(0)

    def _set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))
        self.note_button.hide()

    def _update_buttons(self) -> None:
        self.pin_button.setEnabled(self.tabs.count() > 0)
        self.compare_button.setEnabled(self.tabs.count() > 0 and self.pinned.count() > 0)
