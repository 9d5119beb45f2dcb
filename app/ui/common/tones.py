"""Error and success colours that stay readable in the light and the dark theme.

Labels and fields used fixed colours (``#c62828`` for an error): on the dark theme's
background that red has a contrast of 2.8:1, under the 4.5:1 that text needs. A widget
given a tone with :func:`set_tone` gets the colour of its theme now and again whenever the
application's palette changes (the theme applies live).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.ui.common.theme import is_dark

__all__ = ["ERROR", "OK", "TONES", "set_tone", "tone_colour"]

ERROR = "error"
OK = "ok"
#: Tone → (colour on a light background, colour on a dark one); each at least 4.5:1
#: against its theme's window and base colours.
TONES = {
    ERROR: ("#c62828", "#ff8a80"),
    OK: ("#1b5e20", "#81c784"),
}
_TONE = "_cp_tone"
_BORDER = "_cp_tone_border"
_WATCHED = "_cp_tone_watched"


def tone_colour(tone: str) -> str:
    """The colour of ``tone`` in the application's current theme."""
    light, dark = TONES[tone]
    return dark if is_dark() else light


def _sheet(widget: QWidget) -> str:
    tone = widget.property(_TONE)
    if not tone:
        return ""
    colour = tone_colour(str(tone))
    return f"border: 1px solid {colour};" if widget.property(_BORDER) else f"color: {colour};"


#: What a theme's change sends a widget: a field with a stylesheet of its own gets only a
#: style change, other widgets a palette change too.
_CHANGES = (
    QEvent.Type.PaletteChange,
    QEvent.Type.ApplicationPaletteChange,
    QEvent.Type.StyleChange,
)


class _Retone(QObject):
    """Sets a toned widget's colour again when the theme changes: once the change is
    complete (a theme sets the style, then the palette)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _CHANGES and isinstance(watched, QWidget):
            QTimer.singleShot(0, watched, lambda: _apply(watched))
        return False


_retone: _Retone | None = None


def _apply(widget: QWidget) -> None:
    sheet = _sheet(widget)
    if widget.styleSheet() != sheet:  # a stylesheet's own palette change must not loop
        widget.setStyleSheet(sheet)


def set_tone(widget: QWidget, tone: str | None, *, border: bool = False) -> None:
    """Colour ``widget``'s text (``border``: its frame) in ``tone``, or plainly (``None``),
    in the current theme and in any theme applied later."""
    global _retone
    if tone is not None and not widget.property(_WATCHED):
        if _retone is None:
            _retone = _Retone(QApplication.instance())
        widget.installEventFilter(_retone)
        widget.setProperty(_WATCHED, True)
    widget.setProperty(_TONE, tone or "")
    widget.setProperty(_BORDER, border)
    _apply(widget)
