"""`pflow-studio`: subcommands and options go to the headless CLI, anything else opens the desktop app."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from pflow_studio import __version__
from pflow_studio.launcher import main
from tests.support.paths import EXAMPLES, ROOT


def test_options_and_subcommands_go_to_the_cli(capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0 and capsys.readouterr().out.strip() == f"pflow-studio {__version__}"
    assert main(["run", str(tmp_path / "missing.pflow")]) == 2
    assert "missing.pflow" in capsys.readouterr().err


APP_SCRIPT = """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from pflow_studio.app import create_application
    from pflow_studio.app.main_window import MainWindow
    from pflow_studio.launcher import main

    create_application()

    def report():
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        print("window:", window.windowTitle(), len(window.canvas.workflow().nodes), flush=True)
        window.close()
        QApplication.quit()

    QTimer.singleShot(0, report)
    sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.timeout(120)
def test_a_project_file_opens_the_app_with_it(tmp_path):
    project = EXAMPLES / "square_offset_map.pflow"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), IPYTHONDIR=str(tmp_path / "ipython"),
               PFLOW_STUDIO_SETTINGS=str(tmp_path / "settings.ini"))
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(APP_SCRIPT), str(project)], env=env,
                          capture_output=True, text=True, timeout=100)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("window: square_offset_map.pflow — pflow-studio"), done.stdout
    assert int(done.stdout.split()[-1]) > 0  # the project's nodes are on the canvas
