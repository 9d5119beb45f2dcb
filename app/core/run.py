"""Run one request to the end: the loop shared by the CLI, the GUI controller and benchmarks.

:func:`execute` folds the client's events into a result and never raises a
:class:`CompletionError`: the error is stored on the result next to the partial text.
Cancellation is recorded on the result and then re-raised, as asyncio expects. While it
streams, full garbage collections wait (:func:`app.core.collector.streaming`).

The network is read in an inner task that is cancelled exactly once, however often the
caller's task is cancelled: a second ``Task.cancel()`` landing while httpx/httpcore close a
streamed response leaves the pooled connection marked active for ever (httpx issue 3782).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from app.core import collector
from app.core.endpoint import Endpoint
from app.core.errors import CompletionError, OutputLimitError, UnexpectedError
from app.core.events import Event
from app.core.request import CompletionRequest
from app.core.result import CompletionResult, ResultBuilder
from app.core.settings import DEFAULT_OUTPUT_LIMIT

if TYPE_CHECKING:
    from app.core.client import CompletionClient

__all__ = ["DEFAULT_OUTPUT_LIMIT", "execute"]


async def _consume(
    client: CompletionClient,
    endpoint: Endpoint,
    request: CompletionRequest,
    builder: ResultBuilder,
    on_event: Callable[[Event], None] | None,
    on_batch: Callable[[list[Event]], None] | None,
    output_limit: int | None,
) -> None:
    try:
        batches = client.event_batches(endpoint, request, builder.result.wire)
        try:
            with collector.streaming():
                async for batch in batches:
                    builder.apply_batch(batch)
                    if on_batch is not None:
                        on_batch(batch)
                    if on_event is not None:
                        for event in batch:
                            on_event(event)
                    if output_limit and builder.output_chars > output_limit:
                        builder.fail(OutputLimitError(output_limit))
                        break
        finally:
            await batches.aclose()  # type: ignore[attr-defined]
    except CompletionError as exc:
        builder.fail(exc)
    except Exception as exc:  # a bug must end the run with a sentence, not kill it silently
        builder.fail(UnexpectedError(exc))


async def execute(
    client: CompletionClient,
    endpoint: Endpoint,
    request: CompletionRequest,
    *,
    builder: ResultBuilder | None = None,
    on_event: Callable[[Event], None] | None = None,
    on_batch: Callable[[list[Event]], None] | None = None,
    output_limit: int | None = DEFAULT_OUTPUT_LIMIT,
) -> CompletionResult:
    """Send ``request`` and return its result.

    ``on_batch`` sees the events of each network read together (cheap for front ends that
    paint per frame); ``on_event`` sees every event. Pass your own ``builder`` to keep
    access to the partial result if the task is cancelled. More than ``output_limit``
    characters of text (all choices; ``None`` or 0 for no limit) stops the run with
    :class:`OutputLimitError`, the text kept. Request validation errors propagate
    (nothing was sent).
    """
    import asyncio

    request.validate()
    if builder is None:
        builder = ResultBuilder(request.choice_count, streamed=request.stream)
    inner = asyncio.ensure_future(
        _consume(client, endpoint, request, builder, on_event, on_batch, output_limit)
    )
    try:
        await asyncio.shield(inner)
    except asyncio.CancelledError:
        if not inner.done():
            inner.cancel()  # exactly once
        while not inner.done():
            try:
                await asyncio.shield(inner)
            except asyncio.CancelledError:
                continue  # further cancels of the caller: keep waiting for the clean-up
        builder.cancel()
        builder.finish()
        raise
    return builder.finish()
