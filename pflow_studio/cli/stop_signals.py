"""How SIGTERM, SIGHUP and Ctrl+C end a `pflow-studio` command: exit code 128 + the signal and one line.

Contract: `install()` (the launcher calls it first thing in a command-line process; `installed()` does the
same for a block and restores the previous handlers afterwards) makes the first SIGTERM or SIGHUP raise
`SystemExit(128 + n)` wherever the main thread is, as Ctrl+C raises KeyboardInterrupt, so `finally`
blocks stop what the command started. Once one was raised, later signals are only noted, and inside
`deferred()` (a teardown, the end of a run) a signal is only noted: `received()` tells afterwards. So
stopping is never cut short. `stop_code(exc)` tells a signal's SystemExit (or Ctrl+C) from any other
exit, `report(code)` prints the one line, `pflow-studio: error: stopped by SIGTERM: ... (exit 143)`, and
`guard(fn)` does both for a whole command.

A signal that arrives while ipyparallel starts a cluster raises inside its asyncio event loop, whose task
then ends with the SystemExit; asyncio would report it at exit as "Task exception was never retrieved"
with a traceback. `install()` drops exactly those reports (a SystemExit or KeyboardInterrupt that ended a
task or future) from the `asyncio` logger, and once stopping, the warnings about coroutines that the
stop left unstarted: the one line says what happened.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import warnings
from collections.abc import Callable, Iterator
from typing import Any

from pflow_studio.cli.exit_codes import EXIT_INTERRUPTED, fail

SIGNALS = (signal.SIGTERM, signal.SIGHUP)
NAMES = {EXIT_INTERRUPTED: "Ctrl+C (SIGINT)", **{128 + s: s.name for s in SIGNALS}}


class _State:
    code: int | None = None  # 128 + the first signal received, once one was
    stopping = False  # raised once (or noted inside `deferred`): later signals are only noted
    deferring = 0  # depth of `deferred()` blocks
    installed = False


_state = _State()


def _handle(signum: int, frame: Any) -> None:
    if _state.code is None:
        _state.code = 128 + signum
        _quiet_unawaited()
    if _state.stopping or _state.deferring:
        _state.stopping = True
        return
    _state.stopping = True
    raise SystemExit(_state.code)


class _InterruptedTasks(logging.Filter):
    """Drops asyncio's report of a task or future that ended with SystemExit or KeyboardInterrupt."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, SystemExit | KeyboardInterrupt)


_FILTER = _InterruptedTasks()


def _quiet_unawaited() -> None:
    """The process is stopping: a coroutine that the stop left unstarted is not worth a warning."""
    warnings.filterwarnings("ignore", message="coroutine .* was never awaited", category=RuntimeWarning)


def install() -> dict[int, Any]:
    """Install the handlers and the asyncio filter (see the module docstring); returns the previous handlers."""
    previous = {signum: signal.signal(signum, _handle) for signum in SIGNALS}
    logging.getLogger("asyncio").addFilter(_FILTER)  # added once however often it is called
    _state.installed = True
    return previous


@contextlib.contextmanager
def installed() -> Iterator[None]:
    """`install()` for this block unless installed already (a command called in-process), undone afterwards."""
    if _state.installed:
        yield
        return
    previous = install()
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        logging.getLogger("asyncio").removeFilter(_FILTER)
        _state.code, _state.stopping, _state.installed = None, False, False


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """A block no SIGTERM/SIGHUP interrupts: one that arrives is only noted (see `received()`)."""
    _state.deferring += 1
    try:
        yield
    finally:
        _state.deferring -= 1


def received() -> int | None:
    """128 + the first SIGTERM/SIGHUP received, or None."""
    return _state.code


def stop_code(exc: BaseException) -> int | None:
    """The exit code when `exc` is how a signal (or Ctrl+C) stops the command, else None."""
    if isinstance(exc, KeyboardInterrupt):
        _quiet_unawaited()
        return EXIT_INTERRUPTED
    if isinstance(exc, SystemExit) and _state.code is not None and exc.code == _state.code:
        return _state.code
    return None


def report(code: int, what: str = "") -> int:
    """Print the one line for a stop by signal (`code` 130, 129, 143, ...) and return `code`."""
    name = NAMES.get(code, f"signal {code - 128}")
    verb = "interrupted by" if code == EXIT_INTERRUPTED else "stopped by"
    return fail(f"{verb} {name}{': ' + what if what else ''} (exit {code})", code)


def guard(command: Callable[[], int]) -> int:
    """Run `command`; a stop by signal or Ctrl+C that reaches here is reported (`report`) as its exit code."""
    try:
        return command()
    except (KeyboardInterrupt, SystemExit) as exc:
        code = stop_code(exc)
        if code is None:
            raise
        return report(code)
