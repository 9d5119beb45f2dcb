"""The font of the text editors (prompt, outputs, code and wire views), from Settings.

Editors call :func:`mark_editor` when created; :func:`set_editor_font` changes the font
of every marked editor at once and of those created later. The marked editors are kept in
a weak set (asking Qt for all widgets instead would make PySide create every Qt class
while it wraps Qt's private ones: ~10 ms at start-up). An empty family means the
system's fixed-width font. CJK text falls back through fontconfig/the platform to a font
that has the glyphs (Noto CJK on Linux when installed), so a Latin monospace family is fine.
"""

from __future__ import annotations

import weakref

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

__all__ = ["editor_font", "mark_editor", "set_editor_font"]

_choice: tuple[str, int] | None = None
_editors: weakref.WeakSet[QWidget] = weakref.WeakSet()


def editor_font() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    if _choice is not None:
        family, size = _choice
        if family:
            font.setFamily(family)
        font.setPointSize(size)
    return font


def mark_editor(widget: QWidget) -> None:
    _editors.add(widget)
    widget.setFont(editor_font())


def set_editor_font(family: str, size: int) -> None:
    global _choice
    _choice = (family, size)
    font = editor_font()
    for widget in list(_editors):
        if isValid(widget):  # its C++ side may be gone while Python still holds it
            widget.setFont(font)
