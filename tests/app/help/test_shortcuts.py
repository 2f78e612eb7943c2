"""Help > Keyboard Shortcuts lists every shortcut of the window's actions, read when it opens (never stale)."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from pflow_studio.app.help.shortcuts import plain


def keys_text(action: QAction) -> str:
    return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty())


def test_every_action_shortcut_is_listed_with_its_menu(window):
    window.actions["shortcuts"].trigger()
    dialog = window.help.shortcuts_dialog
    assert dialog is not None and dialog.isVisible()
    rows = dialog.rows()
    listed = {(what, keys) for _menu, what, keys in rows}
    with_keys = [a for a in window.findChildren(QAction) if any(not k.isEmpty() for k in a.shortcuts())]
    assert len(with_keys) >= 20
    for action in with_keys:
        assert (plain(action.text()), keys_text(action)) in listed, action.text()
    assert ("Edit", "Group", "Ctrl+G") in rows and ("Run", "Run", "F5") in rows
    assert ("Help", "Node Help", "F1") in rows
    assert any(row[0] == "Canvas" and row[2] == "Tab" for row in rows)


def test_a_shortcut_added_later_shows_up(window):
    window.actions["shortcuts"].trigger()
    action = QAction("&Tidy Up", window)
    action.setShortcut("Ctrl+Alt+T")
    window.menus["edit"].addAction(action)
    window.actions["shortcuts"].trigger()
    assert ("Edit", "Tidy Up", "Ctrl+Alt+T") in window.help.shortcuts_dialog.rows()
    window.actions["rename"].setShortcut("Ctrl+R")  # re-keyed: the new key shows
    window.actions["shortcuts"].trigger()
    assert ("Edit", "Rename", "Ctrl+R") in window.help.shortcuts_dialog.rows()


def test_no_two_actions_share_a_key(window):
    """Qt runs neither action of an ambiguous shortcut: every key is bound once."""
    keys = [key.toString() for action in window.findChildren(QAction)
            for key in action.shortcuts() if not key.isEmpty()]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
