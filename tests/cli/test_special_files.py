"""The commands that read a file a user names (run, run --plan, cache info, record) refuse a FIFO, a device
and a file over the size limit: exit 2 with one line naming the file, no traceback, and no hang or memory
exhaustion. Each runs as a real `python -m pflow_studio` process under a 2 GB address-space limit (so a
regression fails with a MemoryError instead of eating the machine) and a timeout (so a hang fails)."""

from __future__ import annotations

import os
import pathlib
import resource
import subprocess
import sys

import pytest

from pflow_studio.project.file_format import MAX_PROJECT_BYTES
from tests.support.files import sparse_file

pytestmark = [pytest.mark.fault, pytest.mark.timeout(120)]

MEMORY_LIMIT = 2 << 30


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def cli(*args: str, cwd: pathlib.Path) -> subprocess.CompletedProcess:
    """`pflow-studio ARGS` in a subprocess (stdin closed, a private element store), ended by pid after 60 s."""
    env = dict(os.environ, PFLOW_STUDIO_CACHE_DIR=str(cwd / "store"))
    return subprocess.run([sys.executable, "-m", "pflow_studio", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL, preexec_fn=_limit_memory)


def assert_refused(done: subprocess.CompletedProcess, line: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [f"pflow-studio: error: {line}"]
    assert done.stdout == ""


@pytest.mark.parametrize("command", [["run"], ["run", "--plan"], ["run", "--serial", "-q"], ["cache", "info"]],
                         ids=" ".join)
def test_a_fifo_project_exits_2_at_once(tmp_path, command):
    os.mkfifo(tmp_path / "p.pflow")
    assert_refused(cli(*command, "p.pflow", cwd=tmp_path), "p.pflow: not a regular file (a FIFO)")


def test_dev_zero_exits_2_without_reading_it(tmp_path):
    assert_refused(cli("run", "/dev/zero", cwd=tmp_path), "/dev/zero: not a regular file (a character device)")


def test_a_project_over_the_limit_exits_2_without_reading_it(tmp_path):
    sparse_file(tmp_path / "big.pflow", MAX_PROJECT_BYTES + (1 << 20))
    assert_refused(cli("run", "big.pflow", cwd=tmp_path), "big.pflow: too large (65 MB; the limit is 64 MB)")


@pytest.mark.parametrize("given", ["p.run.json", "p.pflow"])
def test_a_fifo_run_record_exits_2_at_once(tmp_path, given):
    os.mkfifo(tmp_path / "p.run.json")
    assert_refused(cli("record", given, cwd=tmp_path),
                   "cannot read the run record p.run.json: not a regular file (a FIFO)")


def test_dev_zero_as_a_run_record_exits_2(tmp_path):
    assert_refused(cli("record", "/dev/zero", cwd=tmp_path),
                   "cannot read the run record /dev/zero: not a regular file (a character device)")
