"""One undo history for the window: typing in the prompt and runs, in the order they happened.

Ctrl+Z / Ctrl+Shift+Z walk a single :class:`QUndoStack`. The prompt document's own undo
steps (typing, paste, "Append output", a preset or history entry put into the editor) are
mirrored into it as they are added (``QTextDocument.undoCommandAdded``, the Qt pattern for
sharing a stack), so undoing them calls the document's own undo. Runs and forks are
commands too: undoing one shows the output that was there before it, redoing shows it
again (nothing is sent again).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextDocument, QUndoCommand, QUndoStack

__all__ = ["DocumentEditCommand", "RunCommand", "UnifiedUndo"]


class DocumentEditCommand(QUndoCommand):
    """One undo step of the prompt document (the document already did it)."""

    def __init__(self, document: QTextDocument, label: str) -> None:
        super().__init__(label)
        self._document = document
        self._done = True

    def redo(self) -> None:
        if self._done:  # pushed right after the document made the edit
            self._done = False
            return
        self._document.redo()

    def undo(self) -> None:
        self._document.undo()


class RunCommand(QUndoCommand):
    """Switches the output between what was shown before a run and after it."""

    def __init__(self, apply: Callable[[Any], None], before: Any, after: Any, label: str) -> None:
        super().__init__(label)
        self._apply, self._before, self._after = apply, before, after
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._apply(self._after)

    def undo(self) -> None:
        self._apply(self._before)


class UnifiedUndo(QObject):
    """Mirrors a prompt document into ``stack`` and labels the steps."""

    def __init__(self, stack: QUndoStack, document: QTextDocument, parent: QObject) -> None:
        super().__init__(parent)
        self.stack = stack
        self.document = document
        self._label: str | None = None
        document.undoCommandAdded.connect(self._on_document_command)

    def edit(self, label: str, change: Callable[[], None]) -> None:
        """Make a document edit that shows up as ``label`` in the history."""
        self._label = label
        try:
            change()
        finally:
            self._label = None

    def _on_document_command(self) -> None:
        self.stack.push(DocumentEditCommand(self.document, self._label or self.tr("Typing")))

    def push_run(self, apply: Callable[[Any], None], before: Any, after: Any, label: str) -> None:
        self.stack.push(RunCommand(apply, before, after, label))

    def reset(self) -> None:
        """Forget everything (after the start-up restore)."""
        self.stack.clear()
        self.document.clearUndoRedoStacks()
