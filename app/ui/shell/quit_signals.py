"""Ctrl+C in the terminal, and SIGTERM (a logout, ``kill``), close the window as Quit does.

Without this, SIGTERM ended the process at once (the last edits not autosaved, the window's
state not kept) and Ctrl+C raised ``KeyboardInterrupt`` inside whatever slot ran next: a
traceback in the terminal, and the app went on.

Python runs a signal handler only when the interpreter next runs, and Qt's loop can wait
for minutes without calling into Python. So the C-level handler's wake-up byte
(``signal.set_wakeup_fd``: the signal's number) goes into a socket pair, and a
``QSocketNotifier`` on the other end wakes the loop; the slot reading it does the closing,
between two events, never in the middle of another slot. The first signal closes the
window (its ``closeEvent`` cancels a run, writes the autosave and the window's state) and
quits the loop with ``128 + signal`` (130 for Ctrl+C, 143 for SIGTERM, as shells report
them); from then on the signals have their default action, so a second Ctrl+C ends a
process that does not quit.
"""

from __future__ import annotations

import contextlib
import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier

__all__ = ["QUIT_SIGNALS", "QuitSignals"]

#: The signals that close the window (SIGTERM is not on Windows' list of catchable ones).
QUIT_SIGNALS = tuple(
    s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s
)


def _ignore(_signum: int, _frame: object) -> None:
    """The Python-level handler: the work is done by the wake-up byte's slot."""


class QuitSignals(QObject):
    """While installed, :data:`QUIT_SIGNALS` call ``on_signal(signum)`` on the loop, once."""

    def __init__(self, on_signal: Callable[[int], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_signal = on_signal
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._read)
        self._previous: dict[int, object] = {}
        self._previous_fd: int | None = None
        self._fired = False

    def install(self) -> None:
        """Take the signals over (from the main thread, as ``signal`` requires)."""
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        for signum in QUIT_SIGNALS:
            self._previous[signum] = signal.signal(signum, _ignore)

    def uninstall(self) -> None:
        """Give the signals back as they were, and close the socket pair."""
        for signum, handler in self._previous.items():
            with contextlib.suppress(TypeError, ValueError):
                signal.signal(signum, handler)  # type: ignore[arg-type]
        self._previous.clear()
        if self._previous_fd is not None:
            with contextlib.suppress(ValueError):
                signal.set_wakeup_fd(self._previous_fd)
            self._previous_fd = None
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()

    def _read(self) -> None:
        try:
            data = self._reader.recv(64)
        except (BlockingIOError, InterruptedError):
            return
        quitting = [n for n in data if n in QUIT_SIGNALS]
        if not quitting or self._fired:
            return
        self._fired = True
        for signum in QUIT_SIGNALS:  # a second one ends the process as it would have
            with contextlib.suppress(ValueError):
                signal.signal(signum, signal.SIG_DFL)
        self._on_signal(quitting[0])
