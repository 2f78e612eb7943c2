"""The window's cluster: one `ClusterManager`, its `ClusterDock`, and the Map runner of GUI runs.

`ClusterSession(window, manager)` puts the dock in the window (Cluster menu: the panel toggle, then the
dock's actions; the dock's address fields and whether its "Other machines" section is open remembered in the
settings), adds the checkable Run > "Run Maps in this process (serial)" preference, and becomes the window's
runner factory (`window.runs.runner_factory`):
- serial preference on: a `SerialRunner`, no cluster process at all;
- otherwise the embedded default, `cluster_panel.map_runner.cluster_runner(lambda: manager,
  engines=<the dock's engine count>, connect_first=True, ...)`: the first Map uses the profile's running
  cluster, or starts a local one this session owns (stopped at exit). The same runner is handed out run
  after run (the Map body stays cached on the engines) until the manager's connection changes or the
  engine count does.

Threads: the runner calls the manager from the run's worker thread and the dock from its own worker
thread; the manager serialises its methods with its RLock and the ipyparallel client hands every socket
operation to its own IO thread, so both may talk to the cluster at once. What the runner says and its
notices reach the GUI thread through queued signals: lines go to the dock log and the status bar, chunk
notices highlight engines in the dock (`dock.set_engine_activity`), all engines go idle when a Map or the
run ends, and the dock refreshes when a Map starts (its table then shows a cluster the run started).
`shutdown()` is the exit path (`dock.shutdown()`: what we started stops, detached/external clusters stay).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction

from pflow_studio.app.preferences import (
    cluster_address,
    cluster_profile,
    other_machines_open,
    serial_maps,
    set_cluster_address,
    set_cluster_profile,
    set_other_machines_open,
    set_serial_maps,
)
from pflow_studio.cluster_panel.dock.panel import ClusterDock
from pflow_studio.cluster_panel.manager import ClusterInfo, ClusterManager
from pflow_studio.runtime import events as ev
from pflow_studio.runtime.cluster.notices import NoticeKind, RunnerNotice
from pflow_studio.runtime.cluster.runner import ClusterRunner
from pflow_studio.runtime.runners import Runner, SerialRunner

SERIAL_TEXT = "Run Maps in this process (serial)"


class ClusterSession(QObject):
    """See the module docstring. `window` is a MainWindow (runs, menus, settings, statusBar)."""

    said = Signal(str)  # a line from the run's worker thread (queued to the GUI thread)
    noticed = Signal(object)  # a RunnerNotice from the run's worker thread

    def __init__(self, window: Any, manager: ClusterManager, *, dock: ClusterDock | None = None,
                 check_leftovers: bool = True) -> None:
        super().__init__(window)
        self.window = window
        self.manager = manager
        self.dock = dock if dock is not None else ClusterDock(manager, window, check_leftovers=check_leftovers)
        self._runner: ClusterRunner | None = None
        self._runner_engines: int | None = None
        self._closed = False
        window.add_cluster_dock(self.dock)
        address = self.dock.address
        address.set_values(*cluster_address(window.settings))  # remembered, like the profile
        address.changed.connect(lambda: set_cluster_address(window.settings, *address.values()))
        section = self.dock.other_machines  # open if left open, or if a remembered address just opened it
        section.set_open(section.is_open or other_machines_open(window.settings))
        section.user_toggled.connect(lambda on: set_other_machines_open(window.settings, on))
        menu = window.menus["cluster"]
        menu.addSeparator()
        menu.addActions(self.dock.actions())
        self.serial_action = QAction(SERIAL_TEXT, window)
        self.serial_action.setObjectName("action_serial_maps")
        self.serial_action.setCheckable(True)
        self.serial_action.setChecked(serial_maps(window.settings))
        self.serial_action.setToolTip("Run Map elements one after the other in the app instead of on the cluster")
        self.serial_action.setStatusTip(self.serial_action.toolTip())
        self.serial_action.toggled.connect(lambda on: set_serial_maps(window.settings, on))
        window.menus["run"].addSeparator()
        window.menus["run"].addAction(self.serial_action)
        self.said.connect(self._say, Qt.ConnectionType.QueuedConnection)
        self.noticed.connect(self._notice, Qt.ConnectionType.QueuedConnection)
        window.runs.event.connect(self._run_event)
        window.runs.finished.connect(lambda _outcome: self._all_idle(refresh=True))
        self.dock.info_changed.connect(self._info_changed)
        window.runs.runner_factory = self.runner

    # -- the runner factory (GUI thread, at every run start) ----------------------------------------------
    @property
    def serial(self) -> bool:
        return self.serial_action.isChecked()

    def runner(self) -> Runner:
        """The Map runner for the next run (see the module docstring)."""
        if self.serial:
            return SerialRunner()
        engines = self.dock.engine_spin.value()
        stale = self._runner is not None and self._runner.current_client not in (None, self.manager.client)
        if self._runner is None or stale or engines != self._runner_engines:
            from pflow_studio.cluster_panel.map_runner import cluster_runner

            self._runner = cluster_runner(self._manager_for_map, engines=engines, connect_first=True,
                                          say=self.said.emit, on_notice=self.noticed.emit)
            self._runner_engines = engines
        return self._runner

    def _manager_for_map(self) -> ClusterManager:
        """Called on the run's thread when the first Map needs a cluster."""
        if not self.manager.connected:
            self.said.emit(f"A Map needs a cluster: connecting to profile '{self.manager.profile}', "
                           "or starting a local one...")
        return self.manager

    # -- GUI thread -----------------------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        if self._closed:
            return
        self.dock.log(text)
        self.window.statusBar().showMessage(text, 10_000)

    def _notice(self, notice: RunnerNotice) -> None:
        if self._closed:
            return
        if notice.kind in (NoticeKind.SENT, NoticeKind.CHUNK) and notice.engine is not None:
            self.dock.set_engine_activity(notice.engine, True)
        elif notice.kind == NoticeKind.ENGINES:
            self.dock.refresh()  # the table shows the cluster the Map runs on (perhaps just started)
        elif notice.kind == NoticeKind.LOST:
            if notice.engine is not None:
                self.dock.set_engine_activity(notice.engine, False)
            self.dock.log(notice.message, error=True)
        elif notice.kind in (NoticeKind.STALLED, NoticeKind.CHECK):
            self.dock.log(notice.message, error=True)
            self.window.statusBar().showMessage(notice.message, 30_000)
        elif notice.kind == NoticeKind.CANCELLING:
            self.dock.log(f"Run stopped: {notice.message}")

    def _run_event(self, event: ev.Event) -> None:
        if event.kind == ev.ITEMS:  # a Map's elements are all done
            self._all_idle(refresh=False)

    def _all_idle(self, *, refresh: bool) -> None:
        if self._closed:
            return
        for engine in self.dock.table.busy_engines:
            self.dock.set_engine_activity(engine, False)
        if refresh and self.manager.connected:
            self.dock.refresh()

    def _info_changed(self, info: ClusterInfo) -> None:
        if info.profile != cluster_profile(self.window.settings):
            set_cluster_profile(self.window.settings, info.profile)

    def shutdown(self, timeout: float = 8.0) -> bool:
        """The exit path: stop what this session started (bounded); detached/external clusters stay."""
        if self._closed:
            return True
        self._closed = True
        self._runner = None
        return self.dock.shutdown(timeout)
