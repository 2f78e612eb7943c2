"""The heartbeat of the controllers we start: how often the controller pings its engines, and how long an
engine may stay silent before the controller drops it.

ipyparallel 9's heart monitor pings every `HeartMonitor.period` ms and drops an engine that missed more
than `HeartMonitor.max_heartmonitor_misses` pings in a row, that is after (misses + 1) x period of silence
(defaults 3000 ms x 10: a dead host is noticed after ~33 s). A dropped engine never rejoins: the controller
ignores its heart from then on, although its process runs on (the keeper ends and replaces it when it is ours).

We ping every `HEARTBEAT_MS` (a new engine registers at the next beat: a short period starts clusters
fast) and drop an engine after `WINDOW_MS` of silence. After a cut link is mended, TCP sends again only at
its next retransmission, whose intervals double from 0.2 s (0.2, 0.6, 1.4, 3, 6.2, 12.6 s after the cut):
the first answer after a 10 s cut came 13.2 s after the cut began (measured, network namespaces). So a
15 s window lets a cut of up to ~12 s pass, and a dead host is noticed after 15 s.

An engine watches the controller too: it leaves after `IPEngine.max_heartbeat_misses` (50) checks of
period + 0.5 s without a ping, 40 s at 300 ms, longer than the controller's window, so it is left alone.

The profile wins: what its `ipcontroller_config.py` (or `c.Cluster.controller_args` in `ipcluster_config.py`)
sets is not passed on the controller's command line, which would beat the file; the misses we add are
sized to the period in effect.
"""

from __future__ import annotations

import math
import pathlib
from collections.abc import Sequence

from traitlets.config import Config
from traitlets.config.loader import JSONFileConfigLoader, PyFileConfigLoader

HEARTBEAT_MS = 300  # the hub's ping period decides how fast engines register (1 s: 2.5 s ready, 0.3 s: ~1.4 s)
WINDOW_MS = 15_000  # silence after which the controller drops an engine (a cut link of up to ~12 s passes)
IPP_MISSES = 10  # ipyparallel's own HeartMonitor.max_heartmonitor_misses
_SECTION = "HeartMonitor"


def misses_for(period_ms: int) -> int:
    """The `max_heartmonitor_misses` that drops an engine after about `WINDOW_MS` of silence at `period_ms`
    (never fewer than ipyparallel's own)."""
    return max(IPP_MISSES, math.ceil(WINDOW_MS / max(1, period_ms)) - 1)


def window_ms(period_ms: int, misses: int) -> int:
    """The silence after which a controller pinging every `period_ms` with `misses` allowed drops an engine."""
    return (misses + 1) * period_ms


def controller_args(args: Sequence[str], profile_dir: pathlib.Path) -> list[str]:
    """The heartbeat arguments to add to a controller of `profile_dir` started with `args`: our period and
    misses, each only where neither `args` nor the profile's controller config sets it."""
    config = controller_config(profile_dir)
    section = config[_SECTION] if _SECTION in config else Config()
    added = []
    period = _from_args(args, ("--ping=", f"--{_SECTION}.period="))
    if period is None and "period" in section:
        period = int(section["period"])
    if period is None and not _mentions(args, ("--ping", f"--{_SECTION}.period")):
        added.append(f"--ping={HEARTBEAT_MS}")
    if not _mentions(args, (f"--{_SECTION}.max_heartmonitor_misses",)) and "max_heartmonitor_misses" not in section:
        added.append(f"--{_SECTION}.max_heartmonitor_misses={misses_for(period or HEARTBEAT_MS)}")
    return added


def controller_config(profile_dir: pathlib.Path) -> Config:
    """What the profile's `ipcontroller_config.py` / `.json` set (empty when they are missing or fail to load:
    the controller then reports its own error)."""
    config = Config()
    for loader in (PyFileConfigLoader, JSONFileConfigLoader):
        suffix = "py" if loader is PyFileConfigLoader else "json"
        try:
            config.merge(loader(f"ipcontroller_config.{suffix}", path=str(profile_dir)).load_config())
        except Exception:  # missing, or broken: nothing known set
            continue
    return config


def _mentions(args: Sequence[str], prefixes: Sequence[str]) -> bool:
    return any(arg.startswith(tuple(prefixes)) for arg in args)


def _from_args(args: Sequence[str], prefixes: Sequence[str]) -> int | None:
    """The value of the last of `args` that starts with one of `prefixes`, or None."""
    found = None
    for arg in args:
        for prefix in prefixes:
            if arg.startswith(prefix):
                try:
                    found = int(arg[len(prefix):])
                except ValueError:
                    pass
    return found
