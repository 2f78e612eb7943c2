"""What the cluster runner tells its listener as it works (`ClusterRunner(on_event=...)`): which engines
it uses, when the body is sent, chunks sent and done per engine, engines lost, a Map that stalled, cancelling,
engine checks that need attention."""

from __future__ import annotations

import dataclasses
import enum


class NoticeKind(enum.StrEnum):
    """The kinds of `RunnerNotice`."""

    ENGINES = "engines"  # a map starts: `total` elements on the engines named in the message
    PUSHED = "pushed"  # the Map body was sent to engines (pushed, or carried by the first chunks)
    SENT = "sent"  # a chunk was sent straight to `engine`
    CHUNK = "chunk"  # a chunk finished on `engine`; `done` of `total` elements are in
    LOST = "lost"  # `engine` was lost; its chunk is resubmitted
    STALLED = "stalled"  # no chunk came back for long; the message names the engines holding the work
    CANCELLING = "cancelling"  # the map is being cancelled
    CHECK = "check"  # engines did not answer the engine check in time, or one found unfit is left out (`precheck`)


@dataclasses.dataclass(frozen=True)
class RunnerNotice:
    """Something the runner did (see `NoticeKind`); `message` says it in one line."""

    kind: NoticeKind
    message: str
    engine: int | None = None
    done: int = 0
    total: int = 0
