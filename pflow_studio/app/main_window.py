"""The main window: canvas in the centre with a breadcrumb bar, palette / properties / errors /
results docks, menus, toolbar, status bar; files, runs and settings are wired here.

Public hooks: `add_cluster_dock(dock)` puts the cluster panel (another package) in the window and
behind Cluster > Cluster Panel (disabled until then); `files`, `runs`, `canvas` are the window's controllers.
With a `cluster_manager`, the window gets a `ClusterSession` (`cluster`): the Cluster dock, and Maps run on
the cluster (see app/cluster_session.py); without one, Maps run in this process.
Every run that ran Maps writes its run record next to a saved project (`NAME.run.json`); Run > Show Run
Record shows the selected Map's last record. `close_for_signal(signum)` closes without the unsaved-changes
prompt (a recovery copy `NAME.pflow.recovered` is written instead); closing stops the cluster we own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QDockWidget, QInputDialog, QMainWindow, QVBoxLayout, QWidget

from pflow_studio.app.actions import build_menus, build_toolbar, create_actions
from pflow_studio.app.backdrop_actions import BackdropActions
from pflow_studio.app.breadcrumb import Breadcrumb
from pflow_studio.app.code_editor.session import CodeEditorSession
from pflow_studio.app.console.dock import end_console
from pflow_studio.app.context_menu import CanvasContextMenu
from pflow_studio.app.drop_target import graphics_view, project_files, project_paths
from pflow_studio.app.edit_feedback import EditFeedback
from pflow_studio.app.errors_panel import ErrorsPanel
from pflow_studio.app.file_controller import FileController
from pflow_studio.app.help.menu import HelpMenu
from pflow_studio.app.layout import WindowLayout
from pflow_studio.app.palette import Palette
from pflow_studio.app.properties_panel import PropertiesPanel
from pflow_studio.app.resources import icon
from pflow_studio.app.result_inspector import ResultInspector
from pflow_studio.app.results_session import ResultsSession
from pflow_studio.app.run_controller import RunController, RunnerFactory, RunOutcome, make_runner
from pflow_studio.app.run_record_view import RunRecordDialog, record_path, saved_entry
from pflow_studio.app.run_view import RunView
from pflow_studio.app.settings import make_settings
from pflow_studio.app.trust_gate import TrustGate
from pflow_studio.app.work_items.session import WorkItemsSession
from pflow_studio.canvas import Canvas
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime.container_types import FOR_TYPE, MAP_TYPE, WHILE_TYPE
from pflow_studio.runtime.model import ModelError
from pflow_studio.runtime.registry import default_registry

if TYPE_CHECKING:
    from pflow_studio.cluster_panel.manager import ClusterManager

APP_NAME = "pflow-studio"
OPERATION_ERRORS = (ModelError, ValueError, KeyError)


class MainWindow(QMainWindow):
    """One document window (see the module docstring)."""

    def __init__(self, registry: Registry | None = None, settings: QSettings | None = None,
                 runner_factory: RunnerFactory = make_runner, parent: QWidget | None = None, *,
                 cluster_manager: ClusterManager | None = None, check_leftovers: bool = True) -> None:
        super().__init__(parent)
        self.registry = registry if registry is not None else default_registry()
        self.settings = settings if settings is not None else make_settings()
        self.setWindowIcon(icon("app"))
        self.resize(1280, 800)
        self.setAcceptDrops(True)
        self.canvas = Canvas(self.registry, self)
        self.breadcrumb = Breadcrumb(self)
        self.setCentralWidget(self._central_widget())
        self.palette = Palette(self.registry, self)
        self.properties = PropertiesPanel(self.canvas, self.registry, self)
        self.errors = ErrorsPanel(self)
        self.results = ResultInspector(self)
        self.docks = self._build_docks()
        self.cluster_dock: QDockWidget | None = None
        self.files = FileController(self, self.canvas, self.settings, self.registry)
        self.runs = RunController(self.registry, runner_factory, self)
        self.run_view = RunView(self.runs, self.canvas, self.errors, self.statusBar(), self)
        self._build_actions()
        self.context_menu = CanvasContextMenu(self.canvas, self.actions, self.selected_map_path, self)
        self.work_items = WorkItemsSession(self)  # the element store, the Work items dock, Map badges
        self.edit_feedback = EditFeedback(self)  # live validation and stale results while editing
        self.results_session = ResultsSession(self)  # what the Results dock shows for the selection
        self.trust = TrustGate(self)  # nothing of a project's untrusted code runs
        self.help = HelpMenu(self)  # Help menu, File > Examples…, the empty canvas's hint
        self.backdrop_actions = BackdropActions(self)  # Edit > Add Backdrop and its kin
        self.code_editors = CodeEditorSession(self)  # larger editor windows, failed lines marked
        self.run_record_dialog: RunRecordDialog | None = None
        self._closing_on_signal = False
        self._connect()
        self._update_run_actions()
        self._fill_recent(self.files.recent())
        self._update_title()
        self.restore_layout()
        self.cluster = None
        if cluster_manager is not None:
            from pflow_studio.app.cluster_session import ClusterSession

            self.cluster = ClusterSession(self, cluster_manager, check_leftovers=check_leftovers)

    # -- construction ------------------------------------------------------------------------

    def _central_widget(self) -> QWidget:
        """The breadcrumb bar above the canvas."""
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.breadcrumb)
        layout.addWidget(self.canvas.widget, 1)
        return central

    def _build_docks(self) -> dict[str, QDockWidget]:
        """The palette, properties, results (right column) and errors (bottom) docks by name (see app/layout.py)."""
        docks = {name: self._dock(title, widget) for name, title, widget in (
            ("palette", "Nodes", self.palette), ("properties", "Properties", self.properties),
            ("results", "Results", self.results), ("errors", "Errors", self.errors))}
        self.layout_manager = WindowLayout(self, docks, self.settings)
        return docks

    def _build_actions(self) -> None:
        """Undo / redo, the window's actions, menus and toolbar. Cluster > Cluster Panel stays disabled
        until `add_cluster_dock` gives it a panel to show."""
        self.undo_action = self.canvas.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut("Ctrl+Z")
        self.undo_action.setIcon(icon("undo"))
        self.redo_action = self.canvas.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(["Ctrl+Shift+Z", "Ctrl+Y"])
        self.redo_action.setIcon(icon("redo"))
        self.actions = create_actions(self, self._handlers())
        self.menus = build_menus(self, self.actions, self.undo_action, self.redo_action)
        self.toolbar = build_toolbar(self, self.actions, self.undo_action, self.redo_action)
        for dock in self.docks.values():
            self.menus["view"].addAction(dock.toggleViewAction())
        self.actions["cluster_panel"].setEnabled(False)
        self._add_run_record_action()

    def _dock(self, title: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{title.lower()}")
        dock.setWidget(widget)
        return dock

    def _add_run_record_action(self) -> None:
        action = QAction("Show Run &Record…", self)
        action.setObjectName("action_show_run_record")
        action.setToolTip("Show where and when each element of the selected Map ran in its last run")
        action.setStatusTip(action.toolTip())
        action.triggered.connect(lambda _checked=False: self.show_run_record())
        self.addAction(action)
        self.menus["run"].addAction(action)
        self.actions["show_run_record"] = action

    def _handlers(self) -> dict[str, Any]:
        canvas = self.canvas
        return {
            "new": self.files.new, "open": self.files.open, "save": self.files.save,
            "save_as": self.files.save_as, "revert": self.files.revert, "quit": self.close,
            "cut": canvas.cut, "copy": canvas.copy, "paste": canvas.paste, "delete": canvas.delete_selected,
            "select_all": canvas.select_all, "frame_all": canvas.frame_all, "rename": self.rename_selected,
            "quick_add": canvas.show_quick_add,
            "group": lambda: self._operation(canvas.collapse_selection),
            "ungroup": lambda: self._operation(canvas.ungroup_selected),
            "wrap_map": lambda: self._operation(canvas.wrap_selected_in_map),
            "unwrap_map": lambda: self._operation(canvas.unwrap_selected), "bypass": canvas.toggle_bypass_selected,
            "wrap_for": lambda: self._operation(lambda: canvas.wrap_selected_in(FOR_TYPE)),
            "wrap_while": lambda: self._operation(lambda: canvas.wrap_selected_in(WHILE_TYPE)),
            "go_up": canvas.go_up, "run": self.run_all, "run_selected": self.run_selected, "stop": self.runs.stop,
        }

    def _connect(self) -> None:
        canvas = self.canvas
        canvas.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        canvas.level_changed.connect(self.breadcrumb.set_levels)
        canvas.level_changed.connect(lambda _levels: self.results_session.show())
        canvas.selection_changed.connect(lambda _ids: self.results_session.show())
        canvas.level_changed.connect(lambda _levels: self._update_record_action())
        canvas.selection_changed.connect(lambda _ids: self._update_record_action())
        canvas.undo_stack.cleanChanged.connect(lambda _clean: self._update_title())
        self.breadcrumb.level_requested.connect(canvas.go_to)
        self.palette.add_requested.connect(self.add_node_at_centre)
        self.errors.reveal_requested.connect(canvas.reveal)
        self.files.path_changed.connect(lambda _path: self._update_title())
        self.files.recent_changed.connect(self._fill_recent)
        self.files.document_replaced.connect(self._document_replaced)
        self.runs.started.connect(self._update_run_actions)
        self.runs.finished.connect(self._run_finished)
        canvas.files_dropped.connect(self._files_dropped)
        canvas.node_activated.connect(lambda _node_id: self.docks["properties"].raise_())

    # -- public hooks ------------------------------------------------------------------------

    def add_cluster_dock(self, dock: QDockWidget) -> None:
        """Put the cluster panel's dock in the window, toggled by Cluster > Cluster Panel."""
        if not dock.objectName():
            dock.setObjectName("dock_cluster")
        self.layout_manager.add_right(dock)
        self.cluster_dock = dock
        action = self.actions["cluster_panel"]
        action.setEnabled(True)
        action.setCheckable(True)
        action.setChecked(dock.isVisible())
        action.toggled.connect(dock.setVisible)
        dock.visibilityChanged.connect(lambda visible: action.setChecked(dock.isVisible()))

    def add_node_at_centre(self, type_name: str) -> str | None:
        """Add a node of `type_name` in the middle of the visible canvas."""
        view = graphics_view(self.canvas.widget)
        pos = None
        if view is not None:
            centre = view.mapToScene(view.viewport().rect().center())
            pos = (centre.x(), centre.y())
        try:
            return self.canvas.add_node(type_name, pos)
        except OPERATION_ERRORS as exc:
            self.statusBar().showMessage(str(exc), 8000)
            return None

    def rename_selected(self) -> None:
        """Ask for a new label of the one selected node."""
        ids = self.canvas.selected_node_ids()
        if len(ids) != 1:
            self.statusBar().showMessage("Select one node to rename it", 5000)
            return
        node = self.canvas.node_at((*self.canvas.level_path(), ids[0]))
        text, ok = QInputDialog.getText(self, "Rename node", "Label:", text=node.label)
        if ok and text.strip():
            self.canvas.rename(ids[0], text.strip())

    # -- running -----------------------------------------------------------------------------

    def run_all(self) -> bool:
        """Run the whole workflow; False when a run is going on."""
        return self.runs.start(self.canvas.workflow())

    def run_selected(self) -> bool:
        """Run the selected node (on the open level: its top-level container) and what it needs."""
        level = self.canvas.level_path()
        ids = self.canvas.selected_node_ids()
        if level:
            targets = [level[0]]
        elif ids:
            targets = ids
        else:
            self.statusBar().showMessage("Select a node to run it and what it needs", 5000)
            return False
        return self.runs.start(self.canvas.workflow(), targets)

    def _run_finished(self, outcome: RunOutcome) -> None:
        self._update_run_actions()
        self.layout_manager.run_finished(self.errors.count() > 0)
        self.results_session.show()
        self._save_run_record(outcome)
        self._update_record_action()

    # -- run records -------------------------------------------------------------------------

    def _save_run_record(self, outcome: RunOutcome) -> None:
        """Write the run's Map records next to a saved project (an unsaved one keeps them in memory)."""
        if outcome.record is None or not outcome.record.maps or not self.files.path:
            return
        path = record_path(self.files.path)
        try:
            outcome.record.write(path)
        except OSError as exc:
            self.statusBar().showMessage(f"Cannot write the run record {path}: {exc.strerror or exc}", 10_000)

    def selected_map_path(self) -> tuple[str, ...] | None:
        """The path of the one selected node when it is a Map, else None."""
        ids = self.canvas.selected_node_ids()
        if len(ids) != 1:
            return None
        path = (*self.canvas.level_path(), ids[0])
        try:
            node = self.canvas.node_at(path)
        except OPERATION_ERRORS:
            return None
        return path if node.type_name == MAP_TYPE else None

    def _update_record_action(self) -> None:
        self.actions["show_run_record"].setEnabled(self.selected_map_path() is not None)

    def show_run_record(self) -> RunRecordDialog | None:
        """Open the selected Map's last run record (this session's, else the one saved beside the project)."""
        path = self.selected_map_path()
        if path is None:
            self.statusBar().showMessage("Select a Map to see its run record", 5000)
            return None
        entry = self.runs.map_records.get(path) or saved_entry(self.files.path, path)
        if self.run_record_dialog is not None:
            self.run_record_dialog.close()
            self.run_record_dialog.deleteLater()
        dialog = RunRecordDialog(entry, self.canvas.node_at(path).label, self)
        self.run_record_dialog = dialog
        dialog.show()
        return dialog

    def _update_run_actions(self) -> None:
        running = self.runs.running
        self.actions["run"].setEnabled(not running)
        self.actions["run_selected"].setEnabled(not running)
        self.actions["stop"].setEnabled(running)

    # -- document ----------------------------------------------------------------------------

    def _operation(self, operation: Any) -> None:
        try:
            operation()
        except OPERATION_ERRORS as exc:
            self.statusBar().showMessage(str(exc), 8000)

    def _document_replaced(self) -> None:
        self.runs.stop()
        self.runs.wait()
        self.runs.reset()
        self.errors.clear()
        self.results_session.forget()
        self.results_session.show()
        self._update_title()

    def _update_title(self) -> None:
        modified = self.files.is_modified()
        self.setWindowModified(modified)
        self.setWindowTitle(f"{self.files.display_name()}{'*' if modified else ''} — {APP_NAME}")

    def _fill_recent(self, files: list[str]) -> None:
        menu = self.menus["recent"]
        menu.clear()
        for number, path in enumerate(files, 1):
            action = menu.addAction(f"&{number % 10} {path}" if number <= 10 else path)
            action.setData(path)
            action.triggered.connect(lambda _checked=False, path=path: self.files.open(path))
        menu.setEnabled(bool(files))

    # -- window state ------------------------------------------------------------------------

    def restore_layout(self) -> None:
        """Window geometry and dock layout from the settings (see app/layout.py)."""
        self.layout_manager.restore()

    def save_layout(self) -> None:
        """Window geometry and dock layout to the settings."""
        self.layout_manager.save()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing_on_signal and not self.files.maybe_save("close"):
            event.ignore()
            return
        self.canvas.undo_stack.blockSignals(True)  # else its destructor's clear() calls into deleted widgets
        self.runs.stop()
        self.runs.wait(15_000)
        self.work_items.close()
        end_console(self)
        self.save_layout()
        if self.cluster is not None:
            self.cluster.shutdown()
        event.accept()

    def close_for_signal(self, signum: int = 0) -> bool:
        """Close as closing the window does, but never prompt: unsaved changes go to a recovery copy
        (`NAME.pflow.recovered` beside a saved project). Returns what `close()` returns."""
        self._closing_on_signal = True
        self.files.write_recovery_copy()
        return self.close()

    def _files_dropped(self, paths: list[str]) -> None:
        projects = project_paths(paths)
        if projects:
            self.files.open(projects[0])
        elif paths:
            self.statusBar().showMessage("Only pflow-studio projects (.pflow) can be opened by dropping them", 8000)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if project_files(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = project_files(event)
        if files:
            event.acceptProposedAction()
            self.files.open(files[0])
