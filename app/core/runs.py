"""One place that assembles a run: profile + request → endpoint → client → result → history.

The window, Compare, the batch runner and the CLI all run requests the same way:

1. :func:`prepare` leaves out the parameters the profile is known to reject (learned, see
   :mod:`app.core.capabilities`) and says which;
2. :meth:`Runner.run` finds the endpoint (starting the local model if the profile needs
   it), picks the client, executes the request (:func:`app.core.run.execute`), and records
   the run in the history (off the event loop's thread; a front end that would rather show
   the run first calls :meth:`Runner.record` itself afterwards);
3. the run ends with a :class:`RunOutcome` that carries the request, the profile, the
   result and where it went, so nothing needs to ask afterwards what the last run was.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from app.core.capabilities import without_unsupported
from app.core.connections import Connections
from app.core.errors import CompletionError, UnexpectedError
from app.core.events import Event
from app.core.messages import Message
from app.core.profiles import Profile
from app.core.request import CompletionRequest
from app.core.result import CompletionResult, ResultBuilder
from app.core.run import execute
from app.core.settings import DEFAULT_OUTPUT_LIMIT

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from app.core.history import RunRecord

__all__ = ["HistorySink", "RunOutcome", "RunPlan", "Runner", "prepare"]


@dataclass(frozen=True)
class RunPlan:
    """What will be sent, to whom, and what was left out."""

    profile: Profile
    request: CompletionRequest
    #: Body keys left out because the profile rejected them before.
    dropped: tuple[str, ...] = ()
    #: History group (Compare, batch).
    group_id: str | None = None


@dataclass
class RunOutcome:
    """A finished run (also failed or stopped): what was asked, of whom, what came back."""

    plan: RunPlan
    result: CompletionResult
    base_url: str | None = None
    #: The history record's id once it is saved (``None``: not recorded or not yet).
    record_id: int | None = None
    #: Why the run could not be recorded, if it could not.
    history_problem: Message | None = field(default=None, repr=False)

    @property
    def request(self) -> CompletionRequest:
        return self.plan.request

    def __getattr__(self, name: str) -> Any:
        # The result's figures read directly off the outcome (``outcome.ok``, ``.text``).
        if name.startswith("_") or name in ("plan", "result"):
            raise AttributeError(name)
        return getattr(self.result, name)

    @property
    def profile(self) -> Profile:
        return self.plan.profile


def prepare(
    profile: Profile, request: CompletionRequest, *, group_id: str | None = None
) -> RunPlan:
    """``request`` for ``profile``: without what the profile is known to reject."""
    trimmed, dropped = without_unsupported(request, profile.unsupported)
    return RunPlan(profile, trimmed, tuple(dropped), group_id)


class HistorySink(Protocol):
    """Where finished runs go (the history store, or a front end's own writer)."""

    def add(self, record: RunRecord) -> int: ...


class Runner:
    """Runs plans through one :class:`Connections`; records them in ``history``.

    Records are written in ``executor`` (default: asyncio's own), off the loop's thread.
    ``open_history``, when set, gives the history the first time a run is recorded without
    one (the window opens its database after the first frame, not at start-up).
    """

    def __init__(
        self,
        connections: Connections,
        history: HistorySink | None = None,
        *,
        executor: Executor | None = None,
    ) -> None:
        self.connections = connections
        self.history = history
        self.executor = executor
        self.open_history: Callable[[], HistorySink | None] | None = None

    async def run(
        self,
        plan: RunPlan,
        *,
        builder: ResultBuilder | None = None,
        on_event: Callable[[Event], None] | None = None,
        on_batch: Callable[[list[Event]], None] | None = None,
        on_progress: Callable[[str], None] | None = None,
        output_limit: int | None = DEFAULT_OUTPUT_LIMIT,
        record: bool = True,
        on_outcome: Callable[[RunOutcome], None] | None = None,
    ) -> RunOutcome:
        """Run ``plan`` to its end; never raises for a failed run (the result holds the
        error). Cancelling the task stops the run; the outcome then says it was stopped.

        ``on_outcome`` sees the outcome as the run ends, a cancelled run's too (before the
        cancellation goes on up). ``record=False``: not recorded (see :meth:`record`)."""
        import asyncio

        request = plan.request
        if builder is None:
            builder = ResultBuilder(request.choice_count, streamed=request.stream)
        base_url: str | None = None
        try:
            endpoint = await self.connections.endpoint_for(plan.profile, on_progress)
            base_url = endpoint.base_url
            client = await self.connections.client(plan.profile)
            result = await execute(
                client,
                endpoint,
                request,
                builder=builder,
                on_event=on_event,
                on_batch=on_batch,
                output_limit=output_limit,
            )
        except asyncio.CancelledError:
            builder.cancel()
            result = builder.finish()
            outcome = RunOutcome(plan, result, base_url)
            if on_outcome is not None:
                on_outcome(outcome)
            if record:  # a stopped run is kept too, with what arrived
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.shield(self._record(outcome))
            raise
        except CompletionError as exc:  # the local model could not start, …
            builder.fail(exc)
            result = builder.finish()
        except Exception as exc:  # a bug: one sentence, never a silent death
            builder.fail(UnexpectedError(exc))
            result = builder.finish()
        outcome = RunOutcome(plan, result, base_url)
        if on_outcome is not None:
            on_outcome(outcome)
        if record:
            await self._record(outcome)
        return outcome

    async def record(self, outcome: RunOutcome) -> RunOutcome:
        """Record a run that :meth:`run` did not (``record=False``); sets its
        ``record_id`` or ``history_problem`` and returns it."""
        await self._record(outcome)
        return outcome

    async def _record(self, outcome: RunOutcome) -> None:
        import asyncio

        from app.core.history import HistoryError, record_for  # (sqlite3: not at start-up)

        if self.history is None and self.open_history is not None:
            self.history = self.open_history()  # on the loop's thread
        if self.history is None:
            return
        history = self.history

        def write() -> int:
            # Off the event loop's thread: a 100k-token run's JSON takes a while to build.
            record = record_for(
                outcome.request,
                outcome.result,
                profile=outcome.profile.name,
                base_url=outcome.base_url,
                group_id=outcome.plan.group_id,
            )
            return history.add(record)

        try:
            loop = asyncio.get_running_loop()
            outcome.record_id = await loop.run_in_executor(self.executor, write)
        except HistoryError as exc:
            outcome.history_problem = exc.msg
