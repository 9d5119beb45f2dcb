"""Running a batch: every row × variant cell through the one :class:`~app.core.runs.Runner`.

:class:`BatchRun` is built from a checked :class:`~app.core.batch.spec.BatchSpec` and its
:class:`~app.core.batch.data.DataSet`; it holds one :class:`BatchCell` per row and
variant (row-major: row 1's variants, then row 2's…) with the rendered prompt and request.
``await batch.run(runner, profiles, on_cell=…, on_progress=…)`` runs what is left:

* per profile, ``spec.concurrency`` workers take cells in order (so that profile has at
  most that many requests in flight; profiles sharing an HTTP client are further held
  to the client's connection limit, so no request waits in its pool). A llama-cpp-python
  server (the built-in local model's) gets one at a time (:data:`SERIAL_KINDS`);
* each cell's request goes through :func:`~app.core.runs.prepare` and
  :meth:`Runner.run <app.core.runs.Runner.run>`, which records it in the history with the
  batch's ``group_id`` (``batch-…``, kept across Stop and Resume);
* an HTTP 429 waits for its Retry-After (else 1, 2, 4… s), at most ``max_wait`` seconds,
  and tries that cell again, at most ``max_tries`` times in all; a waiting cell is in
  state ``waiting`` and counted in the progress's ``retrying``;
* :meth:`BatchRun.stop` (or cancelling the task that awaits :meth:`BatchRun.run`) stops
  every request in flight: finished cells keep their results, a cell stopped mid-run goes
  back to ``pending`` (never counted as done). Calling :meth:`BatchRun.run` again resumes:
  finished cells are skipped (``retry_failed=True`` also runs failed ones again).

Per cell: output, finish reason, tokens (:mod:`app.core.batch.cost`: the server's usage,
else counted or estimated, and marked), latency, error, cost (when the profile has
prices), pass/fail against the expected column, and the expected text's log-likelihood
(when asked and the server gives echo + logprobs). :meth:`BatchRun.summary` gives per
variant the pass rate, mean and p95 latency, tokens and cost.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.core.batch.cost import CellTokens, Prices, tokens_for
from app.core.batch.data import DataSet
from app.core.batch.scoring import Loglik, check_match, expected_loglik, loglik_request
from app.core.batch.spec import BatchCheck, BatchSpec
from app.core.batch.template import render
from app.core.compare import CompareTarget
from app.core.errors import RateLimitError
from app.core.messages import QT_TRANSLATE_NOOP, Message, kind
from app.core.parameters import LLAMA_CPP_PYTHON
from app.core.profiles import Profile
from app.core.prompt_score import ScoringError
from app.core.request import CompletionRequest
from app.core.runs import Runner, RunOutcome, prepare
from app.core.settings import DEFAULT_OUTPUT_LIMIT

__all__ = [
    "DONE_STATES",
    "FAILED",
    "OK",
    "PENDING",
    "RUNNING",
    "SERIAL_KINDS",
    "WAITING",
    "BatchCell",
    "BatchInputError",
    "BatchProgress",
    "BatchRun",
    "VariantSummary",
    "concurrency_for",
    "new_batch_id",
]

PENDING = "pending"
RUNNING = "running"
WAITING = "waiting"  # after an HTTP 429, before trying again
OK = "ok"
FAILED = "failed"
DONE_STATES = frozenset({OK, FAILED})

#: Tries per cell and run (the first one included) when the server answers 429.
MAX_TRIES = 3
#: The longest wait before trying a rate-limited cell again (seconds).
MAX_WAIT = 60.0
#: Connections one HTTP client keeps (app.core.client.CompletionClient's limit).
CLIENT_CONNECTIONS = 20
#: Server kinds that get one request at a time: llama-cpp-python's server (the built-in
#: local model too) runs one completion at a time anyway and, by default
#: (``interrupt_requests``), ends a streamed answer early, with [DONE] and no finish
#: reason, as soon as another request waits.
SERIAL_KINDS = frozenset({LLAMA_CPP_PYTHON})

UNKNOWN_PROFILE = kind(
    "batch.unknown_profile",
    QT_TRANSLATE_NOOP("Core", "Variant {number}: there is no profile named {name}."),
)

Profiles = Callable[[str], Profile | None] | Mapping[str, Profile]


def new_batch_id() -> str:
    """The history group of one batch."""
    return f"batch-{uuid.uuid4().hex[:12]}"


class BatchInputError(ValueError):
    """The batch cannot start; nothing was sent. ``errors`` (and ``notes``) say why."""

    def __init__(self, errors: list[Message], notes: list[Message] | None = None) -> None:
        self.errors = errors
        self.notes = notes or []
        super().__init__("; ".join(str(e) for e in errors))


@dataclass(eq=False)
class BatchCell:
    """One row × one variant: what is sent and, once it ran, what came back."""

    #: Index into the data's rows (row ``row + 1`` for the user) and into the variants.
    row: int
    variant: int
    values: Mapping[str, str]
    #: The rendered prompt and suffix, and the request (the variant's model and overrides).
    prompt: str
    suffix: str
    request: CompletionRequest
    expected: str | None = None
    state: str = PENDING
    #: Requests sent for this cell so far (429 retries and resumed runs included).
    attempts: int = 0
    #: While ``waiting``: the seconds until it is tried again.
    retry_in: float | None = None
    outcome: RunOutcome | None = None
    tokens: CellTokens | None = None
    cost: float | None = None
    #: What the log-likelihood request cost (``None``: not sent or no prices).
    score_cost: float | None = None
    currency: str | None = None
    passed: bool | None = None
    loglik: Loglik | None = None

    @property
    def done(self) -> bool:
        return self.state in DONE_STATES

    @property
    def ok(self) -> bool:
        return self.state == OK

    @property
    def text(self) -> str:
        return self.outcome.result.text if self.outcome else ""

    @property
    def finish_reason(self) -> str | None:
        if self.outcome is None or not self.outcome.result.choices:
            return None
        return self.outcome.result.ordered_choices[0].finish_reason

    @property
    def usage(self) -> dict[str, Any] | None:
        return self.outcome.result.usage if self.outcome else None

    @property
    def latency(self) -> float | None:
        """Seconds from sending to the end of the answer (the last try)."""
        return self.outcome.result.timings.total if self.outcome else None

    @property
    def error(self) -> Message | None:
        error = self.outcome.result.error if self.outcome else None
        return error.msg if error is not None else None

    @property
    def record_id(self) -> int | None:
        return self.outcome.record_id if self.outcome else None

    def _reset(self) -> None:
        """Forget what came back (the state is the batch's to change)."""
        self.retry_in, self.outcome = None, None
        self.tokens = self.cost = self.score_cost = self.currency = None
        self.passed = self.loglik = None


@dataclass(frozen=True)
class BatchProgress:
    """Where a batch is: cells done (ok or failed) of all, speed and time left."""

    total: int
    done: int
    failed: int
    running: int
    #: Cells waiting after an HTTP 429 to be tried again.
    retrying: int
    #: Seconds this run (since the last start or resume) has taken.
    elapsed: float
    #: Cells finished per second in this run; ``None`` before the first one.
    cells_per_second: float | None
    rows_per_second: float | None
    #: Estimated seconds left (``None`` before the first cell finished).
    eta: float | None
    #: Whether the batch is running (``False`` once it ended, finished or stopped).
    active: bool
    #: Stopped before every cell was done.
    stopped: bool

    @property
    def remaining(self) -> int:
        return self.total - self.done

    @property
    def finished(self) -> bool:
        return self.done == self.total


@dataclass(frozen=True)
class VariantSummary:
    """One variant's figures over its finished cells."""

    variant: int
    label: str
    cells: int
    done: int
    ok: int
    failed: int
    #: Cells with an expected value that were checked, and those that passed (a failed
    #: request counts as not passed).
    checked: int
    passed: int
    mean_latency: float | None
    p95_latency: float | None
    prompt_tokens: int
    completion_tokens: int
    #: Whether any token figure is counted or estimated rather than the server's.
    tokens_estimated: bool
    #: Sum of the cells' costs (log-likelihood requests included); ``None``: no prices.
    cost: float | None
    currency: str | None
    mean_loglik: float | None

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.checked if self.checked else None

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def to_json(self) -> dict[str, Any]:
        return {
            "variant": self.variant + 1,
            "label": self.label,
            "cells": self.cells,
            "done": self.done,
            "ok": self.ok,
            "failed": self.failed,
            "checked": self.checked,
            "passed": self.passed,
            "pass_rate": self.pass_rate,
            "mean_latency": self.mean_latency,
            "p95_latency": self.p95_latency,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens,
            "tokens_estimated": self.tokens_estimated,
            "cost": self.cost,
            "currency": self.currency,
            "mean_loglik": self.mean_loglik,
        }


def _p95(values: list[float]) -> float | None:
    """The 95th percentile (nearest rank)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _lookup(profiles: Profiles) -> Callable[[str], Profile | None]:
    if isinstance(profiles, Mapping):
        return profiles.get
    return profiles


def concurrency_for(profile: Profile, wanted: int) -> int:
    """Requests a profile gets in flight at once (1 for :data:`SERIAL_KINDS`)."""
    return 1 if profile.server_kind in SERIAL_KINDS else max(1, wanted)


def _client_key(profile: Profile) -> str | None:
    """Which HTTP client a profile's requests share (as app.core.connections picks it)."""
    return None if profile.is_local_model else (profile.proxy or None)


class BatchRun:
    """The cells of one batch, run (and resumed) by :meth:`run`; see the module doc."""

    def __init__(
        self,
        spec: BatchSpec,
        data: DataSet,
        *,
        batch_id: str | None = None,
        max_tries: int = MAX_TRIES,
        max_wait: float = MAX_WAIT,
        output_limit: int | None = DEFAULT_OUTPUT_LIMIT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Raises :class:`BatchInputError` when :meth:`BatchSpec.check` finds errors."""
        self.check: BatchCheck = spec.check(data)
        if self.check.errors:
            raise BatchInputError(self.check.errors, self.check.notes)
        self.spec = spec
        self.data = data
        self.batch_id = batch_id or new_batch_id()
        self.max_tries = max(1, max_tries)
        self.max_wait = max(0.0, max_wait)
        self.output_limit = output_limit
        self._clock = clock
        self.cells: list[BatchCell] = []
        base = spec.base_request()
        expected_column = spec.expected_column or None
        for row, values in enumerate(data.rows):
            prompt = render(str(spec.prompt), values)
            suffix = render(spec.suffix, values)
            changes: dict[str, Any] = {"prompt": prompt}
            if spec.suffix:
                changes["suffix"] = suffix
            rendered = base.with_changes(**changes)
            expected = values.get(expected_column) if expected_column else None
            for index, variant in enumerate(spec.variants):
                request = variant.request(rendered)
                self.cells.append(BatchCell(row, index, values, prompt, suffix, request, expected))
        self._states: Counter[str] = Counter({PENDING: len(self.cells)})
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = False
        self._active = False
        self._started: float | None = None
        self._ended: float | None = None
        self._finished_now = 0
        self._loglik_unsupported: dict[int, Message] = {}
        self._on_cell: Callable[[BatchCell], None] | None = None
        self._on_progress: Callable[[BatchProgress], None] | None = None

    # -- reading -----------------------------------------------------------------------

    @property
    def variants(self) -> list[CompareTarget]:
        return self.spec.variants

    @property
    def notes(self) -> list[Message]:
        return self.check.notes

    @property
    def running(self) -> bool:
        return self._active

    def cell(self, row: int, variant: int) -> BatchCell:
        return self.cells[row * len(self.spec.variants) + variant]

    def row_cells(self, row: int) -> list[BatchCell]:
        width = len(self.spec.variants)
        return self.cells[row * width : (row + 1) * width]

    def progress(self) -> BatchProgress:
        states = self._states
        total = len(self.cells)
        done = states[OK] + states[FAILED]
        if self._started is None:
            elapsed = 0.0
        else:
            elapsed = (self._ended if self._ended is not None else self._clock()) - self._started
        rate = self._finished_now / elapsed if self._finished_now and elapsed > 0 else None
        width = max(1, len(self.spec.variants))
        eta = (total - done) / rate if rate else None
        return BatchProgress(
            total=total,
            done=done,
            failed=states[FAILED],
            running=states[RUNNING],
            retrying=states[WAITING],
            elapsed=elapsed,
            cells_per_second=rate,
            rows_per_second=rate / width if rate else None,
            eta=eta,
            active=self._active,
            stopped=not self._active and self._stopping and done < total,
        )

    def summary(self) -> list[VariantSummary]:
        """One summary per variant, over the cells finished so far."""
        out = []
        for index, variant in enumerate(self.spec.variants):
            cells = [c for c in self.cells if c.variant == index]
            done = [c for c in cells if c.done]
            ok = [c for c in done if c.ok]
            checked = [c for c in done if c.passed is not None]
            latencies = [c.latency for c in ok if c.latency is not None]
            tokens = [c.tokens for c in done if c.tokens is not None]
            costs = [x for c in done for x in (c.cost, c.score_cost) if x is not None]
            logliks = [c.loglik.value for c in done if c.loglik and c.loglik.value is not None]
            currency = next((c.currency for c in done if c.currency), None)
            out.append(
                VariantSummary(
                    variant=index,
                    label=variant.label,
                    cells=len(cells),
                    done=len(done),
                    ok=len(ok),
                    failed=len(done) - len(ok),
                    checked=len(checked),
                    passed=sum(1 for c in checked if c.passed),
                    mean_latency=sum(latencies) / len(latencies) if latencies else None,
                    p95_latency=_p95(latencies),
                    prompt_tokens=sum(t.prompt for t in tokens),
                    completion_tokens=sum(t.completion for t in tokens),
                    tokens_estimated=any(t.estimated for t in tokens),
                    cost=math.fsum(costs) if costs else None,
                    currency=currency,
                    mean_loglik=sum(logliks) / len(logliks) if logliks else None,
                )
            )
        return out

    # -- running -----------------------------------------------------------------------

    def stop(self) -> None:
        """Stop every request in flight; :meth:`run` returns once they have ended."""
        self._stopping = True
        for task in self._tasks:
            task.cancel()

    async def run(
        self,
        runner: Runner,
        profiles: Profiles,
        *,
        on_cell: Callable[[BatchCell], None] | None = None,
        on_progress: Callable[[BatchProgress], None] | None = None,
        retry_failed: bool = False,
    ) -> BatchProgress:
        """Run every cell not done yet (see the module doc); returns the final progress.

        ``profiles`` maps a variant's profile name to the profile (a mapping or a
        function); a name it does not know raises :class:`BatchInputError` before
        anything is sent. ``on_cell`` sees a cell whenever its state changes,
        ``on_progress`` the progress after each change.
        """
        if self._active:
            raise RuntimeError("this batch is running already")
        find = _lookup(profiles)
        resolved: dict[int, Profile] = {}
        errors = []
        for number, variant in enumerate(self.spec.variants, start=1):
            profile = find(variant.profile)
            if profile is None:
                errors.append(UNKNOWN_PROFILE(number=number, name=variant.profile))
            else:
                resolved[number - 1] = profile
        if errors:
            raise BatchInputError(errors)
        self._on_cell, self._on_progress = on_cell, on_progress
        if retry_failed:
            for cell in self.cells:
                if cell.state == FAILED:
                    self._move(cell, PENDING)
                    cell._reset()
        queues: dict[str, deque[BatchCell]] = {}
        for cell in self.cells:
            if not cell.done:
                queues.setdefault(resolved[cell.variant].name, deque()).append(cell)
        by_name = {p.name: p for p in resolved.values()}
        limits: dict[str | None, asyncio.Semaphore] = {}
        self._stopping = False
        self._active = True
        self._started, self._ended, self._finished_now = self._clock(), None, 0
        self._tasks = []
        for name, queue in queues.items():
            profile = by_name[name]
            limit = limits.setdefault(_client_key(profile), asyncio.Semaphore(CLIENT_CONNECTIONS))
            for _ in range(min(concurrency_for(profile, self.spec.concurrency), len(queue))):
                worker = self._worker(runner, profile, queue, limit)
                self._tasks.append(asyncio.ensure_future(worker))
        self._emit_progress()
        try:
            await self._wait_workers()
        finally:
            self._active = False
            self._ended = self._clock()
            self._tasks = []
            self._emit_progress()
        return self.progress()

    async def _wait_workers(self) -> None:
        tasks = list(self._tasks)
        if not tasks:
            return
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        except asyncio.CancelledError:  # the caller's task: stop, clean up, then propagate
            self.stop()
            await self._drain(tasks)
            raise
        failure = next(
            (t.exception() for t in done if not t.cancelled() and t.exception() is not None),
            None,
        )
        if failure is not None:  # a bug (e.g. in a callback): stop the rest, then raise it
            self.stop()
            await self._drain(tasks)
            raise failure
        await self._drain(tasks)

    @staticmethod
    async def _drain(tasks: list[asyncio.Task[None]]) -> None:
        """Wait for every task to end, however often this task is cancelled meanwhile."""
        while not all(t.done() for t in tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait(tasks)

    async def _worker(
        self,
        runner: Runner,
        profile: Profile,
        queue: deque[BatchCell],
        limit: asyncio.Semaphore,
    ) -> None:
        while queue and not self._stopping:
            cell = queue.popleft()
            async with limit:
                if self._stopping:
                    queue.appendleft(cell)
                    return
                try:
                    await self._run_cell(runner, profile, cell)
                except asyncio.CancelledError:
                    cell._reset()
                    self._move(cell, PENDING)
                    self._emit(cell)
                    raise
                except BaseException:  # a bug (a callback's): the cell is left to run again
                    cell._reset()
                    self._move(cell, PENDING)
                    raise

    async def _run_cell(self, runner: Runner, profile: Profile, cell: BatchCell) -> None:
        self._move(cell, RUNNING)
        self._emit(cell)
        outcome = await self._send(runner, cell.request, profile, cell, record=True)
        prices = Prices.of(profile)
        result = outcome.result
        cell.outcome = outcome
        if result.ok or result.usage or result.text:  # a refused request costs nothing
            cell.tokens = tokens_for(cell.prompt + cell.suffix, result)
            cell.currency = prices.currency if prices else None
            cell.cost = prices.cost(cell.tokens) if prices else None
        if cell.expected is not None:
            cell.passed = result.ok and check_match(self.spec.match, result.text, cell.expected)
            if self.spec.loglik and result.ok:
                await self._score(runner, profile, cell, prices)
        self._finished_now += 1
        self._move(cell, OK if result.ok else FAILED)
        self._emit(cell)

    async def _score(
        self, runner: Runner, profile: Profile, cell: BatchCell, prices: Prices | None
    ) -> None:
        expected = cell.expected or ""
        if not expected:
            return
        known = self._loglik_unsupported.get(cell.variant)
        if known is not None:
            cell.loglik = Loglik(None, problem=known)
            return
        try:
            request = loglik_request(cell.request, expected, profile.server_kind,
                                     profile.unsupported)  # fmt: skip
        except ScoringError as exc:
            cell.loglik = Loglik(None, problem=exc.msg)
            return
        outcome = await self._send(runner, request, profile, cell, record=False)
        cell.loglik = expected_loglik(cell.prompt, expected, outcome.result)
        if outcome.result.ok and cell.loglik.value is None and cell.loglik.problem is not None:
            self._loglik_unsupported[cell.variant] = cell.loglik.problem  # don't ask again
        if prices is not None and outcome.result.ok:
            scored = tokens_for(cell.prompt + expected, outcome.result)
            cell.score_cost = prices.cost(scored)

    async def _send(
        self,
        runner: Runner,
        request: CompletionRequest,
        profile: Profile,
        cell: BatchCell,
        *,
        record: bool,
    ) -> RunOutcome:
        """One request to its end, trying again after a 429 (see the module doc)."""
        plan = prepare(profile, request, group_id=self.batch_id)
        tries = 0
        while True:
            tries += 1
            if record:  # the cell's own request (not its log-likelihood request)
                cell.attempts += 1
            outcome = await runner.run(plan, output_limit=self.output_limit, record=record)
            error = outcome.result.error
            if not isinstance(error, RateLimitError) or tries >= self.max_tries:
                return outcome
            wait = error.retry_after if error.retry_after is not None else 2.0 ** (tries - 1)
            cell.retry_in = min(max(0.0, wait), self.max_wait)
            self._move(cell, WAITING)
            self._emit(cell)
            await asyncio.sleep(cell.retry_in)
            cell.retry_in = None
            self._move(cell, RUNNING)
            self._emit(cell)

    # -- bookkeeping ---------------------------------------------------------------------

    def _move(self, cell: BatchCell, state: str) -> None:
        self._states[cell.state] -= 1
        self._states[state] += 1
        cell.state = state

    def _emit(self, cell: BatchCell) -> None:
        if self._on_cell is not None:
            self._on_cell(cell)
        self._emit_progress()

    def _emit_progress(self) -> None:
        if self._on_progress is not None:
            self._on_progress(self.progress())
