"""Which projects' code the user trusts (docs/execution.md, "Trust"). No Qt here.

- `code_nodes(workflow, registry)`: the nodes that run user code (their type's `holds_code`; a type the
  registry does not know counts as code), each with its path of labels ('Group 1/Code') for the question.
- `fingerprint(workflow, registry)`: sha256 of a canonical form of the code-bearing content: every code
  node's path of ids, type and settings (properties and input values), as sorted compact JSON. Moving
  nodes, renaming them or editing anything else leaves it as it was; one character of code changes it.
  None when the workflow holds no code (nothing to trust).
- `TrustStore`: fingerprint -> trusted or not, in a private SQLite file (0600 in a 0700 directory):
  `PFLOW_STUDIO_TRUST_DIR` when set, else the user's data directory for pflow-studio. It keeps the
  `MAX_ENTRIES` most recently used answers. A store that cannot be read answers None (ask again) and one
  that cannot be written remembers nothing (`remember` returns False): trust is never assumed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import pathlib
import sqlite3
import time
from collections.abc import Iterator, Mapping

import platformdirs

from pflow_studio.common.private_files import private_directory, private_file
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime.model import Workflow

ENV_VAR = "PFLOW_STUDIO_TRUST_DIR"
FILE_NAME = "trust.sqlite3"
MAX_ENTRIES = 10_000
_FORMAT = "pflow-studio-trust-1"  # part of every fingerprint: change it when the canonical form changes


@dataclasses.dataclass(frozen=True)
class CodeNode:
    """A node that runs user code: its path of node ids, its type, and where it is in words."""

    path: tuple[str, ...]
    type_name: str
    where: str


def code_nodes(workflow: Workflow, registry: Registry) -> list[CodeNode]:
    """The workflow's code nodes (nested ones included), depth first."""
    labels: dict[str, str] = {}
    found = []
    for node, path in workflow.walk():
        labels[node.id] = node.label
        if _holds_code(registry, node.type_name, node.properties):
            where = "/".join([*(labels[part] for part in path), node.label])
            found.append(CodeNode((*path, node.id), node.type_name, where))
    return found


def _holds_code(registry: Registry, type_name: str, properties: Mapping[str, object]) -> bool:
    try:
        node_type = registry.get(type_name)
    except KeyError:
        return True  # an unknown type might
    values = {**node_type.default_values(), **properties}
    return bool(node_type.holds_code(values))


def fingerprint(workflow: Workflow, registry: Registry) -> str | None:
    """The sha256 (hex) of the workflow's code-bearing content (see the module docstring), or None."""
    paths = {(*path, node.id): node for node, path in workflow.walk()}
    entries = []
    for code in code_nodes(workflow, registry):
        node = paths[code.path]
        entries.append([list(code.path), node.type_name, node.properties, node.input_values])
    if not entries:
        return None
    text = json.dumps([_FORMAT, sorted(entries, key=lambda entry: entry[0])], sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def trust_directory() -> pathlib.Path:
    """Where the trust store lives: `PFLOW_STUDIO_TRUST_DIR`, else the user's data directory."""
    chosen = os.environ.get(ENV_VAR)
    if chosen:
        return pathlib.Path(chosen).expanduser()
    return pathlib.Path(platformdirs.user_data_dir("pflow-studio", appauthor=False))


class TrustStore:
    """The user's answers by fingerprint (see the module docstring); every call opens the file anew."""

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.path = pathlib.Path(directory) / FILE_NAME if directory else trust_directory() / FILE_NAME

    def answer(self, digest: str) -> bool | None:
        """True (trusted), False (the user said not to run it) or None (never answered, or unreadable)."""
        try:
            with self._connection() as connection:
                row = connection.execute("SELECT trusted FROM answers WHERE digest = ?", (digest,)).fetchone()
                if row is not None:
                    with contextlib.suppress(sqlite3.Error):  # only the age: a store busy elsewhere still answers
                        connection.execute("UPDATE answers SET used = ? WHERE digest = ?", (time.time(), digest))
        except (OSError, sqlite3.Error):
            return None
        return None if row is None else bool(row[0])

    def remember(self, digest: str, trusted: bool) -> bool:
        """Keep the answer for this fingerprint; False when it could not be written."""
        try:
            with self._connection() as connection:
                connection.execute("INSERT OR REPLACE INTO answers (digest, trusted, used) VALUES (?, ?, ?)",
                                   (digest, int(trusted), time.time()))
                connection.execute("DELETE FROM answers WHERE digest NOT IN "
                                   "(SELECT digest FROM answers ORDER BY used DESC LIMIT ?)", (MAX_ENTRIES,))
        except (OSError, sqlite3.Error):
            return False
        return True

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        private_directory(self.path.parent, tighten=True)
        os.close(private_file(self.path))  # SQLite gives its journal the database file's permissions
        connection = sqlite3.connect(self.path, timeout=10.0)
        try:
            with connection:  # one transaction, committed on success
                connection.execute("CREATE TABLE IF NOT EXISTS answers "
                                   "(digest TEXT PRIMARY KEY, trusted INTEGER NOT NULL, used REAL NOT NULL)")
                yield connection
        finally:
            connection.close()
