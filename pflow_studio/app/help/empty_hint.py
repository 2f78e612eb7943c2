"""The empty canvas says how to start: a hint centred on the canvas view while the shown level has no node,
hidden as soon as there is one and shown again when the level is empty (after a delete, an undo, a new
project). It never takes a click: the canvas under it works as usual."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel

HINT = "Tab to add a node \u00b7 drag from the Nodes palette \u00b7 File > Examples\u2026"


class EmptyCanvasHint(QLabel):
    """The hint over `canvas`'s view (a `Canvas`: `widget`, `document`, `level_path`, `changed`, `level_changed`)."""

    def __init__(self, canvas: Any) -> None:
        viewport = canvas.widget.viewport()
        super().__init__(HINT, viewport)
        self.setObjectName("empty_canvas_hint")
        self.canvas = canvas
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("QLabel { color: #8f99a8; background: transparent; font-size: 13pt; }")
        viewport.installEventFilter(self)
        canvas.changed.connect(self.update_shown)
        canvas.level_changed.connect(lambda _levels: self.update_shown())
        canvas.document.replaced.connect(self.update_shown)
        self.update_shown()

    def wanted(self) -> bool:
        """Whether the shown level has no node."""
        return not self.canvas.document.level(self.canvas.level_path()).nodes

    def update_shown(self) -> None:
        self.setVisible(self.wanted())
        self._centre()

    def _centre(self) -> None:
        viewport = self.parentWidget()
        self.adjustSize()
        self.move((viewport.width() - self.width()) // 2, (viewport.height() - self.height()) // 2)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._centre()
        return False
