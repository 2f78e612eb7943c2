"""The window's code editors: the properties panel's code fields, the larger editor windows, and the marks
of the lines the last run failed on.

Every code field the panel builds gets the corner button (and Edit > Edit Code in a Larger Window,
Ctrl+Shift+E, for the selected node) that opens its node's code in a `DetachedCodeEditor`, one per node
and property, which applies through the document as the panel does (one undo step per apply) and follows
the node's code. After Ctrl+Enter the panel's rebuilt field gets the focus and cursor back. Run events feed
`FailedLines`; a field or window showing a node whose code failed marks the failing line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from pflow_studio.app.code_editor.detached import DetachedCodeEditor
from pflow_studio.app.code_editor.editor import DETACH_SHORTCUT, CodeEditor
from pflow_studio.app.code_editor.failures import FailedLines
from pflow_studio.app.run_controller import RunOutcome
from pflow_studio.runtime import events as ev
from pflow_studio.runtime.model import ModelError, Node
from pflow_studio.runtime.user_code import code_source

if TYPE_CHECKING:
    from pflow_studio.app.main_window import MainWindow

Path = tuple[str, ...]
Key = tuple[Path, str]  # a node's path and the name of its code property


class CodeEditorSession(QObject):
    """See the module docstring."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.canvas = window.canvas
        self.failures = FailedLines()
        self.windows: dict[Key, DetachedCodeEditor] = {}
        self._refocus: tuple[Key, int] | None = None  # the field applied with Ctrl+Enter, its cursor
        window.runs.event.connect(self._run_event)
        window.runs.finished.connect(self._run_finished)
        window.properties.refreshed.connect(self._fields_built)
        self.canvas.changed.connect(self._follow_nodes)
        window.files.document_replaced.connect(self._forget)
        self.action = QAction("Edit Code in a Larger &Window", window)
        self.action.setObjectName("action_edit_code")
        self.action.setShortcut(QKeySequence(DETACH_SHORTCUT))
        self.action.setToolTip("Open the selected Python node's code in a larger editor window")
        self.action.triggered.connect(lambda _checked=False: self.open_selected())
        window.addAction(self.action)
        window.menus["edit"].addSeparator()
        window.menus["edit"].addAction(self.action)
        window.actions["edit_code"] = self.action

    # -- the larger editor -------------------------------------------------------------------------

    def open_selected(self) -> DetachedCodeEditor | None:
        """Open the code of the one selected node (a Python code or expression node)."""
        ids = self.canvas.selected_node_ids()
        node = self._node((*self.canvas.level_path(), ids[0])) if len(ids) == 1 else None
        code = code_source(node) if node is not None else None
        if code is None:
            self.window.statusBar().showMessage("Select a Python code or expression node to edit its code", 5000)
            return None
        return self.open((*self.canvas.level_path(), ids[0]), code[0])

    def open(self, path: Path, prop: str) -> DetachedCodeEditor | None:
        """Show the larger editor of the code property `prop` of the node at `path` (made on first use); the
        panel's field applies what it holds first."""
        for shown, _prop, field in self._fields():
            if shown == tuple(path):
                field.finish()
        node = self._node(path)
        code = code_source(node) if node is not None else None
        if node is None or code is None or code[0] != prop:
            return None
        key = (tuple(path), prop)
        window = self.windows.get(key)
        if window is None or not window.isVisible():  # a closed window is on its way out (deleted on close)
            window = DetachedCodeEditor(f"{node.label} — {prop}", code[1],
                                        lambda text: self._apply(key, text), self.window)
            window.destroyed.connect(lambda _obj=None, key=key: self.windows.pop(key, None))
            self.windows[key] = window
            self._mark(window.editor, key[0], node)
        window.show()
        window.raise_()
        window.activateWindow()
        window.editor.setFocus()
        return window

    def _apply(self, key: Key, text: str) -> None:
        path, prop = key
        if self._node(path) is not None:
            self.canvas.document.set_field(path[:-1], path[-1], "properties", prop, text, f"set {prop}")

    def _follow_nodes(self) -> None:
        """The model changed: each window shows its node's code now, or closes when the node is gone."""
        for (path, prop), window in list(self.windows.items()):
            node = self._node(path)
            code = code_source(node) if node is not None else None
            if node is None or code is None or code[0] != prop:
                self._drop(window)
                continue
            window.show_value(code[1])
            self._mark(window.editor, path, node)

    def _drop(self, window: DetachedCodeEditor) -> None:
        """Close a window without applying what it holds."""
        window.discard = True
        window.editor.load(window.editor.value)
        window.close()

    def _forget(self) -> None:
        """Another document: no marks, no windows."""
        self.failures.clear()
        for window in list(self.windows.values()):
            self._drop(window)

    # -- the panel's fields ------------------------------------------------------------------------

    def _fields(self) -> list[tuple[Path, str, CodeEditor]]:
        """The panel's code fields: (node path, property, field)."""
        panel = self.window.properties
        if panel.shown_id is None:
            return []
        shown = (*self.canvas.level_path(), panel.shown_id)
        return [(shown, key.removeprefix("prop:"), field) for key, field in panel.editors.items()
                if key.startswith("prop:") and isinstance(field, CodeEditor)]

    def _fields_built(self) -> None:
        refocus, self._refocus = self._refocus, None
        for path, prop, field in self._fields():
            field.set_detachable(True)
            field.detach_requested.connect(lambda path=path, prop=prop: self.open(path, prop))
            field.applied_from_keyboard.connect(
                lambda path=path, prop=prop, field=field: self._remember(path, prop, field))
            node = self._node(path)
            if node is not None:
                self._mark(field, path, node)
            if refocus is not None and refocus[0] == (path, prop):
                cursor = field.textCursor()
                cursor.setPosition(min(refocus[1], len(field.toPlainText())))
                field.setTextCursor(cursor)
                field.setFocus()

    def _remember(self, path: Path, prop: str, field: CodeEditor) -> None:
        self._refocus = ((path, prop), field.textCursor().position())

    # -- marks -----------------------------------------------------------------------------------

    def _run_event(self, event: ev.Event) -> None:
        if self.failures.on_event(event, self.window.runs.workflow):
            self._remark()

    def _run_finished(self, outcome: RunOutcome) -> None:
        if outcome.status == "invalid" and self.failures.on_problems(outcome.problems, outcome.workflow):
            self._remark()

    def _remark(self) -> None:
        """Show the marks as they are now in the panel's fields and the windows."""
        for path, _prop, field in self._fields():
            node = self._node(path)
            if node is not None:
                self._mark(field, path, node)
        self._follow_nodes()

    def _mark(self, editor: CodeEditor, path: Path, node: Node) -> None:
        """Mark the failing line in `editor` (showing `node`'s code) when its code is the code that failed."""
        failure = self.failures.failure(path, node)
        if failure is None or editor.is_modified():
            editor.set_error(None)
        else:
            editor.set_error(failure.line, failure.message)

    def _node(self, path: Path) -> Node | None:
        try:
            return self.canvas.node_at(tuple(path))
        except (ModelError, KeyError, ValueError):
            return None
