"""The breadcrumb bar above the canvas: Root > Group > ... ; a click goes to that level."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget


class Breadcrumb(QWidget):
    """Shows the open level as buttons; `level_requested(path)` asks to go to a level."""

    level_requested = Signal(tuple)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("breadcrumb")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(6, 2, 6, 2)
        self._layout.setSpacing(2)
        self.buttons: list[QToolButton] = []
        self.set_levels([])

    def set_levels(self, levels: list[tuple[str, str]]) -> None:
        """`levels`: [(container id, label), ...] from the root; [] is the root itself."""
        while self._layout.count():
            widget = self._layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.buttons = []
        crumbs = [("", "Root"), *levels]
        for index, (_, label) in enumerate(crumbs):
            if index:
                self._layout.addWidget(QLabel("\u203a", self))
            button = QToolButton(self)
            button.setText(label)
            button.setAutoRaise(True)
            current = index == len(crumbs) - 1
            button.setEnabled(not current)
            button.setProperty("current", current)
            path = tuple(container for container, _ in levels[:index])
            button.clicked.connect(lambda _checked=False, path=path: self.level_requested.emit(path))
            self._layout.addWidget(button)
            self.buttons.append(button)
        self._layout.addStretch(1)
