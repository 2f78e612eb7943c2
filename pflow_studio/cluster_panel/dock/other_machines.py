"""The Cluster dock's "Other machines" section: a disclosure button (an arrow and a title) that shows or hides
the rows only needed when engines run elsewhere: Listen on, Engines reach it at, Engine file + Copy, SSH hosts,
Remote Python + Test Connection. The rows stay in the dock's form (so their columns line up with Profile and
Engines); collapsed, they are hidden rows.

Collapsed at first. It opens by itself when one of its fields gets a value (typed, or remembered settings
restored) and when the dock sees a newly connected cluster listening beyond loopback; it never closes by
itself. `user_toggled` reports the user's own clicks (for remembering the state).
"""

from __future__ import annotations

import pathlib

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QFormLayout, QSizePolicy, QToolButton, QWidget

from pflow_studio.cluster_panel import discovery
from pflow_studio.cluster_panel.dock.address import AddressRows
from pflow_studio.cluster_panel.dock.ssh_fields import SshFields

TITLE = "Other machines"
TIP = ("Engines on other machines: where the controller listens, the engine file, SSH hosts. "
       "Not needed when everything runs on this machine.")

PIN_EVENTS = (QEvent.Type.Show, QEvent.Type.FontChange, QEvent.Type.StyleChange)


def beyond_loopback(ip: str) -> bool:
    """Whether a controller listening on `ip` can be reached from other machines ("*", "0.0.0.0", a LAN
    address, a host name other than localhost)."""
    return bool(ip) and not discovery.is_loopback(ip)


class OtherMachines(QObject):
    """See the module docstring. `toggle` is the disclosure button; `add_to(form)` adds it and the rows."""

    user_toggled = Signal(bool)  # the user opened (True) or closed (False) the section

    def __init__(self, parent: QWidget, address: AddressRows, ssh: SshFields) -> None:
        super().__init__(parent)
        self.address = address
        self.ssh = ssh
        self._form: QFormLayout | None = None
        self._rows: range = range(0)
        self._cluster_seen: str | None = None
        self.toggle = QToolButton(parent)
        self.toggle.setObjectName("cluster_other_machines")
        self.toggle.setText(TITLE)
        self.toggle.setToolTip(TIP)
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.toggle.toggled.connect(self._show_rows)
        self.toggle.clicked.connect(self.user_toggled)
        self.toggle.installEventFilter(self)  # re-pin the label width once shown (styled fonts) and on changes
        for field in (address.listen, address.location, ssh.hosts_edit, ssh.python_edit):
            field.textChanged.connect(self._field_changed)

    def add_to(self, form: QFormLayout) -> None:
        """Add the button (a whole row) and the section's rows to the dock's form, collapsed."""
        form.addRow(self.toggle)
        first = form.rowCount()
        self.address.add_to(form)
        self.ssh.add_rows(form)
        self._form, self._rows = form, range(first, form.rowCount())
        self._show_rows(self.toggle.isChecked())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.toggle and event.type() in PIN_EVENTS:
            self._pin_label_width()
        return False

    def _pin_label_width(self) -> None:
        """Give every label of the form the widest one's width, so the fields above (Profile, Engines) do
        not shift sideways when the section opens or closes."""
        form = self._form
        if form is None:
            return
        items = [form.itemAt(row, QFormLayout.ItemRole.LabelRole) for row in range(form.rowCount())]
        labels = [item.widget() for item in items if item is not None and item.widget() is not None]
        for label in labels:
            label.ensurePolished()
        width = max((label.sizeHint().width() for label in labels), default=0)
        for label in labels:
            label.setMinimumWidth(width)

    @property
    def is_open(self) -> bool:
        return self.toggle.isChecked()

    def set_open(self, open_: bool) -> None:
        """Open or close the section (not reported as the user's toggle)."""
        self.toggle.setChecked(open_)

    def in_use(self) -> bool:
        """Whether one of the section's fields holds a value."""
        fields = (self.address.listen, self.address.location, self.ssh.hosts_edit, self.ssh.python_edit)
        return any(field.text().strip() for field in fields)

    def show_cluster(self, cluster_id: str | None, profile_dir: pathlib.Path) -> None:
        """The dock's connected cluster (None: none, or no engine file): open once per newly seen cluster
        that listens beyond loopback (reads its engine file only then)."""
        if cluster_id == self._cluster_seen:
            return
        self._cluster_seen = cluster_id
        found = discovery.listen_address(profile_dir, cluster_id) if cluster_id else None
        if found is not None and beyond_loopback(found[0]):
            self.set_open(True)

    def _field_changed(self, text: str) -> None:
        if text.strip():
            self.set_open(True)

    def _show_rows(self, open_: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)
        if self._form is not None:
            self._pin_label_width()
            for row in self._rows:
                self._form.setRowVisible(row, open_)
