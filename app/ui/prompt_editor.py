"""The prompt editor: a monospace plain-text editor that stays fast on large prompts."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QWidget

__all__ = ["PromptEditor"]


class PromptEditor(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setPlaceholderText(self.tr("Write a prompt, then press Ctrl+Enter to complete it."))
        self.setAccessibleName(self.tr("Prompt"))
        self.setTabChangesFocus(False)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
