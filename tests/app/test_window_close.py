"""Closing a window with unsaved changes, answered Discard: the window and its widgets go without an error."""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QMessageBox

from pflow_studio.app.main_window import MainWindow
from pflow_studio.app.settings import make_settings


def test_close_after_discard_prints_no_error(qtbot, tmp_path, dialogs, capfd):
    window = MainWindow(settings=make_settings(tmp_path / "settings.ini"))
    window.show()
    qtbot.waitExposed(window)
    window.add_node_at_centre("const.int")
    window.canvas.select([])  # a selection change queues a refresh of the properties panel
    dialogs.answers["question"] = QMessageBox.StandardButton.Discard
    with qtbot.capture_exceptions() as raised:
        assert window.close()
        window.deleteLater()
        del window
        for _ in range(3):  # the window's deletion, then whatever it queued
            gc.collect()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            QCoreApplication.processEvents()
    assert dialogs.names() == ["question"]
    assert not raised, raised
    assert "already deleted" not in capfd.readouterr().err
