"""Help in the app, offline: the Help menu (app/help/menu.py), the keyboard shortcuts dialog built from the
window's actions (shortcuts.py), a page per node type made from its definition (pages.py, node_help.py), the
examples gallery (examples.py) and the empty canvas's hint (empty_hint.py)."""
