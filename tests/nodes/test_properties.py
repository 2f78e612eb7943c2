"""The one check of property values (`nodes.properties`): types, list items, choices, ranges, null, unknown
names, and messages that say what was expected."""

from __future__ import annotations

import pytest

from pflow_studio.nodes.api import Prop
from pflow_studio.nodes.properties import expected, fits, property_problems
from pflow_studio.runtime.registry import default_registry

pytestmark = pytest.mark.fault

NAMES = Prop("mapped", list, [], items=str, expects="a list of input names")


@pytest.mark.parametrize(
    ("prop", "good", "bad"),
    [
        (Prop("n", int, 0), [0, -3, 10**400], [1.5, True, "1", None, [1]]),
        (Prop("x", float, 0.0), [0.5, 3, -10**300], [10**400, False, "1.0", None, {}]),
        (Prop("s", str, ""), ["", "x"], [5, None, ["x"], True]),
        (Prop("b", bool, False), [True, False], [0, 1, "true", None]),
        (Prop("l", list, []), [[], [1, "x", None]], ["[]", 5, {}, None]),
        (Prop("d", dict, None), [{}, {"a": 1}, None], [[], "x", 0]),
        (Prop("a", "any", 1), [None, 5, "x", [], {}], []),
        (NAMES, [[], ["a", "b"]], [5, "x", [1], ["a", None], [["a"]], None, True]),
        (Prop("c", str, "zip", choices=("zip", "product")), ["zip", "product"], ["zipp", 0, None, ["zip"]]),
        (Prop("k", int, 1, minimum=1, maximum=8), [1, 8], [0, 9, 10**400, -1]),
    ],
)
def test_fits(prop, good, bad):
    assert all(fits(prop, value) for value in good)
    assert not any(fits(prop, value) for value in bad)


def test_messages_name_the_property_and_what_it_takes():
    assert property_problems([NAMES], {"mapped": 5}) == ["property 'mapped' must be a list of input names, got 5"]
    assert property_problems([NAMES], {"mapped": "x"}) == ["property 'mapped' must be a list of input names, got 'x'"]
    assert expected(Prop("c", str, "zip", choices=("zip", "product"))) == "one of ['zip', 'product']"
    assert expected(Prop("k", int, 1, minimum=1, maximum=8)) == "a whole number (int) from 1 to 8"
    assert expected(Prop("k", float, 1.0, minimum=0)) == "a number (float) of at least 0"
    assert expected(Prop("l", list, [], items=int)) == "a list of whole numbers"


def test_a_property_left_out_takes_its_default():
    assert property_problems([NAMES], {}) == []


def test_a_name_the_type_does_not_declare_is_a_problem():
    assert property_problems([NAMES], {"maped": ["a"]}) == ["unknown property 'maped' (properties: ['mapped'])"]
    assert property_problems([], {"x": 1}) == ["unknown property 'x' (properties: none)"]


def test_long_values_are_cut_in_messages():
    [problem] = property_problems([NAMES], {"mapped": "y" * 500})
    assert len(problem) < 140 and problem.endswith("...")
    [problem] = property_problems([Prop("s", str, "")], {"s": 10**5000})
    assert problem == "property 's' must be text (str), got a number too long to show"


def test_every_registered_type_declares_defaults_that_fit():
    for node_type in default_registry():
        assert property_problems(node_type.properties, node_type.default_values()) == [], node_type.type_name
        assert node_type().check() == [] or node_type.type_name.startswith("core."), node_type.type_name
