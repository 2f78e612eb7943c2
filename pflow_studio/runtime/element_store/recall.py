"""Finding a Map's stored elements by their digests, without a row per element.

`find(db, group, digests, skip)`: which of the Map's elements (digest i = element i, `keys.KEY_BYTES` each) have
a servable stored element, as `Found` (a block, offsets in it, the Map indices they serve). First the fast path:
the parts of the group's latest run, compared block by block (one blob comparison when the same inputs come
in the same order; element by element at the same indices otherwise). Then every element still unfound is
looked up in the key blobs of all the group's blocks (newest first), `SLICE` elements at a time, so that what
is held per element stays bounded. (`group`: the Map's key prefix, under which its blocks and runs are filed.)
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Collection, Iterator, Sequence

from pflow_studio.runtime.element_store.packing import unpack_indices
from pflow_studio.runtime.element_store.records import OK
from pflow_studio.runtime.keys import KEY_BYTES, NO_KEY

SLICE = 1 << 17  # unfound elements looked up per pass over the group's key blobs
FEW = 16  # up to this many unfound elements, each is searched for in a blob (quicker than a walk of it)


@dataclasses.dataclass(slots=True)
class Found:
    """Elements `offsets` of block `block` serve the Map's elements `at` (in the same order)."""

    block: int
    offsets: Sequence[int]
    at: Sequence[int]


def find(db: sqlite3.Connection, group: bytes, digests: bytes, skip: Collection[int] = ()) -> list[Found]:
    """See the module docstring. Elements in `skip`, or without a key, are not looked up."""
    total = len(digests) // KEY_BYTES
    claimed = bytearray(total)
    for index in skip:
        if 0 <= index < total:
            claimed[index] = 1
    found = _latest_run(db, group, digests, claimed)
    for start in range(0, total, SLICE):
        wanted: dict[bytes, list[int]] = {}
        for index in range(start, min(total, start + SLICE)):
            if not claimed[index]:
                digest = digests[index * KEY_BYTES:(index + 1) * KEY_BYTES]
                if digest != NO_KEY:
                    wanted.setdefault(digest, []).append(index)
        if wanted:
            found.extend(_by_key(db, group, wanted))
    return found


def _latest_run(db: sqlite3.Connection, group: bytes, digests: bytes, claimed: bytearray) -> list[Found]:
    """The elements served by the parts of the group's latest run at the indices they had there."""
    row = db.execute("SELECT id FROM runs WHERE grp = ? ORDER BY id DESC LIMIT 1", (group,)).fetchone()
    if row is None:
        return []
    total = len(claimed)
    found = []
    parts = db.execute("SELECT p.block, p.at, p.offsets, b.count, b.digests, b.status FROM run_parts p "
                       "JOIN blocks b ON b.id = p.block WHERE p.run = ? ORDER BY p.seq", (row[0],))
    for block, at_blob, offsets_blob, count, stored, status in parts:
        at = unpack_indices(at_blob)
        offsets = unpack_indices(offsets_blob) if offsets_blob is not None else range(len(at))
        whole = (isinstance(at, range) and offsets == range(count) and at.stop <= total
                 and status.count(OK) == count and not any(claimed[at.start:at.stop])
                 and digests[at.start * KEY_BYTES:at.stop * KEY_BYTES] == stored)
        if whole:
            found.append(Found(block, offsets, at))
            claimed[at.start:at.stop] = b"\x01" * count
            continue
        chosen = [(offset, index) for offset, index in zip(offsets, at, strict=True)
                  if index < total and not claimed[index] and status[offset] == OK
                  and digests[index * KEY_BYTES:(index + 1) * KEY_BYTES] == stored[offset * KEY_BYTES:
                                                                                  (offset + 1) * KEY_BYTES]]
        for _, index in chosen:
            claimed[index] = 1
        found.extend(_contiguous(block, chosen))
    return found


def _contiguous(block: int, pairs: Sequence[tuple[int, int]]) -> list[Found]:
    """(offset, index) pairs as `Found`s of ranges where both go up by one together (a Map takes a range of
    indices in at once; gaps are left by failed or changed elements)."""
    found: list[Found] = []
    start = 0
    for position in range(1, len(pairs) + 1):
        if position == len(pairs) or pairs[position][0] != pairs[position - 1][0] + 1 \
                or pairs[position][1] != pairs[position - 1][1] + 1:
            first_offset, first_index = pairs[start]
            size = position - start
            found.append(Found(block, range(first_offset, first_offset + size), range(first_index, first_index + size)))
            start = position
    return found


def _by_key(db: sqlite3.Connection, group: bytes, wanted: dict[bytes, list[int]]) -> list[Found]:
    """The elements of `wanted` (digest -> Map indices) found in the group's blocks, newest block first; found
    digests are taken out of `wanted`."""
    found = []
    for block, stored, status in _group_blocks(db, group):
        hits = _few_hits(stored, status, wanted) if len(wanted) <= FEW else _walk_hits(stored, status, wanted)
        if hits:
            offsets, at = [], []
            for offset, digest in hits:
                for index in wanted.pop(digest):
                    offsets.append(offset)
                    at.append(index)
            found.append(Found(block, offsets, at))
        if not wanted:
            break
    return found


def _group_blocks(db: sqlite3.Connection, group: bytes) -> Iterator[tuple[int, bytes, bytes]]:
    yield from db.execute("SELECT id, digests, status FROM blocks WHERE grp = ? AND ok > 0 ORDER BY id DESC",
                          (group,))


def _few_hits(stored: bytes, status: bytes, wanted: dict[bytes, list[int]]) -> list[tuple[int, bytes]]:
    """(offset, digest) of the wanted digests in one block, each searched for in its key blob."""
    hits = []
    for digest in wanted:
        at = stored.find(digest)
        while at >= 0:
            if at % KEY_BYTES == 0 and status[at // KEY_BYTES] == OK:
                hits.append((at // KEY_BYTES, digest))
                break
            at = stored.find(digest, at + 1)
    return hits


def _walk_hits(stored: bytes, status: bytes, wanted: dict[bytes, list[int]]) -> list[tuple[int, bytes]]:
    """(offset, digest) of the wanted digests in one block, its digests walked one by one."""
    hits, seen = [], set()
    for offset in range(len(status)):
        digest = stored[offset * KEY_BYTES:(offset + 1) * KEY_BYTES]
        if digest in wanted and status[offset] == OK and digest not in seen:
            seen.add(digest)
            hits.append((offset, digest))
    return hits
