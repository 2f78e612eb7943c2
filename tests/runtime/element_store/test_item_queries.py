"""Listing a Map run's elements for the work-item view: pages in any order, whole orders by any column, pages
by index, a search taking its text literally, and worker threads giving their connection back."""

from __future__ import annotations

import threading

import pytest

from pflow_studio.runtime.element_store.records import FAILED, NOT_RUN, OK
from pflow_studio.runtime.element_store.run_view import ITEM_ORDERS
from pflow_studio.runtime.element_store.store import ElementStore
from tests.support.elements import GROUP, write


@pytest.fixture
def store(tmp_path) -> ElementStore:
    made = ElementStore(tmp_path / "cache")
    yield made
    made.close()


@pytest.fixture
def run(store) -> int:
    """Six elements: 0-3 ok (values 30, 20, 10, 0: reversed), 4 failed ('50%_off' in its error), 5 not run;
    written in two blocks."""
    run = store.begin_run("s", ("m",), "Map", "body", GROUP, 6, None, [])
    write(store, [2, 3], run=run, values={2: 10, 3: 0})
    write(store, [0, 1, 4], run=run, failed=[4], values={0: 30, 1: 20}, errors={4: "ValueError: 50%_off"})
    store.finish_run(run, "cancelled", [5])
    return run


def test_every_order_lists_the_same_elements_by_page_and_by_whole_order(store, run):
    for order in ITEM_ORDERS:
        for descending in (False, True):
            whole = list(store.item_order(run, order=order, descending=descending))
            paged = [item.index for offset in range(0, 6, 4)
                     for item in store.run_items(run, order=order, descending=descending, offset=offset, limit=4)]
            assert sorted(whole) == list(range(6)) and paged == whole, (order, descending)
            assert [item.index for item in store.items_at(run, whole)] == whole


def test_orders_sort_by_their_column_with_ties_by_index(store, run):
    assert list(store.item_order(run, order="output"))[:4] == [5, 4, 3, 2]  # none, '', '0', '10'
    assert list(store.item_order(run, order="status", descending=True)) == [5, 4, 0, 1, 2, 3]
    assert list(store.item_order(run, order="idx", descending=True)) == [5, 4, 3, 2, 1, 0]


def test_filters_and_search_count_what_they_list(store, run):
    assert store.count_items(run) == 6
    assert store.count_items(run, statuses=[FAILED, NOT_RUN]) == 2
    assert [i.index for i in store.run_items(run, statuses=[OK], descending=True, offset=1, limit=2)] == [2, 1]
    assert list(store.item_order(run, statuses=[OK], search="10")) == [2]  # its output
    assert store.count_items(run, search="%_") == store.count_items(run, search="50%_off") == 1  # taken literally
    assert store.count_items(run, search="_") == 1 and store.count_items(run, search="nothing") == 0


def test_items_at_keeps_the_order_given_and_leaves_unknown_indices_out(store, run):
    assert [item.index for item in store.items_at(run, [3, 99, 0, 5])] == [3, 0, 5]
    [not_run] = store.items_at(run, [5])
    assert (not_run.status, not_run.stored, not_run.input_text) == ("not_run", False, "")
    assert [item.index for item in store.items_at(run, range(600))] == list(range(6))  # more than one batch


def test_a_worker_thread_gives_its_connection_back(store, run):
    def work():
        assert store.count_items(run) == 6
        store.close_thread()

    before = len(store._connections)
    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert len(store._connections) == before
    assert store.count_items(run) == 6  # this thread's connection still works
    store.close_thread()
    assert store.count_items(run) == 6  # and opens again when used again
