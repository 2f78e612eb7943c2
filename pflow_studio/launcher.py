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
    paused (`cli.gc_pause`: the CLI resumes it once its imports are done)."""
    process = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and (argv[0] in CLI_WORDS or argv[0].startswith("-")):
        if process:
            from pflow_studio.cli import gc_pause

            gc_pause.pause()
        from pflow_studio.cli.main import main as cli_main

        return cli_main(argv)
    from pflow_studio.app import main as app_main

    return int(app_main(argv) or 0)
