"""Take docs/screenshot.png: the main window with the square_offset_map example open and run on a local
cluster the app starts (in a temporary IPython directory), the Cluster dock showing its engines.

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

    from pflow_studio.app import create_application, create_window
    from pflow_studio.app.settings import make_settings
    from pflow_studio.cluster_panel.manager import ClusterManager

    app = create_application()
    with tempfile.TemporaryDirectory() as scratch:
        manager = ClusterManager("default", ipython_dir=pathlib.Path(scratch) / "ipython")
        window = create_window(settings=make_settings(pathlib.Path(scratch) / "settings.ini"), manager=manager)
        window.resize(1600, 940)
        window.cluster.dock.engine_spin.setValue(2)
        if not window.files.load(str(EXAMPLE)):
            return 1
        loop = QEventLoop()
        window.runs.finished.connect(loop.quit)
        QTimer.singleShot(60_000, loop.quit)
        window.run_all()
        loop.exec()
        window.canvas.select(["map"])
        window.docks["results"].raise_()
        window.cluster.dock.refresh()
        wait(app, 3000)
        window.canvas.frame_all()
        wait(app, 300)
        output.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(output)):
            print(f"cannot write {output}", file=sys.stderr)
            return 1
        window.canvas.undo_stack.setClean()
        window.close()
        manager.shutdown_owned()
    print(output)
    return 0


def wait(app, ms: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
