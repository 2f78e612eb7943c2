"""The Console dock: a Jupyter Qt console (qtconsole's RichJupyterWidget) on an IPython kernel in this process.

`open_in_console(window, names, title)` shows the window's Console dock, made on first use (qtconsole and
ipykernel are imported then: about half a second, kept off the app's start), and binds `names` in the kernel's
namespace: the names the previous open bound are removed first, what the user defined stays. The banner (first
open) or a line before the prompt (later opens) says what is bound. Figures show inline when evaluated.
Code typed there runs in the app's process, on the GUI thread: the window waits for it.
`console_action(...)` makes the entry points' action and button. `end_console(window)` ends the kernel (the window
calls it when it closes; again is harmless).

The kernel keeps no history (no thread, no file) and leaves `sys.modules["__main__"]` as it was.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import sys
import threading
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QToolButton, QWidget

from pflow_studio.app.console.names import describe
from pflow_studio.app.resources import icon

DOCK_NAME = "dock_console"
IOPUB_WAIT_SECONDS = 10
INTRO = ("pflow-studio console: IPython in the app's process (the window waits while code here runs).\n"
         "{bound}\n")


class ConsoleDock(QDockWidget):
    """The dock holding the console; `bound` is what the last open bound (name -> value)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__("Console", window)
        self.setObjectName(DOCK_NAME)
        self.bound: dict[str, Any] = {}
        self.manager: Any = None
        self.console: Any = None

    @property
    def shell(self) -> Any:
        """The kernel's IPython shell (None once ended)."""
        return self.manager.kernel.shell if self.manager is not None and self.manager.kernel is not None else None

    def bind(self, names: Mapping[str, Any], title: str) -> None:
        """Bind `names` (replacing what the last call bound) and say so in the console."""
        text = bound_text(names, title)
        if self.manager is None:  # the first open, or the kernel was ended (the window closed and came back)
            self._start(text)
        else:
            for name in self.bound:
                self.shell.user_ns.pop(name, None)
            self.console._append_plain_text(f"\n{text}\n", before_prompt=True)  # (qtconsole has no public call)
        self.shell.push(dict(names))
        self.bound = dict(names)

    def _start(self, banner: str) -> None:
        self.manager = start_kernel()
        from qtconsole.rich_jupyter_widget import RichJupyterWidget

        if self.console is not None:
            self.console.deleteLater()
        console = RichJupyterWidget(self)
        console.setObjectName("console_widget")
        console.banner = INTRO.format(bound=banner)
        console.kernel_manager = self.manager
        console.kernel_client = self.manager.client()
        console.kernel_client.start_channels()
        self.console = console
        self.setWidget(console)

    def shutdown(self) -> None:
        """End the kernel: its client's channels, its IOPub thread, its shell (and the values it held)."""
        manager, self.manager = self.manager, None
        if manager is None:
            return
        shell = manager.kernel.shell if manager.kernel is not None else None
        if self.console is not None:
            self.console.kernel_client.stop_channels()
        if manager.kernel is not None:
            _end_iopub_tasks(manager.kernel.iopub_thread)
        manager.shutdown_kernel()
        if shell is not None:
            atexit.unregister(shell.atexit_operations)
            shell.atexit_operations()  # empties its namespaces
            type(shell).clear_instance()  # the next kernel gets a shell of its own
        self.bound = {}


def _end_iopub_tasks(iopub: Any) -> None:
    """End the tasks of the kernel's IOPub loop before the loop is stopped. (ipykernel 7 stops the loop with its
    garbage-collection task pending: "Task was destroyed but it is pending!" on stderr at exit.)"""
    if not iopub.thread.is_alive():
        return
    done = threading.Event()

    async def end_tasks() -> None:
        for task in asyncio.all_tasks() - {asyncio.current_task()}:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        done.set()

    iopub.io_loop.add_callback(end_tasks)
    done.wait(IOPUB_WAIT_SECONDS)


