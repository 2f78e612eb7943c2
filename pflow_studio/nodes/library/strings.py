"""Text nodes: format a template, join, split and concatenate strings. Category "Text"."""

from __future__ import annotations

import keyword
import re
import string
from collections.abc import Sequence
from typing import Any

from pflow_studio.nodes.api import In, NodeError, NodeType, Out, Prop

_ARGUMENT = re.compile(r"[^.\[]*")  # "user.name" and "row[0]" use the argument "user" / "row"


def template_fields(template: str) -> tuple[list[str], list[str]]:
    """The named arguments of a `str.format` template, in order of appearance, and its problems
    (positional or empty fields, names that cannot be port names, malformed braces)."""
    names: list[str] = []
    problems: list[str] = []
    _walk(template, names, problems)
    return names, problems


def _walk(template: str, names: list[str], problems: list[str]) -> None:
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        problems.append(f"template is malformed: {exc}")
        return
    for _, field, spec, _ in parsed:
        if field is not None:
            argument = _ARGUMENT.match(field).group()
            if argument == "" or argument.isdigit():
                problems.append(f"template field {{{field}}} is positional; name it, e.g. {{value}}")
            elif not argument.isidentifier() or keyword.iskeyword(argument):
                problems.append(f"template field {{{field}}} is not a valid input name")
            elif argument not in names:
                names.append(argument)
        if spec:
            _walk(spec, names, problems)  # nested fields: "{value:>{width}}"


class Format(NodeType):
    """Fill a template such as "{name} has {count} items"; each named field is an input."""

    type_name = "text.format"
    label = "Format Text"
    category = "Text"
    properties = [Prop("template", str, "{value}", doc="a str.format template; its named fields become inputs",
                       widget="text")]
    outputs = [Out("text", str)]

    def _fields(self) -> tuple[list[str], list[str]]:
        template = self.values.get("template")
        if not isinstance(template, str):
            return [], [f"property 'template' must be text, not {type(template).__name__}"]
        return template_fields(template)

    def input_ports(self) -> list[In]:
        return [In(name, "any") for name in self._fields()[0]]

    def check(self) -> list[str]:
        return super().check() or self._fields()[1]

    def compute(self, /, **fields: Any) -> dict[str, Any]:
        template = self.values["template"]
        try:
            return {"text": template.format(**fields)}
        except (KeyError, IndexError, AttributeError, ValueError, TypeError) as exc:
            raise NodeError(f"cannot fill template {template!r}: {type(exc).__name__}: {exc}") from None


class Join(NodeType):
    """Join list items into one text, with `separator` between them (items are converted with str())."""

    type_name = "text.join"
    label = "Join Text"
    category = "Text"
    inputs = [In("items", list), In("separator", str, default="")]
    outputs = [Out("text", str)]

    def compute(self, items: Sequence[Any], separator: str) -> dict[str, Any]:
        return {"text": str(separator).join(str(item) for item in items)}


class Split(NodeType):
    """Split a text at each `separator`; an empty separator splits at runs of whitespace."""

    type_name = "text.split"
    label = "Split Text"
    category = "Text"
    inputs = [In("text", str), In("separator", str, default="")]
    outputs = [Out("result", list)]

    def compute(self, text: str, separator: str) -> dict[str, Any]:
        return {"result": str(text).split(str(separator) or None)}


class Concat(NodeType):
    """a followed by b, as text."""

    type_name = "text.concat"
    label = "Concatenate Text"
    category = "Text"
    inputs = [In("a", str), In("b", str, default="")]
    outputs = [Out("text", str)]

    def compute(self, a: Any, b: Any) -> dict[str, Any]:
        return {"text": f"{a}{b}"}
