"""The font of the text editors (prompt, outputs, code and wire views), from Settings.

Editors call :func:`mark_editor` when created; :func:`set_editor_font` changes the font
of every marked editor at once and of those created later. An empty family means the
system's fixed-width font. CJK text falls back through fontconfig/the platform to a font
that has the glyphs (Noto CJK on Linux when installed), so a Latin monospace family is fine.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

__all__ = ["editor_font", "mark_editor", "set_editor_font"]

_PROPERTY = "cpEditor"
_choice: tuple[str, int] | None = None


def editor_font() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    if _choice is not None:
        family, size = _choice
        if family:
            font.setFamily(family)
        font.setPointSize(size)
    return font


def mark_editor(widget: QWidget) -> None:
    widget.setProperty(_PROPERTY, True)
    widget.setFont(editor_font())


def set_editor_font(family: str, size: int) -> None:
    global _choice
    _choice = (family, size)
    font = editor_font()
    for widget in QApplication.allWidgets():
        if widget.property(_PROPERTY):
            widget.setFont(font)
