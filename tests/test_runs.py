"""app.core.runs: a runner records runs in a history it is given, or opens one when first
needed (the window opens its database after the first frame, not at start-up)."""

from __future__ import annotations

import pytest

from app.core.connections import Connections
from app.core.history import HistoryStore
from app.core.keys import KeyStore
from app.core.profiles import Profile
from app.core.request import CompletionRequest
from app.core.runs import Runner, RunPlan


@pytest.fixture
async def connections():
    conns = Connections(KeyStore())
    yield conns
    await conns.aclose()


async def test_a_runner_opens_its_history_when_the_first_run_is_recorded(
    api, connections, tmp_path
):
    opened: list[HistoryStore] = []

    def open_history() -> HistoryStore:
        opened.append(HistoryStore(tmp_path / "h.sqlite3"))
        return opened[-1]

    runner = Runner(connections)
    runner.open_history = open_history
    plan = RunPlan(Profile("p", api.base_url()), CompletionRequest(model="m", prompt="Hi"))
    assert not opened  # nothing opened until a run is recorded
    first = await runner.run(plan)
    second = await runner.run(plan)
    assert len(opened) == 1  # once, then kept
    assert first.record_id is not None and second.record_id == first.record_id + 1
    assert [opened[0].get(first.record_id).prompt, opened[0].count()] == ["Hi", 2]
    opened[0].close()


async def test_a_history_that_cannot_be_opened_records_nothing(api, connections):
    runner = Runner(connections)
    runner.open_history = lambda: None
    plan = RunPlan(Profile("p", api.base_url()), CompletionRequest(model="m", prompt="Hi"))
    outcome = await runner.run(plan)
    assert outcome.record_id is None and outcome.history_problem is None
    assert outcome.result.error is None
