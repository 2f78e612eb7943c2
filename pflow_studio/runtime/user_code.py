"""Where in a user's code an error happened: the failing line of a Python code or expression node, from an
error's traceback text (or message), without Qt.

A Python node compiles its code under a file name made from the code's text (`python_code.code_filename`,
e.g. `<py.code-1a2b3c4d>`), so a traceback frame naming that file is a line of exactly that text, wherever it
ran (this process or an engine). The innermost such frame is the failing line.

`user_code_line(text, node) -> int | None` is the contract the code editor reads: given the traceback text of
a failure (a failed node's, or a failed Map element's) and the model `Node` as it is now, the 1-based line of
the node's current code that raised, else None: the node is not a Python node, the error did not pass through
its code, or its code was edited since (another text compiles under another file name). A syntax error (the
node's message "syntax error in code at line N, ...") gives line N while the code still fails to compile there.
"""

from __future__ import annotations

import re

from pflow_studio.nodes.library.python_code import Code, Expression, code_filename
from pflow_studio.runtime.model import Node

PYTHON_NODES = {cls.type_name: cls for cls in (Code, Expression)}
USER_FILE = re.compile(r"<py\.(?:code|expression)-[0-9a-f]{8}>")
"""The file names Python nodes' code compiles under (see `code_filename`)."""
_SYNTAX = re.compile(r"syntax error in (?:code|expression) at line (\d+)")


def code_source(node: Node) -> tuple[str, str] | None:
    """(property name, text) of a Python code or expression node's code; None for other nodes."""
    node_class = PYTHON_NODES.get(node.type_name)
    if node_class is None:
        return None
    name = node_class.source_property
    default = next(prop.default for prop in node_class.properties if prop.name == name)
    source = node.properties.get(name, default)
    return (name, source) if isinstance(source, str) else None


def code_file(node: Node) -> str | None:
    """The file name a Python node's code compiles under (None for other nodes)."""
    code = code_source(node)
    return code_filename(node.type_name, code[1]) if code is not None else None


def failing_line(traceback_text: str, filename: str) -> int | None:
    """The line of the innermost frame of `traceback_text` in the file `filename` (None: no such frame)."""
    lines = re.findall(rf'File "{re.escape(filename)}", line (\d+)', traceback_text)
    return int(lines[-1]) if lines else None


def user_code_line(text: str, node: Node) -> int | None:
    """The line of `node`'s current code an error raised on (see the module docstring)."""
    code = code_source(node)
    if code is None or not text:
        return None
    line = failing_line(text, code_filename(node.type_name, code[1]))
    if line is not None:
        return line
    syntax = _SYNTAX.search(text)
    if syntax is None:
        return None
    try:
        compile(code[1], "<check>", PYTHON_NODES[node.type_name].mode)
    except SyntaxError as exc:
        return exc.lineno if exc.lineno == int(syntax[1]) else None
    except ValueError:
        return None
    return None
