"""The Cluster dock's address fields are remembered in the window's settings, like its profile; so is whether
its "Other machines" section was left open, and remembered addresses open it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from pflow_studio.app.main_window import MainWindow
from pflow_studio.app.preferences import cluster_address, other_machines_open, set_cluster_address
from pflow_studio.app.settings import make_settings
from pflow_studio.cluster_panel.manager import ClusterManager


def test_address_fields_are_remembered(qtbot, tmp_path, ipython_dir):
    assert cluster_address(make_settings(tmp_path / "settings.ini")) == ("", "")
    set_cluster_address(make_settings(tmp_path / "settings.ini"), "198.18.0.1", "")
    settings = make_settings(tmp_path / "settings.ini")
    window = MainWindow(settings=settings, cluster_manager=ClusterManager(ipython_dir=ipython_dir),
                        check_leftovers=False)
    try:
        address = window.cluster.dock.address
        assert address.values() == ("198.18.0.1", "")
        assert window.cluster.dock.other_machines.is_open  # a remembered address is not hidden
        address.location.setText("head.example.org")
        address.location.editingFinished.emit()
        assert cluster_address(make_settings(tmp_path / "settings.ini")) == ("198.18.0.1", "head.example.org")
    finally:
        window.canvas.undo_stack.setClean()
        window.close()
        window.deleteLater()


def _window(qtbot, tmp_path, ipython_dir) -> MainWindow:
    """A shown window with the Cluster dock in front (its toggle clickable)."""
    window = MainWindow(settings=make_settings(tmp_path / "settings.ini"),
                        cluster_manager=ClusterManager(ipython_dir=ipython_dir), check_leftovers=False)
    window.show()
    window.cluster.dock.raise_()
    qtbot.waitUntil(lambda: window.cluster.dock.other_machines.toggle.isVisible())
    return window


def _close(window: MainWindow) -> None:
    window.canvas.undo_stack.setClean()
    window.close()
    window.deleteLater()


def test_other_machines_section_is_remembered_open_or_closed(qtbot, tmp_path, ipython_dir):
    window = _window(qtbot, tmp_path, ipython_dir)
    try:
        section = window.cluster.dock.other_machines
        assert not section.is_open  # empty settings: collapsed
        qtbot.mouseClick(section.toggle, Qt.MouseButton.LeftButton)
        assert section.is_open and other_machines_open(make_settings(tmp_path / "settings.ini"))
    finally:
        _close(window)
    window = _window(qtbot, tmp_path, ipython_dir)
    try:
        section = window.cluster.dock.other_machines
        assert section.is_open
        qtbot.mouseClick(section.toggle, Qt.MouseButton.LeftButton)
        assert not other_machines_open(make_settings(tmp_path / "settings.ini"))
    finally:
        _close(window)
    window = _window(qtbot, tmp_path, ipython_dir)
    try:
        assert not window.cluster.dock.other_machines.is_open
    finally:
        _close(window)
