"""A Map run of 100,000 elements (written with the store API, not run) in the Work items view: it opens with
every row counted but only the pages on screen read, scrolls to the end reading a page or two, keeps at most
`KEPT_PAGES` pages whatever is scrolled through, and filters and sorts in the store."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from pflow_studio.app.work_items.item_model import KEPT_PAGES, PAGE_ROWS
from tests.support.work_items import big_run, column, scoring_map

pytestmark = pytest.mark.timeout(180)
COUNT = 100_000


@pytest.fixture
def big(qtbot, window):
    """The window with a Map 'map' on its canvas whose last run in the store has 100,000 elements (every 50th
    failed); the view is not showing it yet."""
    window.canvas.set_workflow(scoring_map())
    big_run(window.work_items.store, "", ("map",), COUNT)
    return window


def shown_rows(panel) -> list[str]:
    """The '#' texts of the rows on screen."""
    table, model = panel.table, panel.model
    first = table.rowAt(0)
    last = table.rowAt(table.viewport().height() - 1)
    last = model.rowCount() - 1 if last < 0 else last
    return [model.data(model.index(row, 0)) for row in range(first, last + 1)]


def test_it_opens_counting_every_row_but_reading_only_what_is_shown(qtbot, big):
    big.work_items.open_on(("map",))
    panel = big.work_items.panel
    qtbot.wait(50)  # paint
    assert panel.model.rowCount() == COUNT
    assert "100,000 elements: 98,000 ok, 2,000 failed" in panel.header.text()
    assert shown_rows(panel)[0] == "0" and panel.model.pages_read == 1
    panel.table.scrollToBottom()
    qtbot.wait(50)
    assert shown_rows(panel)[-1] == str(COUNT - 1)
    assert panel.model.pages_read <= 3 and panel.model.kept_pages <= 3
    for row in range(0, COUNT, COUNT // 40):  # jump about: pages come and go, never more than kept
        panel.table.scrollTo(panel.model.index(row, 0))
        qtbot.wait(1)
        assert str(row) in shown_rows(panel)
    assert panel.model.kept_pages <= KEPT_PAGES
    assert panel.model.pages_read <= 3 + 40 * 2


def test_filters_and_sorts_are_done_in_the_store(qtbot, big):
    big.work_items.open_on(("map",))
    panel = big.work_items.panel
    panel.filters[1].setChecked(False)  # ok: the 2,000 failed remain
    assert panel.model.rowCount() == 2_000 and shown_rows(panel)[:2] == ["49", "99"]
    panel.filters[1].setChecked(True)
    panel.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # Inputs
    qtbot.waitUntil(lambda: not panel.model.loading and panel.model.wanted.order == "input", timeout=60_000)
    assert panel.model.rowCount() == COUNT
    assert shown_rows(panel)[:3] == ["99999", "99998", "99997"]  # '99999' > '99998' > ... as text
    reads = panel.model.pages_read
    panel.table.scrollToBottom()
    qtbot.wait(50)
    assert shown_rows(panel)[-1] == "0" and panel.model.pages_read - reads <= 2
    assert len(panel.model.listing.order) == COUNT and panel.model.listing.order.itemsize == 8
    assert panel.model.kept_pages * PAGE_ROWS < 5_000


def test_a_search_of_a_big_run(qtbot, big):
    big.work_items.open_on(("map",))
    panel = big.work_items.panel
    panel.search.setText("bad 4999")
    qtbot.waitUntil(lambda: not panel.model.loading and panel.model.wanted.search == "bad 4999", timeout=60_000)
    assert column(panel, "#") == ["4999", "49999"]
