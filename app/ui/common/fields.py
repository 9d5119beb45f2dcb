"""Small behaviours shared by the input fields of several features."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit

__all__ = ["show_start"]


def show_start(field: QLineEdit | QComboBox) -> None:
    """A one-line field (or an editable combo box) shows the beginning of a text set by the
    program (a model's name, a restored value): Qt puts the cursor at the end and scrolls a
    long text there, cutting its start ("olLM2-135M-Instruct"). Text the user typed (the
    field has the focus, or ``isModified()``: keys sent to it) is left as it is."""
    edit = field.lineEdit() if isinstance(field, QComboBox) else field
    if edit is None:
        raise ValueError("show_start needs an editable QComboBox")

    # Any set text (even the same one again) puts the cursor at the end: without the focus
    # nobody sees the cursor, so it goes back to the start.
    def back_to_start(_old: int, new: int) -> None:
        if new and not edit.hasFocus() and not edit.isModified():
            edit.setCursorPosition(0)

    edit.cursorPositionChanged.connect(back_to_start)
    back_to_start(0, edit.cursorPosition())
