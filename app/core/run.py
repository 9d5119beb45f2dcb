"""Run one request to the end: the loop shared by the CLI, the GUI controller and benchmarks.

:func:`execute` folds the client's events into a result and never raises a
:class:`CompletionError`: the error is stored on the result next to the partial text.
Cancellation is recorded on the result and then re-raised, as asyncio expects.

The network is read in an inner task that is cancelled exactly once, however often the
caller's task is cancelled: a second ``Task.cancel()`` landing while httpx/httpcore close a
streamed response leaves the pooled connection marked active for ever (httpx issue 3782).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from app.core.client import CompletionClient
from app.core.endpoint import Endpoint
from app.core.errors import CompletionError
from app.core.events import Event
from app.core.request import CompletionRequest
from app.core.result import CompletionResult, ResultBuilder

__all__ = ["execute"]


async def _consume(
    client: CompletionClient,
    endpoint: Endpoint,
    request: CompletionRequest,
    builder: ResultBuilder,
    on_event: Callable[[Event], None] | None,
) -> None:
    try:
        async for batch in client.event_batches(endpoint, request, builder.result.wire):
            for event in batch:
                builder.apply(event)
                if on_event is not None:
                    on_event(event)
    except CompletionError as exc:
        builder.fail(exc)


async def execute(
    client: CompletionClient,
    endpoint: Endpoint,
    request: CompletionRequest,
    *,
    builder: ResultBuilder | None = None,
    on_event: Callable[[Event], None] | None = None,
) -> CompletionResult:
    """Send ``request`` and return its result; ``on_event`` sees every event as it arrives.

    Pass your own ``builder`` to keep access to the partial result if the task is cancelled.
    Request validation errors propagate (nothing was sent).
    """
    request.validate()
    if builder is None:
        builder = ResultBuilder(request.choice_count, streamed=request.stream)
    inner = asyncio.ensure_future(_consume(client, endpoint, request, builder, on_event))
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
