"""The canvas's memory of run states: the state, progress, item failures and work-items badge last reported
per node path (on any level), and which of those states are from before an edit (stale), painted on the view
nodes that show them whenever a level is shown."""

from __future__ import annotations

from collections.abc import Callable

from pflow_studio.canvas import levels, run_state, store_badge
from pflow_studio.canvas.level_view import LevelView
from pflow_studio.runtime.container_types import ONE_NODE_BODY_TYPES
from pflow_studio.runtime.model import Workflow

Path = tuple[str, ...]


class RunStates:
    """Remembered run states of one canvas. `view` is the canvas's LevelView; `level_path` and `root`
    return the shown level's path and the root workflow. Never undo entries."""

    def __init__(self, view: LevelView, level_path: Callable[[], Path], root: Callable[[], Workflow]) -> None:
        self._view = view
        self._level_path = level_path
        self._root = root
        self._states: dict[Path, tuple[str, str]] = {}
        self._progress: dict[Path, tuple[int, int, bool]] = {}
        self._item_failures: dict[Path, tuple[int, int]] = {}
        self._badges: dict[Path, tuple[str, bool, Path]] = {}
        self._stale: set[Path] = set()

    def set_node_state(self, path: Path, state: str, message: str = "") -> None:
        self._stale.discard(tuple(path))
        self._remember(path, self._states, (state, message), run_state.apply_state)

    def set_stale(self, paths: set[Path]) -> None:
        """Show the states of the nodes at `paths` as from before an edit, and every other state as current."""
        paths = {tuple(path) for path in paths if tuple(path) in self._states}
        changed, self._stale = paths ^ self._stale, paths
        for path in changed:
            for view in self._views_of(path):
                run_state.apply_stale(view, path in paths)

    def stale(self) -> set[Path]:
        """The paths whose shown state is from before an edit."""
        return set(self._stale)

    def set_progress(self, path: Path, done: int, total: int, will_run: bool = False) -> None:
        self._remember(path, self._progress, (done, total, will_run), run_state.apply_progress)

    def set_item_failures(self, path: Path, failed: int, total: int) -> None:
        self._remember(path, self._item_failures, (failed, total), run_state.apply_item_failures)

    def set_store_badge(self, path: Path, text: str, failed: bool) -> None:
        self._remember(path, self._badges, (text, failed, tuple(path)), store_badge.apply_store_badge)

    def _remember(self, path: Path, table: dict[Path, tuple], value: tuple, apply: Callable[..., None]) -> None:
        """Keep `value` for the node at `path` (not the run itself: `()`) and draw it on its views now."""
        path = tuple(path)
        if not path:
            return
        table[path] = value
        for view in self._views_of(path):
            apply(view, *value)

    def forget(self) -> None:
        """Drop everything remembered (the view is left as it is)."""
        self._states.clear()
        self._progress.clear()
        self._item_failures.clear()
        self._badges.clear()
        self._stale.clear()

    def clear(self) -> None:
        """Drop everything remembered and clear the visuals of the shown level."""
        self.forget()
        for node in self._view.nodes.values():
            run_state.clear_state(node)

    def _views_of(self, path: Path) -> list:
        """The view nodes showing the run state of `path`: the node itself on the shown level, or,
        when the shown level is that Map's (or Filter's, For's, While's) body, its function node (such bodies
        send no per-node events: the function shows the container's state and n/N)."""
        shown = self._level_path()
        if path[:-1] == shown:
            view = self._view.nodes.get(path[-1])
            return [view] if view is not None else []
        if path == shown and levels.node_at(self._root(), path).type_name in ONE_NODE_BODY_TYPES:
            return [v for n, v in self._view.nodes.items() if n not in levels.PSEUDO_NODES]
        return []

    def apply(self) -> None:
        """Paint what is remembered for the shown level (after it was (re)built)."""
        shown = self._level_path()
        for store, apply in ((self._states, run_state.apply_state), (self._progress, run_state.apply_progress),
                             (self._item_failures, run_state.apply_item_failures),
                             (self._badges, store_badge.apply_store_badge)):
            for path, values in store.items():
                if path[:-1] == shown or path == shown:
                    for view in self._views_of(path):
                        apply(view, *values)
        for path in self._stale:
            if path[:-1] == shown or path == shown:
                for view in self._views_of(path):
                    run_state.apply_stale(view)
