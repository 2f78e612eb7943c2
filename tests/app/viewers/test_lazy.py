"""Big values open at once: the tables count every row but read only the cells on screen, the array statistics
are computed off the GUI thread, and a million-row table opens without blocking the event loop."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QPushButton

from pflow_studio.app.viewers.arrays import array_stats, stats_text
from pflow_studio.app.viewers.frame import ViewerFrame
from tests.support.ticks import ticking
from tests.support.viewers import shown_frame

pytestmark = pytest.mark.timeout(120)


def table_tab(frame):
    """An array viewer's table (the Table tab, made current)."""
    viewer = frame.viewer
    viewer.tabs.setCurrentWidget(viewer.table)
    return viewer.table


def test_a_ten_million_element_array_counts_its_rows_and_reads_only_what_is_shown(qtbot):
    array = np.arange(10_000_000, dtype=np.float64)
    frame = shown_frame(qtbot, array)
    table = table_tab(frame)
    qtbot.wait(50)
    model = frame.viewer.model
    assert model.rowCount() == 10_000_000 and model.columnCount() == 1
    assert 0 < model.cells_read < 1_000
    table.scrollToBottom()
    qtbot.wait(50)
    assert model.data(model.index(9_999_999, 0)) == "9999999.0"
    assert model.cells_read < 2_000
    qtbot.waitUntil(lambda: frame.viewer.stats is not None, timeout=30_000)
    assert frame.viewer.stats == {"min": 0.0, "max": 9_999_999.0, "mean": 4_999_999.5, "nan": 0}
    assert "max 1e+07" in frame.viewer.header.text()


def test_a_million_row_list_and_records_are_counted_not_read(qtbot):
    numbers = [i * 0.5 for i in range(1_000_000)]
    model = shown_frame(qtbot, numbers).viewer.model
    qtbot.wait(20)
    assert (model.rowCount(), model.columnCount()) == (1_000_000, 1)
    assert model.headerData(999_999, Qt.Orientation.Vertical) == "999999"  # the index column
    assert model.cells_read < 1_000
    records = [{"x": i, "y": str(i)} for i in range(1_000_000)]
    model = shown_frame(qtbot, records).viewer.model
    qtbot.wait(20)
    assert (model.rowCount(), model.columns) == (1_000_000, ["x", "y"])
    assert model.cells_read < 2_000


def test_a_two_d_array_and_a_frame_have_their_columns(qtbot):
    frame = shown_frame(qtbot, np.arange(12).reshape(3, 4))
    table_tab(frame)
    model = frame.viewer.model
    assert (model.rowCount(), model.columnCount(), model.data(model.index(2, 3))) == (3, 4, "11")
    data = pd.DataFrame({"a": np.arange(1_000_000), "b": np.linspace(0, 1, 1_000_000)}, index=np.arange(1_000_000) * 2)
    model = shown_frame(qtbot, data).viewer.model
    qtbot.wait(20)
    assert (model.rowCount(), model.columnCount()) == (1_000_000, 2)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "a\nint64"
    assert model.headerData(999_999, Qt.Orientation.Vertical) == "1999998"  # the frame's index
    assert model.cells_read < 2_000


def test_a_million_column_array_counts_its_columns_without_stretching_the_last(qtbot):
    """Qt measures every column to stretch the last one: seconds for a 10 x 1,000,000 array (a million columns)."""
    frame = shown_frame(qtbot, np.zeros((10, 1_000_000)))
    table = table_tab(frame)
    qtbot.wait(20)
    model = frame.viewer.model
    assert (model.rowCount(), model.columnCount()) == (10, 1_000_000)
    assert model.cells_read < 2_000
    assert not table.horizontalHeader().stretchLastSection()
    narrow = table_tab(shown_frame(qtbot, np.zeros((10, 3))))
    assert narrow.horizontalHeader().stretchLastSection()


def test_an_n_d_array_is_shown_slice_by_slice(qtbot):
    array = np.arange(2 * 3 * 4 * 5).reshape(2, 3, 4, 5)
    viewer = shown_frame(qtbot, array).viewer
    assert len(viewer.spins) == 2 and viewer.spins[1].maximum() == 2
    viewer.spins[0].setValue(1)
    viewer.spins[1].setValue(2)
    assert np.array_equal(viewer.shown(), array[1, 2])
    assert (viewer.model.rowCount(), viewer.model.columnCount()) == (4, 5)
    assert viewer.model.data(viewer.model.index(3, 4)) == str(array[1, 2, 3, 4])


def test_statistics_ignore_nan_and_count_it():
    values = np.array([1.0, np.nan, 3.0, np.nan])
    assert array_stats(values) == {"min": 1.0, "max": 3.0, "mean": 2.0, "nan": 2}
    assert array_stats(np.full(3, np.nan)) == {"nan": 3}
    assert array_stats(np.array(["a", "b"])) == {}
    assert stats_text(array_stats(values)) == "min 1   max 3   mean 2   NaN 2"
    assert math.isclose(array_stats(np.arange(5, dtype=np.int32))["mean"], 2.0)


def test_a_million_row_table_opens_without_blocking_the_event_loop_for_100_ms(qtbot):
    records = [{"x": i, "y": i * 0.5, "name": f"row {i}"} for i in range(1_000_000)]
    frames: list[ViewerFrame] = []

    def open_it() -> None:
        frame = ViewerFrame("records", records)
        frame.resize(900, 500)
        frame.show()
        frames.append(frame)

    with ticking(5) as ticks:
        qtbot.wait(100)
        QTimer.singleShot(0, open_it)
        qtbot.waitUntil(lambda: bool(frames) and frames[0].isVisible())
        qtbot.waitExposed(frames[0])
        qtbot.wait(200)
    qtbot.addWidget(frames[0])
    assert frames[0].viewer.model.rowCount() == 1_000_000
    assert len(ticks.times) > 10
    assert ticks.longest_gap() < 0.100, f"the event loop was blocked for {ticks.longest_gap() * 1000:.0f} ms"


def test_a_frame_cell_and_describe_open_their_own_values(qtbot):
    data = pd.DataFrame({"a": [1, 2, 3], "b": [0.5, 1.5, 2.5]}, index=["x", "y", "z"])
    viewer = shown_frame(qtbot, data).viewer
    opened = []
    viewer.open_value.connect(lambda title, value: opened.append((title, value)))
    viewer.table.doubleClicked.emit(viewer.model.index(2, 1))
    viewer.findChild(QPushButton).click()
    assert opened[0] == ("[z][b]", 2.5)
    pd.testing.assert_frame_equal(opened[1][1], data.describe())
