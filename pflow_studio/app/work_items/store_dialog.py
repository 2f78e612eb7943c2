"""Run > Element Store…: where the element store is, how big it is, its size cap, and clearing it.

`ElementStoreDialog(session, parent)` shows the store's file (and whether `PFLOW_STUDIO_CACHE_DIR` fixes its
directory), its size against the cap with its elements and Map runs, the same for this project's Maps, and
lets the user choose another directory (or the default), set the cap ("500M", "2G") and clear the store (all
of it, or this project's Maps). Sizes and clearing are worked out on the session's store worker, never on the
GUI thread; changing the directory or clearing waits while a run goes on. `session` is the window's
`WorkItemsSession`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pflow_studio.app.preferences import store_directory_fixed
from pflow_studio.runtime.element_store.location import ENV_VAR, parse_size
from pflow_studio.runtime.element_store.records import StoreInfo
from pflow_studio.runtime.element_store.store import ElementStore

if TYPE_CHECKING:
    from pflow_studio.app.work_items.session import WorkItemsSession


class ElementStoreDialog(QDialog):
    """See the module docstring."""

    def __init__(self, session: WorkItemsSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Element Store")
        self.setObjectName("element_store_dialog")
        self.session = session
        self._clearing = False
        self.location = QLabel(self)
        self.location.setWordWrap(True)
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.size = QLabel("Reading the store…", self)
        self.size.setWordWrap(True)
        self.cap = QLineEdit(self)
        self.cap.setPlaceholderText("e.g. 500M or 2G")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.buttons = {name: QPushButton(text, self) for name, text in (
            ("directory", "Choose Directory…"), ("default", "Use the Default"), ("cap", "Set Cap"),
            ("clear_project", "Clear This Project's Elements"), ("clear_all", "Clear All…"))}
        self._layout()
        self.buttons["directory"].clicked.connect(self._choose_directory)
        self.buttons["default"].clicked.connect(lambda: self._use_directory(""))
        self.buttons["cap"].clicked.connect(self._set_cap)
        self.cap.returnPressed.connect(self._set_cap)
        self.buttons["clear_project"].clicked.connect(lambda: self._clear(project=True))
        self.buttons["clear_all"].clicked.connect(lambda: self._clear(project=False))
        self.refresh()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow("Store:", self.location)
        directory = QHBoxLayout()
        directory.addWidget(self.buttons["directory"])
        directory.addWidget(self.buttons["default"])
        directory.addStretch(1)
        form.addRow("", directory)
        form.addRow("Holds:", self.size)
        cap = QHBoxLayout()
        cap.addWidget(self.cap, 1)
        cap.addWidget(self.buttons["cap"])
        form.addRow("Size cap:", cap)
        clear = QHBoxLayout()
        clear.addWidget(self.buttons["clear_project"])
        clear.addWidget(self.buttons["clear_all"])
        clear.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(clear)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.resize(620, 260)

    # -- showing -------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the store as it is now (its sizes are read on the store worker)."""
        store = self.session.store
        fixed = store_directory_fixed()
        note = f" (its directory is set by ${ENV_VAR})" if fixed else ""
        self.location.setText(f"{store.path}{note}")
        self.cap.setText(_size(store.max_bytes, typed=True))
        bodies = self.session.project_bodies()
        self.session.worker.submit(store, lambda s: (s.info(), s.info(bodies) if bodies else None), self._show_info,
                                   self._failed)
        self.update_enabled()

    def update_enabled(self) -> None:
        """Clearing and moving wait while a run or a clearing goes on; moving is off when the environment fixes it."""
        busy = self.session.runs.running or self._clearing
        movable = not busy and not store_directory_fixed()
        enabled = {"clear_all": not busy, "clear_project": not busy and bool(self.session.project_bodies()),
                   "directory": movable, "default": movable}
        for name, on in enabled.items():
            self.buttons[name].setEnabled(on)

    def _show_info(self, infos: tuple[StoreInfo, StoreInfo | None]) -> None:
        whole, project = infos
        text = f"{_size(whole.bytes)} of {_size(whole.max_bytes)}: {_elements(whole)} in {whole.runs:,} Map run(s)"
        if project is not None:
            text += f"\nThis project's Maps: {_size(project.bytes)}, {_elements(project)}"
        if self.session.store.disabled:
            text += f"\nNot in use: {self.session.store.disabled}"
        self.size.setText(text)
        self.update_enabled()

    def _failed(self, message: str) -> None:
        self._clearing = False
        self.message.setText(f"The element store cannot be read: {message}")
        self.update_enabled()

    # -- changing ------------------------------------------------------------------------------------

    def _choose_directory(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Element store directory", str(self.session.store.path.parent))
        if chosen:
            self._use_directory(chosen)

    def _use_directory(self, directory: str) -> None:
        if self.session.runs.running:
            self.message.setText("Wait for the run to end (or stop it) before moving the store.")
            return
        self.session.use_directory(directory)
        self.message.setText(f"Elements are now kept in {self.session.store.path.parent}; the old store was left "
                             "as it is.")
        self.refresh()

    def _set_cap(self) -> None:
        try:
            cap = parse_size(self.cap.text())
        except ValueError as exc:
            self.message.setText(str(exc))
            return
        if cap < 1024**2:
            self.message.setText("The cap must be at least 1M.")
            return
        self.session.set_cap(cap)
        self.message.setText(f"Size cap set to {_size(cap)}; the least recently used elements go first.")
        self.session.worker.submit(self.session.store, ElementStore.evict, lambda _n: self.refresh(), self._failed)

    def _clear(self, *, project: bool) -> None:
        if self.session.runs.running:
            self.message.setText("Wait for the run to end (or stop it) before clearing the store.")
            return
        bodies = self.session.project_bodies() if project else None
        if not project and QMessageBox.question(
                self, "Clear the element store",
                "Forget every stored element of every project? Their Maps will compute them all again.") \
                != QMessageBox.StandardButton.Yes:
            return
        self.message.setText("Clearing…")
        self._clearing = True
        self.session.worker.submit(self.session.store, lambda s: s.clear(bodies), self._cleared, self._failed)
        self.update_enabled()

    def _cleared(self, count: int) -> None:
        self._clearing = False
        self.message.setText(f"Forgot {count:,} stored element(s).")
        self.session.store_changed()
        self.refresh()


def _elements(info: StoreInfo) -> str:
    return f"{info.elements:,} element(s) ({info.ok:,} ok, {info.failed:,} failed)"


def _size(size: int, *, typed: bool = False) -> str:
    """"36.8 KiB", "2 GiB" (with `typed`: "2G", as the cap is typed in)."""
    for unit, factor in (("G", 1024**3), ("M", 1024**2), ("k", 1024)):
        if size >= factor:
            number = f"{size / factor:.1f}".rstrip("0").rstrip(".")
            return number + unit if typed else f"{number} {unit.upper()}iB"
    return f"{size} B"

