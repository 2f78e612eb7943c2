"""Files of one window: New, Open, Save, Save As, Revert, Recent files, the unsaved-changes prompt.

Dialogs go through the static `QMessageBox` / `QFileDialog` calls (tests patch them). A file
that does not load (damaged, newer version...) gives an error dialog naming the file and the problem;
the open document stays as it was. Nodes whose type is not installed open as placeholders (a warning
names them and their types) that keep their data and are saved back unchanged. Saving is atomic
(`project_file.save`) and marks the undo stack clean. `write_recovery_copy()` saves unsaved changes
beside the project as `NAME.pflow.recovered` (for a close that cannot prompt). `loaded(path, workflow)`
follows `document_replaced` when a file was loaded, `saved(path, workflow)` every save (the trust gate's cues).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from pflow_studio.app.settings import add_recent_file, recent_files, remove_recent_file
from pflow_studio.canvas import Canvas, backdrops
from pflow_studio.nodes.registry import Registry
from pflow_studio.project import file_format as project_file
from pflow_studio.project.file_format import Project, ProjectFileError
from pflow_studio.runtime.model import Workflow

FILE_FILTER = "pflow-studio projects (*.pflow);;All files (*)"
SUFFIX = ".pflow"


class FileController(QObject):
    """The document's file: `path` (None until saved), `meta`, and the file actions."""

    document_replaced = Signal()      # a new or loaded workflow is on the canvas
    path_changed = Signal(object)     # str | None
    recent_changed = Signal(list)
    loaded = Signal(str, object)      # path, the Workflow read from it (after document_replaced)
    saved = Signal(str, object)       # path, the Workflow written to it

    def __init__(self, parent_widget: QWidget, canvas: Canvas, settings: QSettings, registry: Registry) -> None:
        super().__init__(parent_widget)
        self.widget = parent_widget
        self.canvas = canvas
        self.settings = settings
        self.registry = registry
        self.path: str | None = None
        self.meta: dict[str, Any] = {}

    # -- state -------------------------------------------------------------------------------

    def is_modified(self) -> bool:
        """Whether there are edits since the last save or load."""
        return not self.canvas.undo_stack.isClean()

    def display_name(self) -> str:
        """The file name for titles and prompts ("Untitled" before the first save)."""
        return os.path.basename(self.path) if self.path else "Untitled"

    def recent(self) -> list[str]:
        """The recent files, newest first."""
        return recent_files(self.settings)

    def _set_path(self, path: str | None) -> None:
        self.path = os.path.abspath(path) if path else None
        self.path_changed.emit(self.path)
        if self.path:
            self.recent_changed.emit(add_recent_file(self.settings, self.path))

    # -- the prompt --------------------------------------------------------------------------

    def maybe_save(self, action: str = "continue") -> bool:
        """True when it is fine to drop the current document (saved, discarded, or unchanged)."""
        if not self.is_modified():
            return True
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self.widget, "Unsaved changes",
            f"'{self.display_name()}' has unsaved changes. Save them before you {action}?",
            buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)
        if answer == buttons.Save:
            return self.save()
        return answer == buttons.Discard

    # -- actions -----------------------------------------------------------------------------

    def new(self) -> bool:
        """An empty document after the unsaved-changes prompt; False when the user cancelled."""
        if not self.maybe_save("start a new project"):
            return False
        self.meta = {}
        self.canvas.set_workflow(Workflow())
        self._set_path(None)
        self.document_replaced.emit()
        return True

    def open(self, path: str | None = None) -> bool:
        """Open `path` (or ask for one) after the unsaved-changes prompt."""
        if not self.maybe_save("open another project"):
            return False
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.widget, "Open project", self._start_dir(), FILE_FILTER)
            if not path:
                return False
        return self.load(path)

    def load(self, path: str, *, as_copy: bool = False) -> bool:
        """Load `path` without asking; an error dialog (and False) when it does not load. With `as_copy`
        (an example) the document is untitled: Save asks where, the file itself is never overwritten."""
        try:
            project = project_file.load(path, self.registry, keep_unknown=True)
        except ProjectFileError as exc:
            QMessageBox.critical(self.widget, "Cannot open project", f"Cannot open {exc.path}:\n\n{exc.problem}")
            if not os.path.exists(path):
                self.recent_changed.emit(remove_recent_file(self.settings, os.path.abspath(path)))
            return False
        self.meta = dict(project.meta)
        self.canvas.set_workflow(project.workflow, backdrops.in_meta(self.meta))
        self.canvas.undo_stack.setClean()
        self._set_path(None if as_copy else path)
        self.document_replaced.emit()
        self.loaded.emit(os.path.abspath(path), project.workflow)
        self._warn_placeholders(project.workflow)
        return True

    def _warn_placeholders(self, workflow: Workflow) -> None:
        missing: dict[str, list[str]] = {}
        for node, path in workflow.walk():
            if node.type_name not in self.registry:
                missing.setdefault(node.type_name, []).append("/".join((*path, node.label)))
        if missing:
            QMessageBox.warning(self.widget, "Node types not installed", placeholder_message(missing))

    def save(self) -> bool:
        """Save to the file (asking for one the first time); False when not saved."""
        if self.path is None:
            return self.save_as()
        return self._write(self.path)

    def save_as(self) -> bool:
        """Ask for a file name (`.pflow` added when it has no suffix) and save there; False when not saved."""
        start = self.path or os.path.join(self._start_dir(), "untitled" + SUFFIX)
        path, _ = QFileDialog.getSaveFileName(self.widget, "Save project as", start, FILE_FILTER)
        if not path:
            return False
        if not os.path.splitext(path)[1]:
            path += SUFFIX
        return self._write(path)

    def revert(self) -> bool:
        """Reload the file from disk, dropping unsaved changes (after asking)."""
        if self.path is None:
            return False
        if self.is_modified():
            buttons = QMessageBox.StandardButton
            answer = QMessageBox.question(
                self.widget, "Revert", f"Discard the unsaved changes to '{self.display_name()}' and reload it?",
                buttons.Discard | buttons.Cancel, buttons.Cancel)
            if answer != buttons.Discard:
                return False
        return self.load(self.path)

    def write_recovery_copy(self) -> None:
        """Unsaved changes of a saved project go to `NAME.pflow.recovered` beside it; stderr says where
        (or why not). Nothing is written for an unchanged or never saved document."""
        if not (self.is_modified() and self.path):
            return
        target = self.path + ".recovered"
        try:
            project_file.save(Project(self.canvas.workflow(), self.saved_meta()), target)
        except (ProjectFileError, OSError) as exc:
            print(f"pflow-studio: cannot write the recovery copy {target}: {exc}", file=sys.stderr)
        else:
            print(f"pflow-studio: unsaved changes written to {os.path.basename(target)}", file=sys.stderr)

    def _write(self, path: str) -> bool:
        workflow = self.canvas.workflow()
        try:
            project_file.save(Project(workflow, self.saved_meta()), path)
        except ProjectFileError as exc:
            QMessageBox.critical(self.widget, "Cannot save project", f"Cannot save {exc.path}:\n\n{exc.problem}")
            return False
        self.canvas.undo_stack.setClean()
        if os.path.abspath(path) != self.path:
            self._set_path(path)
        else:
            self.recent_changed.emit(add_recent_file(self.settings, path))
        self.saved.emit(os.path.abspath(path), workflow)
        return True

    def saved_meta(self) -> dict[str, Any]:
        """The project metadata to save: as read, with the canvas's backdrops (`meta.ui.backdrops`)."""
        return backdrops.with_backdrops(self.meta, self.canvas.backdrops.saved())

    def _start_dir(self) -> str:
        if self.path:
            return os.path.dirname(self.path)
        recent = self.recent()
        return os.path.dirname(recent[0]) if recent else os.getcwd()


def placeholder_message(missing: dict[str, list[str]]) -> str:
    """The warning for nodes (by type: their paths) whose types are not installed."""
    shown = [f"'{type_name}': {', '.join(paths[:3])}{f' and {len(paths) - 3} more' if len(paths) > 3 else ''}"
             for type_name, paths in list(missing.items())[:5]]
    more = f"\n... and {len(missing) - 5} more types" if len(missing) > 5 else ""
    return ("These nodes' types are not installed; they are shown as placeholders marked (missing):\n\n"
            + "\n".join(shown) + more + "\n\nThey keep their settings and wires and are saved back unchanged. "
            "Running is refused until the plug-ins that provide these types are installed.")
