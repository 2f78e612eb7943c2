"""SIGTERM and SIGHUP close the app the way closing its window does, without blocking on a prompt.

Python runs signal handlers only between bytecodes of the main thread, and the Qt event loop runs no Python
while idle; `ExitSignals` therefore keeps a short QTimer ticking so a handler runs within `tick_ms`. The
handler only schedules `on_signal(signum)` on the event loop (never does the work inside the handler);
the window then skips the unsaved-changes prompt (saving a recovery copy), stops the run and the cluster
processes it owns, and closes. A second signal while the first is handled exits at once (the atexit hooks
of the cluster manager and ipyparallel still stop the owned cluster).
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer

SIGNALS = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None)


class ExitSignals(QObject):
    """Installs the handlers on construction (main thread only); `uninstall()` restores the previous ones."""

    def __init__(self, on_signal: Callable[[int], None], parent: QObject | None = None, *, tick_ms: int = 200,
                 signals: tuple[int, ...] = SIGNALS) -> None:
        super().__init__(parent)
        self.on_signal = on_signal
        self.received: int | None = None
        self._previous: dict[int, Any] = {}
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(lambda: None)  # lets Python look at pending signals
        self.timer.start()
        for signum in signals:
            self._previous[signum] = signal.signal(signum, self._handle)

    def _handle(self, signum: int, _frame: Any) -> None:
        if self.received is not None:  # asked twice: leave now (atexit hooks still stop what we own)
            raise SystemExit(128 + signum)
        self.received = signum
        QTimer.singleShot(0, lambda: self.on_signal(signum))

    def uninstall(self) -> None:
        self.timer.stop()
        for signum, previous in self._previous.items():
            signal.signal(signum, previous if previous is not None else signal.SIG_DFL)
        self._previous.clear()
