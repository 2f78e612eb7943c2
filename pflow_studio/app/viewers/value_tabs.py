"""`ValueTabs`: named values, each in its viewer (a `ViewerFrame` in a tab of its own), or a note saying why there
are none. The viewers are made only once the tabs are on screen and the values have stayed the same for
`SETTLE_MS`, so going through a long table with the arrow keys makes the viewers of the row it stops on only.
A cell opened from a viewer (double-click) opens in a closable tab of its own."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import QLabel, QTabBar, QTabWidget, QVBoxLayout, QWidget

from pflow_studio.app.viewers.frame import ViewerFrame

SETTLE_MS = 120


class ValueTabs(QWidget):
    """See the module docstring. `set_values(prefix, values, note)` shows new values (titled `prefix + name`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.hide()
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.setTabBarAutoHide(True)  # one value: its viewer gets the room
        self.tabs.tabCloseRequested.connect(self._close)
        self.values: dict[str, Any] = {}
        self.actions_shown: list[QAction] = []  # a button each beside every viewer's Export
        self.prefix = ""
        self.built = 0  # how many times viewers were made (tests, benches)
        self._pending = False
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self.build)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.tabs, 1)

    def set_values(self, prefix: str, values: dict[str, Any] | None, note: str = "") -> None:
        """Show `values` by name (None or empty: only `note`); their viewers come once shown and settled."""
        self._clear()
        self.prefix, self.values = prefix, dict(values or {})
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self._pending = bool(self.values)
        if self._pending and self.isVisible():
            self._settle.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pending:
            self._settle.start()

    def build(self) -> None:
        """Make the viewers now (if there are values still without them)."""
        self._settle.stop()
        if not self._pending:
            return
        self._pending = False
        self.built += 1
        for name, value in self.values.items():
            frame = self._add(f"{self.prefix}{name}", value, name)
            self.tabs.tabBar().setTabButton(self.tabs.indexOf(frame), QTabBar.ButtonPosition.RightSide, None)

    def frames(self) -> list[ViewerFrame]:
        """The viewers made (values first, then cells opened from them)."""
        return [self.tabs.widget(index) for index in range(self.tabs.count())]

    def current(self) -> tuple[str, Any] | None:
        """(title, value) of the current tab (the first value while the viewers are not made yet), or None."""
        frame = self.tabs.currentWidget()
        if frame is not None:
            return frame.title, frame.value
        name = next(iter(self.values), None)
        return (f"{self.prefix}{name}", self.values[name]) if name is not None else None

    def _add(self, title: str, value: Any, tab: str) -> ViewerFrame:
        frame = ViewerFrame(title, value, self.tabs)
        for action in self.actions_shown:
            frame.add_action(action)
        frame.open_value.connect(self._open_value)
        self.tabs.addTab(frame, tab)
        return frame

    def _open_value(self, title: str, value: Any) -> None:
        self.tabs.setCurrentWidget(self._add(title, value, title.removeprefix(self.prefix)))

    def _close(self, index: int) -> None:
        frame = self.tabs.widget(index)
        self.tabs.removeTab(index)
        frame.deleteLater()

    def _clear(self) -> None:
        self._settle.stop()
        while self.tabs.count():
            self._close(0)
