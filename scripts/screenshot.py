"""Take docs/screenshot.png: the main window with the square_offset_map example open and run.

Usage: .venv/bin/python scripts/screenshot.py [OUTPUT.png]
Runs under Xvfb (xvfb-run) or offscreen (QT_QPA_PLATFORM=offscreen); settings go to a temp file.
"""

from __future__ import annotations

import os
import pathlib
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "resources" / "examples" / "square_offset_map.pflow"


def main(argv: list[str]) -> int:
    output = pathlib.Path(argv[0]) if argv else ROOT / "docs" / "screenshot.png"
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY") else "xcb")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QEventLoop, QTimer

    from pflow_studio.app import create_application
    from pflow_studio.app.main_window import MainWindow
    from pflow_studio.app.settings import make_settings

    app = create_application()
    with tempfile.TemporaryDirectory() as scratch:
        window = MainWindow(settings=make_settings(pathlib.Path(scratch) / "settings.ini"))
        window.resize(1440, 860)
        window.show()
        if not window.files.load(str(EXAMPLE)):
            return 1
        loop = QEventLoop()
        window.runs.finished.connect(loop.quit)
        QTimer.singleShot(60_000, loop.quit)
        window.run_all()
        loop.exec()
        window.canvas.select(["map"])
        window.docks["results"].raise_()
        wait(app, 300)
        window.canvas.frame_all()
        wait(app, 300)
        output.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(output)):
            print(f"cannot write {output}", file=sys.stderr)
            return 1
        window.canvas.undo_stack.setClean()
        window.close()
    print(output)
    return 0


def wait(app, ms: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
