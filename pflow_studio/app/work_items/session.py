"""The window's element store and its Work items view, wired to the canvas and the runs.

`WorkItemsSession(window)` (made by the main window; `window` gives canvas, runs, files, settings, menus,
actions, docks, registry and statusBar):
- opens the app's `ElementStore` from the preferences (`open_element_store`) and hands it to the run
  controller with the project's scope (the saved file's absolute path, "" while unsaved): every run keeps
  its Map elements there;
- puts the Work items dock at the bottom (tabbed with Errors and Results) and makes it follow the selected
  Map or Filter, on any level (the open Map when its body is shown);
- reads the view again when a Map's elements are all done (its `items` event: also after Stop) and after
  every run, and puts each Map's badge on the canvas ("12 failed" / "1,000 stored") after runs and when a
  document is opened; a click on a badge (or Show Work Items) opens the dock on that Map;
- carries out the view's actions: Re-run failed (the Map's path as target, run again although cached),
  Re-run selected (those elements computed again although stored), Run element here (`run_here`);
- adds Run > Element Store… (`ElementStoreDialog`) and View > Work Items; `close()` ends it all (the store's
  worker, a local run, the store's connections).
"""

from __future__ import annotations

import pathlib
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget

from pflow_studio.app.preferences import open_element_store, set_store_cap, set_store_directory_choice
from pflow_studio.app.run_controller import RunOutcome
from pflow_studio.app.work_items.background import StoreWorker
from pflow_studio.app.work_items.panel import WorkItemsPanel
from pflow_studio.app.work_items.run_here import LocalRun, element_bindings, local_task
from pflow_studio.app.work_items.store_dialog import ElementStoreDialog
from pflow_studio.app.work_items.texts import badge
from pflow_studio.canvas.levels import display_label, node_at
from pflow_studio.runtime import events as ev
from pflow_studio.runtime import keys
from pflow_studio.runtime.container_types import FUNCTION_CONTAINER_TYPES
from pflow_studio.runtime.element_store.records import FAILED, ItemRow
from pflow_studio.runtime.element_trace import TracingTask
from pflow_studio.runtime.graph import instantiate
from pflow_studio.runtime.model import ModelError

OPENED_HEIGHT = 330  # the bottom docks' height when the view is opened on a Map (room for rows and detail)
SHEET_HEIGHT = 0.55  # of the window's height: the bottom docks grow to it when the contact sheet is chosen


