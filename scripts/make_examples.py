"""Write the bundled example projects in resources/examples/ from code, so they always match the
current model and file format:

    .venv/bin/python scripts/make_examples.py
"""

from __future__ import annotations

import pathlib

from pflow_studio.project.file_format import Project, save
from pflow_studio.runtime.model import BoundaryInput, BoundaryOutput, PortRef, Workflow

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "resources" / "examples"


def square_offset_map() -> Project:
    """range(0, 10) -> Map over a Group computing x*x + offset (offset broadcast) -> Sum."""
    group = Workflow()
    group.add_node("math.multiply", id="square", label="x * x", pos=(0, 0))
    group.add_node("math.add", id="offset_add", label="+ offset", pos=(220, 40))
    group.connect("square", "result", "offset_add", "a")
    group.inputs.append(BoundaryInput("x", [PortRef("square", "a"), PortRef("square", "b")]))
    group.inputs.append(BoundaryInput("offset", [PortRef("offset_add", "b")]))
    group.outputs.append(BoundaryOutput("y", PortRef("offset_add", "result")))
    body = Workflow()
    body.add_node("core.group", id="square_offset", label="Square and offset", body=group, pos=(0, 0))

    wf = Workflow()
    wf.add_node("list.range", id="numbers", label="Numbers", inputs={"start": 0, "stop": 10}, pos=(0, 0))
    wf.add_node("const.float", {"value": 0.5}, id="offset", label="Offset", pos=(0, 160))
    wf.add_node("core.map", {"mapped": ["x"]}, id="map", label="Map: square and offset", body=body,
                pos=(260, 60), is_output=True)
    wf.connect("numbers", "result", "map", "x")
    wf.connect("offset", "value", "map", "offset")
    wf.add_node("cf.sum", id="total", label="Total", pos=(560, 60), is_output=True)
    wf.connect("map", "y", "total", "input_list")
    description = "A Map over a Group: each number of a range squared plus an offset, then summed."
    return Project(wf, {"name": "Square and offset, mapped over a range", "description": description})


def fold_product() -> Project:
    """A Fold multiplying a list, a Sum of the same list, and their ratio."""
    wf = Workflow()
    wf.add_node("list.range", id="numbers", label="1..6", inputs={"start": 1, "stop": 7}, pos=(0, 0))
    wf.add_node("cf.fold", {"operation": "multiply"}, id="product", label="Product (Fold)", inputs={"initial": 1},
                pos=(260, -60))
    wf.add_node("cf.sum", id="sum", label="Sum", pos=(260, 80))
    wf.add_node("math.divide", id="ratio", label="Product / Sum", pos=(520, 0), is_output=True)
    wf.connect("numbers", "result", "product", "input_list")
    wf.connect("numbers", "result", "sum", "input_list")
    wf.connect("product", "result", "ratio", "a")
    wf.connect("sum", "result", "ratio", "b")
    wf.nodes["product"].is_output = True
    wf.nodes["sum"].is_output = True
    return Project(wf, {"name": "Fold and Sum", "description": "6! by a Fold, 1+...+6 by a Sum, and their ratio."})


def word_report() -> Project:
    """Python code splits a text, a Map of a Python expression measures each word, an If picks a verdict."""
    wf = Workflow()
    wf.add_node("const.str", {"value": "the quick brown fox jumps over the lazy dog"}, id="text", label="Text",
                pos=(0, 0))
    wf.add_node("py.code", {"inputs": ["text"], "outputs": ["words", "count:int"],
                            "code": "words = text.split()\ncount = len(words)\n"},
                id="split", label="Split words", pos=(240, 0))
    wf.connect("text", "value", "split", "text")
    body = Workflow()
    body.add_node("py.expression", {"expression": "len(word)", "inputs": ["word"]}, id="measure", label="len(word)")
    wf.add_node("core.map", {"mapped": ["word"]}, id="lengths", label="Map: word lengths", body=body,
                pos=(500, -60), is_output=True)
    wf.connect("split", "words", "lengths", "word")
    wf.add_node("math.compare", {"op": ">"}, id="long", label="count > 5", inputs={"b": 5}, pos=(500, 100))
    wf.connect("split", "count", "long", "a")
    wf.add_node("cf.if", id="verdict", label="Verdict", inputs={"true_value": "a long sentence",
                                                                "false_value": "a short sentence"}, pos=(760, 100))
    wf.connect("long", "result", "verdict", "condition")
    wf.add_node("text.format", {"template": "{count} words: {verdict}"}, id="report", label="Report",
                pos=(1000, 60), is_output=True)
    wf.connect("split", "count", "report", "count")
    wf.connect("verdict", "result", "report", "verdict")
    return Project(wf, {"name": "Word report", "description": "Python code, a Map of an expression, If and format."})

OSCILLATOR = """import numpy as np

# x'' + 2 zeta x' + x = 0 from x = 1, v = 0, stepped by semi-implicit Euler on the time grid t
dt = t[1] - t[0]
x = np.empty_like(t)
x[0], v = 1.0, 0.0
for i in range(1, len(t)):
    v += dt * (-2.0 * zeta * v - x[i - 1])
    x[i] = x[i - 1] + dt * v
outside = np.nonzero(np.abs(x) > 0.05)[0]
settling_time = float(t[outside[-1]]) if len(outside) else 0.0
"""


