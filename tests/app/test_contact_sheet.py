"""The Work items contact sheet: a tile per element of the shown run (the table's rows: same filter and order) with
the thumbnail of its plot, framed in its status colour; only tiles on screen are drawn; a click on a tile makes
that element the current one in the table and the detail, and the table's current row is the sheet's."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from pflow_studio.app.work_items.texts import status_color
from tests.support.pictures import colours, heat, line_figure
from tests.support.work_items import picture_run_shown, thumbnails_drawn

pytestmark = pytest.mark.timeout(180)


def sheet_of(qtbot, window, count: int, output, failed_every: int = 0):
    return picture_run_shown(qtbot, window, count, output, failed_every=failed_every, sheet=True)


def tiles_on_screen(sheet) -> list[int]:
    """The work-item rows of the tiles in view."""
    viewport = sheet.viewport().rect()
    return [row for row in range(sheet.sheet.count) if sheet.visualRect(sheet.sheet.cell(row)).intersects(viewport)]


def test_a_tile_per_element_with_its_plot_framed_in_its_status_colour(qtbot, window):
    panel = sheet_of(qtbot, window, 12, line_figure, failed_every=6)
    sheet, model = panel.sheet, panel.sheet.model()
    assert model.count == 12
    assert window.work_items.dock.height() >= 0.5 * window.height()  # the docks grew: tiles need room
    shown = tiles_on_screen(sheet)
    assert {0, 5, 6} <= set(shown), "the dock shows a few rows of tiles"
    assert model.data(model.cell(0)) == "0" and model.data(model.cell(5)) == "5"
    assert "failed" in model.data(model.cell(5), Qt.ItemDataRole.ToolTipRole)
    assert panel.model.thumbnails.renders == 10 and sorted(panel.model._asked) == []  # the 10 ok ones, once each
    picture = sheet.viewport().grab().toImage()
    tiles = {row: picture.copy(sheet.visualRect(model.cell(row))) for row in (0, 5)}
    assert len(colours(tiles[0])) > 20, "the plot is drawn in its tile"
    assert len(colours(tiles[5])) < len(colours(tiles[0])) / 2, "a failed element's tile has no plot"
    for row, status in ((0, "ok"), (5, "failed")):
        frame = tiles[row].pixelColor(tiles[row].width() // 2, 2)
        assert (frame.red(), frame.green(), frame.blue()) == status_color(status)


def test_a_click_on_a_tile_shows_that_element_and_the_tables_current_row_is_the_sheets(qtbot, window):
    panel = sheet_of(qtbot, window, 12, line_figure, failed_every=6)
    sheet, model = panel.sheet, panel.sheet.model()
    qtbot.mouseClick(sheet.viewport(), Qt.MouseButton.LeftButton, pos=sheet.visualRect(model.cell(4)).center())
    assert panel.table.currentIndex().row() == 4 and panel.current_item().index == 4
    assert panel.detail.title.text().startswith("Element 4: ok")
    assert panel.detail.shown is not None and panel.detail.console_action.isEnabled()
    panel.select_rows([9])
    assert sheet.current_row() == 9 and panel.detail.title.text().startswith("Element 9")


def test_the_sheet_shows_the_tables_rows(qtbot, window):
    panel = sheet_of(qtbot, window, 12, line_figure, failed_every=6)
    panel.filters[1].setChecked(False)  # ok ones hidden: the two failed remain
    qtbot.waitUntil(lambda: panel.sheet.model().count == 2, timeout=10_000)
    assert [panel.sheet.model().data(panel.sheet.model().cell(row)) for row in range(2)] == ["5", "11"]


def test_ten_thousand_elements_only_the_tiles_on_screen_are_drawn(qtbot, window):
    count = 10_000
    panel = sheet_of(qtbot, window, count, heat)
    sheet, cache = panel.sheet, panel.model.thumbnails
    assert sheet.model().count == count
    shown = tiles_on_screen(sheet)
    assert 0 < len(shown) < 100 and cache.renders <= len(shown) + 5
    sheet.scrollToBottom()
    thumbnails_drawn(qtbot, panel)
    last = tiles_on_screen(sheet)
    assert count - 1 in last
    assert sheet.model().data(sheet.model().cell(count - 1), Qt.ItemDataRole.DecorationRole) is not None
    assert cache.renders <= len(shown) + len(last) + 10
