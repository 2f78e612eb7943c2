"""Model operations for editing commands: one import point for the GUI's undo commands.

- `collapse(workflow, node_ids, *, group_id=None, label=None) -> Node` and
  `ungroup(workflow, group_id) -> list[str]` (`runtime.grouping`);
- `extract(workflow, node_ids) -> Workflow`, a copy of a selection with its internal edges;
- `expose_open_ports(group, registry)` and `rename_port(root, path, side, old, new)`: a Group's ports as
  the user edits them (`runtime.group_ports`);
- `wrap_in_map(workflow, node_id, *, mapped=None, map_id=None, registry=None) -> Node` and
  `unwrap_map(workflow, map_id) -> Node` (`runtime.map_wrapping`);
- `wrap_in_loop(workflow, node_id, loop_type, registry, *, loop_id=None) -> Node`, a For or a While
  (`runtime.loop_wrapping`; undone by the edit layer's snapshot, it has no inverse of its own).

Each mutates the workflow in place, checks before it changes anything, and raises `ModelError`
naming the node at fault. Each but `wrap_in_loop` has an inverse that restores `Workflow.canonical()` exactly.
"""

from pflow_studio.runtime.group_ports import expose_open_ports, rename_port
from pflow_studio.runtime.grouping import collapse, extract, ungroup
from pflow_studio.runtime.loop_wrapping import wrap_in_loop
from pflow_studio.runtime.map_wrapping import unwrap_map, wrap_in_map
from pflow_studio.runtime.model import ModelError

__all__ = ["ModelError", "collapse", "expose_open_ports", "extract", "rename_port", "ungroup", "unwrap_map",
           "wrap_in_loop", "wrap_in_map"]
