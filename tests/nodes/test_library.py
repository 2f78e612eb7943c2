"""The built-in library as a whole: registry metadata, picklability, and small workflows run
through the real executor with the default registry."""

from __future__ import annotations

import pickle

import cloudpickle
import pytest

from pflow_studio.nodes import library
from pflow_studio.nodes.api import NodeType
from pflow_studio.runtime.executor import Executor, InvalidWorkflow
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.registry import default_registry
from pflow_studio.runtime.runners import SerialRunner

MINE = ("constants", "arithmetic", "strings", "lists", "python_code", "files")
EXPECTED = {
    "const.int", "const.float", "const.str", "const.bool", "const.list", "const.json",
    "math.add", "math.subtract", "math.multiply", "math.divide", "math.power", "math.modulo", "math.negate",
    "math.compare", "math.round", "math.abs", "math.min", "math.max",
    "text.format", "text.join", "text.split", "text.concat",
    "list.range", "list.length", "list.concat", "list.item", "list.slice",
    "py.expression", "py.code",
    "file.read_text", "file.write_text",
}


def builtin_types() -> list[type[NodeType]]:
    return list(default_registry())


def run(workflow: Workflow):
    return Executor(default_registry(), runner=SerialRunner(), cache=False).run(workflow)


def test_library_registers_the_expected_type_names():
    names = {t.type_name for t in builtin_types()}
    assert names >= EXPECTED
    mine = {t.type_name for t in builtin_types() if t.__module__.rsplit(".", 1)[-1] in MINE}
    assert mine == EXPECTED


def test_every_type_name_is_registered_once():
    seen: dict[str, type[NodeType]] = {}
    for module in library.MODULES:
        for node_type in vars(module).values():
            if isinstance(node_type, type) and issubclass(node_type, NodeType) and node_type.type_name \
                    and node_type.__module__ == module.__name__:
                assert seen.setdefault(node_type.type_name, node_type) is node_type, node_type.type_name


@pytest.mark.parametrize("node_type", builtin_types(), ids=lambda t: t.type_name)
def test_every_builtin_type_has_label_docstring_and_category(node_type):
    assert node_type.label and node_type.display_name() == node_type.label
    assert node_type.__doc__ and "__doc__" in vars(node_type), "the docstring must be the class's own"
    assert node_type.description() and "\n" not in node_type.description()
    assert node_type.category and node_type.category != "Other"


@pytest.mark.parametrize("node_type", [t for t in builtin_types() if t.type_name in EXPECTED],
                         ids=lambda t: t.type_name)
def test_library_types_instantiate_with_defaults_and_list_ports(node_type):
    node = node_type()
    assert len({p.name for p in node.input_ports()}) == len(node.input_ports())
    assert len({p.name for p in node.output_ports()}) == len(node.output_ports())
    assert node.output_ports(), "every node type produces something"


@pytest.mark.parametrize("dumps", [pickle.dumps, cloudpickle.dumps], ids=["pickle", "cloudpickle"])
@pytest.mark.parametrize(
    ("type_name", "values", "inputs", "expected"),
    [
        ("py.expression", {"expression": "x + 1", "inputs": ["x"]}, {"x": 1}, {"result": 2}),
        ("py.code", {"code": "y = x * 3", "inputs": ["x:int"], "outputs": ["y:int"]}, {"x": 2}, {"y": 6}),
    ],
)
def test_python_nodes_round_trip_through_pickle_after_running(dumps, type_name, values, inputs, expected):
    instance = default_registry().get(type_name)(values)
    assert instance.compute(**inputs) == expected
    rebuilt = type(instance)(instance.values)
    for node in (instance, rebuilt):
        copy = pickle.loads(dumps(node))
        assert type(copy) is type(instance) and copy.values == {**type(instance).default_values(), **values}
        assert copy.compute(**inputs) == expected


def test_arithmetic_chain_through_the_executor():
    wf = Workflow()
    wf.add_node("const.float", {"value": 1.5}, id="a")
    wf.add_node("const.int", {"value": 4}, id="b")
    wf.add_node("math.add", id="sum")
    wf.add_node("math.divide", id="ratio", inputs={"b": 2.0})
    wf.add_node("math.compare", {"op": ">"}, id="big", inputs={"b": 2})
    wf.connect("a", "value", "sum", "a")
    wf.connect("b", "value", "sum", "b")
    wf.connect("sum", "result", "ratio", "a")
    wf.connect("ratio", "result", "big", "a")
    result = run(wf)
    assert result.ok, result.failures
    assert result.outputs["sum"] == {"result": 5.5}
    assert result.outputs["ratio"] == {"result": 2.75}
    assert result.outputs["big"] == {"result": True}


