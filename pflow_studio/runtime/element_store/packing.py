"""Index sequences and per-element statuses packed into compact blobs (the `run_parts` columns).

`pack_indices` keeps runs of consecutive indices as (start, length) pairs of int64, so a contiguous range of a
million indices is 16 bytes; `unpack_indices` gives a `range` back when there is one run. `pack_status` keeps
one byte when every element has the same status.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence


def pack_indices(indices: Sequence[int]) -> bytes:
    """`indices` as (start, length) pairs of consecutive runs (int64, native order)."""
    if isinstance(indices, range) and indices.step == 1:
        return array("q", (indices.start, len(indices))).tobytes() if len(indices) else b""
    pairs = array("q")
    start = previous = None
    for index in indices:
        if previous is not None and index == previous + 1:
            previous = index
            continue
        if start is not None:
            pairs.extend((start, previous - start + 1))
        start = previous = index
    if start is not None:
        pairs.extend((start, previous - start + 1))
    return pairs.tobytes()


def unpack_indices(blob: bytes | None) -> Sequence[int]:
    """The indices `pack_indices` packed: a `range` for one run, else a list."""
    pairs = array("q", blob or b"")
    if len(pairs) == 2:
        return range(pairs[0], pairs[0] + pairs[1])
    indices: list[int] = []
    for start, length in zip(pairs[::2], pairs[1::2], strict=True):
        indices.extend(range(start, start + length))
    return indices


def pack_status(status: bytes | bytearray) -> bytes:
    """One byte when every element has the same status, else a byte per element."""
    if status and status.count(status[0]) == len(status):
        return bytes(status[:1])
    return bytes(status)


def unpack_status(blob: bytes, count: int) -> bytes:
    """A status byte per element from `pack_status`'s blob."""
    return blob * count if len(blob) == 1 else blob
