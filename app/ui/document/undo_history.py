"""One undo history for the window: typing and completions, in the order they happened.

Ctrl+Z / Ctrl+Shift+Z walk a single :class:`QUndoStack`. The document's own undo steps
(typing, paste, a preset or history entry put in, a whole completion, a regenerated one, a
fork, another choice put in) are mirrored into it as they are added
(``QTextDocument.undoCommandAdded``, the Qt pattern for sharing a stack), so undoing them
calls the document's own undo; each step also keeps the generated spans as they were before
and after it, so undo and redo put the tint and the probabilities back. Nothing is sent
again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextDocument, QUndoCommand, QUndoStack

__all__ = ["DocumentEditCommand", "UnifiedUndo"]


class DocumentEditCommand(QUndoCommand):
    """One undo step of the document (the document already did it), with the generated
    spans as they were before and after it, so undo and redo put their colours back."""

    def __init__(
        self, document: QTextDocument, label: str, state: StateHooks | None = None
    ) -> None:
        super().__init__(label)
        self._document = document
        self._done = True
        self._state = state
        # Pushed before the document reports the change: the spans are still as before.
        self._before = state[0]() if state else None
        self._after: Any = None

    def redo(self) -> None:
        if self._done:  # pushed right after the document made the edit
            self._done = False
            return
        self._document.redo()
        if self._state is not None:
            self._state[1](self._after)

    def undo(self) -> None:
        if self._state is not None:
            self._after = self._state[0]()  # as they are now, just after this edit
        self._document.undo()
        if self._state is not None:
            self._state[1](self._before)


#: (take a snapshot, put a snapshot back) of what goes with the document's text.
StateHooks = tuple[Callable[[], Any], Callable[[Any], None]]


class UnifiedUndo(QObject):
    """Mirrors a document into ``stack`` and labels the steps."""

    def __init__(self, stack: QUndoStack, document: QTextDocument, parent: QObject) -> None:
        super().__init__(parent)
        self.stack = stack
        self.document = document
        self._label: str | None = None
        #: Hooks that keep generated spans with the text through undo and redo.
        self.state: StateHooks | None = None
        #: True while the document re-announces a step it already has (a joined block).
        self.suppress: Callable[[], bool] = lambda: False
        document.undoCommandAdded.connect(self._on_document_command)

    def edit(self, label: str, change: Callable[[], None]) -> None:
        """Make a document edit that shows up as ``label`` in the history."""
        self._label = label
        try:
            change()
        finally:
            self._label = None

    def label_next(self, label: str | None) -> None:
        """The next document edit (a completion) is called ``label`` in the history."""
        self._label = label

    def _on_document_command(self) -> None:
        if self.suppress():
            return
        label, self._label = self._label, None
        self.stack.push(DocumentEditCommand(self.document, label or self.tr("Typing"), self.state))

    def reset(self) -> None:
        """Forget everything (after the start-up restore)."""
        self.stack.clear()
        self.document.clearUndoRedoStacks()
