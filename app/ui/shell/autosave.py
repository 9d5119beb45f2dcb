"""Autosave of the working state: a moment after each change, atomically, off the GUI thread.

The window gives a function that captures its :class:`WorkingState`; :class:`Autosaver`
debounces change notifications and writes with :class:`app.core.session_state.SessionFile`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from shiboken6 import isValid

from app.core.session_state import SessionFile, WorkingState

if TYPE_CHECKING:
    import asyncio

__all__ = ["Autosaver"]

DEBOUNCE_MS = 400


class Autosaver(QObject):
    saved = Signal()
    failed = Signal(str)

    def __init__(
        self,
        session: SessionFile,
        capture: Callable[[], WorkingState],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._capture = capture
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.save_now)
        self._writing: asyncio.Task[None] | None = None
        self._again = False
        self._closed = False

    def schedule(self, *_: object) -> None:
        """Something changed: save a moment from now."""
        if not self._closed:
            self._timer.start()

    def cancel(self) -> None:
        """Nothing to save after all (what is shown is what was just loaded)."""
        self._timer.stop()

    def save_now(self) -> None:
        import asyncio

        if self._closed:
            return
        state = self._capture()
        if self._writing is not None and not self._writing.done():
            self._again = True  # one more write after the current one
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no asyncio loop running (start-up, shutdown): write here
            self._write_here(state)
            return
        self._writing = loop.create_task(self._write(state))

    def _write_here(self, state: WorkingState) -> None:
        try:
            self.session.save(state)
        except OSError as exc:
            self.failed.emit(self.tr("The session could not be autosaved: {0}").format(exc))

    async def _write(self, state: WorkingState) -> None:
        import asyncio

        try:
            await asyncio.to_thread(self.session.save, state)
        except OSError as exc:
            if isValid(self):
                self.failed.emit(self.tr("The session could not be autosaved: {0}").format(exc))
            return
        if not isValid(self):
            return  # the window closed while the file was written: nobody to tell
        self.saved.emit()
        if self._again:
            self._again = False
            self.save_now()

    def flush_sync(self) -> None:
        """Write now, on this thread, and stop (the window is closing)."""
        if self._closed:
            return
        self._timer.stop()
        self._write_here(self._capture())
        self._closed = True
