"""The run controller: owns the asyncio Task of the current run, model list and tests.

Data flows one way: the window hands over a profile and a request, the controller turns
the profile into an endpoint (starting the local model if needed), runs the request
through :func:`app.core.run.execute` and emits Qt signals for each event and for the final
result. :meth:`RunController.cancel` is idempotent: the task is cancelled at most once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.core.connections import Connections
from app.core.errors import CompletionError, UnexpectedError
from app.core.events import ChoiceDelta, Event
from app.core.local_model import bundled_model_path, model_alias
from app.core.profiles import Profile
from app.core.request import CompletionRequest
from app.core.result import CompletionResult, ResultBuilder
from app.core.run import DEFAULT_OUTPUT_LIMIT, execute
from app.core.server_kinds import Detection, detect
from app.ui.task_keeper import TaskKeeper
from app.ui.wording import describe as describe_error

__all__ = ["RunController"]


class RunController(QObject):
    """Starts, streams and stops runs; one at a time."""

    runStarted = Signal(object)  # CompletionRequest
    progress = Signal(str)  # e.g. "Loading the local model…"
    textReceived = Signal(int, str)  # choice index, new text
    runFinished = Signal(object)  # CompletionResult (also when failed or cancelled)
    modelsLoaded = Signal(list)
    modelsFailed = Signal(str)
    connectionTested = Signal(bool, str)  # ok, one sentence

    def __init__(self, connections: Connections, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.connections = connections
        self._task: asyncio.Task[CompletionResult] | None = None
        self._side_tasks = TaskKeeper()
        self._models_task: asyncio.Task[None] | None = None
        self._builder: ResultBuilder | None = None
        self._cancel_requested = False
        self.last_result: CompletionResult | None = None
        self.last_request: CompletionRequest | None = None
        self.last_profile: Profile | None = None
        self.last_base_url: str | None = None
        #: Characters of output after which a run stops (Settings ▸ Output limit).
        self.output_limit: int | None = DEFAULT_OUTPUT_LIMIT

    @property
    def is_running(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def task(self) -> asyncio.Task[CompletionResult] | None:
        return self._task

    def start(self, profile: Profile, request: CompletionRequest) -> asyncio.Task[CompletionResult]:
        """Start a run (the request must already be valid). Raises if one is running."""
        if self.is_running:
            raise RuntimeError("a run is already in progress")
        request.validate()
        self._cancel_requested = False
        self.last_request, self.last_profile, self.last_base_url = request, profile, None
        self._builder = ResultBuilder(request.choice_count, streamed=request.stream)
        self._task = asyncio.get_running_loop().create_task(self._run(profile, request))
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
        if type(event) is ChoiceDelta and event.text:
            self.textReceived.emit(event.index, event.text)

    async def _run(self, profile: Profile, request: CompletionRequest) -> CompletionResult:
        builder = self._builder
        assert builder is not None
        try:
            endpoint = await self.connections.endpoint_for(profile, self.progress.emit)
            self.last_base_url = endpoint.base_url
            client = self.connections.client_for(profile)
            result = await execute(
                client,
                endpoint,
                request,
                builder=builder,
                on_event=self._on_event,
                output_limit=self.output_limit,
            )
        except asyncio.CancelledError:
            builder.cancel()
            result = builder.finish()
        except CompletionError as exc:  # the local model could not start
            builder.fail(exc)
            result = builder.finish()
        except Exception as exc:
            builder.fail(UnexpectedError(exc))
            result = builder.finish()
        self.last_result = result
        self.runFinished.emit(result)
        return result

    def side_run(
        self,
        profile: Profile,
        request: CompletionRequest,
        on_event: Callable[[Event], None] | None = None,
    ) -> asyncio.Task[CompletionResult]:
        """Run ``request`` beside the main run (prompt scoring, compare columns).

        It does not touch :attr:`last_request` and emits no run signals; the task's result
        holds the error, if any. Cancel the task to stop it; :meth:`shutdown` cancels it too.
        """
        request.validate()
        builder = ResultBuilder(request.choice_count, streamed=request.stream)
        return self._side_tasks.spawn(self._side_run(profile, request, builder, on_event))

    async def _side_run(
        self,
        profile: Profile,
        request: CompletionRequest,
        builder: ResultBuilder,
        on_event: Callable[[Event], None] | None,
    ) -> CompletionResult:
        try:
            endpoint = await self.connections.endpoint_for(profile, self.progress.emit)
            client = self.connections.client_for(profile)
            return await execute(client, endpoint, request, builder=builder, on_event=on_event)
        except asyncio.CancelledError:
            builder.cancel()
            return builder.finish()
        except CompletionError as exc:
            builder.fail(exc)
            return builder.finish()
        except Exception as exc:
            builder.fail(UnexpectedError(exc))
            return builder.finish()

    def load_models(self, profile: Profile) -> None:
        """Fetch the profile's model list in the background (newer replaces older).

        A local-model profile answers without starting the server (it starts lazily).
        """
        if self._models_task is not None and not self._models_task.done():
            self._models_task.cancel()
        if profile.is_local_model:
            path = profile.model_path or bundled_model_path()
            self.modelsLoaded.emit([model_alias(Path(path))] if path else [])
            return
        self._models_task = self._side_tasks.spawn(self._load_models(profile))

    async def _load_models(self, profile: Profile) -> None:
        try:
            endpoint = await self.connections.endpoint_for(profile)
            models = await self.connections.client_for(profile).list_models(endpoint)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # no task dies silently: every failure is one sentence
            error = exc if isinstance(exc, CompletionError) else UnexpectedError(exc)
            self.modelsFailed.emit(describe_error(error))
            return
        self.modelsLoaded.emit(models)

    def test_connection(self, profile: Profile, key: str | None = None) -> asyncio.Task[None]:
        """Check a profile by listing its models; ``key`` tests a key not yet saved."""
        return self._side_tasks.spawn(self._test_connection(profile, key))

    async def _test_connection(self, profile: Profile, key: str | None = None) -> None:
        try:
            if key and not profile.is_local_model:
                endpoint = profile.endpoint(key)
            else:
                endpoint = await self.connections.endpoint_for(profile, self.progress.emit)
            models = await self.connections.client_for(profile).list_models(endpoint)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # no task dies silently: every failure is one sentence
            error = exc if isinstance(exc, CompletionError) else UnexpectedError(exc)
            self.connectionTested.emit(False, describe_error(error))
            return
        shown = ", ".join(models[:5]) + ("…" if len(models) > 5 else "")
        self.connectionTested.emit(
            True,
            self.tr("Connected to {0}: {1} model(s) ({2}).").format(
                endpoint.base_url, len(models), shown or self.tr("none listed")
            ),
        )
        self.modelsLoaded.emit(models)

    def detect_server(
        self, profile: Profile, key: str | None = None
    ) -> asyncio.Task[Detection | CompletionError]:
        """Ask the profile's server what kind it is, in the background.

        ``key`` tries a key not yet saved. The task never fails: its result is the
        :class:`Detection` or the error (a sentence); :meth:`shutdown` cancels it.
        """
        return self._side_tasks.spawn(self._detect_server(profile, key))

    async def _detect_server(
        self, profile: Profile, key: str | None
    ) -> Detection | CompletionError:
        try:
            if key and not profile.is_local_model:
                endpoint = profile.endpoint(key)
            else:
                endpoint = await self.connections.endpoint_for(profile, self.progress.emit)
            return await detect(self.connections.client_for(profile), endpoint)
        except asyncio.CancelledError:
            raise
        except CompletionError as exc:
            return exc
        except Exception as exc:  # no task dies silently: every failure is one sentence
            return UnexpectedError(exc)

    def restart_local_model(self, profile: Profile) -> asyncio.Task[None]:
        return self._side_tasks.spawn(self._restart_local_model(profile))

    async def _restart_local_model(self, profile: Profile) -> None:
        await self.connections.local_model.stop()
        await self._test_connection(profile)

    async def shutdown(self) -> None:
        """Cancel everything, stop the local model and close the clients (at quit)."""
        self.cancel()
        for task in (self._task, *self._side_tasks.tasks):
            if task is not None and not task.done():
                task.cancel()
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        await self.connections.aclose()
