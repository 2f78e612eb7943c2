"""Project files: a workflow and project metadata saved as pretty-printed JSON (docs/file-format.md).

- `save(project, path)` checks that every value is plain JSON *before* touching the file, then writes
  atomically (temp file in the same directory, fsync, rename): a failing save leaves the old file.
  Output is stable: saving the same project twice gives identical bytes (layout: `json_layout`).
- `load(path, registry=None)` reads only a regular file of at most `MAX_PROJECT_BYTES` (64 MB; a FIFO
  or a device is refused without blocking: `common.bounded_read`) and checks it strictly; files of
  older format versions pass through `MIGRATIONS`; newer versions are refused. Every failure (missing
  file, not a regular file, too large, bad UTF-8, bad JSON, bad structure, unknown node types...)
  raises `ProjectFileError` naming the file and the problem; no other exception type escapes.
  With `keep_unknown=True` (the app) nodes of types the registry does not know are kept as they are
  (type, properties, values, ui) instead of refused: the app shows them as placeholders, saves them back
  unchanged and refuses to run them (`runtime.validation`).
- Save and load both remove the temp files that a killed save of the same file left behind
  (`common.temp_files`).
- `dumps` / `loads` do the same on text (copy and paste, tests).
Anything `save` writes, `load` reads back: save refuses what load would refuse.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Callable, Container
from typing import Any

from pflow_studio.common.atomic_file import write_atomic
from pflow_studio.common.bounded_read import FileRefused, read_regular
from pflow_studio.common.plain_json import NotPlainJSON, to_plain
from pflow_studio.common.temp_files import remove_stale_temps
from pflow_studio.nodes.registry import Registry
from pflow_studio.project.codec import FormatProblem, decode_workflow, describe, encode_values, encode_workflow
from pflow_studio.project.layout import pretty
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.nesting import MAX_NESTING

FORMAT_NAME = "pflow-studio"
FORMAT_VERSION = 1
DOCUMENT_KEYS = ("format", "version", "meta", "workflow")
MAX_PROJECT_BYTES = 64 << 20  # a 2,000-node project is about 2 MB

# MIGRATIONS[v] turns a parsed version-v document into a version v+1 one; load chains them.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


@dataclasses.dataclass
class Project:
    """What a project file holds: the workflow and project-level plain-JSON metadata (name,
    description, canvas view state...)."""

    workflow: Workflow
    meta: dict[str, Any] = dataclasses.field(default_factory=dict)


class ProjectFileError(Exception):
    """A project that cannot be saved or loaded. `path` is the file (or the source name given to
    `loads`), `problem` says what is wrong and names the item at fault."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


# -- writing -------------------------------------------------------------------------------------


def dumps(project: Project) -> str:
    """The project file text (raises `ProjectFileError` for a value that is not plain JSON)."""
    return _dumps(project, "<string>")


def save(project: Project, path: str | os.PathLike[str]) -> None:
    """Write the project to `path` atomically; nothing is touched when a value cannot be saved."""
    shown = _shown(path)
    text = _dumps(project, shown)
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise ProjectFileError(shown, f"cannot save: {exc.strerror or exc}") from exc


def _dumps(project: Project, source: str) -> str:
    try:
        workflow = encode_workflow(project.workflow)
        # The same checks as load (structure, property values): never write an unreadable file.
        decode_workflow(workflow, declarations=_default_registry())
        meta = encode_values(project.meta, "project", "meta")
        document = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "meta": meta, "workflow": workflow}
        return pretty(document) + "\n"
    except FormatProblem as exc:
        raise ProjectFileError(source, str(exc)) from None
    except RecursionError:
        raise ProjectFileError(source, "the workflow is nested too deeply to save") from None


# -- reading -------------------------------------------------------------------------------------


def loads(text: str, *, source: str = "<string>", registry: Container[str] | None = None,
          keep_unknown: bool = False) -> Project:
    """The project in `text`; errors name `source`. `registry` defaults to the default registry."""
    return _parse(text, source, registry, keep_unknown)


