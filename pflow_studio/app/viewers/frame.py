"""`ViewerFrame`: one value's viewer under a line saying what the value is, with an Export button offering the
value's formats (a file dialog, then `export.export`). A viewer's `open_value(title, value)` (a cell
double-clicked) is passed on as the frame's."""

from __future__ import annotations

import pathlib
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMenu, QMessageBox, QToolButton, QVBoxLayout, QWidget

from pflow_studio.app.viewers import export, kinds
from pflow_studio.app.viewers.builtin import default_registry
from pflow_studio.app.viewers.registry import ViewerRegistry


class ViewerFrame(QWidget):
    """See the module docstring; `title` names the value (e.g. `Node.port`), `viewer` is the chosen widget."""

    open_value = Signal(str, object)

    def __init__(self, title: str, value: Any, parent: QWidget | None = None,
                 registry: ViewerRegistry | None = None) -> None:
        super().__init__(parent)
        self.title, self.value = title, value
        registry = registry or default_registry()
        self.entry = registry.choose(value)
        self.viewer = registry.create(value, self)
        self.header = QLabel(f"<b>{_escape(title)}</b> &nbsp; {_escape(kinds.summary(value))}", self)
        self.export_button = QToolButton(self)
        self.export_button.setText("Export…")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        for fmt in export.formats(value):
            menu.addAction(f"as {fmt.upper()}…", lambda fmt=fmt: self.export_with_dialog(fmt))
        self.export_button.setMenu(menu)
        self.bar = QHBoxLayout()
        self.header.setWordWrap(True)  # a long title wraps instead of widening the dock (app/layout.py)
        self.bar.addWidget(self.header, 1)
        self.bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(self.bar)
        layout.addWidget(self.viewer, 1)
        if hasattr(self.viewer, "open_value"):
            self.viewer.open_value.connect(lambda name, inner: self.open_value.emit(f"{title}{name}", inner))

    def add_action(self, action: QAction) -> QToolButton:
        """A button for `action` beside Export (e.g. Pin)."""
        button = QToolButton(self)
        button.setDefaultAction(action)
        self.bar.insertWidget(self.bar.count() - 1, button)
        return button

    def export_with_dialog(self, fmt: str) -> pathlib.Path | None:
        """Ask where to write the value as `fmt`, write it; the path written, or None if cancelled."""
        suggested = "".join(char if char.isalnum() or char in "-_." else "_" for char in self.title) + f".{fmt}"
        name, _filter = QFileDialog.getSaveFileName(self, f"Export {self.title}", suggested, export.FILTERS[fmt])
        if not name:
            return None
        try:
            export.export(self.value, name, fmt)
        except (OSError, ValueError, TypeError) as exc:
            QMessageBox.warning(self, "Export failed", f"{self.title} was not exported: {exc}")
            return None
        return pathlib.Path(name)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
