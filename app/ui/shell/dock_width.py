"""A dock squeezed by a narrowing window gets its width back when the window widens.

Qt gives a narrowing main window's lost width to whichever part can give it up: below
the document's minimum, the sidebar (1,280 → 740 px took it from 380 to 125 px). When the
window widens again, Qt gives all the new room to the central widget, so the sidebar kept
125 px and scrolled sideways, e.g. after snapping the window to half a laptop screen and
back. :class:`SqueezedDock` remembers the width a window's narrowing took from the dock
and gives it back as the window widens, unless the user has moved the dock's edge since.

Qt lays the docks out before a window's resize reaches its event filters, so the dock's
own resize events tell what happened: one while the window's width is changing is the
window's doing; one while it is not is the user's (or Qt's, on a restore).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow

__all__ = ["SqueezedDock"]


class SqueezedDock(QObject):
    """``docks``: those tabbed together in one area (the one shown is the area's width)."""

    def __init__(self, window: QMainWindow, *docks: QDockWidget) -> None:
        super().__init__(window)
        self._window = window
        self._docks = docks
        self._window_width = window.width()
        #: The area's width before the window squeezed it (``None``: not squeezed), and the
        #: dock it was seen on (the one in front).
        self.wanted: int | None = None
        self._squeezed: QDockWidget | None = None
        self._growing = False
        window.installEventFilter(self)
        for dock in docks:
            dock.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            if watched in self._docks:
                assert isinstance(watched, QDockWidget) and isinstance(event, QResizeEvent)
                if not watched.isFloating():
                    self._dock_resized(watched, event.oldSize().width(), event.size().width())
            elif watched is self._window and self._window.width() != self._window_width:
                grew = self._window.width() > self._window_width
                self._window_width = self._window.width()
                if grew and self.wanted is not None:
                    QTimer.singleShot(0, self, self._grow)  # once this resize is laid out
        return False

    def _dock_resized(self, dock: QDockWidget, old: int, new: int) -> None:
        if self._growing or old <= 0:
            return
        if self._window.width() == self._window_width:
            self.wanted = None  # the window kept its width: the user moved the dock's edge
        elif new < old and self._window.width() < self._window_width:
            self.wanted = max(self.wanted or 0, old)  # squeezed by the window
            self._squeezed = dock

    def _shown(self) -> QDockWidget | None:
        dock = self._squeezed
        return dock if dock is not None and dock.isVisible() and not dock.isFloating() else None

    def _grow(self) -> None:
        wanted, dock = self.wanted, self._shown()
        if wanted is None or dock is None:
            return
        central = self._window.centralWidget()
        room = central.width() - central.minimumSizeHint().width() if central else 0
        target = min(wanted, dock.width() + max(0, room))
        if target <= dock.width():
            return
        # resizeDocks posts a layout request: the dock's resize comes with it, before this
        # timer, and is known to be this one's, not the user's.
        self._growing = True
        self._window.resizeDocks([dock], [target], Qt.Orientation.Horizontal)
        QTimer.singleShot(0, self, self._grown)

    def _grown(self) -> None:
        self._growing = False
        dock = self._shown()
        if self.wanted is not None and dock is not None and dock.width() >= self.wanted:
            self.wanted = None
