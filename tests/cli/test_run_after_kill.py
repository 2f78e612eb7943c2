"""A `pflow-studio run` SIGKILLed mid-Map leaves its cluster running (nothing in the process can stop it);
the next run ends those processes, says so on stderr and runs on a cluster of its own."""

from __future__ import annotations

import json
import signal

import pytest

from tests.support.cli import pflow_process
from tests.support.paths import EXAMPLES
from tests.support.processes import processes_under, wait_until
from tests.support.projects import expression_map_file

pytestmark = pytest.mark.fault


@pytest.mark.timeout(240)
def test_the_next_run_ends_what_a_sigkilled_run_left_and_says_so(ipython_dir, tmp_path):
    started = tmp_path / "started"  # each element touches it: the Map is running on the engines
    touch = f"__import__('pathlib').Path({str(started)!r}).touch()"
    project = expression_map_file(tmp_path / "slow.pflow", list(range(2000)),
                                     f"{touch} or __import__('time').sleep(0.05) or x")
    killed = pflow_process(ipython_dir, "run", "--engines", "2", str(project))
    try:
        assert wait_until(lambda: started.exists() or killed.poll() is not None, 120)
    finally:
        killed.send_signal(signal.SIGKILL)
        killed.communicate(timeout=30)
    left = processes_under(ipython_dir)
    assert len(left) >= 11 and all(ref.alive() for ref in left)  # controller + helpers, 2 engines + nannies

    again = pflow_process(ipython_dir, "run", "--engines", "1", "--record", str(tmp_path / "r.json"),
                          str(EXAMPLES / "square_offset_map.pflow"))
    out, err = again.communicate(timeout=180)
    assert again.returncode == 0, err
    assert json.loads(out)["Total"] == {"result": 290.0}
    assert (f"pflow-studio: ended {len(left)} leftover cluster processes of an earlier run "
            f"(owner pid {killed.pid} died") in err
    assert not any(ref.alive() for ref in left)
    assert wait_until(lambda: not processes_under(ipython_dir), 10), "the second run's own cluster outlived it"
