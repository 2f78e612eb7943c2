"""The element store's writer thread: jobs run in order off the caller's thread, every read sees the writes
handed over before it, `close` and the end of the process finish them, and a failing job switches the store
off with one warning instead of crashing or losing writes silently."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

from pflow_studio.runtime.element_store.store import ElementStore
from pflow_studio.runtime.element_store.writer import StoreWriter
from tests.support.elements import GROUP, served, write
from tests.support.paths import ROOT


def test_jobs_run_in_order_on_another_thread_and_reads_wait_for_them(tmp_path):
    store = ElementStore(tmp_path)
    threads, order = set(), []

    def slow_write(index: int) -> None:
        time.sleep(0.05)  # the caller's read below comes long before this ends
        threads.add(threading.current_thread())
        order.append(index)
        write(store, [index])

    for index in range(3):
        store.later(lambda index=index: slow_write(index))
    assert sorted(served(store, [0, 1, 2])) == [0, 1, 2]
    assert order == [0, 1, 2] and threading.current_thread() not in threads and len(threads) == 1
    store.close()


def test_a_run_written_later_is_complete_for_every_reader(tmp_path):
    store = ElementStore(tmp_path)
    made: dict[str, int | None] = {}

    def begin() -> None:
        made["run"] = store.begin_run("s", ("m",), "Map", "body", GROUP, 2, None, [])

    store.later(begin)
    store.later(lambda: write(store, [0, 1], run=made["run"]))
    store.later(lambda: store.finish_run(made["run"], "ok", []))
    last = store.last_run("s", ("m",))
    assert last is not None and last.state == "ok" and last.counts["ok"] == 2
    assert [item.index for item in store.run_items(last.id)] == [0, 1]
    store.close()


def test_close_finishes_the_jobs_handed_over_and_the_store_can_be_used_again(tmp_path):
    store = ElementStore(tmp_path)
    store.later(lambda: (time.sleep(0.05), write(store, [7])))
    store.close()
    again = ElementStore(tmp_path)
    assert 0 in served(again, [7])
    again.close()
    store.later(lambda: write(store, [8]))
    assert 0 in served(store, [8])
    store.close()


def test_a_failing_job_switches_the_store_off_with_one_warning(tmp_path):
    warnings: list[str] = []
    store = ElementStore(tmp_path, warn=warnings.append)

    def broken() -> None:
        raise ValueError("a bug in making rows")

    store.later(broken)
    store.later(broken)
    store.sync()
    assert store.disabled and len(warnings) == 1 and "a bug in making rows" in warnings[0]
    store.later(lambda: write(store, [0]))  # dropped: the store is off
    assert served(store, [0]) == {}
    store.close()


def test_the_end_of_the_process_finishes_the_jobs_handed_over(tmp_path):
    script = f"""
import sys, time
sys.path.insert(0, {str(ROOT)!r})
from pflow_studio.runtime.element_store.store import ElementStore
from tests.support.elements import GROUP, served, write
store = ElementStore({str(tmp_path)!r})
store.later(lambda: (time.sleep(0.2), write(store, [3])))
raise SystemExit(3)  # as SIGTERM ends `pflow-studio run`, without closing the store
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 3, done.stderr
    store = ElementStore(tmp_path)
    assert 0 in served(store, [3])
    store.close()


def test_wait_on_the_writer_thread_itself_does_not_block():
    writer = StoreWriter("test writer", on_error=lambda exc: None)
    seen = []
    writer.submit(lambda: (writer.wait(), seen.append("done")))
    writer.wait()
    writer.stop()
    assert seen == ["done"]