def test_division_by_zero_fails_the_node_with_its_message():
    wf = Workflow()
    wf.add_node("math.divide", id="d", label="Ratio", inputs={"a": 1.0, "b": 0.0})
    result = run(wf)
    [failure] = result.failures
    assert failure.label == "Ratio"
    assert "NodeError: 1.0 / 0.0: division by zero (input 'b' is 0)" in failure.message


def test_python_code_text_and_lists_through_the_executor():
    wf = Workflow()
    wf.add_node("list.range", id="r", inputs={"stop": 5})
    wf.add_node("py.code", {"code": "squares = [v * v for v in xs]\ntotal = sum(squares)",
                            "inputs": ["xs:list"], "outputs": ["squares:list", "total:int"]}, id="code")
    wf.add_node("list.item", id="last", inputs={"index": -1})
    wf.add_node("py.expression", {"expression": "total / n", "inputs": ["total", "n:int"]}, id="mean")
    wf.add_node("list.length", id="len")
    wf.add_node("text.format", {"template": "{count} squares, mean {mean:.1f}, last {last}"}, id="fmt")
    wf.connect("r", "result", "code", "xs")
    wf.connect("code", "squares", "last", "list")
    wf.connect("code", "squares", "len", "list")
    wf.connect("code", "total", "mean", "total")
    wf.connect("len", "length", "mean", "n")
    wf.connect("len", "length", "fmt", "count")
    wf.connect("mean", "result", "fmt", "mean")
    wf.connect("last", "item", "fmt", "last")
    result = run(wf)
    assert result.ok, result.failures
    assert result.outputs["code"] == {"squares": [0, 1, 4, 9, 16], "total": 30}
    assert result.outputs["fmt"] == {"text": "5 squares, mean 6.0, last 16"}


def test_python_code_error_in_a_run_carries_the_users_line():
    wf = Workflow()
    wf.add_node("py.code", {"code": "a = 1\nb = a / x\n", "inputs": ["x"], "outputs": ["b"]}, id="c",
                inputs={"x": 0})
    [failure] = run(wf).failures
    assert failure.message == "ZeroDivisionError: division by zero"
    assert "line 2, in <module>" in failure.traceback and "b = a / x" in failure.traceback


def test_validation_catches_configuration_problems_before_running():
    wf = Workflow()
    wf.add_node("py.expression", {"expression": "x +", "inputs": ["x"]}, id="e", inputs={"x": 1})
    wf.add_node("py.code", {"code": "y = 1", "inputs": [], "outputs": ["y", "y:bogus"]}, id="c")
    wf.add_node("text.format", {"template": "{} items"}, id="f")
    with pytest.raises(InvalidWorkflow) as info:
        run(wf)
    text = str(info.value)
    assert "node 'e': syntax error in expression at line 1" in text
    assert "node 'c': output name 'y' is listed twice" in text
    assert "node 'f': template field {} is positional" in text


def test_validation_checks_dynamic_ports():
    wf = Workflow()
    wf.add_node("const.str", {"value": "Ada"}, id="name")
    wf.add_node("text.format", {"template": "Hello {who}"}, id="f")
    wf.connect("name", "value", "f", "whom")
    with pytest.raises(InvalidWorkflow) as info:
        run(wf)
    assert "port 'whom': no such input (inputs: ['who'])" in str(info.value)


def test_files_through_the_executor(tmp_path):
    wf = Workflow()
    wf.add_node("const.str", {"value": "line one\n"}, id="text")
    wf.add_node("file.write_text", id="write", inputs={"path": str(tmp_path / "out.txt")})
    wf.add_node("file.read_text", id="read")
    wf.connect("text", "value", "write", "text")
    wf.connect("write", "path", "read", "path")
    result = run(wf)
    assert result.ok, result.failures
    assert result.outputs["read"] == {"text": "line one\n"}


def test_file_nodes_rerun_even_with_a_cache(tmp_path):
    target = tmp_path / "in.txt"
    target.write_text("first")
    wf = Workflow()
    wf.add_node("file.read_text", id="read", inputs={"path": str(target)})
    executor = Executor(default_registry(), runner=SerialRunner())
    assert executor.run(wf).outputs["read"] == {"text": "first"}
    target.write_text("second")
    second = executor.run(wf)
    assert second.outputs["read"] == {"text": "second"} and second.states["read"] == "finished"
