"""Take docs/code_editor.png: the main window at 1280x800 after a run in which a Python Code node failed,
the node selected, its code in the properties panel and in the larger editor window (drawn over the
window, as a separate window would stand), the failing line marked in both.

Usage: .venv/bin/python scripts/screenshot_code_editor.py [OUTPUT_DIR]   (default: docs/)
Runs under Xvfb (xvfb-run) or offscreen (QT_QPA_PLATFORM=offscreen); settings go to a temp file.
"""

from __future__ import annotations

import pathlib
import sys

from screenshot_work_items import ROOT, close_quietly, in_scratch, run_and_wait, wait

SCORE = '''import math


def score(v):
    """One value's score: its square root, weighted."""
    if v < 0:
        raise ValueError(f"no score for {v}: below zero")
    return round(math.sqrt(v) * weight, 3)


scores = [score(v) for v in values]
'''


def scoring_workflow():
    from pflow_studio.runtime.model import Workflow

    workflow = Workflow()
    workflow.add_node("list.range", id="numbers", label="Numbers", inputs={"start": -2, "stop": 10}, pos=(0, 0))
    workflow.add_node("const.float", {"value": 1.5}, id="weight", label="Weight", pos=(0, 170))
    workflow.add_node("py.code", {"code": SCORE, "inputs": ["values", "weight"], "outputs": ["scores:list"]},
                      id="score", label="Score", pos=(320, 60))
    workflow.add_node("list.length", id="count", label="Scored", pos=(640, 60))
    workflow.connect("numbers", "result", "score", "values")
    workflow.connect("weight", "value", "score", "weight")
    workflow.connect("score", "scores", "count", "list")
    return workflow


def main(argv: list[str]) -> int:
    return in_scratch(shoot, pathlib.Path(argv[0]) if argv else ROOT / "docs")


def shoot(output: pathlib.Path, scratch: pathlib.Path) -> int:

    from pflow_studio.app import create_application, create_window
    from pflow_studio.app.settings import make_settings
    from pflow_studio.cluster_panel.manager import ClusterManager

    app = create_application()
    manager = ClusterManager("default", ipython_dir=scratch / "ipython")  # no Map here: it starts nothing
    window = create_window(settings=make_settings(scratch / "settings.ini"), manager=manager)
    try:
        window.resize(1280, 800)
        window.canvas.set_workflow(scoring_workflow())
        run_and_wait(window)
        window.canvas.select(["score"])
        window.docks["errors"].raise_()
        window.docks["properties"].raise_()
        wait(app, 200)
        window.canvas.frame_all()
        editor = window.code_editors.open_selected()
        editor.resize(640, 420)
        wait(app, 400)
        picture = window.grab()
        paint_window_over(picture, editor.grab(), editor.windowTitle())
        output.mkdir(parents=True, exist_ok=True)
        path = output / "code_editor.png"
        saved = path if picture.save(str(path)) else None
    finally:
        close_quietly(window)
        manager.shutdown_owned()
    print(saved or f"cannot write {output / 'code_editor.png'}")
    return 0 if saved else 1


def paint_window_over(picture, inner, title: str) -> None:
    """Draw `inner` (a window's grab) with a plain title bar over the lower part of `picture` (the Errors dock)."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QPainter, QPen

    bar = 26
    left, top = 236, 330
    painter = QPainter(picture)
    painter.fillRect(QRect(left + 6, top + 6, inner.width(), inner.height() + bar), QColor(0, 0, 0, 90))
    painter.fillRect(QRect(left, top, inner.width(), bar), QColor("#23262c"))
    painter.setPen(QColor("#d8dee9"))
    painter.drawText(QRect(left + 10, top, inner.width() - 20, bar), Qt.AlignmentFlag.AlignVCenter, title)
    painter.drawPixmap(left, top + bar, inner)
    painter.setPen(QPen(QColor("#4c6a92"), 1))
    painter.drawRect(QRect(left, top, inner.width() - 1, inner.height() + bar - 1))
    painter.end()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
