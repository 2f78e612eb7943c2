"""The Work items table's preview column: the output column shows a thumbnail beside the text of an element whose
output is a picture (a figure here, as the plot nodes give), text alone otherwise; thumbnails are drawn only for
the rows on screen, a few at a time, and kept."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QIcon

from pflow_studio.app.work_items.item_model import OUTPUT_COLUMN
from tests.support.pictures import heat, line_figure
from tests.support.work_items import picture_run_shown, thumbnails_drawn

pytestmark = pytest.mark.timeout(180)


def shown(qtbot, window, count: int, output, failed_every: int = 0):
    return picture_run_shown(qtbot, window, count, output, failed_every=failed_every)


def decoration(panel, row: int):
    model = panel.model
    return model.data(model.index(row, OUTPUT_COLUMN), 1)  # Qt.DecorationRole


def test_a_figure_output_shows_a_thumbnail_and_other_outputs_text(qtbot, window):
    panel = shown(qtbot, window, 6, lambda i: line_figure(i) if i % 2 == 0 else i * 10, failed_every=6)
    model = panel.model
    icon = decoration(panel, 0)
    assert isinstance(icon, QIcon) and not icon.isNull()
    image = icon.pixmap(panel.table.iconSize()).toImage()
    assert len({image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}) > 3
    assert "Figure" in model.data(model.index(0, OUTPUT_COLUMN))  # the text stays beside it
    assert decoration(panel, 1) is None and model.data(model.index(1, OUTPUT_COLUMN)) == "10"
    assert decoration(panel, 5) is None and "ValueError" in model.data(model.index(5, OUTPUT_COLUMN))  # failed
    assert panel.table.rowHeight(0) >= 36 and panel.table.iconSize().height() == 36  # rows made room


def test_text_outputs_keep_one_line_rows(qtbot, window):
    panel = shown(qtbot, window, 20, lambda i: i * 2)
    assert decoration(panel, 0) is None and panel.model.thumbnails.renders == 0
    assert panel.table.rowHeight(0) < 30


def test_only_the_rows_on_screen_are_drawn(qtbot, window):
    count = 10_000
    panel = shown(qtbot, window, count, heat)
    table, cache = panel.table, panel.model.thumbnails
    visible = table.rowAt(table.viewport().height() - 1) - table.rowAt(0) + 1
    assert 0 < visible < 100
    assert 0 < cache.renders <= 2 * visible + 5  # (rows grew taller once the first picture came)
    assert decoration(panel, table.rowAt(0)) is not None
    before = cache.renders
    table.scrollToBottom()
    thumbnails_drawn(qtbot, panel)
    assert cache.renders - before <= 2 * visible + 5
    assert decoration(panel, count - 1) is not None
    after = cache.renders
    table.scrollToTop()
    thumbnails_drawn(qtbot, panel)
    assert cache.renders == after  # the top rows' thumbnails were kept
