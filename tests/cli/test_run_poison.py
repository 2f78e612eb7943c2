"""`pflow-studio run` on a cluster it starts itself, with a Map element that kills its engine (os._exit):
the run ends, only that element fails (named with engine, element and exit code), the others keep their
values in the output, the run record and the element store, and every engine lost is replaced (said on
stderr)."""

from __future__ import annotations

import json
import re

import pytest

from pflow_studio.runtime.element_store.store import ElementStore
from pflow_studio.runtime.run_record import entry_items
from tests.support.clusters import pflow
from tests.support.processes import processes_under, wait_until
from tests.support.projects import expression_map_file

pytestmark = pytest.mark.fault


def poisoned_map(tmp_path, on_error: str):
    """A Map of 2 * x over 0..19 whose element 7 ends its engine with exit code 3."""
    return expression_map_file(tmp_path / f"poisoned_{on_error}.pflow", list(range(20)),
                               "__import__('os')._exit(3) if x == 7 else 2 * x", on_error=on_error, label="Doubles")


@pytest.mark.timeout(240)
def test_an_element_killing_its_engine_fails_alone_and_the_engines_are_replaced(ipython_dir, tmp_path):
    done = pflow(ipython_dir, "run", "--engines", "2", str(poisoned_map(tmp_path, "none")))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"Doubles": {"result": [None if x == 7 else 2 * x for x in range(20)]}}
    assert re.search(r"engine \d+ died while running element 7 \(exit code 3\)", done.stderr), done.stderr
    replaced = re.findall(r"engine \d+ died \(exit code 3\); started an engine in its place", done.stderr)
    assert len(replaced) >= 2, done.stderr  # at least the first loss and the one of the element alone
    items = entry_items(json.loads((tmp_path / "poisoned_none.run.json").read_text())["maps"][0])
    assert [item["index"] for item in items if item["status"] == "failed"] == [7]
    assert len([item for item in items if item["status"] == "ok"]) == 19
    store = ElementStore()
    try:  # the good elements are kept for the next run, as with any failed element
        info = store.info()
        assert (info.ok, info.failed) == (19, 1)
    finally:
        store.close()
    assert wait_until(lambda: not processes_under(ipython_dir), 10), "the run's own cluster outlived it"
