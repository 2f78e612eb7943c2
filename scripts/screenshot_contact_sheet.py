"""Take docs/contact_sheet.png: the main window at 1280x800 with the Work Items dock showing the contact sheet of
a Map that plots one damped oscillation per element (matplotlib figures made by a code node; Maps run in this
process, no cluster is started), a few elements failed, one element selected; and docs/work_items_detail.png:
the table of the same run with another element selected, its figure in the detail pane's viewer.

Usage: .venv/bin/python scripts/screenshot_contact_sheet.py [OUTPUT_DIR]   (default: docs/)
Runs under Xvfb (xvfb-run) or offscreen (QT_QPA_PLATFORM=offscreen); settings and store go to a temp dir.
"""

from __future__ import annotations

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
COUNT = 40
PLOT = """import numpy as np
from matplotlib.figure import Figure
if x % 13 == 12:
    raise ValueError(f'no damping for {x}: the table stops at 11')
frequency = 0.5 + x / 8
t = np.linspace(0, 10, 300)
figure = Figure(figsize=(4, 3))
axes = figure.add_subplot()
axes.plot(t, np.exp(-damping * t) * np.cos(frequency * t), linewidth=2)
axes.set_title(f'frequency {frequency:.2f}')
axes.set_ylim(-1, 1)
"""


def plotting_workflow():
    from pflow_studio.runtime.model import Workflow
    from pflow_studio.runtime.operations import wrap_in_map
    from pflow_studio.runtime.registry import default_registry

    workflow = Workflow()
    workflow.add_node("list.range", id="numbers", label="Numbers", inputs={"start": 0, "stop": COUNT}, pos=(0, 0))
    workflow.add_node("const.float", {"value": 0.3}, id="damping", label="Damping", pos=(0, 170))
    workflow.add_node("py.code", {"code": PLOT, "inputs": ["x", "damping"], "outputs": ["figure"]}, id="plot",
                      label="Plot", pos=(320, 60))
    workflow.connect("numbers", "result", "plot", "x")
    workflow.connect("damping", "value", "plot", "damping")
    wrap_in_map(workflow, "plot", mapped=["x"], map_id="map", registry=default_registry())
    workflow.nodes["map"].properties["on_error"] = "skip"
    workflow.nodes["map"].ui["label"] = "Plot each"
    return workflow


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "scripts"))
    from screenshot_work_items import in_scratch

    return in_scratch(shoot, pathlib.Path(argv[0]) if argv else ROOT / "docs")


def shoot(output: pathlib.Path, scratch: pathlib.Path) -> int:
    from screenshot_work_items import run_and_open, save, wait

    from pflow_studio.app import create_application, create_window
    from pflow_studio.app.preferences import set_serial_maps
    from pflow_studio.app.settings import make_settings
    from pflow_studio.cluster_panel.manager import ClusterManager

    app = create_application()
    settings = make_settings(scratch / "settings.ini")
    set_serial_maps(settings, True)  # no cluster: the figures are made in this process
    window = create_window(settings=settings, manager=ClusterManager("default", ipython_dir=scratch / "ipython"))
    try:
        panel = run_and_open(window, plotting_workflow())
        panel.views.setCurrentWidget(panel.sheet)
        panel.select_rows([6])
        for _ in range(40):  # the thumbnails are drawn a few at a time
            wait(app, 100)
        output.mkdir(parents=True, exist_ok=True)
        saved = [save(window, output / "contact_sheet.png")]
        panel.views.setCurrentWidget(panel.table)
        panel.select_rows([9])
        panel.detail.tab("outputs")
        wait(app, 1500)
        saved.append(save(window, output / "work_items_detail.png"))
    finally:
        window.canvas.undo_stack.setClean()
        window.close()
    print("\n".join(str(path) for path in saved if path))
    return 0 if all(saved) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
