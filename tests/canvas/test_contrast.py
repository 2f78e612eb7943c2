"""Node titles and port labels read on every node colour: the text colour is opaque and chosen by the node
colour's luminance, with a WCAG contrast of at least 4.5 on the title bar and the body."""

from __future__ import annotations

import pytest

from pflow_studio.canvas.contrast import DARK_TEXT, LIGHT_TEXT, contrast_ratio, title_background
from pflow_studio.canvas.node_classes import (
    CATEGORY_COLORS,
    DEFAULT_COLOR,
    PSEUDO_COLOR,
    UNKNOWN_COLOR,
    ViewSpec,
    create_view_node,
)

COLOURS = [*CATEGORY_COLORS.values(), DEFAULT_COLOR, UNKNOWN_COLOR, PSEUDO_COLOR, (200, 200, 190), (250, 220, 60)]


def test_contrast_ratio_is_wcags():
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("colour", COLOURS)
def test_node_text_reads_on_its_colour(qtbot, colour):
    node = create_view_node(ViewSpec("math.add", "Add", (("a", "int"),), (("result", "int"),), colour), "n1")
    text = tuple(node.model.text_color)
    assert text[3] == 255 and text[:3] in (LIGHT_TEXT, DARK_TEXT)
    for background in (colour, title_background(colour)):
        assert contrast_ratio(text[:3], background) >= 4.5


def test_a_node_on_the_canvas_draws_its_title_in_that_colour(canvas):
    canvas.add_node("cf.and", (0.0, 0.0))  # a Control Flow node: dark red
    item = canvas.view_node(next(iter(canvas.workflow().nodes))).view
    drawn = item._text_item.defaultTextColor()
    assert (drawn.red(), drawn.green(), drawn.blue(), drawn.alpha()) == (*LIGHT_TEXT, 255)