def bound_text(names: Mapping[str, Any], title: str) -> str:
    """What the console says when values are bound."""
    if not names:
        return f"{title}: nothing to bind."
    return f"{title}, bound to names:\n{describe(names)}"


def console_missing() -> str:
    """Why the console cannot be made ("" when it can): qtconsole and ipykernel are imported here (slow once)."""
    if "qtpy" not in sys.modules:
        os.environ["QT_API"] = "pyside6"  # qtconsole's qtpy: the binding the app uses, whatever else is installed
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # debugpy's note on frozen modules, on stderr
    try:
        import ipykernel.inprocess  # noqa: F401
        import qtconsole.inprocess  # noqa: F401
    except ImportError as exc:
        return f"Open in Console needs qtconsole and ipykernel (pip install qtconsole ipykernel): {exc}"
    return ""


def start_kernel() -> Any:
    """A started in-process kernel's manager (a `QtInProcessKernelManager`), IPython's shell set up for the app
    (after `console_missing()` said it can)."""
    from IPython.core.pylabtools import select_figure_formats
    from qtconsole.inprocess import QtInProcessKernelManager
    from traitlets.config import Config

    warnings.filterwarnings("ignore", category=PendingDeprecationWarning, module="ipykernel.kernelbase")  # its own
    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.enable_tip = False
    manager = QtInProcessKernelManager(config=config)
    main = sys.modules.get("__main__")
    manager.start_kernel(show_banner=False)
    if main is not None:
        sys.modules["__main__"] = main
    shell = manager.kernel.shell
    shell.banner1, shell.banner2 = "", ""
    select_figure_formats(shell, {"png"})
    return manager


def console_dock(window: QMainWindow) -> ConsoleDock | None:
    """The window's Console dock, None before the first open."""
    return window.findChild(ConsoleDock, DOCK_NAME)


def console_action(parent: QWidget, name: str, tip: str, handler: Callable[[], None]) -> tuple[QAction, QToolButton]:
    """An "Open in Console" action (disabled until there is something to bind) and a button for it (its icon)."""
    action = QAction(icon("console"), "Open in Console", parent)
    action.setObjectName(name)
    action.setToolTip(tip)
    action.setStatusTip(tip)
    action.setEnabled(False)
    action.triggered.connect(lambda _checked=False: handler())
    button = QToolButton(parent)
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)  # room for the title beside it
    return action, button


def main_window_of(widget: QWidget) -> QMainWindow | None:
    """The main window holding `widget` (also from a floating dock), or None."""
    while widget is not None and not isinstance(widget, QMainWindow):
        widget = widget.parentWidget()
    return widget


def open_in_console(widget: QWidget, names: Mapping[str, Any], title: str) -> ConsoleDock | None:
    """Show the Console dock of the main window holding `widget` (made on first use) with `names` bound; `title`
    says where they come from. None when `widget` is in no main window, or the console cannot be made (the status
    bar says why)."""
    window = main_window_of(widget)
    if window is None:
        return None
    missing = console_missing()
    if missing:
        window.statusBar().showMessage(missing, 15_000)
        return None
    dock = console_dock(window)
    layout = getattr(window, "layout_manager", None)  # the main window's WindowLayout (app/layout.py)
    if dock is None:
        dock = ConsoleDock(window)
        if layout is not None:
            layout.add_bottom(dock)  # tabbed with Errors and Work Items
        else:
            window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        view = getattr(window, "menus", {}).get("view")
        if view is not None:
            view.addAction(dock.toggleViewAction())
    dock.bind(names, title)
    if layout is not None:
        layout.show_bottom(dock)
    else:
        dock.show()
        dock.raise_()
    if dock.console is not None:
        dock.console.setFocus()
    return dock


def end_console(window: QWidget) -> None:
    """End the window's console kernel, if it has one."""
    dock = window.findChild(ConsoleDock, DOCK_NAME)
    if dock is not None:
        dock.shutdown()
