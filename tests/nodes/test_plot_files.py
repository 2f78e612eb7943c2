"""Save Figure: PNG or SVG by the file's suffix or the chosen format, the PNG's size by its dpi,
never cached, errors naming the path."""

from __future__ import annotations

import pytest

from pflow_studio.nodes.api import NodeError
from pflow_studio.nodes.library.plot_files import SaveFigure
from pflow_studio.nodes.library.plots import LinePlot


@pytest.fixture
def figure():
    return LinePlot({"title": "a line"}).compute(y=[1, 3, 2], x=None)["figure"]


def test_the_suffix_chooses_png_or_svg(tmp_path, figure):
    png, svg = tmp_path / "plot.png", tmp_path / "plot.SVG"
    assert SaveFigure().compute(figure=figure, path=png) == {"path": str(png)}
    SaveFigure().compute(figure=figure, path=str(svg))
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert b"<svg" in svg.read_bytes()[:1000] and b"a line" in svg.read_bytes()


def test_a_chosen_format_wins_over_the_suffix_and_dpi_sets_the_png_size(tmp_path, figure):
    target = tmp_path / "plot.out"
    SaveFigure({"format": "png", "dpi": 50.0}).compute(figure=figure, path=target)
    small = target.read_bytes()
    SaveFigure({"format": "png", "dpi": 100.0}).compute(figure=figure, path=target)
    assert small.startswith(b"\x89PNG") and _png_size(small) == (320, 240)
    assert _png_size(target.read_bytes()) == (640, 480)


def _png_size(data: bytes) -> tuple[int, int]:
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_errors_name_the_path_and_the_figure_is_never_cached(tmp_path, figure):
    with pytest.raises(NodeError, match=r"name it \.png or \.svg, or choose a format"):
        SaveFigure().compute(figure=figure, path=tmp_path / "plot.jpg")
    with pytest.raises(NodeError, match="no such file or folder"):
        SaveFigure().compute(figure=figure, path=tmp_path / "missing" / "plot.png")
    with pytest.raises(NodeError, match="input 'figure' must be a figure"):
        SaveFigure().compute(figure=[1, 2], path=tmp_path / "plot.png")
    assert not SaveFigure().is_cacheable()
