"""The Cluster dock: a thin Qt panel over the Qt-free `ClusterManager`.

Profile chooser, engine count, the "Other machines" section (other_machines.py: the listen address and engine
file rows of address.py, the SSH fields of ssh_fields.py; collapsed until used), the action buttons
(the cleanup pair in a menu; the same QActions, from actions.py, serve the window's Cluster menu via
`actions()`), an engine table refreshed every 2 s while visible and connected, a status line, a log with
timestamps (errors in red, never swallowed) and a banner offering leftovers of earlier sessions (at start,
after ending those of dead sessions, and after a profile change). This module connects and lays out the
controls (made in widgets.py) and asks first where an action needs it (questions.py). Every manager call
runs on the dock's worker thread (`DockWorker`) behind a busy indicator; the GUI thread never waits on the
cluster, except `shutdown()`, the window's exit path, which is bounded in time.
"""

from __future__ import annotations

import html
import pathlib
import time
from collections.abc import Callable
from functools import partial
from typing import Literal

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QHideEvent, QShowEvent
from PySide6.QtWidgets import QDockWidget, QFormLayout, QVBoxLayout, QWidget

from pflow_studio.cluster_panel import discovery, ssh_hosts
from pflow_studio.cluster_panel.bounded import call_with_timeout
from pflow_studio.cluster_panel.dock import actions, questions, widgets
from pflow_studio.cluster_panel.dock.actions import ActionResult, make_actions
from pflow_studio.cluster_panel.dock.address import AddressRows
from pflow_studio.cluster_panel.dock.leftovers import LeftoverBanner, describe
from pflow_studio.cluster_panel.dock.other_machines import OtherMachines
from pflow_studio.cluster_panel.dock.ssh_fields import SshFields
from pflow_studio.cluster_panel.dock.table import EngineTable
from pflow_studio.cluster_panel.dock.worker import DockWorker
from pflow_studio.cluster_panel.manager import ClusterManager
from pflow_studio.cluster_panel.model import ClusterInfo, Leftover
from pflow_studio.cluster_panel.where import engines_text
from pflow_studio.runtime.cluster.errors import ClusterError

ERROR_COLOUR = "#e05252"
REFRESH_MS = 2000


