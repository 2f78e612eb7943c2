"""The Cluster dock's controls, each made and configured here (texts, tooltips, ranges, object names); the
panel connects them to its behaviour and lays them out."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QProgressBar,
    QSpinBox,
    QToolButton,
    QWidget,
)

LOG_LINES = 2000  # the log keeps this many lines


def text_field(parent: QWidget, name: str, placeholder: str, tip: str, *, clear_button: bool = True) -> QLineEdit:
    """A line edit of the dock's form: object name, placeholder, tooltip, and a clear button unless told not."""
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setPlaceholderText(placeholder)
    field.setToolTip(tip)
    field.setClearButtonEnabled(clear_button)
    return field


def profile_chooser(parent: QWidget) -> QComboBox:
    """An editable combo: pick a profile or type a new one."""
    combo = QComboBox(parent)
    combo.setEditable(True)
    combo.setToolTip("IPython profile; pick or type one (a missing profile is created)")
    return combo


def engine_count(parent: QWidget) -> QSpinBox:
    """How many engines Start Engines starts: 1 to 1024, one per core at first."""
    spin = QSpinBox(parent)
    spin.setRange(1, 1024)
    spin.setValue(os.cpu_count() or 1)
    spin.setToolTip("How many engines Start Engines starts")
    return spin


def action_button(parent: QWidget, action: QAction) -> QToolButton:
    """A text-only button for `action` (it follows the action's text, tooltip and enabled state)."""
    button = QToolButton(parent)
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


def cleanup_button(parent: QWidget, choices: list[QAction]) -> QToolButton:
    """'Cleanup', a button whose menu offers `choices` (terminate, leave running)."""
    button = QToolButton(parent)
    button.setText("Cleanup")
    button.setToolTip("Disconnect and forget the processes this session started")
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    menu = QMenu(button)
    for action in choices:
        menu.addAction(action)
    button.setMenu(menu)
    return button


def button_row(buttons: list[QWidget]) -> QHBoxLayout:
    """`buttons` side by side, left-aligned."""
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


def busy_bar(parent: QWidget) -> QProgressBar:
    """A thin indeterminate progress bar, shown while the dock's worker is busy."""
    bar = QProgressBar(parent)
    bar.setRange(0, 0)  # indeterminate
    bar.setMaximumHeight(8)
    bar.setTextVisible(False)
    return bar


def status_label(parent: QWidget) -> QLabel:
    """The status line: wrapped, selectable rich text."""
    label = QLabel(parent)
    label.setObjectName("cluster_status")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class LogView(QPlainTextEdit):
    """A log that stays at its newest line when it shrinks (the engine table above it grows), if it was there."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        bar = self.verticalScrollBar()
        at_end = bar.value() >= bar.maximum()
        super().resizeEvent(event)
        if at_end:
            bar.setValue(bar.maximum())


def log_view(parent: QWidget) -> QPlainTextEdit:
    """The read-only log, keeping the last LOG_LINES lines."""
    view = LogView(parent)
    view.setObjectName("cluster_log")
    view.setReadOnly(True)
    view.setMaximumBlockCount(LOG_LINES)
    return view
