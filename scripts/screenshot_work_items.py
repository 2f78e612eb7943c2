"""Take docs/work_items.png: the main window at 1280x800 with the Work Items dock open on a Map of 1,000
elements run on a local cluster the app starts (in a temporary IPython directory and element store), a
failed element selected, its traceback folded; and, beside it, work_items_run_here.png: the same element
run here after an edit of the Map's body.

Usage: .venv/bin/python scripts/screenshot_work_items.py [OUTPUT_DIR]   (default: docs/)
Runs under Xvfb (xvfb-run) or offscreen (QT_QPA_PLATFORM=offscreen); settings go to a temp file.
"""

from __future__ import annotations

import os
import pathlib
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
FAILING = "x % 97 == 13"
SCORE = f"""import math
def score(v):
    if {FAILING}:
        raise ValueError(f'no score for {{v}}: outside the table')
    return round(math.sqrt(v) * weight, 3)
y = score(x)
"""


def scoring_workflow():
    from pflow_studio.runtime.model import Workflow
    from pflow_studio.runtime.operations import wrap_in_map
    from pflow_studio.runtime.registry import default_registry

    workflow = Workflow()
    workflow.add_node("list.range", id="numbers", label="Numbers", inputs={"start": 0, "stop": 1000}, pos=(0, 0))
    workflow.add_node("const.float", {"value": 1.5}, id="weight", label="Weight", pos=(0, 170))
    workflow.add_node("py.code", {"code": SCORE, "inputs": ["x", "weight"], "outputs": ["y"]}, id="score",
                      label="Score", pos=(320, 60))
    workflow.connect("numbers", "result", "score", "x")
    workflow.connect("weight", "value", "score", "weight")
    wrap_in_map(workflow, "score", mapped=["x"], map_id="map", registry=default_registry())
    workflow.nodes["map"].properties["on_error"] = "skip"
    workflow.nodes["map"].ui["label"] = "Score each"
    workflow.add_node("list.length", id="count", label="Scored", pos=(640, 60))
    workflow.connect("map", "y", "count", "list")
    return workflow


def main(argv: list[str]) -> int:
    return in_scratch(shoot, pathlib.Path(argv[0]) if argv else ROOT / "docs")


def in_scratch(shoot, output: pathlib.Path) -> int:
    """`shoot(output, scratch)` offscreen (unless there is a display), the element store in a temporary `scratch`."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY") else "xcb")
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["PFLOW_STUDIO_CACHE_DIR"] = str(pathlib.Path(scratch) / "store")
        return shoot(output, pathlib.Path(scratch))


def shoot(output: pathlib.Path, scratch: pathlib.Path) -> int:

    from pflow_studio.app import create_application, create_window
    from pflow_studio.app.settings import make_settings
    from pflow_studio.cluster_panel.manager import ClusterManager

    app = create_application()
    manager = ClusterManager("default", ipython_dir=scratch / "ipython")
    window = create_window(settings=make_settings(scratch / "settings.ini"), manager=manager)
    try:
        window.cluster.dock.engine_spin.setValue(2)
        panel = run_and_open(window, scoring_workflow())
        panel.select_rows([13])
        wait(app, 500)
        output.mkdir(parents=True, exist_ok=True)
        saved = [save(window, output / "work_items.png")]
        window.canvas.go_to(("map",))
        window.canvas.set_property("score", "code", SCORE.replace(FAILING, "v < 0"))
        window.canvas.go_up()
        window.canvas.select(["map"])
        panel.select_rows([13])
        panel.actions["run_here"].trigger()
        while window.work_items.local_run is not None:
            wait(app, 50)
        wait(app, 300)
        saved.append(save(window, output / "work_items_run_here.png"))
    finally:
        window.canvas.undo_stack.setClean()
        window.close()
        manager.shutdown_owned()
    print("\n".join(str(path) for path in saved if path))
    return 0 if all(saved) else 1


def run_and_open(window, workflow):
    """At 1280x800, run `workflow` and open the Work Items view on its Map 'map'; the view's panel."""
    window.resize(1280, 800)
    window.canvas.set_workflow(workflow)
    run_and_wait(window)
    window.canvas.select(["map"])
    window.work_items.open_on(("map",))
    window.canvas.frame_all()
    return window.work_items.panel


def run_and_wait(window) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    window.runs.finished.connect(loop.quit)
    QTimer.singleShot(120_000, loop.quit)
    window.run_all()
    loop.exec()


def results_in_front(window, height: int) -> None:
    """The Results dock in front, `height` pixels high."""
    from PySide6.QtCore import Qt

    window.docks["results"].raise_()
    window.resizeDocks([window.docks["results"]], [height], Qt.Orientation.Vertical)


def framed_save(app, window, path: pathlib.Path, settle_ms: int) -> pathlib.Path | None:
    """Frame the canvas, let the window settle `settle_ms`, and save it at `path` (its folder made)."""

    window.canvas.frame_all()
    wait(app, settle_ms)
    path.parent.mkdir(parents=True, exist_ok=True)
    return save(window, path)


def close_quietly(window) -> None:
    """Close the window without the unsaved-changes prompt."""
    window.canvas.undo_stack.setClean()
    window.close()


def save(window, path: pathlib.Path) -> pathlib.Path | None:
    if not window.grab().save(str(path)):
        print(f"cannot write {path}", file=sys.stderr)
        return None
    return path



def wait(app, ms: int) -> None:
    """Let the event loop run for `ms` milliseconds (paints, timers, the cluster's replies)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
