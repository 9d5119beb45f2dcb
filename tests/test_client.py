"""The async client against the real loopback HTTP server: streams, quirks and failures."""

from __future__ import annotations

import asyncio

import pytest

from app.core.client import CompletionClient
from app.core.endpoint import Endpoint
from app.core.errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    GatewayPageError,
    IncompleteStreamError,
    MalformedResponseError,
    RateLimitError,
    ServerError,
    StreamError,
    StreamInterruptedError,
)
from app.core.request import CompletionRequest
from app.core.result import CompletionResult, ResultBuilder
from app.core.run import execute
from tests.loopback_server import TOKENS

pytestmark = pytest.mark.asyncio


def expected_text(count: int, offset: int = 0) -> str:
    return "".join(TOKENS[(offset + i) % len(TOKENS)] for i in range(count))


async def run(
    base_url: str, key: str | None = None, read_timeout: float = 10, **params
) -> CompletionResult:
    params.setdefault("max_tokens", 8)
    request = CompletionRequest(model="test-model", prompt="Say hi", **params)
    endpoint = Endpoint(base_url, api_key=key, read_timeout=read_timeout, connect_timeout=5)
    async with CompletionClient() as client:
        return await execute(client, endpoint, request)


async def test_non_ascii_header_values_go_out_as_utf8(api):
    endpoint = Endpoint(api.base_url(), headers=(("X-Team", "研发"),), connect_timeout=5)
    request = CompletionRequest(model="m", prompt="hi", max_tokens=2)
    async with CompletionClient() as client:
        result = await execute(client, endpoint, request)
    assert result.ok
    raw = api.requests[-1].headers["x-team"].encode("latin-1")  # http.server's reading
    assert raw.decode("utf-8") == "研发"


async def test_rate_comes_from_real_arrival_times(api):
    paced = await run(api.base_url("normal", delay=0.01))
    assert paced.tokens_per_second and 20 < paced.tokens_per_second < 200
    whole = await run(api.base_url(), stream=False)
    assert whole.tokens_per_second is None  # one read: no rate, only the total time
    assert whole.timings.total is not None
    burst = await run(api.base_url("fast"))  # everything in one read
    assert burst.tokens_per_second is None or burst.tokens_per_second < 1e6


async def test_streamed_completion(api):
    result = await run(api.base_url(), key="sk-test-key-123", logprobs=2, include_usage=True)
    assert result.ok and result.done_marker
    assert result.text == expected_text(8)
    choice = result.choices[0]
    assert choice.finish_reason == "length"
    assert [t.token for t in choice.tokens] == [TOKENS[i % len(TOKENS)] for i in range(8)]
    assert len(choice.tokens[0].top) == 2
    assert result.usage["completion_tokens"] == 8
    assert result.timings.time_to_first_token is not None
    sent = api.requests[-1]
    assert sent.headers["authorization"] == "Bearer sk-test-key-123"
    assert sent.body == {
        "model": "test-model",
        "prompt": "Say hi",
        "max_tokens": 8,
        "logprobs": 2,
        "stream": True,
        "stream_options": {"include_usage": True},
    }


async def test_no_authorization_header_without_key(api):
    await run(api.base_url())
    assert "authorization" not in api.requests[-1].headers


async def test_non_stream_completion(api):
    result = await run(api.base_url(), stream=False, logprobs=1, echo=True)
    assert result.ok
    assert result.text == "Say hi" + expected_text(8)
    assert result.usage["total_tokens"] > 0
    assert result.choices[0].tokens


async def test_base_url_variants_all_reach_the_server(api):
    for variant in (api.url, api.url + "/", api.url + "/v1/", api.url + "/v1/completions"):
        result = await run(variant)
        assert result.ok, variant


async def test_n_choices_interleaved(api):
    result = await run(api.base_url(), n=3)
    assert len(result.choices) == 3
    for i in range(3):
        assert result.choices[i].text == expected_text(8, offset=i)
        assert result.choices[i].finish_reason == "length"


@pytest.mark.parametrize(
    "scenario",
    ["nospace", "crlf", "comments", "bytesplit", "wrong-ctype", "extra-fields", "usage-chunk"],
)
async def test_stream_quirks_give_the_same_text(api, scenario):
    result = await run(api.base_url(scenario), n=2, logprobs=1)
    assert result.ok, result.error
    assert result.choices[0].text == expected_text(8)
    assert result.choices[1].text == expected_text(8, offset=1)
    assert [t.token for t in result.choices[0].tokens] == [
        TOKENS[i % len(TOKENS)] for i in range(8)
    ]
    assert result.notes() == []


async def test_missing_done_but_all_finished(api):
    result = await run(api.base_url("no-done"))
    assert result.ok and not result.done_marker and result.all_finished
    assert [str(n) for n in result.notes()] == [
        "The stream ended without [DONE], but every choice finished."
    ]


