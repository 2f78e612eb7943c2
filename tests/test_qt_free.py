"""The runtime, the node library and project files work where Qt cannot be imported (engines)."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import textwrap

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "resources" / "examples"

_SCRIPT = textwrap.dedent(
    """
    import importlib, importlib.abc, json, pkgutil, sys

    BLOCKED = ("PySide6", "shiboken6", "NodeGraphQt", "Qt", "PyQt5", "PyQt6")

    class BlockQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"Qt is not importable here: {name}")
            return None

    sys.meta_path.insert(0, BlockQt())
    try:
        import PySide6  # noqa: F401
        raise SystemExit("the blocker failed: PySide6 imported")
    except ImportError:
        pass

    import pflow_studio, pflow_studio.nodes, pflow_studio.runtime
    imported = []
    for package in (pflow_studio.nodes, pflow_studio.runtime):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(info.name)
            imported.append(info.name)
    from pflow_studio.project_file import load
    from pflow_studio.runtime.executor import Executor
    from pflow_studio.runtime.runners import SerialRunner

    results = {}
    for path in sys.argv[1:]:
        result = Executor(runner=SerialRunner(), cache=False).run(load(path).workflow)
        results[path] = result.status
    qt = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    print(json.dumps({"imported": imported, "results": results, "qt": qt}))
    """
)


def test_runtime_nodes_and_examples_run_with_qt_unimportable():
    examples = sorted(str(p) for p in EXAMPLES.glob("*.pflow"))
    assert len(examples) >= 3
    done = subprocess.run([sys.executable, "-c", _SCRIPT, *examples], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["qt"] == []
    assert "pflow_studio.runtime.executor" in report["imported"]
    assert "pflow_studio.nodes.library.control_flow" in report["imported"]
    assert report["results"] == dict.fromkeys(examples, "ok")
