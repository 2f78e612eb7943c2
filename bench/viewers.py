"""Opening big values in the Results dock's viewers, against what the dock did before (the value pretty-printed
into a text box, `format_outputs`) and, for the array, numpy's own min / max / mean, side by side in the same run.

    .venv/bin/python bench/viewers.py [--repeats 5]

Values: float64 arrays of 10^7 elements (1-D, 10 x 10^6, 1,000 x 10^4), a 10^6-row DataFrame (if pandas is
installed), a 10^6-row list of records, a 10^6-element list of floats. "open" is a `ViewerFrame` made, shown at
900x330 (the window's bottom area at 1280x800) and painted, on the GUI thread; "stats" is until the array's
header has its min / max / mean (the worker thread's part included). Medians of `--repeats`, run round-robin.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit

from bench.timing import interleaved, load_average
from pflow_studio.app import create_application
from pflow_studio.app.result_inspector import format_outputs
from pflow_studio.app.viewers.frame import ViewerFrame


def values() -> dict[str, object]:
    normal = np.random.default_rng(0).normal
    found: dict[str, object] = {"array 10^7": normal(size=10_000_000), "array 10 x 10^6": normal(size=(10, 1_000_000)),
                                "array 1,000 x 10^4": normal(size=(1_000, 10_000))}
    try:
        import pandas as pd
    except ImportError:
        print("pandas is not installed: no frame")
    else:
        found["frame 10^6 rows"] = pd.DataFrame({"x": np.arange(1_000_000), "y": np.linspace(0, 1, 1_000_000),
                                                 "name": [f"row {i}" for i in range(1_000_000)]})
    found["records 10^6"] = [{"x": i, "y": i * 0.5, "name": f"row {i}"} for i in range(1_000_000)]
    found["list 10^6"] = [i * 0.5 for i in range(1_000_000)]
    return found


def open_viewer(value: object, wait_stats: bool = False) -> float:
    started = time.perf_counter()
    frame = ViewerFrame("value", value)
    frame.resize(900, 330)
    frame.show()
    QCoreApplication.processEvents()
    frame.repaint()
    while wait_stats and frame.viewer.stats is None:
        QCoreApplication.processEvents()
        time.sleep(0.001)
    took = time.perf_counter() - started
    frame.close()
    frame.deleteLater()
    QCoreApplication.processEvents()
    return took


def open_text(value: object) -> float:
    """What the Results dock did before: the value pretty-printed (shortened) into a monospace text box."""
    started = time.perf_counter()
    box = QPlainTextEdit()
    box.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    box.setPlainText(format_outputs({"value": value}))
    box.resize(900, 330)
    box.show()
    QCoreApplication.processEvents()
    box.repaint()
    took = time.perf_counter() - started
    box.close()
    box.deleteLater()
    return took


def numpy_stats(array: np.ndarray) -> float:
    started = time.perf_counter()
    array.min(), array.max(), array.mean(), np.count_nonzero(np.isnan(array))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    create_application([])
    print(load_average("before"))
    open_viewer([1.0, 2.0])  # imports and first-use costs out of the way
    open_viewer(np.arange(10.0), wait_stats=True)
    for name, value in values().items():
        fns = {"viewer: open": lambda value=value: open_viewer(value),
               "old dock: text": lambda value=value: open_text(value)}
        if isinstance(value, np.ndarray):
            fns["viewer: open + stats"] = lambda value=value: open_viewer(value, wait_stats=True)
            fns["numpy min/max/mean/NaN"] = lambda value=value: numpy_stats(value)
        medians = interleaved(fns, args.repeats)
        print(f"{name}: " + "; ".join(f"{what} {seconds * 1000:.0f} ms" for what, seconds in medians.items()))
    print(load_average("after"))


if __name__ == "__main__":
    main()
