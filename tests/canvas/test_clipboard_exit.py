"""Copying nodes must not crash the process at exit (PySide6 clipboard teardown; see clipboard_guard)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap


def test_a_process_that_copied_nodes_exits_cleanly():
    code = textwrap.dedent('''
        from PySide6.QtWidgets import QApplication
        from pflow_studio.canvas import Canvas
        from pflow_studio.runtime.model import Workflow
        app = QApplication([])
        canvas = Canvas()
        wf = Workflow()
        wf.add_node("const.int", id="a")
        canvas.set_workflow(wf)
        canvas.select(["a"])
        canvas.copy()
        print("copied", QApplication.clipboard().mimeData().hasFormat("application/x-pflow-nodes"))
    ''')
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert "copied True" in done.stdout, done.stderr
    assert done.returncode == 0, f"exit code {done.returncode}: {done.stderr[-500:]}"
