"""The Work items detail pane's viewers: time from selecting an element until its output's viewer is made and
painted, against the text the pane showed before (the stored element read, its outputs pretty-printed into a
text box), for outputs of a 10^6-element array, a figure and a number; and the time per step when the arrow
keys go through 1,000 elements (the viewers wait for the selection to settle).

    .venv/bin/python bench/work_items_detail.py [--repeats 5]

Runs are written with the store API into a temporary store (not run); the panel is the real one
(`WorkItemsPanel`, offscreen, 1200x330: the bottom docks at 1280x800). Prints medians of `--repeats`; the
viewer times include the settle delay (`value_tabs.SETTLE_MS`), given apart.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QPlainTextEdit

from bench.timing import load_average
from pflow_studio.app import create_application
from pflow_studio.app.result_inspector import format_outputs
from pflow_studio.app.viewers.value_tabs import SETTLE_MS
from pflow_studio.app.work_items.background import StoreWorker
from pflow_studio.app.work_items.panel import WorkItemsPanel
from pflow_studio.runtime.element_store.store import ElementStore
from tests.support.pictures import line_figure
from tests.support.work_items import big_run

OUTPUTS = {"array of 10^6 floats": lambda i: np.linspace(0.0, float(i + 1), 1_000_000),
           "figure": line_figure, "number": lambda i: i * 2}
ELEMENTS = 8


def viewer_shown(panel: WorkItemsPanel, row: int) -> float:
    """Seconds from selecting `row` until its output viewers are made and painted."""
    tabs = panel.detail.outputs
    start = time.perf_counter()
    panel.select_rows([row])
    while not tabs.frames():
        QCoreApplication.processEvents()
    tabs.repaint()
    return time.perf_counter() - start


def text_shown(panel: WorkItemsPanel, row: int, box: QPlainTextEdit) -> float:
    """Seconds to read the element at `row` and show its outputs as the text the pane had before."""
    start = time.perf_counter()
    detail = panel.store.element(panel.model.item(row))
    box.setPlainText(format_outputs(detail.outputs))
    box.repaint()
    return time.perf_counter() - start


def stepping(panel: WorkItemsPanel) -> float:
    """Mean seconds per arrow-key step through 1,000 elements (each step's detail shown)."""
    start = time.perf_counter()
    for row in range(1000):
        panel.select_rows([row])
        QCoreApplication.processEvents()
    return (time.perf_counter() - start) / 1000


def panel_on(store: ElementStore, path: tuple[str, ...], worker: StoreWorker) -> WorkItemsPanel:
    panel = WorkItemsPanel(worker)
    panel.resize(1200, 330)
    panel.show()
    panel.follow(store, "bench", path, "Bench")
    panel.detail.tab("outputs")
    return panel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    create_application()
    print(load_average("before"))
    with tempfile.TemporaryDirectory() as scratch:
        store = ElementStore(pathlib.Path(scratch) / "store", max_bytes=1 << 40)
        worker = StoreWorker()
        box = QPlainTextEdit()
        box.resize(600, 300)
        box.show()
        print(f"select -> shown, median of {args.repeats} (the viewer's time includes the {SETTLE_MS} ms settle delay)")
        for name, output in OUTPUTS.items():
            big_run(store, "bench", (name,), ELEMENTS, failed_every=0, output=output)
            panel = panel_on(store, (name,), worker)
            viewer = [viewer_shown(panel, i % ELEMENTS) for i in range(1, args.repeats + 1)]
            text = [text_shown(panel, i % ELEMENTS, box) for i in range(1, args.repeats + 1)]
            print(f"  {name:22} viewer {statistics.median(viewer) * 1e3:7.1f} ms   "
                  f"text before {statistics.median(text) * 1e3:7.1f} ms")
            panel.close()
        for name, output in (("figure", line_figure), ("number", lambda i: i * 2)):
            big_run(store, "bench", (f"steps {name}",), 1000, failed_every=0, output=output)
            panel = panel_on(store, (f"steps {name}",), worker)
            steps = [stepping(panel) for _ in range(args.repeats)]
            print(f"  arrow keys through 1,000 {name} elements: {statistics.median(steps) * 1e3:.2f} ms per step, "
                  f"viewers made {panel.detail.outputs.built} times")
            panel.close()
        worker.stop()
        store.close()
    print(load_average("after"))


if __name__ == "__main__":
    main()
