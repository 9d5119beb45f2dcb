"""Keep a top-level window on the screen: never taller or wider than the available area,
never partly below or beside it."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

__all__ = ["fit_on_screen"]


def fit_on_screen(widget: QWidget, anchor: QWidget | None = None) -> None:
    """Shrink ``widget`` to the available screen area and move it fully onto it (centred
    over ``anchor`` when given)."""
    screen = (anchor or widget).screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area: QRect = screen.availableGeometry()
    frame = widget.frameGeometry()
    margin_w = frame.width() - widget.width()
    margin_h = frame.height() - widget.height()
    width = min(widget.width(), area.width() - margin_w)
    height = min(widget.height(), area.height() - margin_h)
    widget.resize(max(200, width), max(150, height))
    frame = widget.frameGeometry()
    if anchor is not None:
        frame.moveCenter(anchor.frameGeometry().center())
    x = min(max(frame.left(), area.left()), area.right() - frame.width() + 1)
    y = min(max(frame.top(), area.top()), area.bottom() - frame.height() + 1)
    widget.move(x, y)
