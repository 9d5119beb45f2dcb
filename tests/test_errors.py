"""HTTP error answers of every dialect become one clear sentence; keys are never echoed."""

from __future__ import annotations

import json

import httpx
import pytest

from app.core.chunks import ChunkDecoder
from app.core.errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    GatewayPageError,
    MalformedResponseError,
    NotFoundError,
    RateLimitError,
    ServerError,
    StreamError,
    StreamInterruptedError,
)
from app.core.events import ChoiceDelta, ResponseMeta, StreamWarning, UsageReport
from app.core.http_errors import retry_after_seconds, status_error, transport_error
from app.core.redaction import Redactor
from tests.contract import examples, validator


def openai_error(message, type_="invalid_request_error", param=None, code=None):
    return json.dumps(
        {"error": {"message": message, "type": type_, "param": param, "code": code}}
    ).encode()


def test_openai_error_body_matches_the_contract_and_is_read():
    body = openai_error("Incorrect API key provided: sk-abc.", code="invalid_api_key")
    validator("ErrorResponse").validate(json.loads(body))
    err = status_error(401, {}, body)
    assert isinstance(err, AuthenticationError)
    assert err.code == "invalid_api_key"
    assert err.user_message() == (
        "Authentication failed; check the API key (HTTP 401): Incorrect API key provided: sk-abc."
    )


def test_key_in_server_message_is_redacted():
    redact = Redactor(["sk-verysecret123"])
    err = status_error(401, {}, openai_error("bad key sk-verysecret123"), redact=redact)
    assert "sk-verysecret123" not in err.user_message()
    assert "sk-verysecret123" not in err.body


def test_rate_limit_with_retry_after():
    err = status_error(429, {"retry-after": "7"}, openai_error("Rate limit reached"))
    assert isinstance(err, RateLimitError)
    assert err.retry_after == 7
    assert "Retry after 7 s" in err.user_message()


def test_retry_after_forms():
    assert retry_after_seconds({"retry-after-ms": "1500"}) == 1.5
    assert retry_after_seconds({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0
    assert retry_after_seconds({"retry-after": "soon"}) is None
    assert retry_after_seconds({}) is None


def test_html_gateway_page_is_summarised_by_status_and_title():
    page = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    err = status_error(502, {"content-type": "text/html"}, page)
    assert isinstance(err, GatewayPageError)
    assert err.user_message() == (
        "The server or a proxy in front of it returned an HTML error page "
        "(HTTP 502: 502 Bad Gateway)."
    )


@pytest.mark.parametrize(
    ("status", "body", "cls", "text"),
    [
        (400, openai_error("bad", param="best_of"), BadRequestError, "parameter 'best_of'"),
        (404, openai_error("The model x does not exist"), NotFoundError, "does not exist"),
        (500, b"upstream connect error", ServerError, "upstream connect error"),
        (503, b"", ServerError, "Service Unavailable"),
        (
            400,
            json.dumps({"object": "error", "message": "too long"}).encode(),
            BadRequestError,
            "too long",
        ),
        (
            422,
            json.dumps({"detail": [{"loc": ["body", "n"], "msg": "bad n"}]}).encode(),
            BadRequestError,
            "n: bad n",
        ),
        (400, json.dumps({"error": "plain string"}).encode(), BadRequestError, "plain string"),
    ],
)
def test_error_dialects(status, body, cls, text):
    err = status_error(status, {}, body)
    assert isinstance(err, cls)
    assert text in err.user_message()
    assert err.user_message().endswith(".")


def test_transport_errors_map_to_network_errors_with_exit_code_3():
    url = "http://127.0.0.1:9/v1"
    kw = {"url": url, "connect_timeout": 5, "read_timeout": 30}
    cases = [
        (httpx.ConnectError("[Errno 111] Connection refused"), False, APIConnectionError),
        (httpx.ConnectTimeout("t"), False, APITimeoutError),
        (httpx.ReadTimeout("t"), True, APITimeoutError),
        (httpx.RemoteProtocolError("peer closed"), True, StreamInterruptedError),
        (httpx.RemoteProtocolError("peer closed"), False, APIConnectionError),
    ]
    for exc, streaming, cls in cases:
        err = transport_error(exc, streaming=streaming, **kw)
        assert isinstance(err, cls)
        assert err.exit_code == 3
    refused = transport_error(cases[0][0], streaming=False, **kw)
    assert refused.user_message() == f"Could not connect to {url}: connection refused."
    read = transport_error(httpx.ReadTimeout("t"), streaming=True, **kw)
    assert "30 s" in read.user_message()


def test_chunk_decoder_handles_usage_only_chunk_and_extra_fields():
    d = ChunkDecoder()
    events = d.decode(
        {
            "id": "c",
            "model": "m",
            "x": 1,
            "choices": [{"index": 1, "text": "b", "finish_reason": None, "extra": 2}],
        }
    )
    assert isinstance(events[0], ResponseMeta)
    assert events[1] == ChoiceDelta(1, "b")
    events = d.decode({"id": "c", "choices": [], "usage": {"prompt_tokens": 1}})
    assert events == [UsageReport({"prompt_tokens": 1})]


@pytest.mark.parametrize(
    "obj",
    [
        {"error": {"message": "boom", "type": "server_error"}},
        {"object": "error", "message": "boom", "code": 400},
        {"error": "boom"},
    ],
)
def test_in_stream_errors(obj):
    with pytest.raises(StreamError) as info:
        ChunkDecoder().decode(obj)
    assert "boom" in info.value.user_message()


@pytest.mark.parametrize("value", [None, [1], 5, "text"])
def test_chunk_decoder_skips_non_objects_with_a_note(value):
    events = ChunkDecoder().decode(value)
    assert len(events) == 1 and isinstance(events[0], StreamWarning)
    assert "not a JSON object" in str(events[0].message)


def test_contract_example_response_decodes():
    (example,) = examples("CreateCompletionResponse")
    validator("CreateCompletionResponse").validate(example)
    events = ChunkDecoder().decode(example)
    deltas = [e for e in events if isinstance(e, ChoiceDelta)]
    assert deltas[0].text == "\n\nThis is indeed a test"
    assert deltas[0].finish_reason == "length"
    assert any(isinstance(e, UsageReport) for e in events)


def test_contract_model_list_parses():
    (model,) = examples("Model")
    body = {"object": "list", "data": [model, {**model, "id": "b-model"}]}
    validator("ListModelsResponse").validate(body)
    from app.core.client import model_ids

    assert model_ids(body) == ["VAR_chat_model_id", "b-model"]
    assert model_ids({"models": [{"name": "llama3:8b"}]}) == ["llama3:8b"]  # Ollama tags
    with pytest.raises(MalformedResponseError):
        model_ids({"object": "list"})
