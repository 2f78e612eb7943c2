"""`pflow-studio` command-line processes for tests: started with the repository on PYTHONPATH and an IPython
directory of the test's own."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

from tests.support.paths import ROOT


def pflow_process(ipython_dir: pathlib.Path, *args: str) -> subprocess.Popen:
    """`python -m pflow_studio ARGS` running (text pipes for stdout and stderr); the caller waits for it."""
    env = dict(os.environ, IPYTHONDIR=str(ipython_dir), PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "pflow_studio", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def stray_lines(stderr: str) -> list[str]:
    """The lines of a run's stderr that are neither progress bar nor `pflow-studio: ...` lines (tracebacks,
    warnings of libraries)."""
    return [line for line in stderr.splitlines() if line.strip() and not line.startswith(("[", "pflow-studio: "))]