def parameter_sweep() -> Project:
    """A Map over a Group simulating a damped oscillator per damping ratio (numpy) and plotting it (titled with
    its ratio), then a summary plot of each ratio's settling time."""
    group = Workflow()
    group.add_node("py.code", {"inputs": ["zeta:float", "t:array"], "outputs": ["x:array", "settling_time:float"],
                               "code": OSCILLATOR}, id="simulate", label="Simulate oscillator", pos=(0, 0))
    group.add_node("plot.line", {"title": "Damped oscillator", "x_label": "time", "y_label": "displacement"},
                   id="plot", label="Plot displacement", pos=(260, -40))
    group.add_node("py.expression", {"expression": "f'Damped oscillator, damping ratio {zeta:g}'", "inputs": ["zeta"]},
                   id="title", label="Title", pos=(0, -170))
    group.connect("simulate", "x", "plot", "y")
    group.connect("title", "result", "plot", "title")
    group.inputs.append(BoundaryInput("zeta", [PortRef("simulate", "zeta"), PortRef("title", "zeta")]))
    group.inputs.append(BoundaryInput("t", [PortRef("simulate", "t"), PortRef("plot", "x")]))
    group.outputs.append(BoundaryOutput("figure", PortRef("plot", "figure")))
    group.outputs.append(BoundaryOutput("settling_time", PortRef("simulate", "settling_time")))
    body = Workflow()
    body.add_node("core.group", id="simulate_and_plot", label="Simulate and plot", body=group, pos=(0, 0))

    wf = Workflow()
    ratios = [0.15, 0.25, 0.4, 0.6, 0.8, 1.0, 1.5, 2.0]
    wf.add_node("const.list", {"value": ratios}, id="ratios", label="Damping ratios", pos=(0, 0))
    wf.add_node("array.linspace", id="time", label="Time grid", inputs={"start": 0.0, "stop": 30.0, "num": 601},
                pos=(0, 160))
    wf.add_node("core.map", {"mapped": ["zeta"]}, id="sweep", label="Map: simulate each ratio", body=body,
                pos=(280, 60), is_output=True)
    wf.connect("ratios", "value", "sweep", "zeta")
    wf.connect("time", "array", "sweep", "t")
    wf.add_node("plot.line", {"title": "Settling time (|x| < 0.05)", "x_label": "damping ratio",
                              "y_label": "settling time", "marker": "o"}, id="summary", label="Summary plot",
                pos=(600, 60), is_output=True)
    wf.connect("ratios", "value", "summary", "x")
    wf.connect("sweep", "settling_time", "summary", "y")
    description = ("A parameter sweep: a Map over a Group simulates a damped oscillator with numpy for each damping "
                   "ratio and plots it; a summary plot shows each ratio's settling time.")
    return Project(wf, {"name": "Parameter sweep: a damped oscillator", "description": description})


NEWTON = "x = (x + a / x) / 2\ngo_on = abs(x * x - a) > 1e-12 * a"


def loops() -> Project:
    """A For of powers of two, summed; a Map over numbers whose body is a While: Newton's square roots."""
    for_body = Workflow()
    for_body.add_node("math.power", id="power", label="2 ** i", inputs={"a": 2.0}, pos=(0, 0))
    for_body.nodes["power"].input_values["b"] = 0.0  # (the For feeds the index: this value is never used)
    while_body = Workflow()
    ports = {"inputs": ["x:float", "a:float"], "outputs": ["x:float", "go_on:bool"]}
    while_body.add_node("py.code", {"code": NEWTON, **ports}, id="newton", label="Newton step", pos=(0, 0))
    map_body = Workflow()
    map_body.add_node("core.while", {"condition_port": "go_on", "state_ports": ["x"]}, id="square_root",
                      label="Until x * x = a", body=while_body, inputs={"x": 1.0}, pos=(0, 0))
    wf = Workflow()
    wf.add_node("core.for", {"index_port": "b"}, id="powers", label="For i in [0, 10)", body=for_body,
                inputs={"lower": 0, "higher": 10}, pos=(0, 0), is_output=True)
    wf.add_node("cf.sum", id="total", label="Sum of powers", pos=(300, 0), is_output=True)
    wf.connect("powers", "result", "total", "input_list")
    wf.add_node("const.list", {"value": [2.0, 3.0, 10.0, 144.0]}, id="numbers", label="Numbers", pos=(0, 200))
    wf.add_node("core.map", {"mapped": ["a"]}, id="roots", label="Map: square roots", body=map_body, pos=(300, 200),
                is_output=True)
    wf.connect("numbers", "value", "roots", "a")
    description = ("Loops: a For adds up the powers of two 2 ** i for i from 0 to 9; a Map runs a While for each "
                   "number, Newton's method until x * x is the number, its state x passed from one iteration to "
                   "the next.")
    return Project(wf, {"name": "Loops: For and While", "description": description})


def main() -> None:
    EXAMPLES.mkdir(parents=True, exist_ok=True)
    for name, build in [("square_offset_map", square_offset_map), ("fold_product", fold_product),
                        ("word_report", word_report), ("parameter_sweep", parameter_sweep), ("loops", loops)]:
        path = EXAMPLES / f"{name}.pflow"
        save(build(), path)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
