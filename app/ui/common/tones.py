"""Colours for errors, warnings, notes and success that stay readable in either theme.

Labels and fields used fixed colours (``#c62828`` for an error): on the dark theme's
background that red has a contrast of 2.8:1, under the 4.5:1 that text needs, and the
message strip stayed a light pink box in a dark window. Each tone here has a colour per
theme; a widget given one with :func:`set_tone` (or that asks with
:func:`on_theme_change`) gets its theme's now and again whenever the theme changes (it
applies live).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.ui.common.theme import is_dark

__all__ = [
    "ADDED",
    "ERROR",
    "INFO",
    "OK",
    "REMOVED",
    "TONES",
    "WARNING",
    "Box",
    "box_colours",
    "on_theme_change",
    "set_sheet",
    "set_tone",
    "tone_colour",
]

ERROR = "error"
WARNING = "warning"
INFO = "info"
OK = "ok"
#: A word diff's removed and added words.
REMOVED = "removed"
ADDED = "added"


class Box(NamedTuple):
    """A message box's background, its text and its frame."""

    background: str
    text: str
    border: str


#: Tone → (text colour on a light background, on a dark one); each at least 4.5:1 against
#: its theme's window and base colours (a test checks).
TONES = {
    ERROR: ("#c62828", "#ff8a80"),
    WARNING: ("#7a5f00", "#ffd54f"),
    INFO: ("#0d47a1", "#9ecbff"),
    OK: ("#1b5e20", "#81c784"),
}
#: Tone → (box in the light theme, in the dark one); text at least 4.5:1 on its background.
BOXES = {
    ERROR: (Box("#ffebee", "#b71c1c", "#ef9a9a"), Box("#3b1416", "#ff8a80", "#7f2b2b")),
    WARNING: (Box("#fff8e1", "#7a5f00", "#e0c060"), Box("#332b00", "#ffd54f", "#7a6520")),
    INFO: (Box("#e3f2fd", "#0d47a1", "#90caf9"), Box("#10263f", "#9ecbff", "#2f5a8a")),
    REMOVED: (Box("#f8d0d0", "#770000", "#f8d0d0"), Box("#4a1d1d", "#ffb4ab", "#4a1d1d")),
    ADDED: (Box("#c8f0c8", "#006633", "#c8f0c8"), Box("#17381f", "#b6f2c0", "#17381f")),
}
_KEY = "_cp_theme_watch"


def tone_colour(tone: str) -> str:
    """The text colour of ``tone`` in the application's current theme."""
    light, dark = TONES[tone]
    return dark if is_dark() else light


def box_colours(tone: str) -> Box:
    """The colours of a message box of ``tone`` (error, warning, info) in the current theme."""
    light, dark = BOXES[tone]
    return dark if is_dark() else light


#: What a theme's change sends a widget: a field with a stylesheet of its own gets only a
#: style change, other widgets a palette change too.
_CHANGES = (
    QEvent.Type.PaletteChange,
    QEvent.Type.ApplicationPaletteChange,
    QEvent.Type.StyleChange,
)


class _ThemeWatch(QObject):
    """Calls a widget's callback again when the theme changes: once the change is complete
    (a theme sets the style, then the palette); a callback that sets a stylesheet causes a
    style change of its own, which calls it once more and changes nothing."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _CHANGES and isinstance(watched, QWidget):
            callback = _callbacks.get(watched.property(_KEY))
            if callback is not None:
                QTimer.singleShot(0, watched, callback)
        return False


_watch: _ThemeWatch | None = None
#: A watched widget's key (a property of the widget) → its callback, dropped when the
#: widget is destroyed.
_callbacks: dict[int, Callable[[], None]] = {}
_keys = itertools.count(1)


def on_theme_change(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call ``callback`` (which sets ``widget``'s colours) after every change of theme."""
    global _watch
    key = widget.property(_KEY)
    if key is None:
        if _watch is None:
            _watch = _ThemeWatch(QApplication.instance())
        key = next(_keys)
        widget.setProperty(_KEY, key)
        widget.installEventFilter(_watch)
        widget.destroyed.connect(lambda: _callbacks.pop(key, None))
    _callbacks[key] = callback


def set_sheet(widget: QWidget, sheet: str) -> None:
    """Give ``widget`` the stylesheet ``sheet`` unless it has it (setting one is a style
    change, which the theme watch answers by setting it again: this ends that)."""
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


def set_tone(widget: QWidget, tone: str | None, *, border: bool = False) -> None:
    """Colour ``widget``'s text (``border``: its frame) in ``tone``, or plainly (``None``),
    in the current theme and in any theme applied later."""

    def apply() -> None:
        if tone is None:
            set_sheet(widget, "")
            return
        colour = tone_colour(tone)
        set_sheet(widget, f"border: 1px solid {colour};" if border else f"color: {colour};")

    if tone is not None or widget.property(_KEY) is not None:
        on_theme_change(widget, apply)  # replaces the colour set before, if any
    apply()
