"""The Cluster dock's banner for processes an earlier session left running: Reuse / End / Ignore.

`show_leftovers(list)` shows the first one; each answer (`reuse_requested` / `end_requested` signals, or
Ignore) moves on to the next, and the banner hides when none is left.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from pflow_studio.cluster_panel.model import Leftover


def describe(leftover: Leftover) -> str:
    """One sentence about a leftover, for the banner and the log."""
    how = "left running on purpose" if leftover.detached else "orphaned by a crash"
    controller = "controller running" if leftover.controller_alive else "controller not running"
    return (f"Cluster '{leftover.cluster_id}' of profile '{leftover.profile}' was {how}: "
            f"{len(leftover.pids)} processes, {controller}.")


class LeftoverBanner(QFrame):
    """Offers each leftover in turn (see the module docstring)."""

    reuse_requested = Signal(object)  # Leftover
    end_requested = Signal(object)  # Leftover

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cluster_leftover_banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#cluster_leftover_banner { border: 1px solid #c48c28; border-radius: 3px; }")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.reuse_button = QPushButton("Reuse", self)
        self.reuse_button.setToolTip("Connect to it and own it again (stopped at exit)")
        self.end_button = QPushButton("End", self)
        self.end_button.setToolTip("Terminate its processes")
        self.ignore_button = QPushButton("Ignore", self)
        self.ignore_button.setToolTip("Leave it running and do nothing now")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.reuse_button, self.end_button, self.ignore_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.label)
        layout.addLayout(buttons)
        self._leftovers: list[Leftover] = []
        self.reuse_button.clicked.connect(lambda: self._answer(self.reuse_requested))
        self.end_button.clicked.connect(lambda: self._answer(self.end_requested))
        self.ignore_button.clicked.connect(lambda: self._answer(None))
        self.hide()

    @property
    def current(self) -> Leftover | None:
        """The leftover offered now, or None."""
        return self._leftovers[0] if self._leftovers else None

    @property
    def remaining(self) -> list[Leftover]:
        return list(self._leftovers)

    def show_leftovers(self, leftovers: list[Leftover]) -> None:
        """Offer `leftovers` (replacing any still offered); hides when the list is empty."""
        self._leftovers = list(leftovers)
        self._show_current()

    def _show_current(self) -> None:
        leftover = self.current
        if leftover is None:
            self.hide()
            return
        more = f" ({len(self._leftovers) - 1} more after this one)" if len(self._leftovers) > 1 else ""
        self.label.setText(f"Found processes of an earlier session. {describe(leftover)}{more}")
        self.reuse_button.setEnabled(leftover.controller_alive)
        self.show()

    def _answer(self, signal: Signal | None) -> None:
        leftover = self.current
        if leftover is None:
            return
        self._leftovers.pop(0)
        self._show_current()
        if signal is not None:
            signal.emit(leftover)
