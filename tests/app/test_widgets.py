"""Window parts that stand alone: palette, value editors, errors panel, result inspector, breadcrumb,
settings and recent files."""

from __future__ import annotations

from PySide6.QtCore import Qt

from pflow_studio.app.breadcrumb import Breadcrumb
from pflow_studio.app.editors import (
    BoolEditor,
    ChoiceEditor,
    CodeEditor,
    JsonEditor,
    NamesEditor,
    NumberEditor,
    TextEditor,
    make_editor,
)
from pflow_studio.app.errors_panel import ErrorsPanel
from pflow_studio.app.palette import NODE_TYPE_MIME, Palette
from pflow_studio.app.result_inspector import ResultInspector, format_outputs
from pflow_studio.app.settings import MAX_RECENT, add_recent_file, make_settings, recent_files, remove_recent_file
from pflow_studio.runtime.registry import default_registry


def type_in(qtbot, editor, text: str) -> None:
    editor.clear()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_palette_lists_every_node_type_by_category_and_filters(qtbot):
    registry = default_registry()
    palette = Palette(registry)
    qtbot.addWidget(palette)
    assert sorted(palette.visible_type_names()) == sorted(registry.names())
    categories = {palette.tree.topLevelItem(i).text(0) for i in range(palette.tree.topLevelItemCount())}
    assert {"Math", "Lists", "Python", "Control Flow", "Structure"} <= categories
    qtbot.keyClicks(palette.filter_box, "mult")
    assert palette.visible_type_names() == ["math.multiply"]
    palette.filter_box.setText("lists")  # a category name shows the whole category
    assert "list.range" in palette.visible_type_names() and "math.add" not in palette.visible_type_names()
    palette.filter_box.clear()
    assert len(palette.visible_type_names()) == len(registry)


def test_palette_drag_data_and_double_click(qtbot):
    palette = Palette(default_registry())
    qtbot.addWidget(palette)
    item = palette.item_for("math.add")
    data = palette.tree.mimeData([item])
    assert bytes(data.data(NODE_TYPE_MIME)).decode() == "math.add"
    with qtbot.waitSignal(palette.add_requested) as blocker:
        palette.tree.itemDoubleClicked.emit(item, 0)
    assert blocker.args == ["math.add"]


def test_editors_commit_parsed_changed_values_only(qtbot):
    committed = []
    number = NumberEditor("int", 3, committed.append)
    qtbot.addWidget(number)
    type_in(qtbot, number, "3")
    type_in(qtbot, number, "12")
    type_in(qtbot, number, "twelve")  # refused: the old value comes back
    assert committed == [12] and number.text() == "12" and "Not accepted" in number.toolTip()
    floats = NumberEditor("float", 0.5, committed.append)
    qtbot.addWidget(floats)
    type_in(qtbot, floats, "1e-3")
    assert committed[-1] == 0.001 and isinstance(committed[-1], float)
    names = NamesEditor(["x"], committed.append)
    qtbot.addWidget(names)
    type_in(qtbot, names, "x, n:int")
    assert committed[-1] == ["x", "n:int"]
    json_list = JsonEditor("list", [1], committed.append)
    qtbot.addWidget(json_list)
    type_in(qtbot, json_list, '{"a": 1}')  # not a list
    type_in(qtbot, json_list, "[1, 2]")
    assert committed[-1] == [1, 2]
    anything = JsonEditor("any", None, committed.append)
    qtbot.addWidget(anything)
    type_in(qtbot, anything, "hello")
    assert committed[-1] == "hello"


