"""Readable text on node colours: WCAG 2 relative luminance and contrast ratio, and the text colour (light or
dark) that reads best on a node's title bar and body."""

from __future__ import annotations

from collections.abc import Sequence

RGB = tuple[int, int, int]
LIGHT_TEXT: RGB = (236, 239, 244)
DARK_TEXT: RGB = (22, 24, 28)
TITLE_SHADE = 80 / 255
"""NodeGraphQt darkens a node's title bar with black at alpha 80."""


def relative_luminance(rgb: RGB) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0 black .. 1 white)."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB, b: RGB) -> float:
    """WCAG 2 contrast ratio of two colours, 1 to 21 (4.5 is the minimum for body text)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def title_background(node_rgb: RGB) -> RGB:
    """The colour of a node's title bar: its colour under NodeGraphQt's shade."""
    return tuple(round(c * (1 - TITLE_SHADE)) for c in node_rgb)  # type: ignore[return-value]


def readable_text(backgrounds: Sequence[RGB]) -> RGB:
    """LIGHT_TEXT or DARK_TEXT, whichever has the better worst contrast on `backgrounds`."""
    return max((LIGHT_TEXT, DARK_TEXT), key=lambda text: min(contrast_ratio(text, bg) for bg in backgrounds))


def node_text_color(node_rgb: RGB) -> RGB:
    """The text colour for a node's title and port labels (on its title bar and its body)."""
    return readable_text([node_rgb, title_background(node_rgb)])
