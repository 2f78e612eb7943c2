"""SIGTERM and SIGHUP of `pflow-studio run`, also while its cluster starts: exit 128 + n, one line on stderr,
no traceback, nothing left running."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time

import pytest

from pflow_studio.cluster_panel.profiles import profile_dir
from pflow_studio.cluster_panel.state_file import StateFile
from tests.support.cli import pflow_process, stray_lines
from tests.support.paths import EXAMPLES, ROOT
from tests.support.processes import processes_under, wait_until
from tests.support.projects import expression_map_file

pytestmark = pytest.mark.fault

EXAMPLE = EXAMPLES / "square_offset_map.pflow"
# when to send SIGTERM: seconds after the command installed its signal handlers, or after the first process
# of the cluster appeared
MOMENTS = [("launch", 0.3), ("launch", 0.6), ("cluster", 0.0), ("cluster", 0.3), ("cluster", 0.8), ("cluster", 1.5)]


def _catches(pid: int, signum: int) -> bool:
    """Has process `pid` installed a handler for `signum` (its SigCgt mask in /proc)?"""
    try:
        with open(f"/proc/{pid}/status") as status:
            caught = next(line for line in status if line.startswith("SigCgt:"))
    except (OSError, StopIteration):
        return False
    return bool(int(caught.split()[1], 16) >> (signum - 1) & 1)


def _signal_at(running: subprocess.Popen, ipython_dir, moment: tuple[str, float], signum: int) -> None:
    """Send `signum` `delay` s after the command installed its handlers ("launch": before that, any Python
    process dies of the signal's default action) or after the first cluster process appeared."""
    after, delay = moment
    wait_until(lambda: running.poll() is not None or _catches(running.pid, signum), 60, interval=0.01)
    if after == "cluster":
        wait_until(lambda: running.poll() is not None or processes_under(ipython_dir), 60, interval=0.02)
    time.sleep(delay)
    running.send_signal(signum)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("moment", MOMENTS, ids=[f"{after}+{delay}s" for after, delay in MOMENTS])
def test_sigterm_while_the_cluster_starts_gives_143_one_line_and_leaves_nothing(ipython_dir, tmp_path, moment):
    running = pflow_process(ipython_dir, "run", "--engines", "2", "--record", str(tmp_path / "r.json"), str(EXAMPLE))
    _signal_at(running, ipython_dir, moment, signal.SIGTERM)
    _, err = running.communicate(timeout=60)
    assert running.returncode == 128 + signal.SIGTERM, err
    assert "Traceback" not in err and "Task exception" not in err and stray_lines(err) == [], err
    assert [line for line in err.splitlines() if "stopped by" in line] == [err.splitlines()[-1]]
    assert err.splitlines()[-1].startswith("pflow-studio: error: stopped by SIGTERM")
    assert err.splitlines()[-1].endswith("(exit 143)")
    assert wait_until(lambda: not processes_under(ipython_dir), 10), "the run's cluster outlived the SIGTERM"
    assert StateFile(profile_dir("default", ipython_dir)).load() == {}  # no record of it is left either


@pytest.mark.timeout(60)
def test_sighup_mid_run_gives_129_and_one_line(ipython_dir, tmp_path):
    started = tmp_path / "started"  # each element touches it: the Map is running
    touch = f"__import__('pathlib').Path({str(started)!r}).touch()"
    project = expression_map_file(tmp_path / "slow.pflow", list(range(1000)),
                                     f"{touch} or __import__('time').sleep(0.05) or x")
    running = pflow_process(ipython_dir, "run", "--serial", str(project))
    assert wait_until(lambda: started.exists() or running.poll() is not None, 30), running.communicate()
    running.send_signal(signal.SIGHUP)
    out, err = running.communicate(timeout=30)
    assert running.returncode == 128 + signal.SIGHUP, err
    assert out == "" and stray_lines(err) == [], err
    assert err.splitlines()[-1] == ("pflow-studio: error: stopped by SIGHUP: the run was ended; what finished is "
                                    "kept (exit 129)")


DYING_TASK = """
    import os, signal, asyncio
    from ipyparallel._async import _asyncio_run
    from pflow_studio.cli import stop_signals

    stop_signals.install()

    async def starting():  # a signal arrives while ipyparallel's event loop runs a task
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.sleep(5)

    raise SystemExit(stop_signals.guard(lambda: _asyncio_run(starting())))
"""


def test_a_signal_inside_ipyparallels_event_loop_leaves_no_task_traceback():
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(DYING_TASK)], capture_output=True, text=True,
                          timeout=60, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 143
    assert done.stderr == "pflow-studio: error: stopped by SIGTERM (exit 143)\n"
