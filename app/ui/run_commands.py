"""Undoable run operations for Qt's undo stack: appending a completion to the prompt."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor, QUndoCommand
from PySide6.QtWidgets import QPlainTextEdit

__all__ = ["AppendToPromptCommand"]


class AppendToPromptCommand(QUndoCommand):
    """Redo appends ``text`` to the prompt; undo removes it again (if still there)."""

    def __init__(self, editor: QPlainTextEdit, text: str, label: str) -> None:
        super().__init__(label)
        self.editor = editor
        self.text = text

    def redo(self) -> None:
        cursor = QTextCursor(self.editor.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(self.text)
        self.editor.setTextCursor(cursor)

    def undo(self) -> None:
        current = self.editor.toPlainText()
        if not current.endswith(self.text):
            self.setObsolete(True)  # the user edited the end since: leave their text alone
            return
        cursor = QTextCursor(self.editor.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        end = cursor.position()
        # Positions, not "Left" moves: a move steps over a whole emoji (two UTF-16 units).
        cursor.setPosition(end - _utf16_len(self.text), QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()


def _utf16_len(text: str) -> int:
    """Qt counts positions in UTF-16 code units (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2
