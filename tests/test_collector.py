"""Full garbage collections wait while runs stream, and the threshold comes back after."""

from __future__ import annotations

import asyncio
import gc

import pytest

from app.core import collector
from app.core.client import CompletionClient
from app.core.endpoint import Endpoint
from app.core.request import CompletionRequest
from app.core.run import execute


@pytest.fixture
def thresholds():
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*saved)


def test_full_collections_wait_until_the_last_of_two_runs_ends(thresholds):
    first, second = collector.streaming(), collector.streaming()
    first.__enter__()
    assert gc.get_threshold() == (700, 10, collector.PAUSED_THRESHOLD)
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold()[2] == collector.PAUSED_THRESHOLD  # the second still streams
    second.__exit__(None, None, None)
    assert gc.get_threshold() == (700, 10, 10)


def test_disabled_automatic_collection_is_left_alone(thresholds):
    gc.set_threshold(0, 10, 10)
    with collector.streaming():
        assert gc.get_threshold() == (0, 10, 10)
    assert gc.get_threshold() == (0, 10, 10)


def test_a_run_streams_without_full_collections_and_a_failed_one_restores_too(thresholds, api):
    seen: list[int] = []
    request = CompletionRequest(model="m", prompt="hello", max_tokens=5, stream=True)

    async def run(endpoint: Endpoint) -> None:
        async with CompletionClient() as client:
            result = await execute(
                client, endpoint, request, on_event=lambda e: seen.append(gc.get_threshold()[2])
            )
            assert result.ok, result.error

    asyncio.run(run(Endpoint(api.base_url())))
    assert seen and set(seen) == {collector.PAUSED_THRESHOLD}
    assert gc.get_threshold() == (700, 10, 10)
    # A server that is not there: the run fails, the threshold is back all the same.
    asyncio.run(_refused(request))
    assert gc.get_threshold() == (700, 10, 10)


async def _refused(request: CompletionRequest) -> None:
    async with CompletionClient() as client:
        result = await execute(client, Endpoint("http://127.0.0.1:9/v1"), request)
    assert result.error is not None
