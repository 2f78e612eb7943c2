"""File nodes: read and write text files. Category "Files". Never cached: files change behind
the workflow's back. A failure raises `NodeError` naming the path and the reason."""

from __future__ import annotations

import codecs
import contextlib
import errno
import pathlib
from collections.abc import Iterator
from typing import Any

from pflow_studio.nodes.api import In, NodeError, NodeType, Out, as_path

_REASONS = {
    FileNotFoundError: "no such file or folder",
    PermissionError: "permission denied",
    IsADirectoryError: "it is a folder, not a file",
    NotADirectoryError: "a part of the path is not a folder",
}


def os_reason(exc: OSError) -> str:
    """A short human reason for an OSError (no raw dump)."""
    for kind, reason in _REASONS.items():
        if isinstance(exc, kind):
            return reason
    return exc.strerror or errno.errorcode.get(exc.errno or 0, "") or str(exc)


@contextlib.contextmanager
def file_errors(target: pathlib.Path, action: str) -> Iterator[None]:
    """Turn an OSError inside the block into a NodeError "cannot {action} '{target}': {short reason}"."""
    try:
        yield
    except OSError as exc:
        raise NodeError(f"cannot {action} '{target}': {os_reason(exc)}") from None


def _encoding_problem(encoding: Any) -> str | None:
    try:
        codecs.lookup(str(encoding))
    except LookupError:
        return f"unknown encoding {encoding!r}"
    return None


class ReadText(NodeType):
    """The whole content of a text file."""

    type_name = "file.read_text"
    label = "Read Text File"
    category = "Files"
    cacheable = False
    inputs = [In("path", "path"), In("encoding", str, default="utf-8")]
    outputs = [Out("text", str)]

    def compute(self, path: Any, encoding: str) -> dict[str, Any]:
        target = as_path(path)
        problem = _encoding_problem(encoding)
        if problem:
            raise NodeError(f"cannot read '{target}': {problem}")
        try:
            with file_errors(target, "read"):
                return {"text": target.read_text(encoding=encoding)}
        except UnicodeDecodeError as exc:
            raise NodeError(f"cannot read '{target}': byte {exc.start} is not valid {encoding}") from None


class WriteText(NodeType):
    """Write text to a file, replacing it (bytes as given: no newline translation); outputs the path."""

    type_name = "file.write_text"
    label = "Write Text File"
    category = "Files"
    cacheable = False
    inputs = [In("path", "path"), In("text", str), In("encoding", str, default="utf-8")]
    outputs = [Out("path", "path")]

    def compute(self, path: Any, text: Any, encoding: str) -> dict[str, Any]:
        target: pathlib.Path = as_path(path)
        problem = _encoding_problem(encoding)
        if problem:
            raise NodeError(f"cannot write '{target}': {problem}")
        if isinstance(text, pathlib.PurePath):
            text = str(text)
        if not isinstance(text, str):
            raise NodeError(f"cannot write '{target}': input 'text' must be text, not {type(text).__name__}")
        try:
            data = text.encode(encoding)  # before opening, so a bad character leaves the file untouched
        except UnicodeEncodeError as exc:
            raise NodeError(f"cannot write '{target}': {text[exc.start:exc.end]!r} cannot be encoded "
                            f"as {encoding}") from None
        with file_errors(target, "write"):
            target.write_bytes(data)
        return {"path": str(target)}
