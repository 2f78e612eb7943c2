"""The collector in a command-line process: paused while it imports, frozen and running again for the work."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import textwrap

import pytest

from pflow_studio.launcher import main
from pflow_studio.project.file_format import Project, save
from pflow_studio.runtime.model import Workflow
from tests.support.paths import ROOT

PAUSE_AND_RESUME = """
    import gc
    from pflow_studio.cli import gc_pause

    at_start = gc.get_freeze_count()  # not 0 on some builds (3.12 freezes objects of its own at startup)
    gc_pause.resume()  # no pause: nothing happens
    assert gc.isenabled() and gc.get_freeze_count() == at_start
    gc_pause.pause()
    assert not gc.isenabled()
    [object() for _ in range(10)]  # objects made while paused are frozen with the rest
    gc_pause.resume()
    assert gc.isenabled() and gc.get_freeze_count() > at_start
    gc_pause.resume()  # once only
    assert gc.isenabled()
    print("ok")
"""


def test_resume_freezes_and_collects_again_only_after_a_pause():
    """In a process of its own: freezing the test process's objects is no business of a test."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(PAUSE_AND_RESUME)], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_main_given_arguments_leaves_the_collector_alone(tmp_path, capsys):
    frozen = gc.get_freeze_count()
    assert main(["run", str(tmp_path / "missing.pflow")]) == 2
    # a freeze would add every live object; frozen objects of earlier tests (the suite freezes what survives
    # its GUI tests, tests/support/qt_lifetimes.py) may be freed meanwhile, so the count may only go down
    assert gc.isenabled() and gc.get_freeze_count() <= frozen


PROCESS = """
    import gc, sys
    at_start = gc.get_freeze_count()  # not 0 on some builds
    from pflow_studio.cli import run
    from pflow_studio.launcher import main

    seen = []
    executor_run = run.Executor.run

    def spy(self, *args, **kwargs):
        seen.append((gc.isenabled(), gc.get_freeze_count() > at_start))
        return executor_run(self, *args, **kwargs)

    run.Executor.run = spy
    sys.argv = ["pflow-studio", *sys.argv[1:]]
    code = main()
    print(seen, file=sys.stderr)
    sys.exit(code)
"""


@pytest.mark.parametrize("options", [["--serial", "-q"], ["--plan"]])
def test_a_run_process_works_with_the_collector_running_over_frozen_imports(tmp_path, options):
    workflow = Workflow()
    workflow.add_node("const.float", {"value": 1.5}, id="a", is_output=True)
    path = tmp_path / "p.pflow"
    save(Project(workflow, {}), path)
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(PROCESS), "run", str(path), *options],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    if "--plan" not in options:
        assert json.loads(done.stdout) == {"a": {"value": 1.5}}
    assert done.stderr.strip().splitlines()[-1] == "[(True, True)]"
