"""`pflow-studio`, the one command: it opens the desktop app or runs the headless CLI.

`pflow-studio [FILE]` opens the app (`pflow_studio.app`), with a project file when given;
`pflow-studio run|cluster|cache|record ...`, `--help` and `--version` go to the command line (`pflow_studio.cli`),
which never imports Qt. This module is the only one that knows both, so neither depends on the other.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

CLI_WORDS = ("run", "cluster", "cache", "record")


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch `argv` (default: the process's arguments) to the app or the CLI; returns the exit code.

    Called as the process's entry (no `argv`), a command-line process starts with the garbage collector
    paused (`cli.gc_pause`: the CLI resumes it once its imports are done) and its stop signals handled
    (`cli.stop_signals`)."""
    process = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and (argv[0] in CLI_WORDS or argv[0].startswith("-")):
        if not process:
            return _cli_main(argv)
        from pflow_studio.cli import gc_pause, stop_signals

        gc_pause.pause()
        stop_signals.install()  # from here on SIGTERM/SIGHUP end the command with one line (exit 128 + n)
        return stop_signals.guard(lambda: _cli_main(argv))
    from pflow_studio.app import main as app_main

    return int(app_main(argv) or 0)


def _cli_main(argv: list[str]) -> int:
    from pflow_studio.cli.main import main as cli_main

    return cli_main(argv)
