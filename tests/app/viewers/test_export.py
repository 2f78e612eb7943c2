"""Export round-trips: what is written as JSON, CSV, .npy or PNG reads back as the value; the Export button's
file dialog writes the chosen file."""

from __future__ import annotations

import csv
import json

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog

from pflow_studio.app.viewers.export import CSV, JSON, NPY, PNG, export, formats
from tests.support.viewers import shown_frame


def read_csv(path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as stream:
        return list(csv.reader(stream))


def test_plain_values_and_arrays_round_trip_through_json(tmp_path):
    value = {"a": [1, 2.5, None, True], "b": {"c": "text"}, "d": (1, 2)}
    export(value, tmp_path / "v.json", JSON)
    assert json.loads((tmp_path / "v.json").read_text()) == {**value, "d": [1, 2]}
    export([np.arange(3), np.float32(0.5)], tmp_path / "a.json", JSON)
    assert json.loads((tmp_path / "a.json").read_text()) == [[0, 1, 2], 0.5]
    with pytest.raises(TypeError):
        export([object()], tmp_path / "o.json", JSON)


def test_tables_round_trip_through_csv(tmp_path):
    export([1.5, 2.5], tmp_path / "list.csv", CSV)
    assert read_csv(tmp_path / "list.csv") == [["index", "value"], ["0", "1.5"], ["1", "2.5"]]
    export([{"x": 1, "y": "a"}, {"x": 2, "z": 3}], tmp_path / "records.csv", CSV)
    assert read_csv(tmp_path / "records.csv") == [["x", "y", "z"], ["1", "a", ""], ["2", "", "3"]]
    matrix = np.arange(6.0).reshape(2, 3)
    export(matrix, tmp_path / "matrix.csv", CSV)
    assert np.array_equal(np.loadtxt(tmp_path / "matrix.csv", delimiter=",", skiprows=1), matrix)
    frame = pd.DataFrame({"a": [1, 2], "b": [0.5, 1.5]}, index=["r1", "r2"])
    export(frame, tmp_path / "frame.csv", CSV)
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "frame.csv", index_col=0), frame)


def test_arrays_round_trip_through_npy(tmp_path):
    array = np.random.default_rng(0).random((3, 4, 5))
    export(array, tmp_path / "a.npy", NPY)
    assert np.array_equal(np.load(tmp_path / "a.npy"), array)
    assert formats(array) == [NPY, JSON]  # 3-D: no CSV
    with pytest.raises(ValueError, match="cannot be exported as NPY"):
        export([1, 2], tmp_path / "l.npy", NPY)


def test_images_and_figures_round_trip_through_png(tmp_path):
    image = np.zeros((10, 20, 3), np.uint8)
    image[:, 10:] = (0, 200, 0)
    export(image, tmp_path / "image.png", PNG)
    read = QImage(str(tmp_path / "image.png"))
    assert (read.width(), read.height()) == (20, 10)
    assert read.pixelColor(15, 5).getRgb()[:3] == (0, 200, 0) and read.pixelColor(2, 5).getRgb()[:3] == (0, 0, 0)
    figure = Figure(figsize=(2, 1.5), dpi=100)
    figure.add_subplot().plot([0, 1], [1, 0])
    export(figure, tmp_path / "figure.png", PNG)
    assert QImage(str(tmp_path / "figure.png")).size().toTuple() == (200, 150)
    export((tmp_path / "figure.png").read_bytes(), tmp_path / "copy.png", PNG)
    assert (tmp_path / "copy.png").read_bytes() == (tmp_path / "figure.png").read_bytes()


def test_the_export_button_writes_the_file_the_dialog_names(qtbot, tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(target), ""))
    frame = shown_frame(qtbot, [3, 4], title="Node.result")
    actions = [action.text() for action in frame.export_button.menu().actions()]
    assert actions == ["as JSON…", "as CSV…"]
    assert frame.export_with_dialog(CSV) == target
    assert read_csv(target) == [["index", "value"], ["0", "3"], ["1", "4"]]
