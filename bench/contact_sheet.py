"""The Work items contact sheet and preview column on big Map runs of small 2-D arrays (heatmap thumbnails): time
to show the sheet, to scroll it to the end, and until the thumbnails on screen are drawn; how many were drawn.
Also the first "Open in Console" (qtconsole and ipykernel imported, the kernel started) and a second one.

    .venv/bin/python bench/contact_sheet.py [--elements 100000,1000000] [--repeats 5]

The runs are written with the store API into a temporary store (not run). The panel is the real one
(`WorkItemsPanel`, offscreen, 900x500: the bottom docks grown for the sheet at 1280x800); each figure includes a
repaint. Prints medians of `--repeats`.
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

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMainWindow

from pflow_studio.app import create_application
from pflow_studio.app.work_items.background import StoreWorker
from pflow_studio.app.work_items.panel import WorkItemsPanel
from pflow_studio.runtime.element_store.store import ElementStore
from tests.support.pictures import heat
from tests.support.work_items import big_run


def painted(view) -> None:
    QCoreApplication.processEvents()
    view.viewport().repaint()


def timed(action, view) -> float:
    start = time.perf_counter()
    action()
    painted(view)
    return time.perf_counter() - start


def drawn(panel: WorkItemsPanel) -> float:
    """Seconds until the thumbnail cache has nothing left to draw."""
    start = time.perf_counter()
    while panel.model.thumbnails._queue:
        QCoreApplication.processEvents()
    painted(panel.sheet)
    return time.perf_counter() - start


def measure(panel: WorkItemsPanel, store: ElementStore, repeats: int) -> tuple[dict[str, list[float]], int]:
    times: dict[str, list[float]] = {name: [] for name in ("table", "sheet", "drawn", "end", "end drawn")}
    renders = 0
    for _ in range(repeats):
        panel.views.setCurrentWidget(panel.table)
        panel.model.thumbnails._icons.clear()
        before = panel.model.thumbnails.renders
        times["table"].append(timed(lambda: panel.follow(store, "bench", ("big",), "Big", again=True), panel.table))
        times["sheet"].append(timed(lambda: panel.views.setCurrentWidget(panel.sheet), panel.sheet))
        times["drawn"].append(drawn(panel))
        times["end"].append(timed(panel.sheet.scrollToBottom, panel.sheet))
        times["end drawn"].append(drawn(panel))
        renders = max(renders, panel.model.thumbnails.renders - before)
    return times, renders


def bench(count: int, repeats: int, scratch: pathlib.Path) -> None:
    store = ElementStore(scratch / f"store-{count}", max_bytes=1 << 40)
    start = time.perf_counter()
    big_run(store, "bench", ("big",), count, output=lambda i: heat(i % 7, side=4))
    made = time.perf_counter() - start
    worker = StoreWorker()
    panel = WorkItemsPanel(worker)
    panel.resize(900, 500)
    panel.show()
    times, renders = measure(panel, store, repeats)
    print(f"{count:,} elements of 4x4 arrays (written in {made:.1f} s), median of {repeats}")
    for name, label in (("table", "open the table (thumbnails asked for the rows shown)"),
                        ("sheet", "show the contact sheet"), ("drawn", "until its thumbnails are drawn"),
                        ("end", "scroll the sheet to the end"), ("end drawn", "until those are drawn")):
        print(f"  {label:54} {statistics.median(times[name]) * 1e3:8.1f} ms   (max {max(times[name]) * 1e3:.1f})")
    print(f"  thumbnails drawn (table, sheet, its end): {renders}")
    worker.stop()
    store.close()


def console() -> None:
    from pflow_studio.app.console.dock import open_in_console

    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    for label in ("first", "second"):
        start = time.perf_counter()
        dock = open_in_console(window, {"value": list(range(10))}, "Bench")
        QCoreApplication.processEvents()
        print(f"Open in Console, {label}: {(time.perf_counter() - start) * 1e3:.0f} ms")
    dock.shutdown()
    window.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elements", default="100000,1000000", help="comma-separated run sizes")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    create_application()
    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as scratch:
        for count in (int(text) for text in args.elements.split(",")):
            bench(count, args.repeats, pathlib.Path(scratch))
        os.environ["IPYTHONDIR"] = str(pathlib.Path(scratch) / "ipython")
        console()


if __name__ == "__main__":
    main()
