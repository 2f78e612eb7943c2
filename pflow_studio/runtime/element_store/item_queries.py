"""Reading one Map run's elements as the work-item view lists them: counts, pages, whole orders.

Functions over an open store connection (`ElementStore` calls them; see its `run_items`, `count_items`,
`item_order`, `items_at`). A run's elements are `run_items` rows joined with their `elements` rows; the join
is made only where it is needed (a search, or a sort by an element's column), so that counting, filtering by
status and paging in index order stay quick for a million elements: the page is chosen from `run_items`
first, then only its rows are joined. A sort by an element's column or a search must join every element
once: `ordered_indices` does that once and hands back the element indices in order (8 bytes each), and
`at` then reads any page of them by index.
"""

from __future__ import annotations

import array
import sqlite3
from collections.abc import Sequence
from typing import Any

from pflow_studio.runtime.element_store.records import STATUS_NAMES, ItemRow

ITEM_ORDERS = {"idx": "i.idx", "status": "i.status", "input": "e.input_text", "output": "e.preview",
               "engine": "e.engine", "host": "e.host", "duration": "(e.finished - e.started)", "error": "e.error"}
"""The columns the work-item view may sort by."""
RUN_ITEM_ORDERS = ("idx", "status")
"""Orders that need no element columns (quick at any size)."""

_COLUMNS = ("i.idx, i.key, i.status, coalesce(e.input_text, ''), coalesce(e.preview, ''), coalesce(e.error, ''), "
            "e.engine, coalesce(e.host, ''), coalesce(e.started, 0), coalesce(e.finished, 0), e.key IS NOT NULL")
_JOIN = "LEFT JOIN elements e ON e.key = i.key"
_BATCH = 500  # indices per SELECT ... IN (...)


def needs_join(search: str, order: str) -> bool:
    """Whether listing in this order with this search reads every element's row (slow for big runs)."""
    return bool(search) or order not in RUN_ITEM_ORDERS


def count(db: sqlite3.Connection, run: int, statuses: Sequence[int], search: str) -> int:
    """How many of the run's elements pass the status filter and the search."""
    where, params = _filter(run, statuses, search)
    joined = _JOIN if search else ""
    return int(db.execute(f"SELECT count(*) FROM run_items i {joined} {where}", params).fetchone()[0])


def page(db: sqlite3.Connection, run: int, statuses: Sequence[int], search: str, order: str, descending: bool,
         offset: int, limit: int) -> list[ItemRow]:
    """`limit` elements from position `offset` of the filtered run sorted by `order` (ties by index)."""
    where, params = _filter(run, statuses, search)
    ordering = _ordering(order, descending)
    if needs_join(search, order):
        sql = f"SELECT {_COLUMNS} FROM run_items i {_JOIN} {where} {ordering} LIMIT ? OFFSET ?"
    else:
        chosen = f"SELECT idx, key, status FROM run_items i {where} {ordering} LIMIT ? OFFSET ?"
        sql = f"SELECT {_COLUMNS} FROM ({chosen}) i {_JOIN} {ordering}"
    return [_item(row) for row in db.execute(sql, (*params, limit, offset))]


def ordered_indices(db: sqlite3.Connection, run: int, statuses: Sequence[int], search: str, order: str,
          descending: bool) -> array.array:
    """The indices of the filtered run's elements sorted by `order` (ties by index), as an array of int64."""
    where, params = _filter(run, statuses, search)
    joined = _JOIN if needs_join(search, order) else ""
    ordering = _ordering(order, descending)
    cursor = db.execute(f"SELECT i.idx FROM run_items i {joined} {where} {ordering}", params)
    return array.array("q", (row[0] for row in cursor))


def at(db: sqlite3.Connection, run: int, indices: Sequence[int]) -> list[ItemRow]:
    """The run's elements with these indices, in the order given (indices the run does not have are left out)."""
    found: dict[int, ItemRow] = {}
    wanted = list(indices)
    for start in range(0, len(wanted), _BATCH):
        batch = wanted[start:start + _BATCH]
        rows = db.execute(f"SELECT {_COLUMNS} FROM run_items i {_JOIN} "
                          f"WHERE i.run = ? AND i.idx IN ({','.join('?' * len(batch))})", (run, *batch))
        for row in rows:
            found[row[0]] = _item(row)
    return [found[index] for index in wanted if index in found]


def _ordering(order: str, descending: bool) -> str:
    """ORDER BY the column, ties by index (an index order alone, so that SQLite walks the primary key)."""
    direction = "DESC" if descending else "ASC"
    if order == "idx":
        return f"ORDER BY i.idx {direction}"
    return f"ORDER BY {ITEM_ORDERS[order]} {direction}, i.idx"


def _item(row: tuple) -> ItemRow:
    index, key, status, *rest = row
    return ItemRow(index, key, STATUS_NAMES[status], *rest[:-1], bool(rest[-1]))


def _filter(run: int, statuses: Sequence[int], search: str) -> tuple[str, list[Any]]:
    where, params = "WHERE i.run = ?", [run]
    if statuses:
        where += f" AND i.status IN ({','.join('?' * len(statuses))})"
        params += list(statuses)
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where += " AND (e.input_text LIKE ? ESCAPE '\\' OR e.preview LIKE ? ESCAPE '\\' OR e.error LIKE ? ESCAPE '\\')"
        params += [pattern] * 3
    return where, params
