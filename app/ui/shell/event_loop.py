"""The asyncio loop inside Qt's event loop (qasync), made safe for worker threads.

Two repairs over a plain ``qasync.QEventLoop``:

* ``call_soon_threadsafe`` — qasync emits a Qt signal carrying Python objects from the
  calling thread; with PySide6 6.12 this corrupts reference counts and crashes the
  interpreter ("deallocating None"), and httpx/anyio use it for every DNS lookup. Here a
  worker thread only appends to a deque and writes one byte to a socket pair; a
  ``QSocketNotifier`` on the GUI thread wakes the loop, which schedules the callbacks.
* async-generator hooks — qasync's ``run_forever`` replaces asyncio's and never installs
  them, so an abandoned async generator (httpx's byte iterators) would be finalised by the
  garbage collector outside any task, which anyio's cancel scopes refuse. With the hooks it
  is closed in a task of its own, as asyncio does.

And one setting: worker threads (a run's colours, its history record, the session file)
hand the interpreter back to the GUI thread within 1 ms instead of Python's 5 ms. Every
call from Qt into Python (an event handler, a paint, a highlighter) has to take the
interpreter lock; while a worker computes, each one waited for its switch interval, and a
frame with a dozen such calls stalled 60-100 ms.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import contextvars
import socket
import sys
from collections.abc import Callable, Coroutine
from typing import Any

import qasync
from PySide6.QtCore import QSocketNotifier
from PySide6.QtWidgets import QApplication

__all__ = [
    "GUI_SWITCH_INTERVAL",
    "AppEventLoop",
    "close_event_loop",
    "create_event_loop",
    "finish_event_loop",
]

#: Seconds a thread may keep the interpreter while the GUI thread waits for it.
GUI_SWITCH_INTERVAL = 0.001


class AppEventLoop(qasync.QEventLoop):
    def __init__(self, app: QApplication, *, already_running: bool = False) -> None:
        self._pending: collections.deque[asyncio.Handle] = collections.deque()
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_reader.setblocking(False)
        self._wake_writer.setblocking(False)
        super().__init__(app, already_running=already_running)
        self._wake_notifier = QSocketNotifier(self._wake_reader.fileno(), QSocketNotifier.Type.Read)
        self._wake_notifier.activated.connect(self._run_pending)

    def call_soon_threadsafe(  # type: ignore[override]
        self,
        callback: Callable[..., Any],
        *args: Any,
        context: contextvars.Context | None = None,
    ) -> asyncio.Handle:
        handle = asyncio.Handle(callback, args, self, context)
        self._pending.append(handle)  # deque.append is atomic; no Qt call in this thread
        # A full or closing pipe means a wake-up is already pending.
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"\0")
        return handle

    def _run_pending(self, *_: object) -> None:
        try:
            while self._wake_reader.recv(4096):
                pass
        except (BlockingIOError, InterruptedError, OSError):
            pass
        while self._pending:
            handle = self._pending.popleft()
            if not handle._cancelled:
                self.call_soon(handle._run)

    def close(self) -> None:
        if self.is_closed():
            return
        self._wake_notifier.setEnabled(False)
        super().close()
        self._wake_reader.close()
        self._wake_writer.close()


def create_event_loop(app: QApplication, *, already_running: bool = False) -> AppEventLoop:
    loop = AppEventLoop(app, already_running=already_running)
    asyncio.set_event_loop(loop)
    sys.setswitchinterval(GUI_SWITCH_INTERVAL)
    sys.set_asyncgen_hooks(
        firstiter=loop._asyncgen_firstiter_hook,
        finalizer=loop._asyncgen_finalizer_hook,
    )
    return loop


def finish_event_loop(loop: AppEventLoop, last: Coroutine[Any, Any, Any]) -> None:
    """After ``QApplication.exec()`` returned: run ``last`` (the shutdown) to its end on
    ``loop`` (a loop created with ``already_running=True``; Qt's loop runs again for it),
    then close the loop."""
    loop._QEventLoop__is_running = False  # type: ignore[attr-defined]  # Qt's loop ended
    asyncio.events._set_running_loop(None)
    try:
        loop.run_until_complete(last)
    finally:
        close_event_loop(loop)


def close_event_loop(loop: AppEventLoop) -> None:
    """Undo :func:`create_event_loop` for a loop created with ``already_running=True``.

    ``loop.stop()`` is not used: for such a loop it calls ``QApplication.exit()``, which
    emits ``aboutToQuit`` and leaves Qt's "quit now" flag set for the next event loop.
    """
    loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
    asyncio.events._set_running_loop(None)
    sys.set_asyncgen_hooks(firstiter=None, finalizer=None)
    loop.close()
    asyncio.set_event_loop(None)
