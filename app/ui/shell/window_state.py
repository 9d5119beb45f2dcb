"""Remember window geometry, dock layout, splitter positions and small view choices
(the token colouring) between sessions.

Kept with QSettings in ``window.ini`` in the config dir (so ``--config-dir`` and the
tests' isolated homes hold it too). A missing or unreadable entry leaves Qt's defaults.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

__all__ = ["WindowState"]


class WindowState:
    FILE_NAME = "window.ini"

    def __init__(self, config_dir: Path) -> None:
        self.settings = QSettings(
            str(Path(config_dir) / self.FILE_NAME), QSettings.Format.IniFormat
        )

    def _bytes(self, key: str) -> QByteArray | None:
        value = self.settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def restore(self, name: str, widget: QWidget, splitters: dict[str, QSplitter]) -> None:
        geometry = self._bytes(f"{name}/geometry")
        if geometry is not None:
            widget.restoreGeometry(geometry)
        if isinstance(widget, QMainWindow):
            state = self._bytes(f"{name}/state")
            if state is not None:
                widget.restoreState(state)
        for key, splitter in splitters.items():
            self.restore_splitter(name, key, splitter)

    def restore_splitter(self, name: str, key: str, splitter: QSplitter) -> None:
        """One splitter's remembered sizes (a part built after the window was restored)."""
        sizes = self._bytes(f"{name}/splitter/{key}")
        if sizes is not None:
            splitter.restoreState(sizes)

    def value(self, key: str, default: int = 0) -> int:
        """A small remembered choice (e.g. the colouring mode)."""
        try:
            return int(self.settings.value(key, default))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return default

    def set_value(self, key: str, value: int) -> None:
        self.settings.setValue(key, value)

    def save(self, name: str, widget: QWidget, splitters: dict[str, QSplitter]) -> None:
        self.settings.setValue(f"{name}/geometry", widget.saveGeometry())
        if isinstance(widget, QMainWindow):
            self.settings.setValue(f"{name}/state", widget.saveState())
        for key, splitter in splitters.items():
            self.settings.setValue(f"{name}/splitter/{key}", splitter.saveState())
        self.settings.sync()
