"""Plain JSON values: the only values a project file holds (never pickle, never code objects).

`to_plain(value)` returns a copy made only of None, bool, int, float, str, list and dict with str
keys, or raises `NotPlainJSON` saying what is wrong and where inside the value. On the way it turns
tuples into lists, subclasses of the allowed types into the base type, and sorts dict keys (so a
saved file does not depend on the order values were set). Rejected: NaN and infinity, non-str dict
keys, text that is not valid Unicode (lone surrogates), values that contain themselves, and every
other type (sets, paths, objects, functions...).
"""

from __future__ import annotations

from typing import Any

# Python refuses to turn longer integers into text (sys.get_int_max_str_digits); check only big ones.
_BIG_INT_BITS = 10_000


class NotPlainJSON(ValueError):
    """A value that a project file cannot hold; `location` is where inside the value (e.g. `["a"][2]`)."""

    def __init__(self, location: str, reason: str) -> None:
        self.location = location
        self.reason = reason
        super().__init__(f"{reason} at {location}" if location else reason)


def to_plain(value: Any) -> Any:
    """A plain-JSON copy of `value` (see the module docstring); raises `NotPlainJSON`."""
    return _convert(value, "", set())


def is_plain(value: Any) -> bool:
    """True when `to_plain` accepts `value`."""
    try:
        to_plain(value)
    except NotPlainJSON:
        return False
    return True


def _convert(value: Any, location: str, active: set[int]) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if value.bit_length() > _BIG_INT_BITS:
            try:
                str(value)
            except ValueError:
                raise NotPlainJSON(location, "an integer this large cannot be written as text") from None
        return int(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise NotPlainJSON(location, f"{value!r} is not allowed (JSON has no NaN or infinity)")
        return float(value)
    if isinstance(value, str):
        return _text(value, location)
    if isinstance(value, (list, tuple, dict)):
        if id(value) in active:
            raise NotPlainJSON(location, "the value contains itself")
        active.add(id(value))
        try:
            if isinstance(value, dict):
                return _convert_dict(value, location, active)
            return [_convert(item, f"{location}[{index}]", active) for index, item in enumerate(value)]
        finally:
            active.discard(id(value))
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    raise NotPlainJSON(location, f"{type(value).__name__} {shown} is not plain JSON "
                                 "(allowed: null, true/false, numbers, text, lists, objects with text keys)")


def _convert_dict(value: dict[Any, Any], location: str, active: set[int]) -> dict[str, Any]:
    for key in value:
        if not isinstance(key, str):
            raise NotPlainJSON(location, f"key {key!r} ({type(key).__name__}) is not text; JSON keys are text")
    return {
        _text(key, location): _convert(value[key], f"{location}[{key!r}]", active)
        for key in sorted(value)
    }


def _text(value: str, location: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = value[exc.start]
        raise NotPlainJSON(location, f"text {value[:40]!r} holds an unpaired surrogate {bad!r}, not valid Unicode") \
            from None
    return str(value)
