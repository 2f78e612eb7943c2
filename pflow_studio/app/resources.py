"""Where the app finds its icons and stylesheet (the repository's `resources/` folder)."""

from __future__ import annotations

import pathlib

from PySide6.QtGui import QIcon

RESOURCES = pathlib.Path(__file__).resolve().parents[2] / "resources"
ICONS = RESOURCES / "icons"
STYLE = RESOURCES / "style.qss"


def icon(name: str) -> QIcon:
    """The icon `resources/icons/<name>.svg` (an empty icon when missing). Not cached on purpose: a QIcon kept
    for the whole process (its SVG engine comes from a Qt plugin) would be destroyed at interpreter exit,
    after the QApplication, which may crash the process on its way out."""
    path = ICONS / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()


def stylesheet() -> str:
    """The application stylesheet text with `@ICONS@` set to the icons folder ('' when missing)."""
    try:
        text = STYLE.read_text(encoding="utf-8")
    except OSError:
        return ""
    return text.replace("@ICONS@", ICONS.as_posix())