async def test_missing_done_and_no_finish_reason_is_a_broken_stream(api):
    result = await run(api.base_url("no-finish"))
    assert result.text == expected_text(8)  # the text is kept
    assert not result.all_finished
    assert isinstance(result.error, IncompleteStreamError)
    assert result.error.exit_code == 3
    assert "probably incomplete" in result.error.user_message()


async def test_unterminated_last_event_is_kept(api):
    result = await run(api.base_url("unterminated"))
    assert result.text == expected_text(8)
    assert result.all_finished


@pytest.mark.parametrize("scenario", ["error-in-stream", "object-error"])
async def test_error_inside_200_stream_keeps_partial_text(api, scenario):
    result = await run(api.base_url(scenario, after=3))
    assert isinstance(result.error, StreamError)
    assert result.text == expected_text(3)
    assert result.error.exit_code == 1


async def test_json_body_when_stream_was_asked(api):
    result = await run(api.base_url("json-body"))
    assert result.ok
    assert result.text == expected_text(8)
    assert result.usage is not None


async def test_cut_stream_keeps_partial_text(api):
    result = await run(api.base_url("cut", after=3))
    assert isinstance(result.error, StreamInterruptedError)
    assert result.text == expected_text(3)
    assert result.error.exit_code == 3


async def test_cut_mid_chunk(api):
    result = await run(api.base_url("cut-midchunk", after=2))
    assert isinstance(result.error, StreamInterruptedError)
    assert result.text.startswith(expected_text(2))


async def test_malformed_event_is_skipped_with_a_note(api):
    result = await run(api.base_url("malformed"))
    assert result.ok
    assert any("not valid JSON" in str(n) for n in result.notes())


async def test_malformed_json_body(api):
    result = await run(api.base_url("malformed-json"), stream=False)
    assert isinstance(result.error, MalformedResponseError)


@pytest.mark.parametrize(
    ("scenario", "cls", "fragment"),
    [
        ("401", AuthenticationError, "HTTP 401"),
        ("429", RateLimitError, "Retry after 7 s"),
        ("500", ServerError, "HTTP 500"),
        ("503", ServerError, "overloaded"),
        ("html", GatewayPageError, "502 Bad Gateway"),
        ("text-error", ServerError, "upstream connect error"),
    ],
)
async def test_http_errors(api, scenario, cls, fragment):
    result = await run(api.base_url(scenario), key="sk-lo-secret-key")
    assert isinstance(result.error, cls)
    assert fragment in result.error.user_message()
    assert "sk-lo-secret-key" not in result.error.user_message()


async def test_connection_refused(api):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = await run(f"http://127.0.0.1:{port}/v1")
    assert isinstance(result.error, APIConnectionError)
    assert result.error.exit_code == 3


async def test_read_timeout_mid_stream_keeps_partial_text(api):
    result = await run(api.base_url("hang"), read_timeout=0.5)
    assert isinstance(result.error, APITimeoutError)
    assert result.error.phase == "read"
    assert result.text == expected_text(1)


async def test_slow_first_token_is_not_killed_by_a_short_default(api):
    # httpx's default timeout is 5 s; ours is per endpoint. 1.2 s first token, 3 s limit.
    result = await run(api.base_url("normal", first_delay=1.2), read_timeout=3)
    assert result.ok
    assert result.timings.time_to_first_token >= 1.2


async def test_vllm_and_llamacpp_logprobs(api):
    vllm = await run(api.base_url("vllm-logprobs"), logprobs=2)
    tokens = vllm.choices[0].tokens
    assert tokens[0].logprob is None
    assert any(t.logprob == float("-inf") for t in tokens)
    llama = await run(api.base_url("llamacpp-logprobs"), logprobs=2)
    tokens = llama.choices[0].tokens
    assert [t.token for t in tokens] == [TOKENS[i % len(TOKENS)] for i in range(8)]
    assert tokens[1].offset == len(TOKENS[0])
    assert tokens[0].top


async def test_one_choice_server_is_detected(api):
    result = await run(api.base_url("one-choice"), n=3)
    assert len(result.choices) == 1
    assert "1 choice(s) of the 3 requested" in str(result.notes()[0])


async def test_list_models(api):
    async with CompletionClient() as client:
        models = await client.list_models(Endpoint(api.base_url()))
        assert models == ["test-model", "test-model-zh"]
        with pytest.raises(GatewayPageError):
            await client.list_models(Endpoint(api.base_url("models-html")))


async def _stream_then_cancel(client: CompletionClient, endpoint: Endpoint, twice: bool):
    builder = ResultBuilder()
    request = CompletionRequest(model="m", prompt="p", max_tokens=200)
    got_text = asyncio.Event()

    def on_event(event):
        got_text.set()

    task = asyncio.create_task(
        execute(client, endpoint, request, builder=builder, on_event=on_event)
    )
    await got_text.wait()
    task.cancel()
    if twice:
        await asyncio.sleep(0)
        task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    return builder.result


