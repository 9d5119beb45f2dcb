"""Score prompt: colour the document's text by each token's surprisal and report perplexity.

Runs beside the main run, through the same client, and never changes the text. The colours
sit in the document itself (a scored span) and stay until the scored text is edited; the
tokens show their probabilities on hover like a completion's. Servers that refuse or
ignore ``echo`` get a plain sentence saying so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QKeySequence

from app.core.capabilities import rejected_parameter
from app.core.request import RequestValidationError
from app.ui.common.actions import text_action
from app.ui.common.message_area import Severity
from app.ui.common.wording import text_of
from app.ui.common.workspace import Workspace
from app.ui.document.editor import DocumentEditor
from app.ui.document.spans import layout_units
from app.ui.runs.controller import RunController

if TYPE_CHECKING:
    import asyncio

    from app.core.prompt_score import PromptScore
    from app.core.request import CompletionRequest
    from app.core.result import CompletionResult

__all__ = ["PromptScorer"]


class PromptScorer(QObject):
    """The "Score prompt" action and the document's surprisal colouring."""

    scored = Signal(object)  # PromptScore, or None when scoring failed

    def __init__(
        self,
        workspace: Workspace,
        editor: DocumentEditor,
        controller: RunController,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.editor = editor
        self.controller = controller
        self.last_score: PromptScore | None = None
        self.last_error: str | None = None
        self._task: asyncio.Task[CompletionResult] | None = None
        self.action = text_action(self.tr("Score prompt"), parent)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+Return"))
        self.action.setToolTip(
            self.tr("Colour the text by how surprising each token is (echo + logprobs)")
        )
        self.action.triggered.connect(self.score)

    def score(self) -> asyncio.Task[CompletionResult] | None:
        if self._task is not None and not self._task.done():
            return None
        from app.core.prompt_score import ScoringError, scoring_request

        workspace = self.workspace
        try:
            request = workspace.build_request()
            request = request.with_changes(prompt=self.editor.text(), suffix=None)
            profile = workspace.current_profile()
            scoring = scoring_request(request, profile.server_kind, profile.unsupported)
        except RequestValidationError as exc:
            self._fail("; ".join(f"{e.field}: {text_of(e.msg)}" for e in exc.errors))
            return None
        except ScoringError as exc:
            self._fail(text_of(exc.msg))
            return None
        workspace.set_status(self.tr("Scoring the prompt…"))
        self._task = self.controller.side_run(profile, scoring)
        self._task.add_done_callback(lambda task: self._done(scoring, task))
        return self._task

    def _done(self, request: CompletionRequest, task: asyncio.Task[CompletionResult]) -> None:
        if task.cancelled():
            return
        from app.core.prompt_score import ScoringError, score_prompt

        result = task.result()
        prompt = str(request.prompt)
        try:
            score = score_prompt(prompt, result)
        except ScoringError as exc:
            message = text_of(exc.msg)
            if rejected_parameter(result.error, request.to_body()) == "echo":
                message = self.tr(
                    "This server rejects echo, which prompt scoring needs: {0}"
                ).format(message)
            self._fail(message)
            return
        self.last_score, self.last_error = score, None
        self._paint(score)
        summary = text_of(score.summary())
        self.workspace.set_status(summary)
        notes = [text_of(note) for note in score.notes]
        self.workspace.tell(" ".join([summary, *notes]), Severity.INFO)
        self.scored.emit(score)

    def _fail(self, message: str) -> None:
        self.last_score, self.last_error = None, message
        self.workspace.set_status(self.tr("Prompt not scored"))
        self.workspace.tell(message, Severity.WARNING)
        self.scored.emit(None)

    def _paint(self, score: PromptScore) -> None:
        editor = self.editor
        if editor.text()[: len(score.prompt)] != score.prompt or not score.units:
            return  # edited meanwhile
        end = editor.position_of(score.units[-1].end)
        soft = editor.soft_offsets_between(0, end)
        layout = layout_units(score.prompt, score.units, score.tokens, soft)
        editor.add_score(0, end, layout)
