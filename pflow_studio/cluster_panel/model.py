"""What the cluster manager reports: plain dataclasses, safe to hand to another thread or print as JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class EngineInfo:
    """One engine. `host` is "" and `pid` None until the engine answered (pid: in the engine's own pid
    namespace). `ours` by ownership tag or owned process, never by pid alone; `owner` says whose
    (cluster_panel.ownership: "this session", "left running", "another session", "orphaned"). `local`: it
    runs in this machine's process table (CPU/memory sampled here; else the engine's own figures). `load`:
    its machine's load average over a minute."""

    id: int
    host: str
    pid: int | None
    cpu_percent: float | None
    memory_rss: int | None
    queue: int
    ours: bool
    owner: str = ""
    local: bool = False
    load: float | None = None


@dataclass
class HostSummary:
    """The engines of one host name ("" when not known yet): how many, how many ours, its load."""

    host: str
    engines: int
    ours: int
    local: bool
    load: float | None = None


def host_summaries(engines: list[EngineInfo]) -> list[HostSummary]:
    """One summary per host, in `host_order`."""
    hosts: dict[str, HostSummary] = {}
    for engine in engines:
        summary = hosts.setdefault(engine.host, HostSummary(engine.host, 0, 0, engine.local))
        summary.engines += 1
        summary.ours += engine.ours
        summary.local = summary.local or engine.local
        if engine.load is not None:
            summary.load = engine.load
    return sorted(hosts.values(), key=lambda h: host_order(h.host, h.local))


def host_order(host: str, local: bool) -> tuple:
    """Sort key of a host: this machine's first, unknown ("") last, the rest by name."""
    return (not local, host == "", host)


@dataclass
class ClusterInfo:
    """A snapshot of the connection. `connected` is False with `error` set when the controller is dead.
    `owned_pids`: this session's processes; `hosts`: the engines by host (`host_summaries`)."""

    profile: str
    connected: bool
    controller_url: str
    cluster_id: str | None
    engines: list[EngineInfo] = field(default_factory=list)
    owned_pids: list[int] = field(default_factory=list)
    controller_ours: bool = False
    error: str = ""
    hosts: list[HostSummary] = field(default_factory=list)
    controller_owner: str = ""  # who owns the controller when it is ours (see EngineInfo.owner)

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
