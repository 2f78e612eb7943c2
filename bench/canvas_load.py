"""Opening a 2,000-node workflow: our Canvas vs NodeGraphQt's own `load_session`, in one run.

    .venv/bin/python bench/canvas_load.py [--nodes 2000] [--repeat 3]

Baseline: NodeGraphQt as its users write it - one node class with two inputs, one output, a combo
and a checkbox widget - saved with `save_session` and timed on `load_session` (which clears the
graph first, as our `set_workflow` does). It runs in a child process so our compat patches never
touch it. Ours: `Canvas.set_workflow` of the same chain as a model. Medians of `--repeat` runs.
Then responsiveness with the 2,000 nodes shown: select all, pan, zoom, frame all (each followed by
a synchronous repaint of the viewport), and one undoable edit (add a node, undo it).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def chain_model(count: int):
    from pflow_studio.runtime.model import Workflow

    workflow = Workflow()
    previous = None
    for i in range(count):
        node = workflow.add_node("math.add", id=f"n{i}", label=f"add {i}", pos=(i * 220.0, (i % 20) * 130.0))
        if previous is not None:
            workflow.connect(previous, "result", node.id, "a")
        previous = node.id
    return workflow


def ngqt_baseline(count: int, repeat: int) -> dict:
    """Child process: NodeGraphQt create + save + load_session of the chain, widgets on every node."""
    from NodeGraphQt import BaseNode, NodeGraph
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])

    class AddNode(BaseNode):
        __identifier__ = "bench"
        NODE_NAME = "add"

        def __init__(self) -> None:
            super().__init__()
            self.add_input("a")
            self.add_input("b")
            self.add_output("result")
            self.add_combo_menu("mode", "mode", items=["sum", "product"])
            self.add_checkbox("enabled", "", "enabled", True)

    graph = NodeGraph()
    graph.register_node(AddNode)
    graph.widget.resize(1000, 700)
    graph.widget.show()
    start = time.perf_counter()
    previous = None
    for i in range(count):
        node = graph.create_node("bench.AddNode", name=f"add {i}", pos=(i * 220.0, (i % 20) * 130.0),
                                 push_undo=False, selected=False)
        if previous is not None:
            previous.set_output(0, node.input(0))
        previous = node
    create = time.perf_counter() - start
    path = os.path.join(tempfile.mkdtemp(), "chain.json")
    graph.save_session(path)
    loads = []
    for _ in range(repeat):
        start = time.perf_counter()
        graph.load_session(path)
        app.processEvents()
        loads.append(time.perf_counter() - start)
    assert len(graph.all_nodes()) == count
    return {"create": create, "loads": loads}


def ours(count: int, repeat: int) -> dict:
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication

    from pflow_studio.canvas import Canvas

    app = QApplication.instance() or QApplication([])
    canvas = Canvas()
    canvas.widget.resize(1000, 700)
    canvas.widget.show()
    model = chain_model(count)
    loads = []
    for _ in range(repeat):
        start = time.perf_counter()
        canvas.set_workflow(model)
        app.processEvents()
        loads.append(time.perf_counter() - start)
    assert len(canvas.view_node("n0").graph.all_nodes()) == count
    viewer, viewport = canvas.widget, canvas.widget.viewport()

    def timed(action) -> float:
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            action()
            viewport.repaint()
            app.processEvents()
            runs.append(time.perf_counter() - start)
        return statistics.median(runs)

    canvas.frame_all()
    viewport.repaint()
    figures = {
        "select_all": timed(canvas.select_all),
        "pan": timed(lambda: viewer._set_viewer_pan(300, 120)),
        "zoom": timed(lambda: viewer._set_viewer_zoom(0.2, pos=QPoint(500, 350))),
        "frame_all": timed(canvas.frame_all),
        "add_node_edit": timed(lambda: canvas.add_node("math.add", (0.0, -300.0))),
        "undo_edit": timed(canvas.undo_stack.undo),
    }
    return {"loads": loads, "responsiveness": figures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ngqt-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ngqt_child:
        print(json.dumps(ngqt_baseline(args.nodes, args.repeat)))
        return
    child = subprocess.run([sys.executable, __file__, "--ngqt-child", "--nodes", str(args.nodes),
                            "--repeat", str(args.repeat)], capture_output=True, text=True, check=True)
    baseline = json.loads(child.stdout.strip().splitlines()[-1])
    mine = ours(args.nodes, args.repeat)
    ngqt_load = statistics.median(baseline["loads"])
    our_load = statistics.median(mine["loads"])
    print(f"{args.nodes}-node chain, median of {args.repeat}")
    print(f"  NodeGraphQt create_node x{args.nodes} (widgets): {baseline['create']:.2f} s")
    print(f"  NodeGraphQt load_session (widgets):   {ngqt_load:.2f} s  runs {[round(t, 2) for t in baseline['loads']]}")
    print(f"  Canvas.set_workflow:                  {our_load:.2f} s  runs {[round(t, 2) for t in mine['loads']]}")
    print(f"  ratio ours/NodeGraphQt:               {our_load / ngqt_load:.2f}x  (goal <= 0.5x)")
    print(f"responsiveness with {args.nodes} nodes shown (action + synchronous repaint, median):")
    for name, seconds in mine["responsiveness"].items():
        print(f"  {name:<14} {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
