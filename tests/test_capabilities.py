"""Wire log and learned capabilities, against the real loopback server."""

from __future__ import annotations

import json

import pytest

from app.core.capabilities import ignored_parameters, rejected_parameter, without_unsupported
from app.core.client import CompletionClient
from app.core.endpoint import Endpoint
from app.core.history import HistoryStore, record_for
from app.core.profiles import Profile, ProfileStore
from app.core.request import CompletionRequest
from app.core.result import CompletionResult
from app.core.run import execute
from app.core.wire_log import WireLog, split_events

FAKE_KEY = "test-wire-key-abc123"


async def run(base_url: str, **params) -> tuple[CompletionRequest, CompletionResult]:
    params.setdefault("max_tokens", 4)
    request = CompletionRequest(model="test-model", prompt="Say hi", **params)
    endpoint = Endpoint(base_url, api_key=FAKE_KEY, read_timeout=10, connect_timeout=5)
    async with CompletionClient() as client:
        return request, await execute(client, endpoint, request)


async def test_wire_log_records_exact_request_and_raw_events(api):
    request, result = await run(api.base_url(scenario="comments"), logprobs=1)
    wire = result.wire
    assert wire.method == "POST" and wire.url.endswith("/v1/completions")
    assert json.loads(wire.request_body) == api.requests[-1].body == request.to_body()
    assert wire.request_body == api.requests[-1].raw_body
    assert wire.request_headers["authorization"] == "Bearer •••"
    assert FAKE_KEY not in json.dumps(wire.to_json())
    assert wire.status == 200
    assert ("content-type", "text/event-stream; charset=utf-8") in wire.response_headers
    events = wire.events()
    assert any(e.startswith(": keep-alive") for e in events)  # comments are kept
    data_events = [e for e in events if "event: completion" in e]
    assert data_events[-1].endswith("data: [DONE]")  # [DONE] is kept as sent
    assert data_events[0].startswith("event: completion\nid: 0\ndata: {")


async def test_wire_log_keeps_error_body(api):
    _, result = await run(api.base_url(scenario="reject", params="suffix"), suffix="x")
    assert result.wire.status == 400
    assert "Unrecognized request argument" in result.wire.response_text


def test_wire_log_json_round_trip_and_split():
    log = WireLog()
    log.record_request("POST", "http://h/v1/completions", {"Authorization": "Bearer k"}, b"{}", "k")
    log.record_response(200, "HTTP/1.1", [("x-id", "1")])
    log.add(b"data: 1\r\n\r\n: c\r\n\r\ndata: [DONE]\r\n\r\n")
    back = WireLog.from_json(json.loads(json.dumps(log.to_json())))
    assert back is not None and back.events() == ["data: 1", ": c", "data: [DONE]"]
    assert split_events("data: a\n\ndata: b\n\n") == ["data: a", "data: b"]


@pytest.mark.parametrize("style", ["openai", "pydantic", "text"])
async def test_rejected_parameter_found_in_every_style(api, style):
    url = api.base_url(scenario="reject", params="suffix+echo", style=style)
    request, result = await run(url, suffix="tail", logprobs=2, stream=False)
    assert result.error is not None
    assert rejected_parameter(result.error, request.to_body()) == "suffix"
    retry, dropped = without_unsupported(request, ["suffix"])
    assert dropped == ["suffix"]
    _, again = await run(url, **retry.parameters())
    assert again.ok, again.error


async def test_best_of_with_stream_blames_best_of(api):
    request = CompletionRequest(model="m", prompt="p", best_of=3, stream=False)
    endpoint = Endpoint(api.base_url(), read_timeout=10, connect_timeout=5)
    body = request.to_body() | {"stream": True}  # what a client without our validation sends
    async with CompletionClient() as client:
        response = await client.http.post(endpoint.completions_url, json=body)
    assert response.status_code == 400
    from app.core.http_errors import status_error

    error = status_error(400, response.headers, response.content)
    assert rejected_parameter(error, body) == "best_of"


def test_no_blame_without_a_rejecting_status():
    assert rejected_parameter(None, {"suffix": "x"}) is None


async def test_ignored_logprobs_and_echo_are_noticed(api):
    request, result = await run(api.base_url(), logprobs=2, echo=True)
    assert ignored_parameters(request, result) == []  # the loopback server honours both
    stripped = CompletionRequest(model="m", prompt="Say hi", logprobs=2, echo=True)
    result.choices[0].tokens.clear()
    result.choices[0].parts[:] = ["no echo here"]
    result.choices[0]._text = None
    assert ignored_parameters(stripped, result) == ["logprobs", "echo"]


def test_unsupported_list_persists_in_profiles(tmp_path):
    store = ProfileStore(tmp_path)
    store.save([Profile(name="p", base_url="http://x/v1", unsupported=["suffix"])], "p")
    loaded = store.load()
    assert loaded.find("p").unsupported == ["suffix"]


async def test_history_keeps_the_wire(api, tmp_path):
    request, result = await run(api.base_url())
    store = HistoryStore(tmp_path / "h.sqlite3")
    run_id = store.add(record_for(request, result, profile="p", base_url=api.base_url()))
    wire = WireLog.from_json(store.get(run_id).result["wire"])
    assert wire is not None and wire.events()[-1] == "data: [DONE]"
    store.close()
