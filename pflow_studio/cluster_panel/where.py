"""Where a cluster's engines are, in words: "3 engines on h2, h3 and this machine"."""

from __future__ import annotations

import socket
from collections.abc import Iterable

THIS_MACHINE = "this machine"


def engines_text(n: int) -> str:
    """'1 engine', '2 engines'."""
    return f"{n} engine{'s' if n != 1 else ''}"


def engines_where(hosts: Iterable[str], this_host: str | None = None) -> str:
    """'1 engine on this machine', '3 engines on h2, h3 and this machine' for the engines' host names
    (one per engine; '' for an engine that did not say). This machine's name (`this_host`, by default
    `socket.gethostname()`) is said as "this machine", last."""
    names = list(hosts)
    local = socket.gethostname() if this_host is None else this_host
    count = engines_text(len(names))
    known = {name for name in names if name}
    places = sorted(known - {local}) + ([THIS_MACHINE] if local in known else [])
    if not places:
        return count
    if not all(names):
        places.append("hosts not known yet")
    listed = places[0] if len(places) == 1 else ", ".join(places[:-1]) + " and " + places[-1]
    return f"{count} on {listed}"
