"""plan == executor on random Map bodies: a Group of library nodes (math, text, lists, py.code printing and
failing, If / Default / ExecuteInOrder, nested Groups), its inputs wired at random to earlier nodes, the
Group's input, constants of any type or nothing. Every element runs through the compiled plan and through
the executor (`BodyTask`, as a runner runs it): the same values, the same elements failing with the same
message (which names the node as the executor does) and traceback ending, the same printed output."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pflow_studio.runtime.body_task import BodyTask
from pflow_studio.runtime.compiled_body import CompiledBody
from pflow_studio.runtime.graph import instantiate
from pflow_studio.runtime.model import BoundaryInput, BoundaryOutput, PortRef, Workflow
from pflow_studio.runtime.outcomes import ItemOutcome, run_item
from pflow_studio.runtime.registry import default_registry

REGISTRY = default_registry()
KINDS: list[tuple[str, dict[str, Any]]] = [
    ("math.add", {}),
    ("math.multiply", {}),
    ("math.divide", {}),
    ("math.compare", {"op": "<"}),
    ("text.concat", {}),
    ("list.range", {}),
    ("list.length", {}),
    ("py.code", {"code": "print('code', a)\nresult = a * 2", "inputs": ["a"], "outputs": ["result"]}),
    ("py.code", {"code": "import sys\nprint('inverse', a, file=sys.stderr)\nresult = 1 / a", "inputs": ["a"],
                 "outputs": ["result"]}),
    ("py.code", {"code": "print('never assigns', a)", "inputs": ["a"], "outputs": ["result"]}),
    ("cf.if", {}),
    ("cf.default", {}),
    ("cf.execute_in_order", {}),
]
CONSTANTS = st.sampled_from([0, 1, 2.5, -1, "a", True, False, None, [1, 2]])
ELEMENTS = [0, 1, -2, 2.5, "s", True, [3]]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def group_bodies(draw, prefix: str = "n", depth: int = 0) -> Workflow:
    """A random Group body over the boundary input `x`, with one or two boundary outputs."""
    body = Workflow()
    x_targets: list[PortRef] = []
    outputs: list[PortRef] = []
    for i in range(draw(st.integers(1, 5))):
        node_id = f"{prefix}{i}"
        if depth < 2 and draw(st.integers(0, 7)) == 0:
            inner = draw(group_bodies(f"{node_id}_", depth + 1))
            node = body.add_node("core.group", id=node_id, body=inner, label=f"G{node_id}")
        else:
            type_name, properties = draw(st.sampled_from(KINDS))
            node = body.add_node(type_name, properties, id=node_id, label=f"L{node_id}")
        instance = instantiate(node, REGISTRY)
        for port in instance.input_ports():
            choice = draw(st.integers(0, 4))
            if choice <= 1 and outputs:
                source = draw(st.sampled_from(outputs))
                body.connect(source.node, source.port, node_id, port.name)
            elif choice == 2:
                x_targets.append(PortRef(node_id, port.name))
            elif choice == 3:
                node.input_values[port.name] = draw(CONSTANTS)
        outputs.extend(PortRef(node_id, port.name) for port in instance.output_ports())
    body.inputs.append(BoundaryInput("x", x_targets))
    for k, source in enumerate(draw(st.lists(st.sampled_from(outputs), min_size=1, max_size=2, unique=True))):
        body.outputs.append(BoundaryOutput(f"y{k}", source))
    return body


def run_both(body: Workflow, key: str = "x") -> list[tuple[ItemOutcome, ItemOutcome]]:
    """Every element (bound to `key`) through the plan and through the executor, one task for all elements
    each way."""
    planned, executor = BodyTask(body, "f", REGISTRY), BodyTask(body, "f", REGISTRY)
    executor.__dict__["_compiled"] = None
    return [(run_item(planned, i, {key: x}), run_item(executor, i, {key: x})) for i, x in enumerate(ELEMENTS)]


@given(group_bodies())
@SETTINGS
def test_a_plan_runs_every_element_as_the_executor_does(inner: Workflow):
    body = Workflow()
    body.add_node("core.group", id="f", body=inner, label="F")
    assert CompiledBody.of(body, "f", REGISTRY) is not None
    for planned, executor in run_both(body):
        assert (planned.ok, planned.value, planned.error, planned.stdout, planned.stderr) == \
               (executor.ok, executor.value, executor.error, executor.stdout, executor.stderr)
        assert bool(planned.traceback) == bool(executor.traceback)
        if executor.traceback:
            assert planned.traceback.splitlines()[-1] == executor.traceback.splitlines()[-1]


@given(group_bodies())
@SETTINGS
def test_a_bare_library_node_as_the_function_agrees_too(inner: Workflow):
    """The body's first node alone as the function (not in a Group), its first input bound per element."""
    first = next(iter(inner.nodes.values()))
    body = Workflow()
    body.add_node(first.type_name, first.properties, id="f", inputs=first.input_values, body=first.body)
    ports = instantiate(first, REGISTRY).input_ports()
    for planned, executor in run_both(body, ports[0].name if ports else "unused"):
        assert (planned.ok, planned.value, planned.error, planned.stdout, planned.stderr) == \
               (executor.ok, executor.value, executor.error, executor.stdout, executor.stderr)
