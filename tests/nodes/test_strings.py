"""Text nodes: text.format's ports come from its template; join, split, concat."""

from __future__ import annotations

import pytest

from pflow_studio.nodes.api import NodeError
from pflow_studio.nodes.library.strings import Concat, Format, Join, Split, template_fields


def names(node) -> list[str]:
    return [p.name for p in node.input_ports()]


def test_format_ports_are_the_named_fields_in_order():
    node = Format({"template": "{name} has {count} items ({name})"})
    assert names(node) == ["name", "count"]
    assert all(p.type == "any" and p.required for p in node.input_ports())
    assert [(p.name, p.type) for p in node.output_ports()] == [("text", "str")]
    assert node.check() == []
    assert node.compute(name="box", count=3) == {"text": "box has 3 items (box)"}


def test_format_ports_follow_the_template_per_instance():
    a, b = Format({"template": "{x}"}), Format({"template": "{y}-{z}"})
    assert names(a) == ["x"] and names(b) == ["y", "z"]
    a.values["template"] = "{w}"
    assert names(a) == ["w"]


def test_format_attribute_index_conversion_and_nested_spec_fields():
    node = Format({"template": "{user.real!r} {row[1]} {value:>{width}.{precision}f}"})
    assert names(node) == ["user", "row", "value", "width", "precision"]
    text = node.compute(user=2.5, row=["a", "b"], value=3.14159, width=6, precision=2)["text"]
    assert text == "2.5 b   3.14"


def test_format_default_and_literal_braces():
    assert names(Format()) == ["value"]
    node = Format({"template": "{{literal}} {v}"})
    assert names(node) == ["v"]
    assert node.compute(v=1) == {"text": "{literal} 1"}
    assert names(Format({"template": "no fields"})) == []


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{} and {}", "template field {} is positional; name it"),
        ("{0}", "template field {0} is positional"),
        ("{class}", "template field {class} is not a valid input name"),
        ("{a-b}", "template field {a-b} is not a valid input name"),
        ("{unclosed", "template is malformed: expected '}' before end of string"),
        ("}", "template is malformed: Single '}'"),
    ],
)
def test_format_configuration_problems(template, expected):
    node = Format({"template": template})
    problems = node.check()
    assert problems and expected in problems[0]
    assert names(node) == []  # listing ports never raises


def test_format_reports_every_bad_field_but_keeps_good_ones():
    fields, problems = template_fields("{a} {} {0} {b}")
    assert fields == ["a", "b"] and len(problems) == 2


def test_format_template_that_is_not_text():
    node = Format({"template": 5})
    assert node.input_ports() == []
    assert node.check() == ["property 'template' must be text (str), got 5"]


def test_format_field_named_self_works():
    assert Format({"template": "{self}"}).compute(self="me") == {"text": "me"}


def test_format_failure_names_the_template():
    node = Format({"template": "{n:d}"})
    with pytest.raises(NodeError, match=r"cannot fill template '\{n:d\}': ValueError"):
        node.compute(n="text")
    with pytest.raises(NodeError, match="AttributeError"):
        Format({"template": "{n.missing}"}).compute(n=1)


@pytest.mark.parametrize(
    ("items", "separator", "expected"),
    [(["a", "b", "c"], ", ", "a, b, c"), ([1, 2.5, None], "-", "1-2.5-None"), ([], ",", ""), (("x",), ",", "x")],
)
def test_join(items, separator, expected):
    assert Join().compute(items=items, separator=separator) == {"text": expected}


def test_join_default_separator_is_empty():
    assert Join().input_port("separator").default == ""
    assert Join().compute(items=["a", "b"], separator="") == {"text": "ab"}


@pytest.mark.parametrize(
    ("text", "separator", "expected"),
    [
        ("a,b,,c", ",", ["a", "b", "", "c"]),
        ("  one two\tthree\n", "", ["one", "two", "three"]),
        ("", ",", [""]),
        ("", "", []),
        ("a::b", "::", ["a", "b"]),
    ],
)
def test_split(text, separator, expected):
    node = Split()
    assert node.compute(text=text, separator=separator) == {"result": expected}
    assert node.output_port("result").type == "list"


def test_concat():
    node = Concat()
    assert node.compute(a="foo", b="bar") == {"text": "foobar"}
    assert node.compute(a="x", b=node.input_port("b").default) == {"text": "x"}
