"""The Cluster dock's address fields are remembered in the window's settings, like its profile."""

from __future__ import annotations

from pflow_studio.app.main_window import MainWindow
from pflow_studio.app.preferences import cluster_address, set_cluster_address
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
        address.location.setText("head.example.org")
        address.location.editingFinished.emit()
        assert cluster_address(make_settings(tmp_path / "settings.ini")) == ("198.18.0.1", "head.example.org")
    finally:
        window.canvas.undo_stack.setClean()
        window.close()
        window.deleteLater()
