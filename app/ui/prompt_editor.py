"""The prompt editor: a monospace plain-text editor that stays fast on large prompts.

Undo and redo belong to the window's single history (typing and runs together, see
:mod:`app.ui.undo_history`): the editor lets Ctrl+Z / Ctrl+Shift+Z through to the
window's actions instead of undoing its document directly, and its context menu uses the
same actions. :meth:`PromptEditor.setPlainText` replaces the text as one undoable step.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QKeyEvent,
    QKeySequence,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from app.ui.editor_font import mark_editor

__all__ = ["PromptEditor"]

_HISTORY_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)


def _is_history_key(event: QKeyEvent) -> bool:
    return any(event.matches(key) for key in _HISTORY_KEYS)


class PromptEditor(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        mark_editor(self)
        self.setPlaceholderText(self.tr("Write a prompt, then press Ctrl+Enter to complete it."))
        self.setAccessibleName(self.tr("Prompt"))
        self.setTabChangesFocus(False)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.history_actions: tuple[QAction, QAction] | None = None

    def setPlainText(self, text: str) -> None:
        """Replace the whole text as one undoable edit (unlike Qt's, which clears undo)."""
        if text == self.toPlainText():
            return
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()  # its own undo step, never merged with typing
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        self.setTextCursor(cursor)

    def append_text(self, text: str) -> None:
        """Add ``text`` at the end (one undoable edit)."""
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.beginEditBlock()
        cursor.insertText(text)
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def event(self, event: QEvent) -> bool:
        # Let the window's Undo/Redo shortcuts fire instead of the document's own undo.
        if event.type() == QEvent.Type.ShortcutOverride and _is_history_key(event):  # type: ignore[arg-type]
            event.ignore()
            return False
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _is_history_key(event):
            event.ignore()
            return
        # Tab types a tab (prompts are often code); Ctrl+Tab / Ctrl+Shift+Tab leave the
        # editor, so every control stays reachable from the keyboard.
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and event.key() in (
            Qt.Key.Key_Tab, Qt.Key.Key_Backtab,
        ):  # fmt: skip
            backwards = event.key() == Qt.Key.Key_Backtab or bool(
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            QWidget.focusNextPrevChild(self, not backwards)  # QPlainTextEdit refuses
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        if self.history_actions is not None:
            for action in menu.actions():
                name = action.objectName()
                if name in ("edit-undo", "edit-redo"):
                    replacement = self.history_actions[0 if name == "edit-undo" else 1]
                    menu.insertAction(action, replacement)
                    menu.removeAction(action)
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(event.globalPos())