def test_editor_kinds_follow_type_choices_and_hint(qtbot):
    assert isinstance(make_editor("str", "zip", print, choices=("zip", "product")), ChoiceEditor)
    assert isinstance(make_editor("bool", True, print), BoolEditor)
    assert isinstance(make_editor("int", 1, print), NumberEditor)
    assert isinstance(make_editor("str", "", print, hint="code"), CodeEditor)
    assert isinstance(make_editor("list", [], print, hint="list"), NamesEditor)
    assert isinstance(make_editor("path", "", print), TextEditor)
    assert isinstance(make_editor("dict", {}, print), JsonEditor)
    committed = []
    combo = ChoiceEditor(["zip", "product"], "zip", committed.append)
    qtbot.addWidget(combo)
    combo.activated.emit(1)
    check = BoolEditor(False, committed.append)
    qtbot.addWidget(check)
    check.show()
    qtbot.waitExposed(check)
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=check.rect().center())
    code = CodeEditor("x = 1", committed.append)
    qtbot.addWidget(code)
    code.setPlainText("x = 2")
    qtbot.keyClick(code, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert committed == ["product", True, "x = 2"]


def test_errors_panel_shows_traceback_and_asks_to_reveal(qtbot):
    panel = ErrorsPanel()
    qtbot.addWidget(panel)
    panel.add_error(("map", "f"), "Map > f", "ZeroDivisionError: division by zero", "Traceback...\nZeroDivisionError")
    panel.add_error(("g",), "g", "bad")
    panel.resize(500, 400)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.count() == 2 and "Traceback" in panel.trace.toPlainText()
    with qtbot.waitSignal(panel.reveal_requested) as blocker:
        rect = panel.list.visualItemRect(panel.row(1))
        qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [("g",)]
    assert panel.trace.toPlainText() == "bad"
    panel.clear()
    assert panel.count() == 0


def test_result_inspector_shows_each_output_in_its_viewer(qtbot):
    inspector = ResultInspector()
    qtbot.addWidget(inspector)
    inspector.show_outputs("Total", {"result": 42.5, "items": [1, 2, 3]})
    frames = inspector.frames()
    assert [(f.title, f.value, f.entry.name) for f in frames] == [("Total.result", 42.5, "scalar"),
                                                                 ("Total.items", [1, 2, 3], "list")]
    assert "list, 3 items" in frames[1].header.text()
    inspector.show_outputs("Total", None)
    assert not inspector.frames() and "run" in inspector.note.text().lower()
    assert len(format_outputs({"big": "x" * 300_000})) < 250_000


def test_a_million_results_show_their_first_items_and_how_many_more():
    text = format_outputs({"y": [i * 0.5 for i in range(1_000_000)], "d": {"rows": [[1] * 3000]}})
    assert text.startswith("y (list, 1000000 items) =\n[0.0, 0.5")
    assert "499.5, … 999,000 more]" in text and "1, … 2,000 more]]" in text and len(text) < 30_000


def test_breadcrumb_goes_to_a_level(qtbot):
    crumbs = Breadcrumb()
    qtbot.addWidget(crumbs)
    crumbs.set_levels([("map", "Map"), ("grp", "Group")])
    assert [b.text() for b in crumbs.buttons] == ["Root", "Map", "Group"]
    assert not crumbs.buttons[-1].isEnabled()
    with qtbot.waitSignal(crumbs.level_requested) as blocker:
        qtbot.mouseClick(crumbs.buttons[1], Qt.MouseButton.LeftButton)
    assert blocker.args == [("map",)]
    with qtbot.waitSignal(crumbs.level_requested) as blocker:
        qtbot.mouseClick(crumbs.buttons[0], Qt.MouseButton.LeftButton)
    assert blocker.args == [()]


def test_recent_files_most_recent_first_without_repeats(tmp_path):
    settings = make_settings(tmp_path / "settings.ini")
    assert recent_files(settings) == []
    for name in ("a", "b", "a"):
        add_recent_file(settings, str(tmp_path / f"{name}.pflow"))
    assert recent_files(settings) == [str(tmp_path / "a.pflow"), str(tmp_path / "b.pflow")]
    for index in range(MAX_RECENT + 3):
        add_recent_file(settings, str(tmp_path / f"{index}.pflow"))
    assert len(recent_files(settings)) == MAX_RECENT
    settings.sync()
    again = make_settings(tmp_path / "settings.ini")
    assert recent_files(again)[0] == str(tmp_path / f"{MAX_RECENT + 2}.pflow")
    remove_recent_file(again, str(tmp_path / f"{MAX_RECENT + 2}.pflow"))
    assert len(recent_files(again)) == MAX_RECENT - 1