async def test_cancel_keeps_partial_text_and_leaks_no_connection(api):
    endpoint = Endpoint(api.base_url("normal", delay=0.02), read_timeout=10)
    async with CompletionClient(max_connections=3) as client:
        for twice in (False, True, True, True, True):
            result = await _stream_then_cancel(client, endpoint, twice)
            assert result.cancelled and result.text
            for _ in range(5):
                await asyncio.sleep(0)
            pool = client.http._transport._pool
            assert all(c.is_idle() or c.is_closed() for c in pool.connections), pool
        # The pool still serves requests (a leak would exhaust max_connections=3).
        final = await asyncio.wait_for(
            execute(client, Endpoint(api.base_url()), CompletionRequest(model="m")), 5
        )
        assert final.ok


async def test_loopback_server_answers_match_the_official_contract(api):
    """The test server must speak the real wire format, or the other tests prove little."""
    import httpx

    from tests.contract import validator

    async with httpx.AsyncClient() as http:
        body = {"model": "m", "prompt": "p", "max_tokens": 4, "logprobs": 2, "n": 2}
        answer = (await http.post(f"{api.base_url()}/completions", json=body)).json()
        validator("CreateCompletionResponse").validate(answer)
        models = (await http.get(f"{api.base_url()}/models")).json()
        validator("ListModelsResponse").validate(models)
        error = (await http.post(f"{api.base_url('401')}/completions", json=body)).json()
        validator("ErrorResponse").validate(error)


async def test_a_long_streams_text_is_kept_in_packs_not_one_part_per_token():
    """Joining 100k tiny parts at the end is one long C call that holds the interpreter
    lock; packed while streaming, the end joins a few long strings."""
    from app.core.events import ChoiceDelta
    from app.core.result import PACK_PARTS, ResultBuilder

    builder = ResultBuilder(2)
    pieces = [f" t{i}" for i in range(5 * PACK_PARTS + 7)]
    for start in range(0, len(pieces), 300):  # reads of 300 tokens, two choices
        batch = [ChoiceDelta(k % 2, p, (), None) for k, p in enumerate(pieces[start : start + 300])]
        builder.apply_batch(batch)
    builder.apply(ChoiceDelta(1, "!", (), "stop"))
    result = builder.finish()
    first, second = result.choices[0], result.choices[1]
    assert len(first.parts) < 2 * PACK_PARTS and len(second.parts) < 2 * PACK_PARTS
    assert first.text == "".join(pieces[0::2])
    assert second.text == "".join(pieces[1::2]) + "!"


@pytest.mark.parametrize(
    "odd",
    [
        b'{"choices": [{"index": 0, "text": " c", "logprobs": {"tokens": [" c"],'
        b' "token_logprobs": [-Infinity], "top_logprobs": [{" c": -Infinity, "d": NaN}],'
        b' "text_offset": [2]}}]}',  # Python servers' json.dumps of -inf
        b'{"choices": [{"index": 0, "text": " \xff\xfe", "logprobs": null}]}',  # not UTF-8
        b'{"choices": [{"index": 0, "text": " \\ud800", "logprobs": null}]}',  # lone half
    ],
)
async def test_a_read_the_fast_parser_refuses_is_read_as_json_reads_it(odd):
    """orjson parses a read's events; what it refuses and ``json`` takes is read by ``json``,
    so no stream reads differently (and nothing is skipped)."""
    import json

    from app.core.chunks import ChunkDecoder
    from app.core.client import _decode_events
    from app.core.sse import SSEDataRun

    def chunk(text: str) -> bytes:
        return json.dumps({"choices": [{"index": 0, "text": text, "logprobs": None}]}).encode()

    payloads = [chunk(" a"), chunk(" b"), odd, chunk(" e")]
    one_by_one = [
        event
        for payload in payloads
        for event in ChunkDecoder().decode(json.loads(payload.decode("utf-8", "replace")))
    ]
    assert len(one_by_one) == 4
    for read in (SSEDataRun(payloads), SSEDataRun(payloads).events()):  # bytes, or text
        events, done, error = _decode_events(read, ChunkDecoder())
        assert (done, error) == (False, None)
        assert repr(events) == repr(one_by_one)  # repr: NaN compares unequal to itself


@pytest.mark.parametrize("odd", [b"-Infinity", b"NaN"])
async def test_a_whole_answer_the_fast_parser_refuses_is_read_as_json_reads_it(odd):
    import json

    from app.core.chunks import ChunkDecoder
    from app.core.client import _decode_body

    body = (
        b'{"choices": [{"index": 0, "text": " c", "finish_reason": "stop", "logprobs":'
        b' {"tokens": [" c"], "token_logprobs": [' + odd + b'], "top_logprobs": null,'
        b' "text_offset": [0]}}]}'
    )
    events = _decode_body(body, "application/json")  # read, not refused as malformed
    assert repr(events) == repr(ChunkDecoder().decode(json.loads(body)))
    assert [event.text for event in events] == [" c"]
