"""How deep bodies may nest, in one place: loading, saving, validation, the run and the canvas agree on it.

A node at the top level is at depth 0; the nodes of a Group's (Map's, Filter's) body are one level deeper.
A workflow whose containers nest more than `MAX_NESTING` bodies deep is refused at load and at save and
reported by validation (so it never runs), and the canvas refuses an edit that would make one. The walks
here are iterative, so any depth can be measured.

Why 50: running nested bodies is recursive, and a Map whose function is a Map costs about 12 Python frames
per level (a Group about 6) under Python's limit of 1000; such Map chains failed from about 75 levels, Group
chains from about 170. At 50 every kind of chain runs, in this process, on the run thread of the app and on
engines, with room left for the nodes' own code.
"""

from __future__ import annotations

from pflow_studio.runtime.model import Workflow

MAX_NESTING = 50
_SHOWN_ENDS = 3  # ids shown at each end of a long path


def deepest(workflow: Workflow) -> tuple[str, ...]:
    """The container ids from the top down to the deepest body (empty when no node has a body)."""
    found: tuple[str, ...] = ()
    pending: list[tuple[Workflow, tuple[str, ...]]] = [(workflow, ())]
    while pending:
        level, path = pending.pop()
        for node in level.nodes.values():
            if node.body is not None:
                inner = (*path, node.id)
                found = inner if len(inner) > len(found) else found
                pending.append((node.body, inner))
    return found


def nesting_problem(workflow: Workflow, above: tuple[str, ...] = ()) -> str:
    """Why `workflow`, placed inside the containers `above`, nests too deeply; "" when it does not."""
    path = (*above, *deepest(workflow))
    return too_deep(path) if len(path) > MAX_NESTING else ""


def too_deep(path: tuple[str, ...]) -> str:
    """The message for bodies nested along the container ids `path` (more than `MAX_NESTING`)."""
    return f"Groups nest {len(path)} deep at '{shown_path(path)}'; at most {MAX_NESTING} levels are supported"


def shown_path(path: tuple[str, ...]) -> str:
    """Container ids joined by '/', the middle of a long path left out."""
    if len(path) > 2 * _SHOWN_ENDS + 1:
        path = (*path[:_SHOWN_ENDS], "...", *path[-_SHOWN_ENDS:])
    return "/".join(path)
