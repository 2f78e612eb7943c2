"""Node help pages as HTML, made from the node types' own definitions (so they follow the library): the
description (the class docstring), inputs, outputs and properties with their types, defaults and docs; and an
index of every type by category. Links are `node:<type name>` and `index:`."""

from __future__ import annotations

import html
import inspect
import json
import re
from collections.abc import Sequence
from typing import Any

from pflow_studio.nodes.api import NO_DEFAULT, In, NodeType, Out, Prop
from pflow_studio.nodes.registry import Registry

NODE_LINK = "node:"
INDEX_LINK = "index:"
STYLE = ("a { color: #88c0d0; } code { color: #ebcb8b; } th { color: #aab2c0; } "
         "table { border-color: #3b4252; } h2, h3 { color: #eceff4; }")
"""The pages' stylesheet (links readable on the app's dark background)."""
_CODE = re.compile(r"`([^`]+)`")


def marked(text: str) -> str:
    """Docstring text as HTML: escaped, `names` in code style."""
    return _CODE.sub(r"<code>\1</code>", html.escape(text))


def shown(value: Any) -> str:
    """A default value as users would type it (JSON), escaped."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return html.escape(text if len(text) <= 80 else text[:77] + "...")


def _table(headers: Sequence[str], rows: list[list[str]], empty: str) -> str:
    if not rows:
        return f"<p><i>{html.escape(empty)}</i></p>"
    head = "".join(f"<th align='left'>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table cellspacing='0' cellpadding='4' border='1'><tr>{head}</tr>{body}</table>"


def _input_row(port: In) -> list[str]:
    if port.default is not NO_DEFAULT:
        default = shown(port.default)
    else:
        default = "<i>optional</i>" if port.optional else "<i>required</i>"
    return [f"<b>{html.escape(port.name)}</b>", html.escape(port.type), default, marked(port.doc)]


def _output_row(port: Out) -> list[str]:
    return [f"<b>{html.escape(port.name)}</b>", html.escape(port.type), marked(port.doc)]


def _property_row(prop: Prop) -> list[str]:
    kind = prop.type + (f" of {prop.items}" if prop.items else "")
    notes = [prop.doc] if prop.doc else []
    if prop.choices is not None:
        notes.append("one of " + ", ".join(json.dumps(c) for c in prop.choices))
    if prop.minimum is not None or prop.maximum is not None:
        notes.append(f"from {prop.minimum if prop.minimum is not None else '-inf'} "
                     f"to {prop.maximum if prop.maximum is not None else 'inf'}")
    return [f"<b>{html.escape(prop.name)}</b>", html.escape(kind), shown(prop.default),
            marked("; ".join(notes))]


def node_page(node_type: type[NodeType], instance: NodeType | None = None) -> str:
    """The help page of `node_type`; with `instance` (a node on the canvas), its own ports (a Python node's,
    a Map's) instead of the type's."""
    doc = inspect.cleandoc(node_type.__doc__ or "") or "No description."
    inputs = instance.input_ports() if instance is not None else list(node_type.inputs)
    outputs = instance.output_ports() if instance is not None else list(node_type.outputs)
    which = "this node's" if instance is not None else "the type's"
    paragraphs = "".join(f"<p>{marked(p)}</p>" for p in doc.split("\n\n"))
    code = " &middot; runs Python code" if node_type.runs_user_code else ""
    sections = [
        ("Inputs", _table(["name", "type", "default", ""], [_input_row(p) for p in inputs], f"No inputs ({which}).")),
        ("Outputs", _table(["name", "type", ""], [_output_row(p) for p in outputs], f"No outputs ({which}).")),
        ("Properties", _table(["name", "type", "default", ""], [_property_row(p) for p in node_type.properties],
                              "No properties.")),
    ]
    return (f"<h2>{html.escape(node_type.display_name())}</h2>"
            f"<p><code>{html.escape(node_type.type_name)}</code> &middot; {html.escape(node_type.category)}{code}</p>"
            + paragraphs + "".join(f"<h3>{title}</h3>{table}" for title, table in sections)
            + f"<p><a href='{INDEX_LINK}'>All node types</a></p>")


def index_page(registry: Registry) -> str:
    """Every node type of `registry` by category, each a link to its page."""
    by_category: dict[str, list[type[NodeType]]] = {}
    for node_type in registry:
        by_category.setdefault(node_type.category, []).append(node_type)
    parts = ["<h2>Node types</h2><p>Select a node and press F1 to open its page.</p>"]
    for category in sorted(by_category):
        parts.append(f"<h3>{html.escape(category)}</h3><ul>")
        for node_type in sorted(by_category[category], key=lambda t: t.display_name().lower()):
            parts.append(f"<li><a href='{NODE_LINK}{html.escape(node_type.type_name)}'>"
                         f"{html.escape(node_type.display_name())}</a> &mdash; "
                         f"{marked(node_type.description())}</li>")
        parts.append("</ul>")
    return "".join(parts)
