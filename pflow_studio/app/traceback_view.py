"""`TracebackView`: an error as every pane of the app shows it (Errors panel, Results dock, Work items detail,
run record): its message, then the line of the user's code that raised it, then the traceback with
pflow-studio's own frames folded (`work_items.tracebacks.user_first`), unless `set_show_all(True)`.
`text_box_style` is the look of the app's read-only text panes."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from pflow_studio.app.work_items.tracebacks import user_first


def text_box_style(box: QPlainTextEdit) -> None:
    """Read-only, fixed-width, and able to shrink: a short dock's text scrolls."""
    box.setReadOnly(True)
    box.setMinimumHeight(32)
    box.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))


class TracebackView(QPlainTextEdit):
    """An error message and its traceback, the user's failing line first, pflow-studio's frames folded unless
    `set_show_all(True)`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        text_box_style(self)
        # Wrapped at the pane's width: a long message is read without scrolling sideways in a narrow pane; the
        # indentation still tells a traceback's frames apart.
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.show_all = False
        self.folded = 0  # how many frames the shown traceback has folded
        self._head, self._traceback, self._tail = "", "", ""

    def show_error(self, head: str, traceback: str, tail: str = "") -> None:
        """Show `head` (the message), where the user's code raised it, the traceback, then `tail` (e.g. what was
        printed)."""
        self._head, self._traceback, self._tail = head, traceback, tail
        self._render()

    def set_show_all(self, on: bool) -> None:
        self.show_all = on
        self._render()

    def _render(self) -> None:
        text, self.folded = user_first(self._head, self._traceback, self.show_all)
        self.setPlainText("\n\n".join(part for part in (text, self._tail) if part))
        self.verticalScrollBar().setValue(0)
        self.horizontalScrollBar().setValue(0)
