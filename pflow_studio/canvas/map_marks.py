"""On a Map's (or Filter's) node, each input says whether it is mapped or broadcast: a mapped input's name
reads `x [each]` (it takes a list, one element per task), a broadcast one's `y [all]` (one value for every
task), each with a tooltip saying so. The marks are part of the node's look (`ViewSpec.marks`), so the node is
redrawn when the mapped inputs change.
"""

from __future__ import annotations

from pflow_studio.nodes.api import NodeType
from pflow_studio.runtime.containers import is_function_container

MAPPED, BROADCAST = "each", "all"
TIPS = {
    MAPPED: "{name}: mapped - takes a list, one element per task",
    BROADCAST: "{name}: broadcast - the same value for every task",
}


def input_marks(instance: NodeType | None) -> tuple[tuple[str, str], ...]:
    """((input name, MAPPED or BROADCAST), ...) for a Map's or Filter's inputs; () for other nodes."""
    if instance is None or not is_function_container(instance) or instance.function() is None:
        return ()
    vistrails = instance.values.get("mode") == "vistrails"
    fed = set(instance.fed_ports())
    return tuple((port.name, MAPPED if (port.name == "input_list" if vistrails else port.name in fed) else BROADCAST)
                 for port in instance.input_ports())


def shown_name(name: str, mark: str) -> str:
    """The text of a marked input's label."""
    return f"{name} [{mark}]"


def apply(labels: dict, marks: tuple[tuple[str, str], ...]) -> None:
    """Mark the input labels `labels` ({port item: its text item}, NodeGraphQt's) before the node is drawn."""
    wanted = dict(marks)
    for port, text in labels.items():
        mark = wanted.get(port.name)
        if mark:
            text.setPlainText(shown_name(port.name, mark))
            tip = TIPS[mark].format(name=port.name)
            text.setToolTip(tip)
            port.setToolTip(f"{port.toolTip()}\n{tip}" if port.toolTip() else tip)
