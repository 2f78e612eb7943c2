"""What the cluster manager reports: plain dataclasses, safe to hand to another thread or print as JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class EngineInfo:
    """One engine. `pid`/`host` are None until the engine answered; CPU/memory only for local engines."""

    id: int
    host: str
    pid: int | None
    cpu_percent: float | None
    memory_rss: int | None
    queue: int
    ours: bool


@dataclass
class ClusterInfo:
    """A snapshot of the connection. `connected` is False with `error` set when the controller is dead."""

    profile: str
    connected: bool
    controller_url: str
    cluster_id: str | None
    engines: list[EngineInfo] = field(default_factory=list)
    owned_pids: list[int] = field(default_factory=list)
    controller_ours: bool = False
    error: str = ""

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Leftover:
    """Processes an earlier session of ours left running: on purpose (`detached`) or by a crash."""

    profile: str
    cluster_id: str
    pids: list[int]
    detached: bool
    controller_alive: bool
    tag: str = ""  # our ownership tag (the PFLOW_STUDIO_TAG of its processes)
    controller_ours: bool = True

    def to_json(self) -> dict:
        return asdict(self)