class ClusterDock(QDockWidget):
    """See the module docstring. `manager` is used from the worker thread only (and by `shutdown()`)."""

    info_changed = Signal(object)  # ClusterInfo, after every snapshot

    def __init__(self, manager: ClusterManager, parent: QWidget | None = None, *, refresh_ms: int = REFRESH_MS,
                 check_leftovers: bool = True) -> None:
        super().__init__("Cluster", parent)
        self.setObjectName("dock_cluster")
        self.manager = manager
        self.info: ClusterInfo | None = None
        self._profile = manager.profile
        self._profiles = [manager.profile]  # the profiles known to exist, for the chooser
        self._closed = False
        self._action_error = ""  # the last failed action's message, until an action succeeds
        self._info_error = ""  # the last snapshot's error (a dead controller)
        self.status_text = ""  # the status line as plain text
        self.worker = DockWorker(self)
        self.worker.busy_changed.connect(self._busy_changed)
        self._actions = self._make_actions()
        self._build()
        self.timer = QTimer(self)
        self.timer.setInterval(refresh_ms)
        self.timer.timeout.connect(self._timed_refresh)
        self._show_status()
        self._busy_changed(False)
        self._run("Looking for leftovers", partial(actions.look_around, manager, check_leftovers), quiet_log=True)

    # -- building ------------------------------------------------------------------------------------------
    def _make_actions(self) -> dict[str, QAction]:
        return make_actions(self, {
            "start": self.start_engines, "connect": self.connect_cluster, "refresh": self.refresh,
            "change_profile": self._ask_profile, "cleanup_terminate": lambda: self.cleanup(terminate=True),
            "cleanup_leave": lambda: self.cleanup(terminate=False), "shutdown": self.request_shutdown,
        })

    def _build(self) -> None:
        """The body, top to bottom: leftover banner, profile, engine count, the "Other machines" section
        (addresses, SSH fields; collapsed at first), three rows of action buttons, busy bar, status line,
        engine table, log."""
        body = QWidget(self)
        self.banner = LeftoverBanner(body)
        self.banner.reuse_requested.connect(self.reuse)
        self.banner.end_requested.connect(self.end)
        self.profile_combo = widgets.profile_chooser(body)
        self._fill_profiles([self._profile])
        self.profile_combo.textActivated.connect(self._profile_chosen)
        self.engine_spin = widgets.engine_count(body)
        form = QFormLayout()
        form.setVerticalSpacing(3)  # tight rows: the opened "Other machines" section costs less height
        form.addRow("Profile:", self.profile_combo)
        form.addRow("Engines:", self.engine_spin)
        self.address = AddressRows(body)
        self.address.copied.connect(lambda path: self.log(f"Copied the engine file's path: {path}"))
        self.ssh = SshFields(body, self.engine_spin)
        self.ssh.test_button.clicked.connect(self.test_connection)
        self.other_machines = OtherMachines(body, self.address, self.ssh)
        self.other_machines.add_to(form)
        self.cleanup_button = widgets.cleanup_button(
            body, [self._actions["cleanup_terminate"], self._actions["cleanup_leave"]])
        rows = [[widgets.action_button(self, self._actions[name]) for name in ("start", "connect", "refresh")],
                [self.cleanup_button, widgets.action_button(self, self._actions["change_profile"])],
                [widgets.action_button(self, self._actions["shutdown"])]]  # three rows: fits a 350 px column
        self.progress = widgets.busy_bar(body)
        self.status_label = widgets.status_label(body)
        self.table = EngineTable(body)
        self.log_view = widgets.log_view(body)

        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        for row in rows:
            layout.addLayout(widgets.button_row(row))
        layout.addWidget(self.progress)
        layout.addWidget(self.status_label)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.log_view, 1)
        self.setWidget(body)

    def _fill_profiles(self, names: list[str]) -> None:
        self._profiles = sorted(set(names) | {"default", self._profile})
        combo = self.profile_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItems(self._profiles)
        combo.setCurrentText(self._profile)
        combo.blockSignals(False)

    # -- public API ----------------------------------------------------------------------------------------
    def actions(self) -> list[QAction]:  # type: ignore[override]
        """The dock's actions, for the window's Cluster menu (the buttons use the same QActions)."""
        return list(self._actions.values())

    def action(self, name: str) -> QAction:
        """One action by its name: start, connect, refresh, change_profile, cleanup_terminate, cleanup_leave,
        shutdown."""
        return self._actions[name]

    @property
    def busy(self) -> bool:
        return self.worker.busy

    def set_engine_activity(self, engine_id: int, busy: bool) -> None:
        """Highlight (busy) or un-highlight an engine's row; for the parallel Map's events."""
        self.table.set_activity(engine_id, busy)

    def log(self, text: str, *, error: bool = False) -> None:
        """Append a timestamped line to the log (red when `error`)."""
        stamp = time.strftime("%H:%M:%S")
        body = html.escape(text, quote=False).replace("\n", "<br>")
        if error:
            body = f'<span style="color:{ERROR_COLOUR}">{body}</span>'
        self.log_view.appendHtml(f"{stamp}&nbsp;&nbsp;{body}")

    def shutdown(self, timeout: float = 8.0) -> bool:
        """The window's exit path: stop the refresh timer, run `manager.shutdown_owned()` here (bounded by
        `timeout` s) and stop the worker. Returns False if stopping did not finish in time."""
        if self._closed:
            return True
        self._closed = True
        self.timer.stop()
        self._update_actions()
        ok = True
        try:
            call_with_timeout(self.manager.shutdown_owned, timeout, "stopping the processes we own")
        except Exception as exc:
            ok = False
            self.log(f"Stopping the cluster processes of this session failed: {exc}", error=True)
        self.worker.stop(1.0)
        return ok

    # -- the actions ----------------------------------------------------------------------------------------
    def start_engines(self) -> None:
        """Start the chosen number of engines (a local controller first if none answers, listening where the
        address fields say), or the SSH hosts' engines on those hosts."""
        hosts = self._ssh_hosts("Starting engines")
        if hosts is False:
            return
        n = sum(hosts.values()) if hosts else self.engine_spin.value()
        ip, location = self.address.values()
        where = "".join([f", listening on {ip}" if ip else "", f", reached at {location}" if location else ""])
        on = f" on {ssh_hosts.hosts_text(hosts)} over SSH" if hosts else ""
        self._run(f"Starting {engines_text(n)}{on} (profile '{self._profile}'{where})",
                  partial(actions.start_engines, self.manager, n, ip, location, hosts, self.ssh.remote_python()))

    def test_connection(self) -> None:
        """Check each SSH host on the worker thread: reachable, its Python, ipyparallel and pflow_studio."""
        hosts = self._ssh_hosts("Testing the connection")
        if hosts:
            self._run(f"Testing the connection to {', '.join(hosts)}",
                      partial(actions.test_connection, self.manager, list(hosts), self.ssh.remote_python()))

    def _ssh_hosts(self, what: str) -> dict[str, int] | Literal[False] | None:
        """The SSH hosts field's {host: engines} (None: empty); False, with the error logged, when it is bad."""
        try:
            return self.ssh.hosts()
        except ValueError as exc:
            self.log(f"{what} failed: {exc}", error=True)
            return False

    def connect_cluster(self) -> None:
        """Connect to a running cluster of the profile."""
        self._run(f"Connecting to a cluster of profile '{self._profile}'", partial(actions.connect, self.manager))

    def refresh(self) -> None:
        """Ask the cluster for its engines now."""
        self._run("Asking the cluster for its engines", partial(actions.refresh, self.manager), quiet_log=True)

    def cleanup(self, *, terminate: bool) -> None:
        """Disconnect and terminate (or leave running) what this session started."""
        what = "terminating" if terminate else "leaving running"
        self._run(f"Cleaning up ({what} the processes this session started)",
                  partial(actions.cleanup, self.manager, terminate))

    def request_shutdown(self) -> None:
        """Ask the controller to stop every engine and itself, after the user confirmed."""
        if not questions.confirm_shutdown(self):
            self.log("Cluster shutdown not requested (cancelled)")
            return
        self._run("Requesting cluster shutdown", partial(actions.request_shutdown, self.manager))

    def change_profile(self, profile: str, *, terminate: bool = True) -> None:
        """Switch the manager to `profile` (cleaning up first: terminate or leave running), then show its
        leftovers. No confirmation here; the combo and the menu action ask first."""
        self._run(f"Changing profile to '{profile}'", partial(actions.change_profile, self.manager, profile, terminate),
                  self._restore_profile_text)

    def reuse(self, leftover: Leftover) -> None:
        """Connect to a leftover and own it again."""
        self._run(f"Reusing cluster '{leftover.cluster_id}'", partial(actions.reuse, self.manager, leftover))

    def end(self, leftover: Leftover) -> None:
        """Terminate a leftover's processes."""
        self._run(f"Ending cluster '{leftover.cluster_id}'", partial(actions.end, self.manager, leftover))

    # -- profile chooser -----------------------------------------------------------------------------------
    def _profile_chosen(self, text: str) -> None:
        profile = text.strip()
        if not profile or profile == self._profile:
            self._restore_profile_text()
            return
        terminate = self._confirm_profile_change(profile)
        if terminate is None:
            self.log(f"Profile change to '{profile}' cancelled")
            self._restore_profile_text()
            return
        self.change_profile(profile, terminate=terminate)

    def _ask_profile(self) -> None:
        names = [self.profile_combo.itemText(i) for i in range(self.profile_combo.count())]
        profile = questions.choose_profile(self, names, self._profile)
        if profile is not None:
            self._profile_chosen(profile)

    def _confirm_profile_change(self, profile: str) -> bool | None:
        """True: terminate what we started; False: leave it running; None: cancelled. Asks only when
        connected (otherwise there is nothing to clean up)."""
        if self.info is None or not (self.info.connected or self.info.owned_pids):
            return True
        return questions.confirm_profile_change(self, profile)

    def _restore_profile_text(self, *_: object) -> None:
        """Show the current profile again (and drop a name typed but not switched to)."""
        self._fill_profiles(self._profiles)

    # -- running jobs --------------------------------------------------------------------------------------
    def _run(self, what: str, fn: Callable[[], ActionResult],
             on_error: Callable[[BaseException, str], None] | None = None, *, quiet_log: bool = False) -> None:
        if self._closed:
            return
        if not quiet_log:
            self.log(what + "...")

        def failed(exc: BaseException, tb: str) -> None:
            self._failed(what, exc, tb)
            if on_error is not None:
                on_error(exc, tb)

        def done(result: ActionResult) -> None:
            self._action_error = ""
            self._apply(result)
        self.worker.submit(what, fn, done, failed)

    def _timed_refresh(self) -> None:
        self.worker.submit("refresh", partial(actions.refresh, self.manager), self._apply,
                           lambda exc, tb: self._failed("Refreshing", exc, tb), quiet=True)

    def _apply(self, result: ActionResult) -> None:
        if self._closed:
            return
        if result.message:
            self.log(result.message)
        for problem in result.problems:
            self.log(problem, error=True)
        if result.profiles is not None:
            self._fill_profiles(result.profiles)
        if result.info is not None:
            self._show_info(result.info)
        if result.leftovers is not None:
            for leftover in result.leftovers:
                self.log(describe(leftover))
            self.banner.show_leftovers(result.leftovers)

    def _failed(self, what: str, exc: BaseException, tb: str) -> None:
        if self._closed:
            return
        message = str(exc) if isinstance(exc, ClusterError | ValueError) else f"{type(exc).__name__}: {exc}"
        self.log(f"{what} failed: {message}", error=True)
        if not isinstance(exc, ClusterError | ValueError):
            self.log(tb.rstrip(), error=True)  # unexpected: the whole traceback
        self._action_error = f"{what} failed: {message}"
        self._show_status()
        self._timed_refresh()  # show what the cluster looks like now

    def _show_info(self, info: ClusterInfo) -> None:
        self.info = info
        if info.profile != self._profile:
            self._profile = info.profile
            self._restore_profile_text()
        self.table.show_engines(info.engines if info.connected else [])
        engine_file = self._engine_file(info)
        self.address.show_engine_file(engine_file)
        self.other_machines.show_cluster(info.cluster_id if engine_file else None, self.manager.profile_dir)
        if info.error and info.error != self._info_error:
            self.log(info.error, error=True)
        self._info_error = info.error
        self._show_status()
        self._update_timer()
        self._update_actions()
        self.info_changed.emit(info)

    def _engine_file(self, info: ClusterInfo) -> pathlib.Path | None:
        """The connected cluster's engine connection file, when it is in the profile (a file check only)."""
        if not info.connected or info.cluster_id is None or info.profile != self.manager.profile:
            return None
        path = discovery.engine_file(self.manager.profile_dir, info.cluster_id)
        return path if path.is_file() else None

    def _show_status(self) -> None:
        info = self.info
        if info is None:
            text = f"Profile '{self._profile}': not connected"
        elif info.connected:
            ours = sum(e.ours for e in info.engines)
            text = (f"Connected to {info.controller_url or '?'} - profile '{info.profile}', cluster "
                    f"'{info.cluster_id}' - {len(info.engines)} engines ({ours} ours)"
                    f"{', controller ours' if info.controller_ours else ''}")
        else:
            text = f"Profile '{info.profile}': not connected"
        errors = [e for e in (self._info_error, self._action_error) if e]
        self.status_text = "\n".join([text, *errors])
        body = html.escape(text, quote=False)
        for error in errors:
            body += f'<br><span style="color:{ERROR_COLOUR}">{html.escape(error, quote=False)}</span>'
        self.status_label.setText(body)

    # -- busy state, timer ---------------------------------------------------------------------------------
    def _busy_changed(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        for widget in (self.profile_combo, self.engine_spin, self.cleanup_button, self.banner):
            widget.setEnabled(not busy)
        self.address.set_enabled(not busy)
        self.ssh.set_enabled(not busy)
        self._update_actions()

    def _update_actions(self) -> None:
        idle = not self.worker.busy and not self._closed
        connected = bool(self.info and self.info.connected)
        for name, action in self._actions.items():
            action.setEnabled(idle and (connected or name != "shutdown"))

    def _update_timer(self) -> None:
        run = self.isVisible() and bool(self.info and self.info.connected) and not self._closed
        if run and not self.timer.isActive():
            self.timer.start()
        elif not run and self.timer.isActive():
            self.timer.stop()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._update_timer()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._update_timer()
