"""Work-items view helpers: a Map whose elements partly fail, running a window and waiting, a big Map run
written with the store API, and the table read back as text."""

from __future__ import annotations

import pickle
from array import array
from collections.abc import Callable
from typing import Any

from pflow_studio.app.work_items.item_model import COLUMNS
from pflow_studio.runtime.element_store.blocks import block_row
from pflow_studio.runtime.element_store.records import FAILED, OK
from pflow_studio.runtime.element_store.store import ElementStore
from pflow_studio.runtime.element_table import OutcomeBlock
from pflow_studio.runtime.keys import KEY_BYTES
from pflow_studio.runtime.model import Workflow
from pflow_studio.runtime.operations import collapse, wrap_in_map
from pflow_studio.runtime.registry import default_registry
from tests.support.window import run_window

SCORE_CODE = """print('scoring', x)
if {failing}:
    raise ValueError(f'no score for {{x}}')
y = x * 10 + offset
"""


def scoring_map(count: int = 12, failing: str = "x in (3, 7)", *, group: bool = False, seconds: float = 0.0,
                label: str = "Score") -> Workflow:
    """A Map 'map' (label `label`) over py.code 'score': y = 10 x + offset (offset 0, broadcast) for x in
    range(count), printing 'scoring x'; it raises ValueError('no score for x') where `failing` holds (a Python
    condition on x). on_error skip. In a Group 'g' with `group`; each element sleeps `seconds`."""
    code = SCORE_CODE.format(failing=failing)
    if seconds:
        code = f"__import__('time').sleep({seconds})\n" + code
    workflow = Workflow()
    workflow.add_node("list.range", id="numbers", label="Numbers", inputs={"start": 0, "stop": count}, pos=(0, 0))
    workflow.add_node("py.code", {"code": code, "inputs": ["x", "offset"], "outputs": ["y"]}, id="score",
                      label="score", inputs={"offset": 0}, pos=(300, 0))
    workflow.connect("numbers", "result", "score", "x")
    wrap_in_map(workflow, "score", mapped=["x"], map_id="map", registry=default_registry())
    workflow.nodes["map"].properties["on_error"] = "skip"
    workflow.nodes["map"].input_values["offset"] = 0  # broadcast: the same for every element
    workflow.nodes["map"].ui["label"] = label
    if group:
        collapse(workflow, ["numbers", "map"], group_id="g", label="Scoring")
    return workflow


def ran(qtbot, window, workflow: Workflow | None = None, path: tuple[str, ...] = ("map",)):
    """Show `workflow` (default: `scoring_map()`) in the window, run it, show the level holding `path` and
    select the Map there; the Work Items panel."""
    window.canvas.set_workflow(workflow or scoring_map())
    assert run_window(qtbot, window).status == "ok"
    window.canvas.go_to(path[:-1])
    window.canvas.select([path[-1]])
    return window.work_items.panel


def column(panel, header: str) -> list[str]:
    """The texts of one column of the view, every row (small runs only)."""
    model = panel.model
    number = [name for name, _ in COLUMNS].index(header)
    return [model.data(model.index(row, number)) for row in range(model.rowCount())]


def big_run(store: ElementStore, scope: str, path: tuple[str, ...], count: int, *, failed_every: int = 50,
            label: str = "Big", output: Callable[[int], Any] = lambda i: i * 2) -> int:
    """A finished run of `count` elements of the Map at `path`, written with the store API (not run): element i
    has input i and output {"y": output(i)} (default i * 2), every `failed_every`-th one failed. Returns the
    run's id."""
    group = b"big-grp-"
    run = store.begin_run(scope, path, label, "big-body", group, count, pickle.dumps({}), [])
    for start in range(0, count, 4096):
        indices = range(start, min(count, start + 4096))
        failed = {i - start: (f"ValueError: bad {i}", "Traceback ...") for i in indices
                  if failed_every and i % failed_every == failed_every - 1}
        block = OutcomeBlock(0, ("y",), [[None if i - start in failed else output(i) for i in indices]],
                             array("d", [1000.0 + i for i in indices]),
                             array("d", [1000.5 + i + (i % 7) / 100 for i in indices]), failed, {},
                             engines=[i % 4 for i in indices], hosts=["node-a"] * len(indices))
        digests = b"".join((i + 1).to_bytes(KEY_BYTES, "big") for i in indices)
        row = block_row(group, "big-body", block, digests, [], (("x",), [list(indices)]), 1.0)
        status = bytes(FAILED if i - start in failed else OK for i in indices)
        store.write_blocks(run, [(row, indices, status)])
    store.finish_run(run, "failed" if failed_every else "ok", [])
    return run


def picture_run_shown(qtbot, window, count: int, output: Callable[[int], Any], *, failed_every: int = 0,
                      sheet: bool = False):
    """The window's Work items panel open on a Map 'map' whose last run (written with the store API) has `count`
    elements with outputs {"y": output(i)}, showing its contact sheet with `sheet`; the thumbnails asked for are
    drawn."""
    window.canvas.set_workflow(scoring_map())
    big_run(window.work_items.store, "", ("map",), count, failed_every=failed_every, output=output)
    window.work_items.open_on(("map",))
    panel = window.work_items.panel
    if sheet:
        panel.views.setCurrentWidget(panel.sheet)
    thumbnails_drawn(qtbot, panel)
    return panel


def thumbnails_drawn(qtbot, panel) -> None:
    """Paint (the views ask for the thumbnails on screen), then wait until the panel's thumbnail cache has nothing
    left to draw, and paint again."""
    qtbot.wait(20)
    for view in (panel.table, panel.sheet):
        if view.isVisible():
            view.viewport().repaint()
    qtbot.waitUntil(lambda: not panel.model.thumbnails._queue, timeout=30_000)
    qtbot.wait(50)
