"""The prompt's token count beside Run, kept up to date while typing without blocking it.

An estimate (marked ≈) appears at once; where the server has a tokenizer endpoint (llama.cpp,
llama-cpp-python, vLLM, koboldcpp, text-generation-webui) the exact count replaces it a
moment after typing stops. Only the newest request counts: an older answer arriving late is
dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel
from shiboken6 import isValid

from app.core.connections import Connections
from app.core.profiles import Profile
from app.core.server_kinds import get_kind
from app.ui.common.task_keeper import TaskKeeper

__all__ = ["TokenCounter"]

DEBOUNCE_MS = 500
#: Prompts longer than this are only estimated (a tokenizer request would be as big).
_EXACT_LIMIT = 2_000_000
#: Up to this many characters the estimate is made at once (well under a millisecond).
_INLINE_LIMIT = 20_000


class TokenCounter(QObject):
    def __init__(
        self,
        label: QLabel,
        text: Callable[[], str],
        profile: Callable[[], Profile],
        model: Callable[[], str],
        connections: Connections,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.label = label
        self._text, self._profile, self._model = text, profile, model
        self.connections = connections
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._count)
        self._tasks = TaskKeeper()
        self._generation = 0
        #: The last figure shown: (count, exact).
        self.shown: tuple[int, bool] | None = None
        #: While this says so (a run writing into the document) nothing is counted: the
        #: text changes every frame, and the run's end schedules a count.
        self.busy: Callable[[], bool] = lambda: False

    def schedule(self) -> None:
        """The text or the profile changed: count again when typing pauses."""
        self._generation += 1
        self._timer.start()

    def _show(self, count: int, exact: bool) -> None:
        self.shown = (count, exact)
        text = self.tr("%n token(s)", "", count)
        self.label.setText(text if exact else "≈" + text)
        self.label.setToolTip(
            self.tr("Counted by the server's tokenizer")
            if exact
            else self.tr("An estimate: this server has no tokenizer endpoint, or it did not answer")
        )

    def _count(self) -> None:
        if self.busy():
            return
        from app.core.token_count import estimate_tokens  # after the first frame, not before

        text = self._text()
        generation = self._generation
        profile, model = self._profile(), self._model()
        try:
            if len(text) <= _INLINE_LIMIT:
                self._show(estimate_tokens(text), False)
                if text:
                    self._tasks.spawn(self._exact(generation, profile, text, model))
            else:  # a long document is estimated in a worker thread, in slices
                self._tasks.spawn(self._estimate(generation, profile, text, model))
        except RuntimeError:  # no running event loop (a window built outside the app)
            return

    async def _estimate(self, generation: int, profile: Profile, text: str, model: str) -> None:
        import asyncio

        from app.core.token_count import estimate_tokens

        count = await asyncio.to_thread(estimate_tokens, text)
        if generation != self._generation or not (isValid(self) and isValid(self.label)):
            return
        self._show(count, False)
        if len(text) <= _EXACT_LIMIT:
            await self._exact(generation, profile, text, model)

    async def _exact(self, generation: int, profile: Profile, text: str, model: str) -> None:
        import asyncio

        from app.core.token_count import count_tokens

        if profile.is_local_model and self.connections.local_model.info is None:
            return  # do not start the model just to count
        if get_kind(profile.server_kind).tokenizer is None:
            return  # no tokenizer endpoint: the estimate shown is all there is
        try:
            endpoint = await self.connections.endpoint_for(profile)
            client = await self.connections.client(profile)
            result = await count_tokens(client, endpoint, profile.server_kind, text, model)
        except asyncio.CancelledError:
            raise
        except Exception:  # the estimate stays; counting must never disturb writing
            return
        # The window (and its label) may have closed while the server was counting.
        if generation == self._generation and isValid(self) and isValid(self.label):
            self._show(result.count, result.exact)
