"""Qt objects end with the test that made them: after every test that used Qt, garbage is collected and
deferred deletions are carried out while the QApplication is alive.

Without this, a window or canvas a test dropped (its Python wrappers held in reference cycles) was collected
at some later, arbitrary moment: during another test, or at interpreter exit after PySide6 had destroyed the
QApplication, where collecting wrappers of deleted Qt objects crashed the process (SIGSEGV after "N passed").
Collecting right away makes such a fault show up in the test that caused it.

After each collection the survivors are frozen (`gc.freeze`): later collections look only at what later tests
made. A full collection over everything the suite had accumulated took about a third of a second, after every
Qt test, and was over half of the GUI tests' time. What is frozen and dropped later is collected at the end of
the session, while the QApplication is still alive."""

from __future__ import annotations

import gc
import sys

import pytest


def _collect_qt_garbage() -> None:
    """Collect cycles, then let Qt delete what `deleteLater` queued (twice: deletions may queue more)."""
    if "PySide6.QtCore" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent

    if QCoreApplication.instance() is None:
        return
    for _ in range(2):
        gc.collect()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.freeze()


@pytest.fixture(autouse=True)
def _qt_objects_end_with_their_test(request):
    """After a test that used Qt (qtbot, qapp or a fixture built on them), its Qt garbage goes at once."""
    yield
    if {"qtbot", "qapp"} & set(request.fixturenames):
        _collect_qt_garbage()


def pytest_sessionfinish(session, exitstatus) -> None:
    """Whatever Qt garbage is left (frozen ones too) goes while the QApplication is still alive, not at
    interpreter exit."""
    gc.unfreeze()
    _collect_qt_garbage()
    gc.unfreeze()
