"""Make a ``QAction`` with a text, the way that costs start-up least.

``QAction(text, parent)`` has a sibling overload ``QAction(icon, text, parent)``: choosing
between them makes PySide build the ``QIcon`` class and its three enum classes, one of them
(``QIcon.ThemeIcon``) with 151 members, ~1.5 ms of the start-up, for windows whose first
frame shows no icon. ``QAction(parent)`` has no such sibling; the text is set after.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

__all__ = ["text_action"]


def text_action(text: str, parent: QObject) -> QAction:
    """A ``QAction`` showing ``text`` (``&`` marks its mnemonic), owned by ``parent``."""
    action = QAction(parent)
    action.setText(text)
    return action
