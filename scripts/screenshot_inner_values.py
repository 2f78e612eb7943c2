"""Take docs/inner_values.png: the parameter-sweep example run in the app (on a local cluster it starts), the
Group inside its Map shown, its plot node selected, and the Results dock showing that node's figure for one
element run here (its damping ratio in the title).

Usage: .venv/bin/python scripts/screenshot_inner_values.py [OUTPUT_DIR]   (default: docs/)
Runs under Xvfb (xvfb-run) or offscreen (QT_QPA_PLATFORM=offscreen); settings go to a temp file.
"""

from __future__ import annotations

import pathlib
import sys

from screenshot_work_items import ROOT, close_quietly, framed_save, in_scratch, results_in_front, run_and_wait, wait

EXAMPLE = ROOT / "resources" / "examples" / "parameter_sweep.pflow"
ELEMENT = 3


def main(argv: list[str]) -> int:
    return in_scratch(shoot, pathlib.Path(argv[0]) if argv else ROOT / "docs")


def shoot(output: pathlib.Path, scratch: pathlib.Path) -> int:

    from pflow_studio.app import create_application, create_window
    from pflow_studio.app.settings import make_settings

    app = create_application()
    window = create_window(settings=make_settings(scratch / "settings.ini"))
    try:
        window.resize(1280, 800)
        if not window.files.load(str(EXAMPLE)):
            return 1
        run_and_wait(window)
        window.canvas.select(["sweep"])
        window.work_items.open_on(("sweep",))
        window.work_items.panel.select_rows([ELEMENT])
        window.canvas.go_to(("sweep", "simulate_and_plot"))
        window.canvas.select(["plot"])
        window.results.note_button.click()  # Run an element here: the one selected in Work items
        while window.work_items.local_run is not None:
            wait(app, 50)
        results_in_front(window, 380)
        saved = framed_save(app, window, output / "inner_values.png", 600)
    finally:
        close_quietly(window)
    print(saved)
    return 0 if saved else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
