"""json_layout: valid JSON equal to the input, indent 2, short scalar containers on one line."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pflow_studio.project import layout as json_layout
from pflow_studio.project.layout import pretty

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_reads_back_equal(value):
    assert json.loads(pretty(value)) == value


@settings(max_examples=100, deadline=None)
@given(values)
def test_without_one_line_containers_it_is_json_dumps_indent_2(value):
    saved = json_layout.ONE_LINE_WIDTH
    json_layout.ONE_LINE_WIDTH = -1
    try:
        assert pretty(value) == json.dumps(value, indent=2, ensure_ascii=False)
    finally:
        json_layout.ONE_LINE_WIDTH = saved


def test_short_scalar_containers_stay_on_one_line():
    value = {"pos": [1.0, 2.0], "edge": {"source": "a", "target": "b"}, "long": list(range(50)), "nested": [[1]]}
    assert pretty(value) == (
        '{\n  "pos": [1.0, 2.0],\n  "edge": {"source": "a", "target": "b"},\n  "long": [\n'
        + ",\n".join(f"    {i}" for i in range(50))
        + '\n  ],\n  "nested": [\n    [1]\n  ]\n}'
    )


def test_non_ascii_is_kept_and_empty_containers_are_compact():
    assert pretty({"é": "✓", "e": [], "o": {}}) == '{\n  "é": "✓",\n  "e": [],\n  "o": {}\n}'
