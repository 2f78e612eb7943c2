"""Exit codes of every `pflow-studio` command, and the one-line error message they print.

0 success; 1 the workflow or the cluster action failed (the message names the node or the reason);
2 a bad file or bad usage; 130 interrupted (Ctrl+C); 128 + n stopped by signal n: 143 SIGTERM, 129
SIGHUP (`cli.stop_signals`). Errors and stops are one line on stderr, never a traceback.
"""

from __future__ import annotations

import sys

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def fail(message: str, code: int = EXIT_FAILED) -> int:
    """Print `pflow-studio: error: message` on stderr and return `code` (the exit code to use)."""
    print(f"pflow-studio: error: {message}", file=sys.stderr)
    return code
