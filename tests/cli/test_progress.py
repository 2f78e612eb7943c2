"""The headless runner's progress bar: nodes of the run, each running Map, and its elements from the store;
warnings (a While stopped at max_iterations) on lines of their own."""

from __future__ import annotations

import io

from pflow_studio.cli.progress import ProgressBar
from pflow_studio.runtime import events as ev


def test_the_bar_shows_the_run_and_each_map_with_its_stored_elements():
    bar = ProgressBar(io.StringIO(), labels={"map": "Squares"})
    bar(ev.Event(ev.PROGRESS, (), done=1, total=4))
    bar(ev.Event(ev.PROGRESS, ("map",), done=200, total=1000, details={"stored": 200}))
    assert bar.line() == "[######------------------] 1/4 nodes | Squares 200/1000 (200 from the store)"
    bar(ev.Event(ev.PROGRESS, ("map",), done=240, total=1000, details={"stored": 200}))
    assert bar.line().endswith("| Squares 240/1000 (200 from the store)")
    bar(ev.Event(ev.PROGRESS, ("map",), done=1000, total=1000, details={"stored": 200}))
    assert bar.line() == "[######------------------] 1/4 nodes"  # a finished Map leaves the bar


def test_a_map_with_nothing_stored_shows_only_its_count_and_a_log_gets_whole_lines():
    stream = io.StringIO()
    bar = ProgressBar(stream, labels={"m": "Map"})
    bar(ev.Event(ev.PROGRESS, ("m",), done=3, total=10, details={"stored": 0}))
    bar.finish()
    assert stream.getvalue().splitlines()[-1] == "[------------------------] 0/0 nodes | Map 3/10"


def test_a_warning_is_printed_on_a_line_of_its_own():
    stream = io.StringIO()
    bar = ProgressBar(stream, labels={"loop": "Converge"})
    bar(ev.Event(ev.WARNING, ("loop",), message="stopped at max_iterations (20)"))
    assert stream.getvalue() == "warning: Converge: stopped at max_iterations (20)\n"
