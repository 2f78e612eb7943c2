"""Take docs/viewers.png: the main window at 1280x800 after a run of a small simulation made of Python nodes (a
damped oscillation of 1,000,000 samples, a 2-D field, a table of runs and a matplotlib figure), the Results dock
showing the simulation's signal as a plot beside a pinned figure.

Usage: .venv/bin/python scripts/screenshot_viewers.py [OUTPUT_DIR]   (default: docs/)
Runs under Xvfb (xvfb-run) or offscreen (QT_QPA_PLATFORM=offscreen); settings go to a temp file; the run is
local (no cluster).
"""

from __future__ import annotations

import os
import pathlib
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
SIMULATE = """import numpy as np
t = np.linspace(0, 40, 1_000_000)
signal = np.exp(-t / damping) * np.sin(2 * np.pi * t) + np.random.default_rng(0).normal(0, 0.02, t.size)
x, y = np.meshgrid(np.linspace(-3, 3, 300), np.linspace(-2, 2, 200))
field = np.sin(x * 2) * np.cos(y * 3) * np.exp(-(x * x + y * y) / 4)
runs = [{"damping": float(d), "peak": float(np.exp(-0.25 / d)), "settled at": round(4.6 * d, 2)} for d in (2, 5, 8, 13)]
"""
PLOT = """from matplotlib.figure import Figure
figure = Figure(figsize=(6, 4), layout="constrained")
axes = figure.add_subplot()
for run in runs:
    axes.plot([0, run["settled at"]], [run["peak"], 0.01], marker="o", label=f"damping {run['damping']:g}")
axes.set_xlabel("time (s)")
axes.set_ylabel("amplitude")
axes.set_title("peak and settling time per damping")
axes.legend()
"""


def simulation():
    from pflow_studio.runtime.model import Workflow

    workflow = Workflow()
    workflow.add_node("const.float", {"value": 8.0}, id="damping", label="Damping", pos=(0, 60))
    workflow.add_node("py.code", {"code": SIMULATE, "inputs": ["damping"],
                                  "outputs": ["t", "signal", "field", "runs"]}, id="sim", label="Simulate",
                      pos=(280, 0))
    workflow.add_node("py.code", {"code": PLOT, "inputs": ["runs"], "outputs": ["figure"]}, id="plot",
                      label="Plot runs", pos=(600, 60))
    workflow.connect("damping", "value", "sim", "damping")
    workflow.connect("sim", "runs", "plot", "runs")
    return workflow


def main(argv: list[str]) -> int:
    output = pathlib.Path(argv[0]) if argv else ROOT / "docs"
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY") else "xcb")
    sys.path.insert(0, str(ROOT / "scripts"))
    from screenshot_work_items import close_quietly, framed_save, results_in_front, run_and_wait, wait

    from pflow_studio.app import create_application
    from pflow_studio.app.main_window import MainWindow
    from pflow_studio.app.settings import make_settings

    app = create_application()
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["PFLOW_STUDIO_CACHE_DIR"] = str(pathlib.Path(scratch) / "store")
        window = MainWindow(settings=make_settings(pathlib.Path(scratch) / "settings.ini"))  # no cluster
        window.show()
        try:
            window.resize(1280, 800)
            window.canvas.set_workflow(simulation())
            run_and_wait(window)
            results_in_front(window, 430)
            window.canvas.select(["plot"])
            wait(app, 300)
            window.results.pin()
            window.canvas.select(["sim"])
            window.results.tabs.setCurrentIndex(1)  # signal
            saved = framed_save(app, window, output / "viewers.png", 800)
        finally:
            close_quietly(window)
    print(saved)
    return 0 if saved else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
