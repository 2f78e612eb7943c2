"""What the Map runner does when a chunk is lost with its engine (the engine died or left the cluster).

Dask's allowed-failures, per chunk: an engine can die for reasons of its own (killed from outside, out
of memory because of a neighbour), so a chunk lost once is sent again whole. A chunk lost a second time
is suspected of holding an element that kills engines: it is split in halves, each still suspect, and a
suspect half lost again is split again, down to single elements. A single element lost twice killed its
engine when it ran alone; it fails with "engine N died while running element K (exit code 3)" (or the
signal's name) and the others run on. A poison element run alone thus kills at most one engine more.

Engines lost during the Map are reported to the runner's `EngineKeeper` (when it has one), which tells
how an engine ended and starts engines in place of lost ones on a cluster this session owns; at most
`replace_limit(engines)` are replaced per Map, so elements that keep killing engines cannot start
engines for ever. A Map that lost engines waits at its end (at most `SETTLE` s) for their replacements,
so it hands back a whole cluster, and none is being started while the session stops its cluster.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any, Protocol

SPLIT_AFTER = 2  # losses after which a chunk is split (or, a single element, failed)
SETTLE = 30.0  # seconds a Map that lost engines waits at its end for their replacements
_ENGINE_IN_TEXT = re.compile(r"[Ee]ngine (\d+|b'[^']+') (?:died|left)")


class EngineKeeper(Protocol):
    """What the runner asks about lost engines of the cluster it runs on (see the module docstring)."""

    def exit_status(self, engine: int) -> str | None:
        """How engine `engine` ended ("exit code 3", "signal SIGKILL"), or None when it is not known."""
        ...

    def replace(self, engine: int) -> None:
        """Engine `engine` was lost: start one in its place if it was ours (without waiting), else say so."""
        ...

    def wait(self, timeout: float) -> None:
        """Return once the engines asked for so far are started (or failed to start), at most `timeout` s."""
        ...

    def replacing(self) -> bool:
        """True while engines asked for are still starting (a cluster without engines is then not given up)."""
        ...


@dataclasses.dataclass(frozen=True)
class Verdict:
    """What to do with a lost chunk: send it again whole (`resend`), send `parts` (ranges of Map elements)
    as chunks of their own, or fail its one element with `failure`; `note` tells the user in one line."""

    note: str
    resend: bool = False
    parts: tuple[tuple[int, int], ...] = ()
    failure: str = ""


def judge(start: int, size: int, losses: int, engine: int | None, reason: str,
          status_of: Callable[[int | None], str | None] = lambda engine: None) -> Verdict:
    """The verdict on a chunk of `size` elements from Map element `start`, lost for the `losses`-th time
    with `engine` (`reason`: what ipyparallel said); `status_of(engine)`: how the engine ended, if known."""
    if losses < SPLIT_AFTER:
        return Verdict(f"engine {engine} was lost ({reason}); resubmitting {size} element(s)", resend=True)
    if size > 1:
        middle = start + size // 2
        return Verdict(f"engine {engine} was lost ({reason}) with elements {start}-{start + size - 1} again: "
                       "sending them in halves", parts=((start, middle), (middle, start + size)))
    name = "?" if engine is None else str(engine)
    failure = f"engine {name} died while running element {start} ({status_of(engine) or 'exit status unknown'})"
    return Verdict(failure, failure=failure)


def engine_named(reason: str, uuids: Mapping[str, int] | None = None) -> int | None:
    """The engine in ipyparallel's "Engine 3 died while running task ..." (the client's words) or
    "Engine b'<uuid>' died ..." (the scheduler's, read with `uuids`: uuid -> engine id); None if not there."""
    found = _ENGINE_IN_TEXT.search(reason)
    if not found:
        return None
    name = found.group(1)
    return int(name) if name.isdigit() else (uuids or {}).get(name[2:-1])


def replace_limit(engines: int) -> int:
    """How many lost engines are replaced during one Map of `engines` engines at most."""
    return max(16, 4 * engines)


class LostEngines:
    """The engines lost during one Map of `engines` engines, each reported once to the keeper (up to
    `replace_limit`); `tell(line, engine)` hears it when the limit stops a replacement."""

    def __init__(self, keeper: EngineKeeper | None, engines: int, tell: Callable[[str, int], None],
                 client: Any = None) -> None:
        self.keeper = keeper
        self.tell = tell
        self.limit = replace_limit(engines)
        self.lost: set[int] = set()
        self.uuids: dict[str, int] = {}  # engine uuid -> id, for the engines seen registered
        self.learn(client)

    def learn(self, client: Any) -> None:
        """Remember the uuids of the client's engines (a lost engine is named by its uuid only, at times)."""
        engines = getattr(client, "_engines", {})  # ipyparallel's id <-> uuid map
        self.uuids.update({uuid: eid for eid, uuid in list(engines.items()) if isinstance(eid, int)})

    def seen(self, before: Collection[int], now: Collection[int], client: Any = None) -> None:
        """The engines were `before` and are `now`: those that left are lost (the client's are learnt)."""
        for engine in set(before) - set(now):
            self.lost_engine(engine)
        self.learn(client)

    def engine_of(self, engine: int | None, reason: str) -> int | None:
        """`engine` if known, else the engine the loss `reason` names."""
        return engine if engine is not None else engine_named(reason, self.uuids)

    def lost_engine(self, engine: int | None) -> None:
        """Note that `engine` was lost; the first time, ask the keeper to replace it (within the limit)."""
        if engine is None or engine in self.lost:
            return
        self.lost.add(engine)
        if self.keeper is None:
            return
        if len(self.lost) > self.limit:
            self.tell(f"engine {engine} is not replaced: {self.limit} engines were already replaced during this "
                      "Map (its elements keep killing engines)", engine)
            return
        self.keeper.replace(engine)

    def settle(self) -> None:
        """Wait (at most `SETTLE` s) for the replacements asked for, so the Map ends with its engines back."""
        if self.lost and self.keeper is not None:
            self.keeper.wait(SETTLE)

    def status(self, engine: int | None) -> str | None:
        """How `engine` ended, as far as the keeper knows."""
        if engine is None or self.keeper is None:
            return None
        return self.keeper.exit_status(engine)


def is_engine_loss(exc: BaseException) -> bool:
    """Is `exc` (a chunk's error) the loss of its engine rather than an error of the chunk?"""
    from ipyparallel import error

    return isinstance(exc, error.EngineError) or getattr(exc, "ename", None) == "EngineError"
