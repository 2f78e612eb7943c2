"""plain_json: what a project file may hold, and where a bad value sits."""

from __future__ import annotations

import enum
import math

import pytest

from pflow_studio.common.plain_json import NotPlainJSON, is_plain, to_plain


class Level(enum.IntEnum):
    HIGH = 3


class Name(str):
    pass


def test_copies_tuples_as_lists_sorts_keys_and_drops_subclasses():
    source = {"b": (1, Level.HIGH), "a": [Name("x"), {"z": True, "y": None}], "c": 2.5}
    plain = to_plain(source)
    assert plain == {"a": ["x", {"y": None, "z": True}], "b": [1, 3], "c": 2.5}
    assert list(plain) == ["a", "b", "c"] and list(plain["a"][1]) == ["y", "z"]
    assert type(plain["b"][1]) is int and type(plain["a"][0]) is str
    assert plain["a"] is not source["a"]  # a copy, not a view


@pytest.mark.parametrize(
    ("value", "location", "reason"),
    [
        ({"s": {1}}, "['s']", "set {1} is not plain JSON"),
        ([0, [math.nan]], "[1][0]", "nan is not allowed"),
        ({"k": -math.inf}, "['k']", "-inf is not allowed"),
        ({"k": {3: 1}}, "['k']", "key 3 (int) is not text"),
        (["\udcff"], "[0]", "unpaired surrogate"),
        (b"bytes", "", "bytes b'bytes' is not plain JSON"),
        (10 ** 5000, "", "an integer this large cannot be written as text"),
    ],
    ids=["set", "nan", "inf", "int-key", "surrogate", "bytes", "huge-int"],
)
def test_rejections_say_what_and_where(value, location, reason):
    with pytest.raises(NotPlainJSON) as info:
        to_plain(value)
    assert info.value.location == location and reason in info.value.reason
    assert not is_plain(value)


def test_a_value_containing_itself_is_rejected_but_shared_parts_are_fine():
    shared = [1, 2]
    assert to_plain({"a": shared, "b": shared}) == {"a": [1, 2], "b": [1, 2]}
    loop: dict = {}
    loop["me"] = loop
    with pytest.raises(NotPlainJSON, match="contains itself"):
        to_plain(loop)


def test_long_reprs_are_cut():
    with pytest.raises(NotPlainJSON) as info:
        to_plain(frozenset(range(1000)))
    assert len(info.value.reason) < 200 and "..." in info.value.reason
