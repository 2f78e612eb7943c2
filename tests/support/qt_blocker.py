"""Making Qt unimportable in a subprocess or on engines, as on a headless machine without PySide6."""

from __future__ import annotations

import pathlib
import textwrap

BLOCKED = ("PySide6", "shiboken6", "NodeGraphQt", "Qt", "PyQt5", "PyQt6")

SOURCE = textwrap.dedent(
    f"""
    import importlib.abc, sys

    BLOCKED = {BLOCKED!r}

    class BlockQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"Qt is not importable here: {{name}}")
            return None

    sys.meta_path.insert(0, BlockQt())
    """
)
"""Python source that makes every Qt binding unimportable in the interpreter that runs it."""


def blocker_dir(parent: pathlib.Path) -> pathlib.Path:
    """A directory holding a `sitecustomize.py` that blocks Qt: put it first on a process's PYTHONPATH."""
    directory = parent / "qt_blocker"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sitecustomize.py").write_text(SOURCE)
    return directory
