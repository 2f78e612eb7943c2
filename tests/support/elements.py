"""Element store blocks for tests, written with the store's API (not by running a Map)."""

from __future__ import annotations

import time
from array import array
from collections.abc import Sequence

from pflow_studio.runtime.element_store.blocks import block_row
from pflow_studio.runtime.element_store.records import FAILED, OK
from pflow_studio.runtime.element_store.store import ElementStore
from pflow_studio.runtime.element_table import OutcomeBlock
from pflow_studio.runtime.keys import KEY_BYTES

GROUP = b"group-01"


def digest(number: int) -> bytes:
    """A made-up element digest (never the no-key digest)."""
    return (number + 1).to_bytes(KEY_BYTES, "big")


def key(number: int, group: bytes = GROUP) -> bytes:
    """The whole key of `digest(number)`."""
    return group + digest(number)


def block(indices: Sequence[int], failed: Sequence[int] = (), values: dict[int, object] | None = None,
          errors: dict[int, str] | None = None) -> OutcomeBlock:
    """Elements `indices`: outputs {"y": i * 10} (or `values[i]`), failed where in `failed` (with 'ValueError: bad'
    or `errors[i]`), engine 1 on host 'h', from 100 + i to 101.5 + i, printing 'out i'."""
    values, errors = values or {}, errors or {}
    failures = {o: (errors.get(i, "ValueError: bad"), "Traceback ...") for o, i in enumerate(indices) if i in failed}
    return OutcomeBlock(0, ("y",), [[None if i in failed else values.get(i, i * 10) for i in indices]],
                        array("d", [100.0 + i for i in indices]), array("d", [101.5 + i for i in indices]), failures,
                        {o: (f"out {i}", "") for o, i in enumerate(indices)}, 1, "h")


def write(store: ElementStore, indices: Sequence[int], *, run: int | None = None, failed: Sequence[int] = (),
          keys: Sequence[int] | None = None, group: bytes = GROUP, body: str = "body", used: float | None = None,
          values: dict[int, object] | None = None, errors: dict[int, str] | None = None) -> None:
    """Store one block of elements `indices` (see `block`; input x = i, digest `digest(keys[k] or i)`) as
    part of `run`."""
    digests = b"".join(digest(number) for number in (keys if keys is not None else indices))
    row = block_row(group, body, block(indices, failed, values, errors), digests, [], (("x",), [list(indices)]),
                    time.time() if used is None else used)
    status = bytes(FAILED if index in failed else OK for index in indices)
    store.write_blocks(run, [(row, list(indices), status)])


def digests(numbers: Sequence[int | None]) -> bytes:
    """The digests of `numbers` in order (the no-key digest for None)."""
    return b"".join(bytes(KEY_BYTES) if number is None else digest(number) for number in numbers)


def served(store: ElementStore, numbers: Sequence[int | None], group: bytes = GROUP) -> dict[int, object]:
    """What the store serves for elements whose digests are `digest(numbers[i])`: position -> outputs."""
    found = store.find(group, digests(numbers))
    return {index: block.value(offset) for block, at in store.serve(found) for offset, index in enumerate(at)}
