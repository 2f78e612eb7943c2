"""The ownership state file: which cluster processes a session of ours started, per profile.

`<profile dir>/pflow_studio_clusters.json` holds one record per ownership tag (one tag per cluster we
started, or per engine group we added to someone else's cluster). Every pid is stored with its create
time. Updates are read-modify-write under an exclusive lock file and written atomically. The file and its
lock are private (0600, a directory we make 0700).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pathlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from pflow_studio.cluster_panel.processes import ProcessRef
from pflow_studio.common.atomic_file import write_atomic
from pflow_studio.common.private_files import FILE_MODE, private_directory, private_file

FILE_NAME = "pflow_studio_clusters.json"
FORMAT = "pflow-studio-cluster-state"
VERSION = 1


@dataclass
class OwnedRecord:
    """What one tag owns: the cluster it belongs to, our processes, and who owns them now."""

    tag: str
    cluster_id: str
    owner: ProcessRef | None  # the session that owns it; None once detached
    detached: bool = False
    controller_ours: bool = False
    controller: ProcessRef | None = None
    processes: list[ProcessRef] = field(default_factory=list)
    started: float = 0.0
    remote: list[dict] = field(default_factory=list)  # engines on SSH hosts: {"host", "pid", "python"}

    def to_json(self) -> dict:
        return {
            "tag": self.tag,
            "cluster_id": self.cluster_id,
            "owner": self.owner.to_json() if self.owner else None,
            "detached": self.detached,
            "controller_ours": self.controller_ours,
            "controller": self.controller.to_json() if self.controller else None,
            "processes": [p.to_json() for p in self.processes],
            "started": self.started,
            "remote": self.remote,
        }

    @classmethod
    def from_json(cls, data: dict) -> OwnedRecord:
        return cls(
            tag=str(data["tag"]),
            cluster_id=str(data["cluster_id"]),
            owner=ProcessRef.from_json(data["owner"]) if data.get("owner") else None,
            detached=bool(data.get("detached", False)),
            controller_ours=bool(data.get("controller_ours", False)),
            controller=ProcessRef.from_json(data["controller"]) if data.get("controller") else None,
            processes=[ProcessRef.from_json(p) for p in data.get("processes", [])],
            started=float(data.get("started", 0.0)),
            remote=[dict(entry) for entry in data.get("remote", []) if isinstance(entry, dict)],
        )


class StateFile:
    """The records of one profile directory."""

    def __init__(self, profile_dir: str | os.PathLike) -> None:
        self.path = pathlib.Path(profile_dir) / FILE_NAME
        self._lock_path = self.path.with_name(FILE_NAME + ".lock")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        private_directory(self.path.parent)
        lock = private_file(self._lock_path)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield
        finally:
            os.close(lock)  # closing releases the lock

    def _read(self) -> dict[str, OwnedRecord]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return {}
        records = {}
        for item in data.get("records", []):
            try:
                record = OwnedRecord.from_json(item)
            except (KeyError, TypeError, ValueError):
                continue  # a damaged entry is dropped, the others stay usable
            records[record.tag] = record
        return records

    def _write(self, records: dict[str, OwnedRecord]) -> None:
        data = {"format": FORMAT, "version": VERSION, "records": [r.to_json() for r in records.values()]}
        write_atomic(self.path, json.dumps(data, indent=2) + "\n", mode=FILE_MODE)

    def load(self) -> dict[str, OwnedRecord]:
        """All records by tag (an unreadable file reads as empty)."""
        with self._locked():
            return self._read()

    def put(self, record: OwnedRecord) -> None:
        """Add or replace the record of `record.tag`."""
        with self._locked():
            records = self._read()
            records[record.tag] = record
            self._write(records)

    def remove(self, *tags: str) -> None:
        """Forget these tags."""
        with self._locked():
            records = self._read()
            if any(tag in records for tag in tags):
                for tag in tags:
                    records.pop(tag, None)
                self._write(records)
