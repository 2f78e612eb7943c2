"""The Work items view on big Map runs: time to open the dock on a run of N elements and to scroll to its
end, in index order and sorted by a column, and to filter it; and the last page read alone (`run_items`).

    .venv/bin/python bench/work_items_view.py [--elements 100000,1000000] [--repeats 5]

The runs are written with the store API into a temporary store (not run). The panel is the real one
(`WorkItemsPanel`, offscreen, 900x330 as in the window's bottom area at 1280x800); each figure includes the
repaint of the table. Prints medians of `--repeats`, how many pages the model read and kept, and the
process's resident memory before and after.
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

import psutil
from PySide6.QtCore import QCoreApplication, Qt

from pflow_studio.app import create_application
from pflow_studio.app.work_items.background import StoreWorker
from pflow_studio.app.work_items.panel import WorkItemsPanel
from pflow_studio.runtime.element_store.store import ElementStore
from tests.support.work_items import big_run


def painted(panel: WorkItemsPanel) -> None:
    QCoreApplication.processEvents()
    panel.table.viewport().repaint()


def timed(action, panel: WorkItemsPanel) -> float:
    start = time.perf_counter()
    action()
    painted(panel)
    return time.perf_counter() - start


def wait_listed(panel: WorkItemsPanel, worker: StoreWorker) -> None:
    while panel.model.loading:
        worker.wait()


def measure(panel: WorkItemsPanel, worker: StoreWorker, store: ElementStore, path: tuple[str, ...],
            repeats: int) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Times of each step per repeat, and what the model read and kept (pages, bytes of a whole order)."""
    times: dict[str, list[float]] = {name: [] for name in ("open", "end", "sort", "sorted end", "filter")}
    facts = {"pages read": 0, "pages kept": 0, "order bytes": 0}
    table, model = panel.table, panel.model
    for _ in range(repeats):
        times["open"].append(timed(lambda: panel.follow(store, "bench", path, "Big", again=True), panel))
        times["end"].append(timed(table.scrollToBottom, panel))
        facts["pages read"] = max(facts["pages read"], model.pages_read)
        facts["pages kept"] = max(facts["pages kept"], model.kept_pages)
        times["sort"].append(timed(lambda: (table.sortByColumn(2, Qt.SortOrder.DescendingOrder),
                                            wait_listed(panel, worker)), panel))
        times["sorted end"].append(timed(table.scrollToBottom, panel))
        facts["pages kept"] = max(facts["pages kept"], model.kept_pages)
        facts["order bytes"] = len(model.listing.order) * model.listing.order.itemsize
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        wait_listed(panel, worker)
        times["filter"].append(timed(lambda: panel.filters[1].setChecked(False), panel))
        panel.filters[1].setChecked(True)
    return times, facts


def last_page(store: ElementStore, run: int, count: int, repeats: int) -> float:
    """Median seconds of the run's last page by `run_items` (the store's caches dropped before each)."""
    times = []
    for _ in range(repeats):
        store._forget_views()
        start = time.perf_counter()
        store.run_items(run, offset=count - 256, limit=256)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench(count: int, repeats: int, scratch: pathlib.Path) -> None:
    store = ElementStore(scratch / f"store-{count}", max_bytes=1 << 40)
    start = time.perf_counter()
    run = big_run(store, "bench", ("big",), count)
    made = time.perf_counter() - start
    worker = StoreWorker()
    panel = WorkItemsPanel(worker)
    panel.resize(900, 330)
    panel.show()
    memory = psutil.Process().memory_info().rss
    times, facts = measure(panel, worker, store, ("big",), repeats)
    grown = psutil.Process().memory_info().rss - memory
    page = last_page(store, run, count, repeats)
    print(f"{count:,} elements (written in {made:.1f} s; store {store.stored_bytes() / 2**20:.0f} MB), "
          f"median of {repeats}")
    for name, label in (("open", "open the view (last run, count, first page, paint)"),
                        ("end", "scroll to the end"), ("sort", "sort by Inputs (whole order, worker)"),
                        ("sorted end", "scroll to the end, sorted"), ("filter", "filter: hide ok")):
        print(f"  {label:52} {statistics.median(times[name]) * 1e3:8.1f} ms   (max {max(times[name]) * 1e3:.1f})")
    print(f"  last page alone (run_items, nothing read before)     {page * 1e3:8.1f} ms")
    print(f"  pages read to open and scroll to the end: {facts['pages read']}; pages kept at most "
          f"{facts['pages kept']}; whole order when sorted {facts['order bytes'] / 2**20:.1f} MB; resident "
          f"memory +{grown / 2**20:.0f} MB")
    worker.stop()
    store.close()


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


if __name__ == "__main__":
    main()
