"""The workflows the benches run: `list.range -> Map` over a trivial body, a CPU-spinning body, or a Group of two
math nodes (`map_scale.py`)."""

from __future__ import annotations

from pflow_studio.runtime.model import BoundaryInput, BoundaryOutput, PortRef, Workflow

SPIN = """import time
deadline = time.process_time() + {seconds!r}
while time.process_time() < deadline:
    pass
y = x + {offset}
"""


def mapped(n: int, body: Workflow, port: str) -> Workflow:
    """list.range(0, n) -> Map over `body` (its input `port` mapped), the Map an output node."""
    wf = Workflow()
    wf.add_node("list.range", id="numbers", inputs={"start": 0, "stop": n})
    wf.add_node("core.map", {"mapped": [port]}, id="map", label="Map", body=body, is_output=True)
    wf.connect("numbers", "result", "map", port)
    return wf


def trivial_map(n: int, offset: int = 1) -> Workflow:
    """A Map of `x + offset` (`math.add`) over range(n); each offset gives other element keys."""
    body = Workflow()
    body.add_node("math.add", id="add", inputs={"b": offset})
    return mapped(n, body, "a")


def work_map(n: int, seconds: float, offset: int = 1) -> Workflow:
    """A Map over range(n) whose elements each spin `seconds` of CPU time (a `py.code` body), then give x + offset."""
    body = Workflow()
    body.add_node("py.code", {"inputs": ["x"], "outputs": ["y"], "code": SPIN.format(seconds=seconds, offset=offset)},
                  id="work")
    return mapped(n, body, "x")


def square_half_group() -> Workflow:
    """The body of a Group of two math nodes over its input x: `y = x * x + 0.5` (`math.multiply`, then `math.add`)."""
    group = Workflow()
    group.add_node("math.multiply", id="square")
    group.add_node("math.add", id="half", inputs={"b": 0.5})
    group.connect("square", "result", "half", "a")
    group.inputs.append(BoundaryInput("x", [PortRef("square", "a"), PortRef("square", "b")]))
    group.outputs.append(BoundaryOutput("y", PortRef("half", "result")))
    return group


def square_half_map(n: int) -> Workflow:
    """A Map over range(n) of the Group `square_half_group`."""
    body = Workflow()
    body.add_node("core.group", id="fn", label="Square plus half", body=square_half_group())
    return mapped(n, body, "x")
