"""py.expression and py.code: ports from properties, check() problems, evaluation only on compute,
output reading, tracebacks at the user's line, pickling."""

from __future__ import annotations

import pickle
import re
import traceback

import cloudpickle
import pytest

from pflow_studio.nodes.api import NodeError
from pflow_studio.nodes.library.python_code import Code, Expression, parse_port_specs


def ports(node_ports) -> list[tuple[str, str]]:
    return [(p.name, p.type) for p in node_ports]


# -- port specs ------------------------------------------------------------------------------


def test_port_specs_with_types():
    specs, problems = parse_port_specs(["x", "n:int", " y : float ", "p:path"], "input")
    assert specs == [("x", "any"), ("n", "int"), ("y", "float"), ("p", "path")]
    assert problems == []


@pytest.mark.parametrize(
    ("entries", "problem", "kept"),
    [
        (["x", "x:int"], "input name 'x' is listed twice", [("x", "any")]),
        (["1x"], "input name '1x' is not a valid Python identifier", []),
        (["for"], "input name 'for' is not a valid Python identifier", []),
        (["a b"], "input name 'a b' is not a valid Python identifier", []),
        (["__builtins__"], "input name '__builtins__' is reserved", []),
        (["n:complex"], "input 'n': unknown type 'complex' (known: any, int,", [("n", "any")]),
        (["n:"], "input 'n': unknown type ''", [("n", "any")]),
        ([3], "input 1 must be text like 'x' or 'x:int', not 3", []),
    ],
)
def test_port_spec_problems(entries, problem, kept):
    specs, problems = parse_port_specs(entries, "input")
    assert specs == kept
    assert len(problems) == 1 and problems[0].startswith(problem)


def test_port_specs_that_are_not_a_list():
    assert parse_port_specs("x", "output") == ([], ["property 'outputs' must be a list of names, not str"])


# -- py.expression ---------------------------------------------------------------------------


def test_expression_defaults():
    node = Expression()
    assert ports(node.input_ports()) == [("x", "any")]
    assert ports(node.output_ports()) == [("result", "any")]
    assert node.check() == []
    assert node.compute(x=41) == {"result": 41}


def test_expression_ports_follow_inputs_property():
    node = Expression({"expression": "a * n + len(s)", "inputs": ["a:float", "n:int", "s"]})
    assert ports(node.input_ports()) == [("a", "float"), ("n", "int"), ("s", "any")]
    assert node.compute(a=1.5, n=2, s="abc") == {"result": 6.0}


def test_expression_with_builtins_and_comprehensions_over_inputs():
    node = Expression({"expression": "sorted({k: v * n for k, v in d.items()}.items())", "inputs": ["d", "n"]})
    assert node.compute(d={"b": 1, "a": 2}, n=10) == {"result": [("a", 20), ("b", 10)]}
    lam = Expression({"expression": "list(map(lambda i: i + k, range(3)))", "inputs": ["k"]})
    assert lam.compute(k=5) == {"result": [5, 6, 7]}


def test_expression_syntax_error_is_a_check_problem_with_line_and_column():
    node = Expression({"expression": "x + (", "inputs": ["x"]})
    assert node.input_ports() == [node.input_port("x")]  # listing ports does not compile
    [problem] = node.check()
    assert problem == "syntax error in expression at line 1, column 5: '(' was never closed"
    with pytest.raises(NodeError, match="syntax error in expression"):
        node.compute(x=1)


def test_expression_statement_is_a_syntax_error():
    [problem] = Expression({"expression": "y = 1", "inputs": []}).check()
    assert "syntax error" in problem


def test_expression_is_never_evaluated_at_load_or_port_listing():
    node = Expression({"expression": "1 / 0", "inputs": ["x"]})
    node.input_ports()
    node.output_ports()
    assert node.check() == []  # compiles, does not run
    with pytest.raises(ZeroDivisionError):
        node.compute(x=1)


def test_expression_bad_property_types():
    node = Expression({"expression": 3, "inputs": "x"})
    assert node.input_ports() == []
    problems = node.check()
    assert problems == ["property 'expression' must be text (str), got 3",
                        """property 'inputs' must be a list of names like "x" or "n:int", got 'x'"""]


def test_expression_recompiles_when_the_property_changes():
    node = Expression({"expression": "x + 1"})
    assert node.compute(x=1) == {"result": 2}
    node.values["expression"] = "x * 10"
    assert node.compute(x=1) == {"result": 10}


# -- py.code ---------------------------------------------------------------------------------


CODE = """\
import math
total = 0
for i in range(n):
    total += i
root = math.sqrt(total)
def twice(v):
    return v * 2 + offset
doubled = [twice(v) for v in range(3)]
"""


def make_code(**values) -> Code:
    base = {"code": CODE, "inputs": ["n:int", "offset"], "outputs": ["total:int", "root:float", "doubled:list"]}
    return Code({**base, **values})


