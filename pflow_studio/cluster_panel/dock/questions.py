"""The questions the Cluster dock asks before it acts: modal dialogs on the GUI thread, answers as values."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget


def confirm_shutdown(parent: QWidget) -> bool:
    """True when the user agrees to ask the controller to stop every engine (also others') and itself."""
    answer = QMessageBox.question(
        parent, "Request cluster shutdown",
        "Ask the controller to stop every engine connected to it, including engines this session did not "
        "start (other users' or other sessions'), and then itself?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Yes


def choose_profile(parent: QWidget, names: list[str], current: str) -> str | None:
    """A profile picked from `names` or typed (`current` preselected), or None when cancelled."""
    profile, ok = QInputDialog.getItem(parent, "Change profile", "IPython profile:", names,
                                       max(0, names.index(current)) if current in names else 0, True)
    return profile if ok else None


def confirm_profile_change(parent: QWidget, profile: str) -> bool | None:
    """How to clean up before switching to `profile`: True terminates what this session started, False leaves
    it running, None cancels the switch."""
    buttons = QMessageBox.StandardButton
    answer = QMessageBox.question(
        parent, "Change profile",
        f"Switch to profile '{profile}'? The current cluster is cleaned up first.\n\n"
        "Yes: terminate the processes this session started.\n"
        "No: leave them running (a later session can reuse them).",
        buttons.Yes | buttons.No | buttons.Cancel, buttons.Cancel)
    if answer == buttons.Yes:
        return True
    if answer == buttons.No:
        return False
    return None
