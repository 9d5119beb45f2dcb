"""Score prompt: colour the prompt editor by each token's surprisal and report perplexity.

Runs beside the main run (it never replaces the output), through the same client. The
colours stay until the prompt is edited. Servers that refuse or ignore ``echo`` get a
plain sentence saying so.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit

from app.core.capabilities import rejected_parameter
from app.core.prompt_score import PromptScore, ScoringError, score_prompt, scoring_request
from app.core.request import RequestValidationError
from app.core.result import CompletionResult
from app.ui.message_area import Severity
from app.ui.theme import is_dark
from app.ui.token_view import ProbabilityMode, probability_colour
from app.ui.wording import text_of

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

__all__ = ["PromptScorer"]


def _utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


class PromptScorer(QObject):
    """The "Score prompt" action and the prompt editor's surprisal colouring."""

    scored = Signal(object)  # PromptScore, or None when scoring failed

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.last_score: PromptScore | None = None
        self.last_error: str | None = None
        self._task: asyncio.Task[CompletionResult] | None = None
        self.action = QAction(self.tr("Score prompt"), window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+Return"))
        self.action.setToolTip(
            self.tr("Colour the prompt by how surprising each token is (echo + logprobs)")
        )
        self.action.triggered.connect(self.score)
        window.addAction(self.action)
        window.prompt.textChanged.connect(self._on_edited)

    def score(self) -> asyncio.Task[CompletionResult] | None:
        window = self.window
        if self._task is not None and not self._task.done():
            return None
        try:
            request = window.build_request()
            profile = window.profiles.current
            scoring = scoring_request(request, profile.server_kind, profile.unsupported)
        except RequestValidationError as exc:
            self._fail("; ".join(f"{e.field}: {text_of(e.msg)}" for e in exc.errors))
            return None
        except ScoringError as exc:
            self._fail(text_of(exc.msg))
            return None
        window.status.state.setText(self.tr("Scoring the prompt…"))
        self._task = window.controller.side_run(profile, scoring)
        self._task.add_done_callback(lambda task: self._done(scoring, task))
        return self._task

    def _done(self, request, task: asyncio.Task[CompletionResult]) -> None:  # noqa: ANN001
        if task.cancelled():
            return
        result = task.result()
        prompt = str(request.prompt)
        try:
            score = score_prompt(prompt, result)
        except ScoringError as exc:
            message = text_of(exc.msg)
            blamed = rejected_parameter(result.error, request.to_body())
            if blamed == "echo":
                message = self.tr(
                    "This server rejects echo, which prompt scoring needs: {0}"
                ).format(message)
            self._fail(message)
            return
        self.last_score, self.last_error = score, None
        self._paint(score)
        summary = text_of(score.summary())
        self.window.status.state.setText(summary)
        notes = [text_of(note) for note in score.notes]
        self.window.messages.show_message(" ".join([summary, *notes]), Severity.INFO)
        self.scored.emit(score)

    def _fail(self, message: str) -> None:
        self.last_score, self.last_error = None, message
        self.window.status.state.setText(self.tr("Prompt not scored"))
        self.window.messages.show_message(message, Severity.WARNING)
        self.scored.emit(None)

    def _paint(self, score: PromptScore) -> None:
        editor = self.window.prompt
        if editor.toPlainText() != score.prompt:
            return
        dark = is_dark(editor.palette())
        selections = []
        for unit in score.units:
            p = unit.probability
            if p is None:
                continue
            colour = probability_colour(p, ProbabilityMode.FULL, dark)
            if colour is None:
                continue
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(editor.document())
            cursor.setPosition(_utf16(score.prompt, unit.start))
            cursor.setPosition(_utf16(score.prompt, unit.end), QTextCursor.MoveMode.KeepAnchor)
            fmt = QTextCharFormat()
            fmt.setBackground(colour)
            fmt.setToolTip(f"{p:.2%}")
            selection.cursor = cursor  # type: ignore[attr-defined]
            selection.format = fmt  # type: ignore[attr-defined]
            selections.append(selection)
        editor.setExtraSelections(selections)

    def _on_edited(self) -> None:
        score = self.last_score
        editor = self.window.prompt
        if editor.extraSelections() and (score is None or editor.toPlainText() != score.prompt):
            editor.setExtraSelections([])
