"""Every pane that shows an error shows the user's code first: the message, then the line of the node's code
that raised it, then the traceback with pflow-studio's frames folded; tall enough to be read at once."""

from __future__ import annotations

from pflow_studio.runtime.model import Workflow
from tests.support.window import run_window

CODE = "def ratio(v):\n    return 10 // v\n\ny = ratio(x)\n"
AT_LINE = "  at line 2 of the code, in ratio:  return 10 // v"


def _failing() -> Workflow:
    workflow = Workflow()
    workflow.add_node("py.code", {"code": CODE, "inputs": ["x"], "outputs": ["y"]}, id="code", label="Ratio",
                      inputs={"x": 0})
    return workflow


def test_a_long_message_wraps_in_the_pane_instead_of_running_off_its_side(qtbot):
    from pflow_studio.app.traceback_view import TracebackView

    view = TracebackView()
    qtbot.addWidget(view)
    view.resize(300, 200)
    view.show()
    view.show_error("stopped at max_iterations (20): the condition 'go_on' was still true after the last "
                    "iteration; raise max_iterations or check the condition", "")
    assert view.horizontalScrollBar().maximum() == 0
    assert view.document().documentLayout().documentSize().height() > 1  # more than one line: wrapped


def test_the_errors_panel_and_the_results_dock_show_the_failing_line_first(qtbot, window):
    window.canvas.set_workflow(_failing())
    assert run_window(qtbot, window).status == "failed"
    trace = window.errors.trace
    qtbot.waitUntil(trace.isVisible, timeout=3000)  # a failed run shows the Errors panel
    lines = trace.toPlainText().splitlines()
    assert lines[:2] == ["ZeroDivisionError: integer division or modulo by zero", AT_LINE]
    assert "pflow-studio frames …" in trace.toPlainText() and "level_run.py" not in trace.toPlainText()
    assert trace.verticalScrollBar().value() == 0
    assert trace.viewport().height() >= 6 * trace.fontMetrics().lineSpacing()  # more than those two lines
    window.errors.show_all.setChecked(True)
    assert "level_run.py" in trace.toPlainText() and trace.toPlainText().splitlines()[1] == AT_LINE
    assert window.canvas.view_node("code").view._pf_badge.toolTip().splitlines()[:2] == lines[:2]  # on the canvas
    window.canvas.select(["code"])
    results = window.results
    assert results.frames() == [] and results.note.text().startswith("This node failed in the last run.")
    assert results.error_view.toPlainText().splitlines()[:2] == lines[:2]