def load(path: str | os.PathLike[str], registry: Container[str] | None = None, *,
         keep_unknown: bool = False) -> Project:
    """The project in the file at `path` (raises `ProjectFileError`, never another exception)."""
    shown = _shown(path)
    remove_stale_temps(path)
    try:
        raw = read_regular(path, MAX_PROJECT_BYTES)
    except FileRefused as exc:
        raise ProjectFileError(shown, exc.problem) from None
    except FileNotFoundError:
        raise ProjectFileError(shown, "no such file") from None
    except OSError as exc:
        raise ProjectFileError(shown, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProjectFileError(shown, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                                      "not a pflow-studio project") from None
    return _parse(text, shown, registry, keep_unknown)


def _parse(text: str, source: str, registry: Container[str] | None, keep_unknown: bool) -> Project:
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ProjectFileError(source, "empty, not a pflow-studio project")
    try:
        document = json.loads(text, object_pairs_hook=_object_without_duplicates,
                              parse_constant=_refuse_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise ProjectFileError(source, f"line {exc.lineno} column {exc.colno}: invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise ProjectFileError(source, f"invalid JSON: nested too deeply to read (Groups nest at most {MAX_NESTING} "
                                       "levels)") from None
    except ValueError as exc:  # from the hooks, or an integer too long to convert
        raise ProjectFileError(source, f"invalid JSON: {exc}") from None
    if _SURROGATE_ESCAPE.search(text):
        _refuse_broken_text(document, source)
    if registry is None:
        registry = _default_registry()
    try:
        return _from_document(document, registry, keep_unknown)
    except FormatProblem as exc:
        raise ProjectFileError(source, str(exc)) from None
    except RecursionError:
        raise ProjectFileError(source, "nested too deeply") from None
    except (TypeError, KeyError, ValueError, AttributeError, IndexError) as exc:  # a safety net
        raise ProjectFileError(source, f"malformed project: {type(exc).__name__}: {exc}") from None


def _from_document(document: Any, registry: Container[str], keep_unknown: bool) -> Project:
    if not isinstance(document, dict):
        raise FormatProblem(f"not a pflow-studio project (it holds {describe(document)}, not an object)")
    if "format" not in document:
        raise FormatProblem("not a pflow-studio project (no 'format' key)")
    if document["format"] != FORMAT_NAME:
        raise FormatProblem(f"not a pflow-studio project (format is {describe(document['format'])}, "
                            f"not '{FORMAT_NAME}')")
    if "version" not in document:
        raise FormatProblem("no 'version' key")
    version = document["version"]
    if not isinstance(version, int) or isinstance(version, bool):
        raise FormatProblem(f"'version' must be a whole number, not {describe(version)}")
    if version > FORMAT_VERSION:
        raise FormatProblem(f"version {version} is newer than this pflow-studio reads ({FORMAT_VERSION}); "
                            "update pflow-studio")
    document = _migrate(document, version)
    extra = [key for key in document if key not in DOCUMENT_KEYS]
    if extra:
        raise FormatProblem(f"unknown top-level key '{extra[0]:.60}' (allowed: {', '.join(DOCUMENT_KEYS)})")
    meta = document.get("meta", {})
    if not isinstance(meta, dict):
        raise FormatProblem(f"'meta' must be an object, not {describe(meta)}")
    if "workflow" not in document:
        raise FormatProblem("no 'workflow' key")
    if keep_unknown:
        declarations = registry if isinstance(registry, Registry) else None
        return Project(decode_workflow(document["workflow"], declarations=declarations), meta)
    return Project(decode_workflow(document["workflow"], registry), meta)


def _migrate(document: dict[str, Any], version: int) -> dict[str, Any]:
    """Chain `MIGRATIONS` from `version` up to `FORMAT_VERSION`."""
    oldest = FORMAT_VERSION
    while oldest - 1 in MIGRATIONS:
        oldest -= 1
    if version < oldest:
        raise FormatProblem(f"version {version} is older than the oldest this pflow-studio reads ({oldest})")
    while version < FORMAT_VERSION:
        try:
            document = MIGRATIONS[version](document)
        except Exception as exc:  # old content can be malformed in ways the migration did not expect
            raise FormatProblem(f"cannot upgrade from version {version}: {type(exc).__name__}: {exc}") from None
        if not isinstance(document, dict):
            raise FormatProblem(f"cannot upgrade from version {version}: the migration returned "
                                f"{describe(document)}")
        version += 1
        document["version"] = version
    return document


# -- JSON parsing hooks ----------------------------------------------------------------------------


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key '{key:.60}' appears twice in one object")
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed (JSON has no NaN or infinity)")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text[:40]} is too large")
    return value


def _refuse_broken_text(document: Any, source: str) -> None:
    """Refuse text that JSON escapes allow but Unicode does not (lone surrogates), so that a loaded
    project can always be saved again."""
    try:
        to_plain(document)
    except NotPlainJSON as exc:
        raise ProjectFileError(source, f"invalid text: {exc}") from None
    except RecursionError:
        raise ProjectFileError(source, "nested too deeply") from None


def _default_registry() -> Registry:
    from pflow_studio.runtime.registry import default_registry  # imports every node type: only when needed

    return default_registry()


def _shown(path: str | os.PathLike[str]) -> str:
    return os.fsdecode(os.fspath(path))
