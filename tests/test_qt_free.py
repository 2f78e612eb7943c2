"""Everything below the GUI works where Qt cannot be imported (engines, headless machines): the node
library (arrays and plots included), the runtime, the bottom layer, project files, the CLI and the cluster
manager (not its dock)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from tests.support.paths import EXAMPLES, ROOT
from tests.support.qt_blocker import BLOCKED, blocker_dir

QT_FREE = ("common", "nodes", "runtime", "project", "cli", "cluster_panel")
NOT_QT_FREE = ("pflow_studio.cluster_panel.dock",)  # the dock is the cluster panel's Qt part

_SCRIPT = textwrap.dedent(
    f"""
    import importlib, json, pkgutil, sys

    try:
        import PySide6  # noqa: F401
        raise SystemExit("the blocker failed: PySide6 imported")
    except ImportError:
        pass

    import pflow_studio
    imported = []
    for name in {QT_FREE!r}:
        package = importlib.import_module("pflow_studio." + name)
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not info.name.startswith({NOT_QT_FREE!r}):
                importlib.import_module(info.name)
                imported.append(info.name)
    from pflow_studio.project.file_format import load
    from pflow_studio.runtime.executor import Executor
    from pflow_studio.runtime.registry import default_registry
    from pflow_studio.runtime.runners import SerialRunner

    results = {{}}
    for path in sys.argv[1:]:
        result = Executor(default_registry(), runner=SerialRunner(), cache=False).run(load(path).workflow)
        results[path] = result.status
    qt = sorted(m for m in sys.modules if m.split(".")[0] in {BLOCKED!r})
    plotted = "matplotlib.figure" in sys.modules and "matplotlib.pyplot" not in sys.modules
    print(json.dumps({{"imported": imported, "results": results, "qt": qt, "plotted": plotted}}))
    """
)


def test_everything_below_the_gui_imports_and_runs_the_examples_with_qt_unimportable(tmp_path):
    examples = sorted(str(p) for p in EXAMPLES.glob("*.pflow"))
    assert len(examples) >= 3
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(blocker_dir(tmp_path)), str(ROOT)]))
    done = subprocess.run([sys.executable, "-c", _SCRIPT, *examples], capture_output=True, text=True, timeout=120,
                          env=env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["qt"] == []
    for module in ("pflow_studio.runtime.executor", "pflow_studio.nodes.library.control_flow",
                   "pflow_studio.cluster_panel.manager", "pflow_studio.runtime.cluster.runner",
                   "pflow_studio.project.file_format", "pflow_studio.cli.run", "pflow_studio.common.atomic_file",
                   "pflow_studio.nodes.library.arrays", "pflow_studio.nodes.library.plots"):
        assert module in report["imported"]
    assert not any(name.startswith(NOT_QT_FREE) for name in report["imported"])
    assert report["results"] == dict.fromkeys(examples, "ok")
    assert report["plotted"]  # the parameter sweep drew its figures (matplotlib without pyplot) with Qt blocked


def test_the_blocker_really_blocks_qt(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(blocker_dir(tmp_path)))
    done = subprocess.run([sys.executable, "-c", "import PySide6"], capture_output=True, text=True, env=env,
                          timeout=60)
    assert done.returncode != 0 and "Qt is not importable here" in done.stderr
