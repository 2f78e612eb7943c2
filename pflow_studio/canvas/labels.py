"""Node labels on one level: each new node is named after its type, counted from 1 per name ("Map",
"Map_2", ...), and labels on a level stay unique when nodes arrive there (add, wrap, collapse, paste,
ungroup, unwrap). Bodies of containers are levels of their own. No Qt here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pflow_studio.canvas import levels
from pflow_studio.nodes.registry import Registry
from pflow_studio.runtime.model import Workflow, unique_name

_COUNTED = re.compile(r"^(.*\S)_\d+$")


def fresh_label(level: Workflow, wanted: str, registry: Registry, leaving: Iterable[str] = ()) -> str:
    """`wanted`, or `wanted_2`, `wanted_3`... whichever no node of `level` shows, the nodes `leaving`
    the level (moved into the new container) left out."""
    gone = set(leaving)
    taken = (levels.display_label(n, registry) for n in level.nodes.values() if n.id not in gone)
    return unique_name(wanted, taken)


def make_unique(level: Workflow, arrived: Iterable[str], registry: Registry) -> None:
    """Relabel the nodes `arrived` on `level` whose label another node there shows already, keeping the
    name and counting on from its number (a second "Multiply_2" becomes "Multiply_3" when that is free)."""
    new = set(arrived)
    taken = {levels.display_label(n, registry) for n in level.nodes.values() if n.id not in new}
    for node_id in [n for n in level.nodes if n in new]:
        node = level.nodes[node_id]
        label = levels.display_label(node, registry)
        if label in taken:
            label = unique_name(_base(label), taken)
            node.ui["label"] = label
        taken.add(label)


def _base(label: str) -> str:
    counted = _COUNTED.match(label)
    return counted.group(1) if counted else label

