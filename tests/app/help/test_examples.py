"""File > Examples… lists every bundled example by name with its description, and opens the chosen one as an
untitled copy (Save never overwrites the example)."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QDialogButtonBox

from tests.support.paths import EXAMPLES


def metas() -> dict[str, dict]:
    return {path.name: json.loads(path.read_text(encoding="utf-8"))["meta"] for path in EXAMPLES.glob("*.pflow")}


def test_every_example_has_a_name_and_a_description():
    assert len(metas()) >= 4
    for name, meta in metas().items():
        assert meta.get("name") and len(meta.get("description", "")) >= 20, name


def test_the_gallery_lists_the_examples_and_opens_one_untitled(window, qtbot):
    action = window.actions["examples"]
    assert action in window.menus["file"].actions() and action in window.menus["help"].actions()
    action.trigger()
    dialog = window.help.examples_dialog
    assert dialog.isVisible()
    assert sorted(dialog.names()) == sorted(meta["name"] for meta in metas().values())
    sweep = metas()["parameter_sweep.pflow"]
    dialog.select(sweep["name"])
    assert dialog.description.text() == sweep["description"]
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Open).click()
    assert not dialog.isVisible()
    assert window.files.path is None and "Untitled" in window.windowTitle()
    saved = json.loads((EXAMPLES / "parameter_sweep.pflow").read_text(encoding="utf-8"))["workflow"]["nodes"]
    assert set(window.canvas.workflow().nodes) == {node["id"] for node in saved}
    assert not window.files.is_modified()
    assert window.trust.refusal() is None  # a bundled example may run
