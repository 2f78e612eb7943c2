"""The Cluster dock's SSH fields: the hosts engines start on, the Python there, and "Test Connection" (rows of
the dock's "Other machines" section, other_machines.py).

`SshFields` makes the controls and adds them as rows of the dock's form; the panel runs the work (starting,
testing) on its worker thread. Empty hosts means engines start on this machine.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QSpinBox, QToolButton, QWidget

from pflow_studio.cluster_panel.dock.widgets import text_field
from pflow_studio.cluster_panel.ssh_hosts import parse_hosts

HOSTS_TIP = ("Start the engines on these hosts over SSH: HOST or HOST:N (N engines), comma-separated, e.g. "
             "node1:4,user@node2:2. The engine count then comes from here. ssh options (key, known hosts) come "
             "from the profile's ipcluster_config.py. Empty: engines start on this machine.")
PYTHON_TIP = "The Python on the SSH hosts that has ipyparallel and pflow_studio (empty: the profile's, else python3)"


class SshFields:
    """The hosts field, the remote Python field and the Test Connection button (see the module docstring)."""

    def __init__(self, parent: QWidget, engine_count: QSpinBox) -> None:
        self._engine_count = engine_count  # disabled while hosts are given: their counts decide
        self._typed_count: int | None = None  # the count before hosts were given
        self.hosts_edit = text_field(parent, "cluster_ssh_hosts", "none: this machine  (e.g. node1:4,node2)",
                                     HOSTS_TIP)
        self.python_edit = text_field(parent, "cluster_remote_python", "python3", PYTHON_TIP, clear_button=False)
        self.test_button = QToolButton(parent)
        self.test_button.setObjectName("cluster_test_connection")
        self.test_button.setText("Test Connection")
        self.test_button.setToolTip("Check each SSH host: reachable, its Python, ipyparallel and pflow_studio "
                                    "importable (a few seconds per host at most)")
        self.hosts_edit.textChanged.connect(self._update)
        self._update()

    def add_rows(self, form: QFormLayout) -> None:
        """Three rows: the hosts, the remote Python, the test button (under the fields, which keep their width
        for long paths)."""
        form.addRow("SSH hosts:", self.hosts_edit)
        form.addRow("Remote Python:", self.python_edit)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addStretch(1)
        form.addRow("", row)

    def widgets(self) -> list[QWidget]:
        """The controls the panel disables while busy."""
        return [self.hosts_edit, self.python_edit, self.test_button]

    def hosts(self) -> dict[str, int] | None:
        """{host: engines} from the field, None when it is empty; ValueError names a bad entry."""
        text = self.hosts_edit.text().strip()
        return parse_hosts(text) or None if text else None

    def remote_python(self) -> str | None:
        return self.python_edit.text().strip() or None

    def _update(self) -> None:
        """With hosts: the remote Python and the test button on, the engine count shows the hosts' sum (the
        count typed before comes back when the hosts are cleared)."""
        has_hosts = bool(self.hosts_edit.text().strip())
        self.python_edit.setEnabled(has_hosts)
        self.test_button.setEnabled(has_hosts)
        count = self._engine_count
        if has_hosts and self._typed_count is None:
            self._typed_count = count.value()
        try:
            hosts = self.hosts()
        except ValueError:
            hosts = None
        if hosts:
            count.setValue(sum(hosts.values()))
        elif not has_hosts and self._typed_count is not None:
            count.setValue(self._typed_count)
            self._typed_count = None
        count.setEnabled(not has_hosts)

    def set_enabled(self, enabled: bool) -> None:
        """Enable the fields (when not busy); the Python field and the button only with hosts given."""
        self.hosts_edit.setEnabled(enabled)
        if enabled:
            self._update()
        else:
            for widget in (self.python_edit, self.test_button, self._engine_count):
                widget.setEnabled(False)
