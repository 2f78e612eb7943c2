"""`pflow-studio run FILE` is explicit consent (issue 11): a project from elsewhere with code runs without a
question, and nothing is recorded in the trust store."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from pflow_studio.project.file_format import Project, save
from pflow_studio.runtime.model import Workflow
from tests.support.paths import ROOT

pytestmark = [pytest.mark.fault, pytest.mark.timeout(120)]


def test_the_command_line_runs_an_untrusted_project_without_asking(tmp_path):
    marker = tmp_path / "ran.txt"
    workflow = Workflow()
    workflow.add_node("py.code", {"code": f"open({str(marker)!r}, 'w').write('ran')\ny = 42\n", "inputs": [],
                                  "outputs": ["y"]}, id="code", label="Code", is_output=True)
    path = tmp_path / "downloaded.pflow"
    save(Project(workflow), path)
    trust_dir = tmp_path / "trust"
    env = dict(os.environ, PFLOW_STUDIO_TRUST_DIR=str(trust_dir), PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "pflow_studio", "run", "--quiet", str(path)], env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"Code": {"y": 42}} and marker.read_text() == "ran"
    assert not trust_dir.exists()  # consent for this run only: nothing recorded
