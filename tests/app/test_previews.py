"""Thumbnails of picture values (app/previews.py): figures, PNG bytes, 2-D arrays as heatmaps, image arrays; text
values are not pictures; the cache draws a few at a time and keeps what it drew."""

from __future__ import annotations

import numpy
from PySide6.QtCore import QSize

from pflow_studio.app.previews import ThumbnailCache, is_picture, picture_of, thumbnail
from tests.support.pictures import colours, heat, line_figure, png_bytes

SIZE = QSize(128, 96)


def test_a_figure_becomes_a_small_picture_with_its_plot_drawn(qapp):
    image = thumbnail(line_figure(), SIZE)
    assert image is not None and image.width() <= 128 and image.height() <= 96
    assert max(image.width() / 128, image.height() / 96) == 1.0  # fits, aspect kept
    red = [c for c in colours(image) if (c >> 16) > 150 and (c >> 8 & 0xFF) < 120 and (c & 0xFF) < 120]
    assert red, "the red line is drawn"


def test_png_bytes_and_image_arrays_are_pictures(qapp):
    image = thumbnail(png_bytes(40, 20), SIZE)
    assert image is not None and (image.width(), image.height()) == (128, 64)
    left, right = image.pixel(5, 32) & 0xFFFFFF, image.pixel(122, 32) & 0xFFFFFF
    assert (left, right) == (0x0000FF, 0xFFFF00)
    rgb = numpy.zeros((10, 10, 3), numpy.uint8)
    rgb[..., 1] = 255
    assert thumbnail(rgb, QSize(10, 10)).pixel(5, 5) & 0xFFFFFF == 0x00FF00
    assert thumbnail(numpy.ones((4, 4, 4)), QSize(4, 4)).pixel(1, 1) & 0xFFFFFFFF == 0xFFFFFFFF


def test_a_2d_array_is_a_heatmap_from_its_min_to_its_max(qapp):
    values = heat(side=16)
    values[0, 15] = numpy.nan
    image = thumbnail(values, QSize(16, 16))
    low, high = image.pixelColor(0, 0), image.pixelColor(15, 15)
    assert low.blue() > low.red() and low.red() < 100 and high.red() > 200  # viridis: dark blue to yellow
    assert image.pixelColor(15, 0).alpha() == 0  # NaN: transparent
    assert thumbnail(numpy.zeros((3, 3)), QSize(3, 3)) is not None  # constant: one colour, no error
    big = thumbnail(numpy.random.default_rng(0).random((3000, 2000)), SIZE)
    assert big.height() == 96


def test_other_values_are_not_pictures(qapp):
    for value in (1, 2.5, "text", b"not a picture", [1, 2], {"y": 3}, numpy.arange(5), numpy.array([["a"]]), None):
        assert not is_picture(value) and thumbnail(value, SIZE) is None
    figure = line_figure()
    assert picture_of({"n": 1, "plot": figure, "other": png_bytes()}) is figure
    assert picture_of({"n": 1}) is None and picture_of(figure) is figure


def test_the_cache_draws_when_asked_a_few_at_a_time_and_keeps_what_it_drew(qtbot):
    cache = ThumbnailCache(SIZE)
    asked = []

    def source(number):
        asked.append(number)
        return heat(number) if number % 2 == 0 else f"text {number}"

    assert all(cache.icon(n, lambda n=n: source(n)) is None for n in range(6))
    assert asked == []  # nothing drawn while asking
    with qtbot.waitSignals([cache.ready] * 6, timeout=10_000):
        pass
    assert sorted(asked) == list(range(6)) and cache.renders == 3
    assert cache.icon(0, lambda: source(0)) is not None and cache.icon(1, lambda: source(1)) is None
    assert cache.known(1) and not cache.is_picture(1) and cache.is_picture(2)
    assert sorted(asked) == list(range(6)) and cache.renders == 3  # kept, not drawn again
