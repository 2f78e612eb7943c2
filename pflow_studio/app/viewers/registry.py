"""The viewer registry: which widget shows a value, chosen by the value's type.

A `ViewerEntry` says which values it accepts and builds the widget; among the entries that accept a value the one
with the highest `priority` wins (later registrations win ties), and the fallback shows `repr()`. Plug-in packages
add entries through the entry-point group `pflow_studio.viewers`: an entry points at a `ViewerEntry` or at a
callable returning an iterable of them. A broken plug-in is logged and skipped.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import logging
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtWidgets import QWidget

ENTRY_POINT_GROUP = "pflow_studio.viewers"
log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class ViewerEntry:
    """A viewer family: `accepts(value)` says whether it can show the value, `create(value, parent)` builds it."""

    name: str
    accepts: Callable[[Any], bool]
    create: Callable[[Any, QWidget | None], QWidget]
    priority: int = 0


class ViewerRegistry:
    """Viewer entries, most specific first; see the module docstring."""

    def __init__(self, fallback: ViewerEntry) -> None:
        self.fallback = fallback
        self._entries: list[ViewerEntry] = []

    def register(self, entry: ViewerEntry) -> None:
        self._entries.append(entry)

    def entries(self) -> list[ViewerEntry]:
        return list(self._entries)

    def choose(self, value: Any) -> ViewerEntry:
        """The entry that shows `value`: the accepting one of highest priority, else the fallback. An entry
        whose `accepts` raises is treated as not accepting."""
        best: ViewerEntry | None = None
        for entry in self._entries:
            if best is not None and entry.priority < best.priority:
                continue
            try:
                accepted = entry.accepts(value)
            except Exception:  # a plug-in's check must not stop a value from being shown
                log.exception("viewer '%s' failed to check a value", entry.name)
                accepted = False
            if accepted:
                best = entry
        return best or self.fallback

    def create(self, value: Any, parent: QWidget | None = None) -> QWidget:
        """A viewer widget for `value`; if the chosen viewer fails to build, the fallback's."""
        entry = self.choose(value)
        try:
            return entry.create(value, parent)
        except Exception:
            if entry is self.fallback:
                raise
            log.exception("viewer '%s' failed; showing the value as text", entry.name)
            return self.fallback.create(value, parent)

    def load_entry_points(self, entry_points: Iterable[importlib.metadata.EntryPoint] | None = None) -> list[str]:
        """Register the plug-ins' viewers; returns the messages of those that failed to load."""
        if entry_points is None:
            entry_points = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
        failures = []
        for ep in entry_points:
            try:
                loaded = ep.load()
                entries = [loaded] if isinstance(loaded, ViewerEntry) else list(loaded())
                if not all(isinstance(entry, ViewerEntry) for entry in entries):
                    raise TypeError(f"{loaded!r} gives something other than ViewerEntry objects")
            except Exception as exc:  # a plug-in must never take the app down
                message = f"viewer plug-in '{ep.name}' ({ep.value}) failed to load: {exc}"
                log.warning(message)
                failures.append(message)
                continue
            for entry in entries:
                self.register(entry)
        return failures
