"""Small behaviours shared by the input fields of several features."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

__all__ = ["show_start"]


def show_start(combo: QComboBox) -> None:
    """An editable combo box shows the beginning of a text set by the program (a model's
    name): Qt puts the cursor at the end and scrolls a long text there, cutting its start
    ("olLM2-135M-Instruct"). While the field has the focus the text is the user's, left
    as it is."""
    edit = combo.lineEdit()
    if edit is None:
        raise ValueError("show_start needs an editable QComboBox")
    # Any set text (even the same one again) puts the cursor at the end: without the focus
    # nobody sees the cursor, so it goes back to the start.
    edit.cursorPositionChanged.connect(
        lambda _old, new: edit.hasFocus() or new == 0 or edit.setCursorPosition(0)
    )
