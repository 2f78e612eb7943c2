"""The check the window makes after each edit (app/edit_feedback.py: live validation and stale results) on a
2,000-node chain that has run, in a real (offscreen) window.

    .venv/bin/python bench/edit_feedback.py [--nodes 2000] [--repeat 5]

Prints medians (and the slowest) of: validation alone, edit keys alone, and `EditFeedback.check()` (both,
plus the canvas's marks and the Errors panel) after an edit at the end of the chain (one node stale), after
one at its head (every node stale: the most repainting), and with a problem on one node. The window checks
once, 250 ms after the last edit.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from canvas_load import chain_model
from timing import load_average


def median_ms(action, repeat: int) -> tuple[float, float]:
    """The median and the slowest of `repeat` calls, in ms (the first call may repaint more than the others)."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs) * 1000, max(runs) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from pflow_studio.app.main_window import MainWindow
    from pflow_studio.app.settings import make_settings
    from pflow_studio.runtime.edit_keys import edit_keys
    from pflow_studio.runtime.validation import validate

    app = QApplication.instance() or QApplication([])
    print(load_average("before"))
    window = MainWindow(settings=make_settings(os.path.join(tempfile.mkdtemp(), "settings.ini")))
    window.show()
    workflow = chain_model(args.nodes)
    workflow.nodes["n0"].input_values["a"] = 1.0
    window.canvas.set_workflow(workflow)
    window.runs.start(window.canvas.workflow())
    while window.runs.running:
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()
    assert window.runs.last.status == "ok", window.runs.last.status
    canvas, feedback, registry = window.canvas, window.edit_feedback, window.registry
    live = canvas.workflow()
    last = f"n{args.nodes - 1}"
    figures = {
        "validate": median_ms(lambda: validate(live, registry), args.repeat),
        "edit_keys": median_ms(lambda: edit_keys(live, registry), args.repeat),
    }
    canvas.set_input_value(last, "b", 1.0)
    figures["check, 1 node stale"] = median_ms(feedback.check, args.repeat)
    assert len(canvas.stale_paths()) == 1
    canvas.set_input_value("n0", "a", 2.0)
    figures["check, every node stale"] = median_ms(feedback.check, args.repeat)
    assert len(canvas.stale_paths()) == args.nodes
    canvas.set_property("n5", "bogus", 1)
    figures["check, a problem"] = median_ms(feedback.check, args.repeat)
    assert window.errors.problems()
    print(f"{args.nodes}-node chain after a run, median and slowest of {args.repeat}")
    for name, (median, slowest) in figures.items():
        print(f"  {name:<26} {median:7.1f} ms  {slowest:7.1f} ms")
    print(load_average("after"))
    canvas.undo_stack.setClean()
    window.close()


if __name__ == "__main__":
    main()
