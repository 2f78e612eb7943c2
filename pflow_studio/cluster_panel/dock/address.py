"""The Cluster dock's address rows: where a controller the dock starts listens ("Listen on"), the address
engines use to reach it ("Engines reach it at"), and the connected cluster's engine connection file with a
Copy button (for `ipengine --file=PATH` on another machine).

Copy puts the file's PATH on the clipboard, never its contents: the file holds the cluster's key.
"""

from __future__ import annotations

import pathlib

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QToolButton, QWidget

from pflow_studio.cluster_panel.dock.widgets import text_field

NO_FILE = "connect or start a cluster"
ENGINE_FILE_TIP = ("The connected cluster's engine connection file: copy it to another machine (scp) and run "
                   "there: ipengine --file=<the copy>")


class AddressRows(QObject):
    """The rows of the dock's form (see the module docstring); `changed` when the user edits an address."""

    changed = Signal()
    copied = Signal(str)  # the path put on the clipboard

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.listen = text_field(parent, "cluster_listen_ip", "127.0.0.1 (or the profile's setting)",
                             "The address a controller started here listens on: this machine's address on the "
                             "network of the other machines, or * for every interface. Empty: the profile's "
                             "ipcontroller_config.py, else 127.0.0.1 (this machine only)")
        self.location = text_field(parent, "cluster_location", "this machine's name",
                               "The address engines on other machines use to reach the controller (needed with *). "
                               "Empty: this machine's name")
        self.engine_file = QLineEdit(parent)
        self.engine_file.setObjectName("cluster_engine_file")
        self.engine_file.setReadOnly(True)
        self.engine_file.setPlaceholderText(NO_FILE)
        self.copy_button = QToolButton(parent)
        self.copy_button.setObjectName("cluster_copy_engine_file")
        self.copy_button.setText("Copy")
        self.copy_button.setToolTip("Copy the engine file's path (not its contents: the file holds the cluster's key)")
        self.copy_button.clicked.connect(self.copy_path)
        for field in (self.listen, self.location):
            field.editingFinished.connect(self.changed)
        self.show_engine_file(None)

    def add_to(self, form: QFormLayout) -> None:
        """Add the three rows to the dock's form."""
        form.addRow("Listen on:", self.listen)
        form.addRow("Engines reach it at:", self.location)
        row = QHBoxLayout()
        row.addWidget(self.engine_file, 1)
        row.addWidget(self.copy_button)
        form.addRow("Engine file:", row)

    def values(self) -> tuple[str, str]:
        """(listen address, location), stripped; "" where the field is empty."""
        return self.listen.text().strip(), self.location.text().strip()

    def set_values(self, ip: str, location: str) -> None:
        """Fill the two address fields (remembered settings); does not emit `changed`."""
        self.listen.setText(ip)
        self.location.setText(location)

    def set_enabled(self, enabled: bool) -> None:
        for field in (self.listen, self.location):
            field.setEnabled(enabled)

    def show_engine_file(self, path: pathlib.Path | None) -> None:
        """Show the connected cluster's engine file (None: there is none), its name in view (the end of the
        path) and the whole path in the tooltip."""
        text = str(path) if path is not None else ""
        self.engine_file.setText(text)
        self.engine_file.setCursorPosition(len(text))
        self.engine_file.setToolTip((f"{text}\n\n" if text else "") + ENGINE_FILE_TIP)
        self.copy_button.setEnabled(path is not None)

    def copy_path(self) -> None:
        """Put the engine file's path on the clipboard."""
        path = self.engine_file.text()
        if path:
            QGuiApplication.clipboard().setText(path)
            self.copied.emit(path)
