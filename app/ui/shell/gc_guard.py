"""Run Python's cyclic garbage collector on the GUI thread only (as qutebrowser does).

Automatic collection runs in whatever thread happens to allocate; if that is a worker
thread (DNS look-ups, executors) and the garbage holds a QObject with timers, Qt destroys
it in the wrong thread ("Timers cannot be stopped from another thread") and may crash.
:class:`GCGuard` disables automatic collection and collects from a timer on the GUI thread.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

__all__ = ["GCGuard"]


class GCGuard(QObject):
    def __init__(self, parent: QObject | None = None, *, interval_ms: int = 1000) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_if_due)
        self._was_enabled = gc.isenabled()

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()

    @staticmethod
    def collect_if_due() -> int:
        """Collect the oldest generation whose threshold is exceeded (like automatic gc)."""
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        for generation in (2, 1, 0):
            if thresholds[generation] and counts[generation] > thresholds[generation]:
                return gc.collect(generation)
        return 0
