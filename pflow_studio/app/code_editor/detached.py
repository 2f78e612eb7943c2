"""The larger code editor: a non-modal window editing one node's code with the same `CodeEditor`.

It applies as the small editor does (Ctrl+Enter, the Apply button, focus leaving it, closing it) through
`apply(text)`, and follows the node: `show_value(text)` loads the node's current code unless the window
holds edits not applied yet (then it says the node changed, and Revert loads the node's code).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from pflow_studio.app.code_editor.editor import CodeEditor


class DetachedCodeEditor(QDialog):
    """See the module docstring; `title` names the node and its code property."""

    def __init__(self, title: str, text: str, apply: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detached_code_editor")
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setWindowTitle(title)
        self.discard = False  # set when the node went away: closing applies nothing
        self._node_value = text
        self.editor = CodeEditor(text, apply, parent=self)
        self.note = QLabel(self)
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        apply_button = self.buttons.addButton("Apply", QDialogButtonBox.ButtonRole.ApplyRole)
        apply_button.setToolTip("Apply to the node (Ctrl+Enter); leaving this window applies too")
        apply_button.clicked.connect(self.editor.finish)
        revert = self.buttons.addButton("Revert", QDialogButtonBox.ButtonRole.ResetRole)
        revert.setToolTip("Show the node's code again, dropping the edits not applied")
        revert.clicked.connect(self.revert)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close).clicked.connect(self.close)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.editor.finish)  # also with the focus on a button
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.editor.textChanged.connect(self._say_state)
        self.editor.error_changed.connect(self._say_state)
        self.resize(760, 560)
        self._say_state()

    def show_value(self, text: str) -> None:
        """The node's code is now `text`: show it, unless edits not applied are kept."""
        self._node_value = text
        if not self.editor.is_modified() or self.editor.toPlainText() == text:
            self.editor.load(text)
        self._say_state()

    def revert(self) -> None:
        """Drop the edits not applied: show the node's code."""
        self.editor.load(self._node_value)
        self._say_state()

    def _say_state(self) -> None:
        if self.editor.error_line is not None:
            self.note.setText(f"Line {self.editor.error_line} failed in the last run: {self.editor.error_message}")
        elif not self.editor.is_modified():
            self.note.setText("Ctrl+Enter applies; so does leaving this window. Ctrl+Z undoes typing here, "
                              "Edit > Undo an applied change.")
        elif self.editor.value != self._node_value:
            self.note.setText("The node's code changed since this window last applied; Apply replaces it with "
                              "this text, Revert shows the node's code.")
        else:
            self.note.setText("Not applied yet: Ctrl+Enter (or leaving this window) applies.")

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.discard:
            self.editor.finish()
        super().closeEvent(event)
