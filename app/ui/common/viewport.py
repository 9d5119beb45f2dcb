"""A scroll area's viewport, handed to Python without PySide making every Qt class first.

PySide6 creates its classes lazily, when first named. The first time
``QAbstractScrollArea.viewport()`` returns a viewport Python has not seen, PySide makes
every class of every Qt module loaded so far (and their ~80 enum classes) while it looks
for the viewport's type: 10-15 ms of the start-up, for classes the first frame never uses.
Found among the area's children by the object name Qt gives it, the same widget is
wrapped as a plain ``QWidget``, and ``viewport()`` returns that wrapper from then on.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

__all__ = ["VIEWPORT_NAME", "viewport"]

#: The object name Qt gives a scroll area's viewport widget.
VIEWPORT_NAME = "qt_scrollarea_viewport"


def viewport(area: QAbstractScrollArea) -> QWidget:
    """``area.viewport()`` (found as a child first; see the module's docstring)."""
    found = area.findChild(QWidget, VIEWPORT_NAME, Qt.FindChildOption.FindDirectChildrenOnly)
    return found if found is not None else area.viewport()
