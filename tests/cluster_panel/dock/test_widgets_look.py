"""The Cluster dock's controls under the app's stylesheet: the Engines spin box draws its up/down arrows, and
the Cleanup menu button leaves room for its arrow beside the text instead of drawing it over the text."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction, QColor, QImage
from PySide6.QtWidgets import QHBoxLayout, QStyle, QStyleOptionSpinBox, QWidget

from pflow_studio.app.resources import stylesheet
from pflow_studio.cluster_panel.dock import widgets

LIT = 150  # a lightness the controls' text and arrows reach, and their backgrounds do not


@pytest.fixture
def styled(qtbot):
    """A shown widget with the app's stylesheet, holding the engine count and the Cleanup button."""
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.setStyleSheet(stylesheet())
    row = QHBoxLayout(parent)
    parent.spin = widgets.engine_count(parent)
    parent.cleanup = widgets.cleanup_button(parent, [QAction("Terminate", parent)])
    row.addWidget(parent.spin)
    row.addWidget(parent.cleanup)
    parent.resize(360, 50)
    parent.show()
    qtbot.waitExposed(parent)
    return parent


def lit(image: QImage, x: int, y: int) -> bool:
    return QColor(image.pixel(x, y)).lightness() >= LIT


def test_spin_box_draws_its_arrows(styled):
    spin = styled.spin
    option = QStyleOptionSpinBox()
    spin.initStyleOption(option)
    image = spin.grab().toImage()
    for control in (QStyle.SubControl.SC_SpinBoxUp, QStyle.SubControl.SC_SpinBoxDown):
        rect = spin.style().subControlRect(QStyle.ComplexControl.CC_SpinBox, option, control, spin)
        assert rect.width() >= 14 and rect.height() >= 10
        arrow = [(x, y) for x in range(rect.left(), rect.right() + 1) for y in range(rect.top(), rect.bottom() + 1)
                 if lit(image, x, y)]
        assert len(arrow) >= 6, f"no arrow drawn in {rect}"


def test_cleanup_arrow_stands_beside_its_text(styled):
    button = styled.cleanup
    text_width = button.fontMetrics().horizontalAdvance(button.text())
    assert button.sizeHint().width() >= text_width + 12 + 10  # the text, the arrow, and padding around them
    image = button.grab().toImage()
    columns = [x for x in range(image.width()) if any(lit(image, x, y) for y in range(image.height()))]
    runs: list[list[int]] = []
    for x in columns:
        if runs and x == runs[-1][-1] + 1:
            runs[-1].append(x)
        else:
            runs.append([x])
    arrow, before = runs[-1], runs[-2]
    assert len(arrow) <= 12 and arrow[0] - before[-1] >= 4, "the arrow touches the text"
