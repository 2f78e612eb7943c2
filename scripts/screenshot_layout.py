"""Take docs/empty_window.png (the window as it opens, 1280x800: the empty canvas's hint, the Nodes palette in
front) and docs/layout.png (the square-and-offset example, built like the VisTrails Parallel Flow tutorial,
after a run on a local two-engine cluster the app starts, the Map selected and its outputs in the Results tab),
and docs/cluster.png (the same window with the Cluster tab in front: the engines the app started).

Usage: .venv/bin/python scripts/screenshot_layout.py [OUTPUT_DIR]   (default: docs/)
Runs under Xvfb (xvfb-run) or offscreen (QT_QPA_PLATFORM=offscreen); settings go to a temp file.
"""

from __future__ import annotations

import pathlib
import sys

from screenshot_work_items import ROOT, close_quietly, framed_save, in_scratch, run_and_wait, wait

EXAMPLE = ROOT / "resources" / "examples" / "square_offset_map.pflow"


def main(argv: list[str]) -> int:
    return in_scratch(shoot, pathlib.Path(argv[0]) if argv else ROOT / "docs")


def shoot(output: pathlib.Path, scratch: pathlib.Path) -> int:

    from pflow_studio.app import create_application, create_window
    from pflow_studio.app.settings import make_settings
    from pflow_studio.cluster_panel.manager import ClusterManager

    app = create_application()
    manager = ClusterManager("default", ipython_dir=scratch / "ipython")
    window = create_window(settings=make_settings(scratch / "settings.ini"), manager=manager)
    try:
        window.resize(1280, 800)
        window.cluster.dock.engine_spin.setValue(2)
        wait(app, 500)
        saved = [framed_save(app, window, output / "empty_window.png", 300)]
        if not window.files.load(str(EXAMPLE)):
            return 1
        run_and_wait(window)
        window.canvas.select(["map"])
        window.docks["results"].raise_()
        saved.append(framed_save(app, window, output / "layout.png", 1500))
        window.cluster_dock.raise_()
        window.cluster.dock.refresh()
        saved.append(framed_save(app, window, output / "cluster.png", 3000))
    finally:
        close_quietly(window)
        manager.shutdown_owned()
    if None in saved:
        return 1
    print(*saved, sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