def _prefixes(path: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The node at `path` and every container holding it: what must run again to run it again."""
    return [tuple(path[:end]) for end in range(1, len(path) + 1)]


class WorkItemsSession(QObject):
    """See the module docstring."""

    warned = Signal(str)  # a store warning, from whichever thread used the store (queued to the GUI thread)
    element_traced = Signal(tuple, object)  # a Map path, the ElementTrace of its element just run here

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.warned.connect(self._show_warning, Qt.ConnectionType.QueuedConnection)
        self.window = window
        self.canvas = window.canvas
        self.runs = window.runs
        self.store = open_element_store(window.settings, self.warned.emit)
        self.worker = StoreWorker(self)
        self.panel = WorkItemsPanel(self.worker, window)
        self.dock = self._dock()
        self.local_run: LocalRun | None = None
        self.dialog: ElementStoreDialog | None = None
        self.runs.store = self.store
        self.runs.scope = self.scope
        self._actions()
        self._connect()

    # -- construction ----------------------------------------------------------------------------

    def _dock(self) -> QDockWidget:
        window = self.window
        dock = QDockWidget("Work Items", window)
        dock.setObjectName("dock_work_items")
        dock.setWidget(self.panel)
        window.layout_manager.add_bottom(dock)  # tabbed with Errors, hidden until opened
        return dock

    def _actions(self) -> None:
        window = self.window
        show = QAction("Show &Work Items", window)
        show.setObjectName("action_show_work_items")
        show.setToolTip("Show the elements of the selected Map's last run (also: click the Map's badge)")
        show.setStatusTip(show.toolTip())
        show.triggered.connect(lambda _checked=False: self.show_selected())
        show.setEnabled(False)  # until a Map is selected
        store = QAction("&Element Store…", window)
        store.setObjectName("action_element_store")
        store.setToolTip("Where Map elements are kept between runs, how big the store is; change or clear it")
        store.setStatusTip(store.toolTip())
        store.triggered.connect(lambda _checked=False: self.show_store_dialog())
        window.menus["run"].addSeparator()
        window.menus["run"].addActions([show, store])
        window.menus["view"].addAction(self.dock.toggleViewAction())
        window.actions["show_work_items"] = show
        window.actions["element_store"] = store
        window.actions["stop"].triggered.connect(lambda _checked=False: self.stop_local_run())

    def _connect(self) -> None:
        canvas, runs, panel = self.canvas, self.runs, self.panel
        canvas.selection_changed.connect(lambda _ids: self.follow_selection())
        canvas.level_changed.connect(lambda _levels: self.follow_selection())
        canvas.store_badge_clicked.connect(self.open_on)
        runs.started.connect(lambda: self._running(True))
        runs.event.connect(self._run_event)
        runs.finished.connect(self._run_finished)
        self.window.files.document_replaced.connect(self._document_replaced)
        self.window.files.path_changed.connect(lambda _path: self.store_changed())
        panel.rerun_failed_requested.connect(self.rerun_failed)
        panel.rerun_selected_requested.connect(self.rerun_selected)
        panel.run_here_requested.connect(self.run_here)
        panel.detail.pin_requested.connect(self.pin)
        panel.detail.compare_requested.connect(self.compare)
        panel.views.currentChanged.connect(lambda _index: self._room_for_sheet())

    # -- scope, following, badges ----------------------------------------------------------------

    def scope(self) -> str:
        """The project the runs belong to in the store: the saved file's absolute path ("" while unsaved)."""
        path = self.window.files.path
        return str(pathlib.Path(path).resolve()) if path else ""

    def selected_map(self) -> tuple[str, ...] | None:
        """The one selected Map or Filter (on the shown level), else the innermost Map whose body (or a Group in
        it) is shown, else None."""
        level = self.canvas.level_path()
        ids = self.canvas.selected_node_ids()
        holders = [tuple(level[:end]) for end in range(len(level), 0, -1)]
        for path in ([(*level, ids[0])] if len(ids) == 1 else []) + holders:
            if self._is_map(path):
                return tuple(path)
        return None

    def follow_selection(self) -> None:
        path = self.selected_map()
        if path is not None:
            self.follow(path)
        self.window.actions["show_work_items"].setEnabled(path is not None)

    def follow(self, path: tuple[str, ...], *, again: bool = False) -> None:
        """Show the Map at `path` in the view (its last run in the store)."""
        self.panel.follow(self.store, self.scope(), path, self._label(path), kept=self._kept(path), again=again)

    def open_on(self, path: tuple[str, ...]) -> None:
        """Show the view on the Map at `path`, in front, with room for its rows."""
        self.follow(tuple(path))
        self.window.layout_manager.show_bottom(self.dock, OPENED_HEIGHT)

    def _room_for_sheet(self) -> None:
        """The contact sheet's tiles need more room than the table's rows: the bottom docks grow when it is chosen."""
        height = int(self.window.height() * SHEET_HEIGHT)
        if self.panel.views.currentWidget() is self.panel.sheet and self.dock.height() < height:
            self.window.resizeDocks([self.dock], [height], Qt.Orientation.Vertical)

    def show_selected(self) -> bool:
        path = self.selected_map()
        if path is None:
            self.window.statusBar().showMessage("Select a Map to see its work items", 5000)
            return False
        self.open_on(path)
        return True

    def update_badges(self, paths: list[tuple[str, ...]] | None = None) -> None:
        """Put each Map's badge (from its last run in the store) on the canvas; all Maps by default."""
        scope = self.scope()
        for path in paths if paths is not None else self._map_paths():
            text, failed = badge(self.store.last_run(scope, path))
            self.canvas.set_store_badge(path, text, failed)

    def store_changed(self) -> None:
        """The store (or the scope) changed under the view: read it again."""
        if self.panel.path:
            self.follow(self.panel.path, again=True)
        self.update_badges()

    def project_bodies(self) -> list[str]:
        """The body signatures of the document's Maps (what 'this project's elements' are filed under)."""
        return keys.map_body_signatures(self.canvas.workflow(), self.window.registry)

    def _map_paths(self) -> list[tuple[str, ...]]:
        return [(*path, node.id) for node, path in self.canvas.workflow().walk()
                if node.type_name in FUNCTION_CONTAINER_TYPES]

    def _is_map(self, path: tuple[str, ...]) -> bool:
        try:
            return node_at(self.canvas.workflow(), tuple(path)).type_name in FUNCTION_CONTAINER_TYPES
        except ModelError:
            return False

    def _kept(self, path: tuple[str, ...]) -> bool:
        """Whether the Map's elements are kept in the store (a body that must not be reused never is)."""
        try:
            return keys.is_cacheable(instantiate(node_at(self.canvas.workflow(), path), self.window.registry),
                                     self.window.registry)
        except (ModelError, KeyError, ValueError):
            return True

    def _label(self, path: tuple[str, ...]) -> str:
        try:
            return display_label(node_at(self.canvas.workflow(), path), self.window.registry)
        except ModelError:
            return "/".join(path)

    # -- runs ------------------------------------------------------------------------------------

    def _running(self, running: bool) -> None:
        self.panel.set_running(running or self.local_run is not None)
        if self.dialog is not None:
            self.dialog.update_enabled()

    def _run_event(self, event: ev.Event) -> None:
        if event.kind == ev.ITEMS and not event.cached:
            if event.path == self.panel.path:
                self.panel.refresh()
            self.update_badges([tuple(event.path)])

    def _run_finished(self, _outcome: RunOutcome) -> None:
        self._running(False)
        self.panel.refresh()
        self.update_badges()

    def _document_replaced(self) -> None:
        self.panel.follow(self.store, self.scope(), (), "")
        self.update_badges()

    def rerun_failed(self, path: tuple[str, ...]) -> bool:
        """Run the Map again: failed (and not run) elements run, the others come from the store."""
        return self._start(path, {})

    def rerun_selected(self, path: tuple[str, ...], indices: list[int]) -> bool:
        """Run the Map again computing these elements although stored."""
        return self._start(path, {tuple(path): list(indices)})

    def _start(self, path: tuple[str, ...], recompute: dict[tuple[str, ...], list[int]]) -> bool:
        if not self._is_map(path):
            self.window.statusBar().showMessage("The Map is no longer in the workflow", 8000)
            return False
        return self.runs.start(self.canvas.workflow(), [path[0]], refresh=_prefixes(path), recompute=recompute)

    # -- run element here ------------------------------------------------------------------------

    def run_here(self, path: tuple[str, ...], item: ItemRow) -> bool:
        """Run one element in this process with the Map's current body; the detail pane shows the outcome."""
        detail = self.panel.detail
        if self.runs.running or self.local_run is not None:
            detail.show_local_note("Wait for the run to end (or stop it: Esc) to run an element here.")
            return False
        refusal = self.runs.gate()  # the same gate as every run (untrusted code runs nowhere)
        if refusal:
            detail.show_local_note(refusal)
            return False
        task = local_task(self.canvas.workflow(), path, self.window.registry)
        run = self.panel.run
        bindings = element_bindings(self.store, run.id, self.store.element(item) if item.stored else None) \
            if run is not None else "the Map has no run in the element store"
        problem = task if isinstance(task, str) else bindings if isinstance(bindings, str) else ""
        if problem:
            detail.show_local_note(f"Element {item.index} cannot run here: {problem}.")
            return False
        tracing = TracingTask(task, item.index, keys.body_signature(task.body, self.window.registry) or "")
        local = self.local_run = LocalRun(tracing, item.index, bindings, self)
        local.outcome.connect(detail.show_local_outcome)
        local.outcome.connect(lambda _outcome: tracing.trace and self.element_traced.emit(tuple(path), tracing.trace))
        local.ended.connect(lambda: self._local_run_ended(local))
        self._set_run_actions()
        detail.show_local_start(item.index)
        local.start()
        return True

    def run_element_here(self, path: tuple[str, ...]) -> bool:
        """Run here the element of the Map at `path` selected in the view, else its first listed element (once
        the view has listed them)."""
        path = tuple(path)
        item = self.panel.current_item() if self.panel.path == path else None
        self.open_on(path)
        if item is None and self.panel.model.loading:
            self.panel.model.listed.connect(lambda: self._run_first_here(path), Qt.ConnectionType.SingleShotConnection)
            return True
        return self.run_here(path, item) if item is not None else self._run_first_here(path)

    def _run_first_here(self, path: tuple[str, ...]) -> bool:
        if self.panel.path != path or self.panel.model.rowCount() == 0:
            self.window.statusBar().showMessage("The Map has no elements in the element store: run it first (F5)",
                                                8000)
            return False
        self.panel.select_rows([0])
        return self.run_here(path, self.panel.current_item())

    def pin(self, title: str, value: Any) -> None:
        """Pin an element's value in the Results dock (the view stays in front, to pin or compare another)."""
        self.window.results.pin_value(title, value)
        self.window.statusBar().showMessage(f"Pinned {title} in the Results dock", 5000)

    def compare(self, title: str, value: Any) -> None:
        """Show an element's value beside the Results dock's pinned one."""
        if self.window.results.compare_with(title, value) is None:
            self.window.statusBar().showMessage("Pin a value first (Pin), then Compare another with it", 8000)

    def show_failed(self, path: tuple[str, ...]) -> None:
        """Open the view on the Map at `path`, showing only its failed elements."""
        self.open_on(tuple(path))
        self.panel.show_only([FAILED])

    def stop_local_run(self) -> None:
        """Stop waiting for the element running here (Esc): its outcome is dropped and runs may start again.
        Python cannot stop the thread: it goes on in the background until the element ends."""
        local, self.local_run = self.local_run, None
        if local is None:
            return
        local.abandon()
        self.panel.detail.show_local_note(f"Stopped waiting for element {local.index}: it goes on in the "
                                          "background until it ends (Python cannot stop it); its result is dropped.")
        self._set_run_actions()

    def _local_run_ended(self, local: LocalRun) -> None:
        if local is self.local_run:
            self.local_run = None
            self._set_run_actions()
        local.deleteLater()

    def _set_run_actions(self) -> None:
        """Runs wait while an element runs here (both would capture this process's output); Stop (Esc) stops
        waiting for it."""
        here, running = self.local_run is not None, self.runs.running
        actions = self.window.actions
        for name in ("run", "run_selected"):
            actions[name].setEnabled(not here and not running)
        actions["stop"].setEnabled(here or running)
        self.panel.set_running(here or running)

    # -- the store -------------------------------------------------------------------------------

    def show_store_dialog(self) -> ElementStoreDialog:
        if self.dialog is None:
            self.dialog = ElementStoreDialog(self, self.window)
        self.dialog.refresh()
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def use_directory(self, directory: str) -> None:
        """Keep elements in `directory` from now on ("" for the default); the old store is left as it is."""
        set_store_directory_choice(self.window.settings, directory)
        self._reopen()

    def set_cap(self, max_bytes: int) -> None:
        set_store_cap(self.window.settings, max_bytes)
        self.store.max_bytes = max_bytes

    def _reopen(self) -> None:
        self.store.close()
        self.store = open_element_store(self.window.settings, self.warned.emit)
        self.runs.store = self.store
        self.store_changed()

    def _show_warning(self, text: str) -> None:
        self.window.statusBar().showMessage(f"Element store: {text}", 15_000)

    def close(self) -> None:
        """The window closes: wait for the store worker, then close the store (an element running here is left
        to its daemon thread)."""
        self.stop_local_run()
        self.worker.stop()
        self.store.close()
