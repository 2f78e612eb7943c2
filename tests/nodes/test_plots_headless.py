"""Plot nodes never touch pyplot or a Qt backend, even where the environment asks matplotlib for Qt (as the app
may): they work in a process where Qt is importable and leave it unloaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from tests.support.paths import ROOT

_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    from pflow_studio.runtime.registry import default_registry

    registry = default_registry()
    figure = registry.get("plot.image")().compute(image=np.eye(4))["figure"]
    for name, inputs in [("plot.line", {"y": [1, 2], "x": None}), ("plot.histogram", {"values": [1, 2, 2]}),
                         ("plot.scatter", {"x": [1, 2], "y": [2, 1], "color": [0, 1]})]:
        registry.get(name)().compute(**inputs)
    registry.get("plot.save")().compute(figure=figure, path=sys.argv[1])
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6")
                    or m in ("matplotlib.pyplot", "matplotlib.backends.backend_qtagg"))
    print(json.dumps(loaded))
    """
)


def test_plot_nodes_load_neither_pyplot_nor_qt_even_when_asked_for_a_qt_backend(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="QtAgg", QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", _SCRIPT, str(tmp_path / "image.png")], capture_output=True,
                          text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
    assert (tmp_path / "image.png").read_bytes().startswith(b"\x89PNG")
