"""The main window's dock layout, designed for 1280x800, and its saved state.

Right column (full height, tabs on top): Nodes | Properties | Results | Cluster, each tab with the column's
whole height (the cluster's engine table and log, the Map's checkboxes, the code editor). Bottom, under the
canvas only: Errors | Work Items | Console, hidden until there is something to show there (a failed run
shows Errors, Work Items and Console open themselves) and then BOTTOM_HEIGHT high. A run brings the Results
tab to the front. The canvas keeps more than 60% of a 1280x800 window.

The dock state is saved with LAYOUT_VERSION: a state saved by a version with another layout is not
restored (the default applies), so an old cramped layout never comes back.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabWidget

LAYOUT_VERSION = 2
"""The saved dock state's version: raise it whenever the default layout changes."""
GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"
RIGHT_WIDTH = 350
BOTTOM_HEIGHT = 250
RIGHT_TABS = ("palette", "properties", "results")
BOTTOM_TABS = ("errors",)
Area = Qt.DockWidgetArea


class WindowLayout(QObject):
    """Places `window`'s docks (a MainWindow: `docks`, `settings`) and saves / restores their state."""

    def __init__(self, window: QMainWindow, docks: dict[str, QDockWidget], settings: QSettings) -> None:
        super().__init__(window)
        self.window = window
        self.docks = docks
        self.settings = settings
        self.restored = False  # whether a saved state was restored (then the default sizes are not applied)
        self._sized = False
        window.setTabPosition(Area.AllDockWidgetAreas, QTabWidget.TabPosition.North)
        window.setCorner(Qt.Corner.TopRightCorner, Area.RightDockWidgetArea)
        window.setCorner(Qt.Corner.BottomRightCorner, Area.RightDockWidgetArea)
        window.setCorner(Qt.Corner.BottomLeftCorner, Area.BottomDockWidgetArea)
        self._stack(Area.RightDockWidgetArea, [docks[name] for name in RIGHT_TABS])
        self._stack(Area.BottomDockWidgetArea, [docks[name] for name in BOTTOM_TABS])
        docks["palette"].raise_()
        for name in BOTTOM_TABS:
            docks[name].hide()
        window.installEventFilter(self)

    def _stack(self, area: Qt.DockWidgetArea, docks: list[QDockWidget]) -> None:
        for dock in docks:
            self.window.addDockWidget(area, dock)
        for dock in docks[1:]:
            self.window.tabifyDockWidget(docks[0], dock)

    # -- docks added later ---------------------------------------------------------------------------------

    def add_right(self, dock: QDockWidget) -> None:
        """A tab of the right column behind the others (the Cluster dock, added while the window is made:
        the saved state is then applied again, for this dock's place and the tab in front)."""
        self._add_tab(self.docks["results"], Area.RightDockWidgetArea, dock)
        if not self.restore_state():
            self.docks["palette"].raise_()

    def add_bottom(self, dock: QDockWidget) -> None:
        """A tab of the bottom area (Work Items, Console), hidden until shown with `show_bottom`; where the
        saved state had it when there is one."""
        self._add_tab(self.docks["errors"], Area.BottomDockWidgetArea, dock)
        dock.hide()
        if self.restored:
            self.window.restoreDockWidget(dock)

    def _add_tab(self, beside: QDockWidget, area: Qt.DockWidgetArea, dock: QDockWidget) -> None:
        self.window.addDockWidget(area, dock)
        self.window.tabifyDockWidget(beside, dock)

    def show_bottom(self, dock: QDockWidget, height: int = BOTTOM_HEIGHT) -> None:
        """Show a bottom dock in front, at least `height` high."""
        was_hidden = not any(d.isVisible() for d in self._bottom_docks())
        dock.show()
        dock.raise_()
        if was_hidden or dock.height() < height:
            self.window.resizeDocks([dock], [height], Qt.Orientation.Vertical)

    def run_finished(self, problems: bool) -> None:
        """After a run: the Results tab in front (the selected node's outputs), and Errors opened when the run
        left `problems`."""
        self.docks["results"].raise_()
        if problems:
            self.show_bottom(self.docks["errors"])

    def _bottom_docks(self) -> list[QDockWidget]:
        return [d for d in self.window.findChildren(QDockWidget)
                if self.window.dockWidgetArea(d) == Area.BottomDockWidgetArea]

    # -- default sizes and saved state ------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Show and not self._sized:
            self._sized = True
            if not self.restored:
                self.window.resizeDocks([self.docks["properties"]], [RIGHT_WIDTH], Qt.Orientation.Horizontal)
        return False

    def restore(self) -> None:
        """The window's geometry and (when saved by this layout version) its dock state."""
        geometry = self.settings.value(GEOMETRY_KEY)
        if geometry:
            self.window.restoreGeometry(geometry)
        self.restore_state()

    def restore_state(self) -> bool:
        """The saved dock state when it has this LAYOUT_VERSION; False when none was restored."""
        state = self.settings.value(STATE_KEY)
        if state and self.window.restoreState(state, LAYOUT_VERSION):
            self.restored = True
        return self.restored

    def save(self) -> None:
        """The window's geometry and dock state (with LAYOUT_VERSION)."""
        self.settings.setValue(GEOMETRY_KEY, self.window.saveGeometry())
        self.settings.setValue(STATE_KEY, self.window.saveState(LAYOUT_VERSION))
        self.settings.sync()