def test_code_ports_and_compute():
    node = make_code()
    assert ports(node.input_ports()) == [("n", "int"), ("offset", "any")]
    assert ports(node.output_ports()) == [("total", "int"), ("root", "float"), ("doubled", "list")]
    assert node.check() == []
    assert node.compute(n=5, offset=1) == {"total": 10, "root": pytest.approx(10**0.5), "doubled": [1, 3, 5]}


def test_code_defaults_and_code_widget():
    node = Code()
    assert node.values["outputs"] == ["result"]
    assert next(p for p in Code.properties if p.name == "code").widget == "code"
    assert node.check() == []
    assert node.compute(x="same") == {"result": "same"}


def test_code_output_never_assigned_names_it():
    node = Code({"code": "a = 1\nif a > 5:\n    b = 2", "inputs": [], "outputs": ["a", "b"]})
    with pytest.raises(NodeError, match=r"^output 'b' was never assigned by the code$"):
        node.compute()


def test_code_output_of_the_wrong_type_names_it():
    node = Code({"code": "n = 'seven'", "inputs": [], "outputs": ["n:int"]})
    with pytest.raises(NodeError, match="output 'n' is declared int but the code set it to str 'seven'"):
        node.compute()


def test_code_port_problems_are_check_problems():
    node = Code({"code": "y = 1", "inputs": ["a", "a", "b:nope"], "outputs": ["y", "2y", "y"]})
    assert ports(node.input_ports()) == [("a", "any"), ("b", "any")]
    assert ports(node.output_ports()) == [("y", "any")]
    assert node.check() == [
        "input name 'a' is listed twice",
        "input 'b': unknown type 'nope' (known: any, int, float, str, bool, list, dict, path, array, figure)",
        "output name '2y' is not a valid Python identifier",
        "output name 'y' is listed twice",
    ]


def test_code_syntax_error_reports_line_and_column():
    node = Code({"code": "a = 1\nb = (2 +\n", "inputs": [], "outputs": ["a"]})
    [problem] = node.check()
    assert problem.startswith("syntax error in code at line 2, column ")
    indent = Code({"code": "a = 1\n  b = 2", "inputs": [], "outputs": []})
    [problem] = indent.check()
    assert re.match(r"syntax error in code at line 2, column \d+: unexpected indent$", problem)


@pytest.mark.parametrize("expression", ["", "   "])
def test_empty_expression_is_a_check_problem(expression):
    assert Expression({"expression": expression}).check() == ["property 'expression' is empty"]


def test_code_is_not_run_by_check_or_port_listing():
    node = Code({"code": "raise RuntimeError('ran')", "inputs": [], "outputs": []})
    node.input_ports()
    node.output_ports()
    assert node.check() == []
    with pytest.raises(RuntimeError, match="ran"):
        node.compute()


def test_code_error_traceback_points_at_the_users_line():
    node = Code({"code": "a = 1\nb = a / zero\n", "inputs": ["zero"], "outputs": ["b"]})
    with pytest.raises(ZeroDivisionError) as info:
        node.compute(zero=0)
    text = "".join(traceback.format_exception(info.value))
    assert '"<py.code-' in text and "line 2, in <module>" in text
    assert "b = a / zero" in text


def test_code_is_compiled_once_per_source():
    node = Code({"code": "y = x + 1", "inputs": ["x"], "outputs": ["y"]})
    node.compute(x=1)
    compiled = node._code()
    node.compute(x=2)
    assert node._code() is compiled
    node.values["code"] = "y = x + 2"
    assert node.compute(x=1) == {"y": 3}
    assert node._code() is not compiled


def test_code_namespaces_do_not_leak_between_runs():
    node = Code({"code": "seen = 'mark' in globals()\nmark = 1", "inputs": [], "outputs": ["seen"]})
    assert node.compute() == {"seen": False}
    assert node.compute() == {"seen": False}


def test_code_output_may_share_an_input_name():
    node = Code({"code": "x = x * 2", "inputs": ["x"], "outputs": ["x"]})
    assert node.compute(x=4) == {"x": 8}


# -- pickling --------------------------------------------------------------------------------


@pytest.mark.parametrize("dumps", [pickle.dumps, cloudpickle.dumps])
@pytest.mark.parametrize(
    ("node", "inputs", "expected"),
    [
        (Expression({"expression": "x ** 2", "inputs": ["x"]}), {"x": 3}, {"result": 9}),
        (Code({"code": "y = [x] * 2", "inputs": ["x"], "outputs": ["y"]}), {"x": 1}, {"y": [1, 1]}),
    ],
)
def test_compiled_nodes_pickle_without_their_code_object(dumps, node, inputs, expected):
    assert node.compute(**inputs) == expected  # compiles and caches
    assert "_compiled" in node.__dict__
    copy = pickle.loads(dumps(node))
    assert "_compiled" not in copy.__dict__
    assert copy.values == node.values
    assert copy.compute(**inputs) == expected
    assert "_compiled" in node.__dict__  # pickling did not strip the original
