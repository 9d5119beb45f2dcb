"""The output pane: one read-only text view per choice, filled at most once per frame.

Tokens can arrive thousands of times a second; touching the document for each would
freeze the window. :class:`OutputView` queues text per choice and a ~16 ms timer inserts
everything queued in one edit per choice.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTabWidget, QWidget

__all__ = ["FRAME_MS", "OutputView"]

FRAME_MS = 16


class OutputView(QTabWidget):
    """Tabs of choice outputs (the tab bar hides itself when there is only one)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabBarAutoHide(True)
        self.setDocumentMode(True)
        self._pending: dict[int, list[str]] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self.flush)
        self.flush_count = 0
        self.reset(1)

    def _make_pane(self) -> QPlainTextEdit:
        pane = QPlainTextEdit()
        pane.setReadOnly(True)
        pane.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        pane.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        pane.setUndoRedoEnabled(False)
        pane.setAccessibleName(self.tr("Completion output"))
        pane.setPlaceholderText(self.tr("The completion appears here."))
        return pane

    def reset(self, choices: int) -> None:
        """Clear everything and prepare ``choices`` panes."""
        self._pending.clear()
        self._timer.stop()
        while self.count():
            widget = self.widget(0)
            self.removeTab(0)
            widget.deleteLater()
        for index in range(max(1, choices)):
            self._add_pane(index)

    def _add_pane(self, index: int) -> QPlainTextEdit:
        while self.count() <= index:
            self.addTab(self._make_pane(), self.tr("Choice {0}").format(self.count() + 1))
        pane = self.widget(index)
        assert isinstance(pane, QPlainTextEdit)
        return pane

    def pane(self, index: int) -> QPlainTextEdit:
        return self._add_pane(index)

    def append(self, index: int, text: str) -> None:
        """Queue text for choice ``index``; it appears on the next frame."""
        self._pending.setdefault(index, []).append(text)
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Insert all queued text now (one edit per choice)."""
        if not self._pending:
            self._timer.stop()
            return
        pending, self._pending = self._pending, {}
        for index, parts in sorted(pending.items()):
            pane = self._add_pane(index)
            bar = pane.verticalScrollBar()
            at_bottom = bar.value() >= bar.maximum() - 4
            cursor = QTextCursor(pane.document())
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText("".join(parts))
            if at_bottom:
                bar.setValue(bar.maximum())
        self.flush_count += 1

    def text(self, index: int = 0) -> str:
        """Text shown for a choice (pending text included)."""
        shown = self.pane(index).toPlainText() if index < self.count() else ""
        return shown + "".join(self._pending.get(index, ()))

    def set_text(self, index: int, text: str) -> None:
        self._pending.pop(index, None)
        self.pane(index).setPlainText(text)
