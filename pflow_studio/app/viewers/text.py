"""Viewers for scalars and short text (a selectable line), long text (monospace, wrapping off) and the fallback
(a shortened `repr()`, so any value shows at once however big)."""

from __future__ import annotations

import reprlib
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

MAX_CHARS = 2_000_000  # a longer text is cut (with a note) rather than handed whole to the text box


class ScalarViewer(QWidget):
    """The value on one selectable line (texts without quotes)."""

    def __init__(self, value: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = value
        self.label = QLabel(value if isinstance(value, str) else repr(value), self)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.label.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        self.label.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addStretch(1)


class LongTextViewer(QPlainTextEdit):
    """Read-only monospace text, lines kept as lines (no wrapping)."""

    def __init__(self, value: Any, parent: QWidget | None = None, text: str | None = None) -> None:
        super().__init__(parent)
        self.value = value
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        text = value if text is None else text
        if len(text) > MAX_CHARS:
            text = text[:MAX_CHARS] + f"\n… (cut: {len(text) - MAX_CHARS:,} more characters)"
        self.setPlainText(text)


def _shortener() -> reprlib.Repr:
    shortener = reprlib.Repr()  # Python 3.11's takes no keyword arguments
    shortener.maxlevel, shortener.maxstring, shortener.maxother, shortener.maxlong = 4, 2000, 2000, 200
    shortener.maxlist = shortener.maxtuple = 200
    shortener.maxdict = shortener.maxset = shortener.maxfrozenset = shortener.maxdeque = shortener.maxarray = 100
    return shortener


_SHORTENER = _shortener()


def short_repr(value: Any) -> str:
    """`repr(value)` with long containers and texts shortened (reprlib)."""
    return _SHORTENER.repr(value)


class ReprViewer(LongTextViewer):
    """The fallback: a shortened repr() of anything."""

    def __init__(self, value: Any, parent: QWidget | None = None) -> None:
        super().__init__(value, parent, text=short_repr(value))
