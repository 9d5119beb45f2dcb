"""The run controller: owns the asyncio Task of the current run and of the model-list fetch.

Data flows one way: the window hands over an endpoint and a request, the controller runs
them through :func:`app.core.run.execute` and emits Qt signals for each event and for the
final result. :meth:`RunController.cancel` is idempotent: the task is cancelled at most
once, because cancelling an httpx stream twice can leak a pooled connection.
"""

from __future__ import annotations

import asyncio
import contextlib

from PySide6.QtCore import QObject, Signal

from app.core.client import CompletionClient
from app.core.endpoint import Endpoint
from app.core.errors import CompletionError
from app.core.events import ChoiceDelta, Event
from app.core.request import CompletionRequest
from app.core.result import CompletionResult, ResultBuilder
from app.core.run import execute

__all__ = ["RunController"]


class RunController(QObject):
    """Starts, streams and stops runs; one at a time."""

    runStarted = Signal(object)  # CompletionRequest
    textReceived = Signal(int, str)  # choice index, new text
    runFinished = Signal(object)  # CompletionResult (also when failed or cancelled)
    modelsLoaded = Signal(list)
    modelsFailed = Signal(str)

    def __init__(self, client: CompletionClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._task: asyncio.Task[CompletionResult] | None = None
        self._models_task: asyncio.Task[None] | None = None
        self._builder: ResultBuilder | None = None
        self._cancel_requested = False
        self.last_result: CompletionResult | None = None

    @property
    def client(self) -> CompletionClient:
        return self._client

    @property
    def is_running(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def task(self) -> asyncio.Task[CompletionResult] | None:
        return self._task

    def start(
        self, endpoint: Endpoint, request: CompletionRequest
    ) -> asyncio.Task[CompletionResult]:
        """Start a run (the request must already be valid). Raises if one is running."""
        if self.is_running:
            raise RuntimeError("a run is already in progress")
        request.validate()
        self._cancel_requested = False
        self._builder = ResultBuilder(request.choice_count, streamed=request.stream)
        self._task = asyncio.get_running_loop().create_task(self._run(endpoint, request))
        self.runStarted.emit(request)
        return self._task

    def cancel(self) -> bool:
        """Stop the current run; returns whether a cancel was requested now."""
        if not self.is_running or self._cancel_requested:
            return False
        self._cancel_requested = True
        assert self._task is not None
        self._task.cancel()
        return True

    def _on_event(self, event: Event) -> None:
        if isinstance(event, ChoiceDelta) and event.text:
            self.textReceived.emit(event.index, event.text)

    async def _run(self, endpoint: Endpoint, request: CompletionRequest) -> CompletionResult:
        builder = self._builder
        assert builder is not None
        try:
            result = await execute(
                self._client, endpoint, request, builder=builder, on_event=self._on_event
            )
        except asyncio.CancelledError:
            result = builder.finish()
        except Exception as exc:
            builder.fail(CompletionError(f"Unexpected error: {type(exc).__name__}: {exc}"))
            result = builder.finish()
        self.last_result = result
        self.runFinished.emit(result)
        return result

    def load_models(self, endpoint: Endpoint) -> None:
        """Fetch the model list in the background (a newer fetch replaces an older one)."""
        if self._models_task is not None and not self._models_task.done():
            self._models_task.cancel()
        self._models_task = asyncio.get_running_loop().create_task(self._load_models(endpoint))

    async def _load_models(self, endpoint: Endpoint) -> None:
        try:
            models = await self._client.list_models(endpoint)
        except CompletionError as exc:
            self.modelsFailed.emit(exc.user_message())
            return
        self.modelsLoaded.emit(models)

    async def shutdown(self) -> None:
        """Cancel everything and close the client (called when the app quits)."""
        self.cancel()
        for task in (self._task, self._models_task):
            if task is not None and not task.done():
                task.cancel()
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        await self._client.aclose()
