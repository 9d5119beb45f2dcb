"""The run controller: owns the asyncio Task of the current run, model list and tests.

Data flows one way: the window hands over a :class:`app.core.runs.RunPlan`, the core's
:class:`app.core.runs.Runner` finds the endpoint (starting the local model if needed),
executes it, and the controller emits Qt signals: the new text of each choice once per
frame (never one signal per token; :class:`app.ui.runs.frames.Frames` sets the pace), at
the end the :class:`app.core.runs.RunOutcome`, which carries the request, the profile and
the result, and once it is in the history the same outcome again (``runRecorded``, with
its record id or the history's problem).

What has to happen after a run goes to one worker thread, in the order it is asked for
(:meth:`RunController.after_run`): the document's colours, asked for as the run ends,
come before the history record, which a 100k-token run takes a while to encode.
:meth:`RunController.cancel` is idempotent: the task is cancelled at most once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal

from app.core.connections import Connections
from app.core.errors import CompletionError, UnexpectedError
from app.core.events import Event
from app.core.local_model import bundled_model_path, model_alias
from app.core.messages import Message
from app.core.profiles import Profile
from app.core.settings import DEFAULT_OUTPUT_LIMIT
from app.ui.common.task_keeper import TaskKeeper
from app.ui.common.wording import describe as describe_error
from app.ui.common.wording import text_of
from app.ui.runs.frames import Frames

if TYPE_CHECKING:  # a run's modules load with the first run (or prepare), not at start-up
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from app.core.detection import Detection
    from app.core.request import CompletionRequest
    from app.core.result import CompletionResult, ResultBuilder
    from app.core.runs import HistorySink, Runner, RunOutcome, RunPlan

__all__ = ["RunController"]

T = TypeVar("T")


class RunController(QObject):
    """Starts, streams and stops runs; one at a time."""

    runStarted = Signal(object)  # RunPlan
    progress = Signal(str)  # e.g. "Loading the local model…"
    #: New text since the last frame, per choice: dict[int, str].
    textReceived = Signal(object)
    runFinished = Signal(object)  # RunOutcome (also when failed or stopped)
    #: The same outcome, in the history now (``record_id``) or not (``history_problem``).
    runRecorded = Signal(object)
    modelsLoaded = Signal(list)
    modelsFailed = Signal(str)
    connectionTested = Signal(bool, str)  # ok, one sentence

    def __init__(
        self,
        connections: Connections,
        parent: QObject | None = None,
        *,
        history: HistorySink | None = None,
    ) -> None:
        super().__init__(parent)
        self.connections = connections
        self._after_run_pool: ThreadPoolExecutor | None = None  # made when first needed
        self._history = history
        self._open_history: Callable[[], HistorySink | None] | None = None
        self._runner: Runner | None = None  # made when first needed
        self._task: asyncio.Task[RunOutcome] | None = None
        self._side_tasks = TaskKeeper()
        self._recordings = TaskKeeper()  # awaited, never cancelled, at shutdown
        self._models_task: asyncio.Task[None] | None = None
        self._builder: ResultBuilder | None = None
        self._cancel_requested = False
        #: The run's text on its way to the views, a frame at a time (``textReceived``).
        self.frames = Frames(self)
        self.frames.frame.connect(self.textReceived)
        #: The last run's outcome (the wire inspector shows it on request).
        self.last_outcome: RunOutcome | None = None
        #: Characters of output after which a run stops (Settings ▸ Output limit).
        self.output_limit: int | None = DEFAULT_OUTPUT_LIMIT

    @property
    def _after_run(self) -> ThreadPoolExecutor:
        """The after-run worker (one thread; runs' records are written there too), made
        when first needed: ``concurrent.futures`` is not needed for the first frame."""
        if self._after_run_pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._after_run_pool = ThreadPoolExecutor(1, thread_name_prefix="after-run")
            if self._runner is not None:
                self._runner.executor = self._after_run_pool
        return self._after_run_pool

    @property
    def runner(self) -> Runner:
        """The core's runner, made when first needed (:meth:`prepare` makes it right after
        the first frame): the modules of a run and its result are not needed to paint it."""
        if self._runner is None:
            from app.core.runs import Runner

            self._runner = Runner(self.connections, self._history, executor=self._after_run_pool)
            self._runner.open_history = self._open_history
        return self._runner

    def set_history_opener(self, opener: Callable[[], HistorySink | None]) -> None:
        """``opener`` gives the history the first time a run is recorded without one (the
        window opens its database after the first frame)."""
        self._open_history = opener
        if self._runner is not None:
            self._runner.open_history = opener

    @property
    def is_running(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def task(self) -> asyncio.Task[RunOutcome] | None:
        return self._task

    @property
    def last_result(self) -> CompletionResult | None:
        return self.last_outcome.result if self.last_outcome else None

    def start(
        self, plan: RunPlan | Profile, request: CompletionRequest | None = None
    ) -> asyncio.Task[RunOutcome]:
        """Start a run (the request must already be valid). Raises if one is running.

        ``start(plan)``; ``start(profile, request)`` sends the request as it is.
        """
        import asyncio

        from app.core.result import ResultBuilder
        from app.core.runs import RunPlan

        if isinstance(plan, Profile):
            assert request is not None
            plan = RunPlan(plan, request)
        if self.is_running:
            raise RuntimeError("a run is already in progress")
        plan.request.validate()
        self._cancel_requested = False
        self.frames.reset()
        # The previous run's result goes now, not when this one ends: two runs' tokens
        # (a million objects each at 100k tokens with logprobs) are never alive at once.
        # Its record in the history has them if they are asked for again.
        self.last_outcome = None
        self._builder = ResultBuilder(plan.request.choice_count, streamed=plan.request.stream)
        self._task = asyncio.get_running_loop().create_task(self._run(plan))
        self.runStarted.emit(plan)
        return self._task

    def cancel(self) -> bool:
        """Stop the current run; returns whether a cancel was requested now."""
        if not self.is_running or self._cancel_requested:
            return False
        self._cancel_requested = True
        assert self._task is not None
        self._task.cancel()
        return True

    def after_run(self, work: Callable[[], T]) -> asyncio.Future[T]:
        """Run ``work`` in the after-run worker thread, after what was asked for before."""
        import asyncio

        return asyncio.get_running_loop().run_in_executor(self._after_run, work)

    def _progress(self, message: Message | str) -> None:
        self.progress.emit(text_of(message))

    async def _run(self, plan: RunPlan) -> RunOutcome:
        import asyncio

        from app.core.runs import RunOutcome

        builder = self._builder
        assert builder is not None
        ended: list[RunOutcome] = []
        try:
            outcome = await self.runner.run(
                plan,
                builder=builder,
                on_batch=self.frames.add_batch,
                on_progress=self._progress,
                output_limit=self.output_limit,
                record=False,  # after runFinished: the text and its colours come first
                on_outcome=ended.append,
            )
        except asyncio.CancelledError:
            outcome = ended[0] if ended else RunOutcome(plan, builder.finish())
        except Exception as exc:  # a bug in a front-end callback: still one sentence
            builder.fail(UnexpectedError(exc))
            outcome = RunOutcome(plan, builder.finish())
        try:
            await self.frames.drain()
        except asyncio.CancelledError:  # Esc while the last frames go in: all at once
            self.frames.flush_all()
        self.frames.stop()
        self.last_outcome = outcome
        self.runFinished.emit(outcome)
        self._recordings.spawn(self._record(outcome))
        return outcome

    async def _record(self, outcome: RunOutcome) -> None:
        try:
            await self.runner.record(outcome)
        except Exception as exc:  # no task dies silently: the history says why
            outcome.history_problem = UnexpectedError(exc).msg
        self.runRecorded.emit(outcome)

    def side_run(
        self,
        profile: Profile,
        request: CompletionRequest,
        on_event: Callable[[Event], None] | None = None,
        *,
        group_id: str | None = None,
        record: bool = False,
    ) -> asyncio.Task[CompletionResult]:
        """Run ``request`` beside the main run (prompt scoring, compare columns).

        It emits no run signals; the task's result holds the error, if any. Cancel the task
        to stop it; :meth:`shutdown` cancels it too.
        """
        from app.core.runs import RunPlan

        request.validate()
        plan = RunPlan(profile, request, group_id=group_id)
        return self._side_tasks.spawn(self._side_run(plan, on_event, record))

    async def _side_run(
        self, plan: RunPlan, on_event: Callable[[Event], None] | None, record: bool
    ) -> CompletionResult:
        import asyncio

        from app.core.result import ResultBuilder

        builder = ResultBuilder(plan.request.choice_count, streamed=plan.request.stream)
        try:
            outcome = await self.runner.run(
                plan, builder=builder, on_event=on_event, on_progress=self._progress,
                output_limit=self.output_limit, record=record,
            )  # fmt: skip
        except asyncio.CancelledError:
            return builder.finish()
        return outcome.result

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
        import asyncio

        try:
            endpoint = await self.connections.endpoint_for(profile)
            client = await self.connections.client(profile)
            models = await client.list_models(endpoint)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # no task dies silently: every failure is one sentence
            error = exc if isinstance(exc, CompletionError) else UnexpectedError(exc)
            self.modelsFailed.emit(describe_error(error))
            return
        self.modelsLoaded.emit(models)

    def prepare(self, profile: Profile) -> asyncio.Task[None]:
        """Make the profile's HTTP client now, in the background, so that the first Run does
        not wait for it (a problem with it is reported when it is used); start the after-run
        worker too (a thread's start waits for the thread) and the runner, with the modules
        of a run."""
        self._after_run.submit(lambda: None)
        self.runner  # noqa: B018 - made now, not on the first Run's path
        return self._side_tasks.spawn(self._prepare(profile))

    async def _prepare(self, profile: Profile) -> None:
        with contextlib.suppress(Exception):
            await self.connections.client(profile)

    def test_connection(self, profile: Profile, key: str | None = None) -> asyncio.Task[None]:
        """Check a profile by listing its models; ``key`` tests a key not yet saved."""
        return self._side_tasks.spawn(self._test_connection(profile, key))

    async def _test_connection(self, profile: Profile, key: str | None = None) -> None:
        import asyncio

        try:
            if key and not profile.is_local_model:
                endpoint = profile.endpoint(key)
            else:
                endpoint = await self.connections.endpoint_for(profile, self._progress)
            client = await self.connections.client(profile)
            models = await client.list_models(endpoint)
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
        import asyncio

        from app.core.detection import detect  # with the first detection, not at start-up

        try:
            if key and not profile.is_local_model:
                endpoint = profile.endpoint(key)
            else:
                endpoint = await self.connections.endpoint_for(profile, self._progress)
            return await detect(await self.connections.client(profile), endpoint)
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
        """Cancel everything, stop the local model and close the clients (at quit); the
        runs that ended are still recorded."""
        import asyncio

        self.cancel()
        for task in (self._task, *self._side_tasks.tasks):
            if task is not None and not task.done():
                task.cancel()
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        for task in list(self._recordings.tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.connections.aclose()
        if self._after_run_pool is not None:
            self._after_run_pool.shutdown(wait=True)
