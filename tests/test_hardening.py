"""Hostile servers and relays' quirks, against real HTTP on 127.0.0.1: nothing escapes.

Redirects never carry a credential to another origin, every httpx failure ends in one
sentence, broken or empty streams are errors with the text kept, keys echoed by a server are
scrubbed everywhere, relays' errors keep their words and request ids, and an endless stream
stops at the output limit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app.core.capabilities import rejected_parameter
from app.core.client import CompletionClient
from app.core.endpoint import Endpoint
from app.core.errors import (
    APIStatusError,
    BadRequestError,
    IncompleteStreamError,
    MalformedResponseError,
    OutputLimitError,
    PayloadTooLargeError,
    RedirectError,
    RequestNotSentError,
    StreamError,
    UnexpectedError,
)
from app.core.events import StreamWarning
from app.core.history import HistoryStore, record_for
from app.core.request import CompletionRequest
from app.core.result import CompletionResult
from app.core.run import execute
from tests.loopback_server import ONEAPI_REQUEST_ID, LoopbackServer

KEY = "cp-test-key-0123456789abcdef"
HEADER_SECRET = "hdr-secret-9876543210"


async def run(
    base_url: str,
    *,
    key: str | None = None,
    headers: tuple[tuple[str, str], ...] = (),
    output_limit: int | None = 100_000,
    **params,
) -> CompletionResult:
    params.setdefault("max_tokens", 8)
    params.setdefault("prompt", "Say hi")
    request = CompletionRequest(model="test-model", **params)
    endpoint = Endpoint(base_url, api_key=key, headers=headers, read_timeout=10)
    async with CompletionClient() as client:
        return await execute(client, endpoint, request, output_limit=output_limit)


def cli(*args: str, timeout: float = 60, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", "complete", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
    )


@pytest.fixture
def other() -> LoopbackServer:
    """A second server: another origin."""
    with LoopbackServer() as srv:
        yield srv


# -- redirects ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [307, 308, 302, 301])
async def test_no_credential_reaches_another_origin(api, other, status):
    target = other.base_url() + "/completions"
    result = await run(
        api.base_url("redirect", status=status, to=target),
        key=KEY,
        headers=(("x-api-key", HEADER_SECRET), ("X-Team", "research")),
    )
    assert other.requests == []  # nothing at all went to the other origin
    assert isinstance(result.error, RedirectError)
    assert result.error.location == target
    text = result.error.user_message()
    assert target in text and str(status) in text and "base URL" in text
    assert KEY not in text and HEADER_SECRET not in text


async def test_a_redirected_post_is_never_resent_as_get(api):
    same_origin = api.base_url() + "/completions"
    result = await run(api.base_url("redirect", status=302, to=same_origin), key=KEY)
    assert isinstance(result.error, RedirectError)
    assert [r.method for r in api.requests] == ["POST"]  # no body-less GET followed


async def test_same_origin_307_keeps_method_and_body(api):
    result = await run(api.base_url("redirect", status=307), key=KEY)
    assert result.ok, result.error
    assert [r.method for r in api.requests] == ["POST", "POST"]
    assert api.requests[-1].body["prompt"] == "Say hi"
    assert api.requests[-1].headers["authorization"] == f"Bearer {KEY}"


async def test_model_list_redirect_to_another_origin_is_reported(api, other):
    endpoint = Endpoint(api.base_url("redirect", status=302, to=other.base_url() + "/models"),
                        api_key=KEY)  # fmt: skip
    async with CompletionClient() as client:
        with pytest.raises(RedirectError):
            await client.list_models(endpoint)
    assert other.requests == []


async def test_redirect_loop_is_one_sentence(api):
    result = await run(api.base_url("redirect-loop"))
    assert isinstance(result.error, RedirectError)
    assert "redirected too many times" in result.error.user_message()


# -- httpx failures that used to escape -----------------------------------------------------


async def test_bad_gzip_is_a_sentence_for_runs_and_model_lists(api):
    result = await run(api.base_url("bad-gzip"), stream=False)
    assert isinstance(result.error, MalformedResponseError)
    assert "could not be decoded" in result.error.user_message()
    endpoint = Endpoint(api.base_url("bad-gzip"))
    async with CompletionClient() as client:
        with pytest.raises(MalformedResponseError):
            await client.list_models(endpoint)


@pytest.mark.parametrize("scenario", ["bad-gzip", "redirect-loop"])
def test_cli_prints_one_line_never_a_traceback(api, scenario):
    proc = cli("--base-url", api.base_url(scenario), "--model", "m", "--prompt", "p",
               "--no-history")  # fmt: skip
    assert proc.returncode in (1, 3)
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


async def test_unexpected_exception_becomes_a_sentence(api, monkeypatch):
    async def boom(*args, **kwargs):
        raise ZeroDivisionError("bug")
        yield  # pragma: no cover

    monkeypatch.setattr(CompletionClient, "_event_batches", boom)
    result = await run(api.base_url())
    assert isinstance(result.error, UnexpectedError)
    assert "ZeroDivisionError" in result.error.user_message()


@pytest.mark.parametrize("status", [None, 413])
async def test_server_closing_while_a_huge_prompt_is_sent(api, status):
    params = {"status": status} if status else {}
    prompt = "x" * (3 * 1024 * 1024)
    result = await run(api.base_url("close-while-sending", **params), prompt=prompt)
    # Whether the 413 can be read depends on how much of the body the kernel took first.
    assert isinstance(result.error, (RequestNotSentError, PayloadTooLargeError)), result.error
    text = result.error.user_message()
    assert "too large" in text
    if isinstance(result.error, RequestNotSentError):
        assert "while the request was being sent" in text
    if isinstance(result.error, PayloadTooLargeError) or getattr(result.error, "status", None):
        assert "413" in text  # the status, when one arrived


# -- streams as real servers send them ----------------------------------------------------------


async def test_stream_without_done_or_finish_is_broken_and_keeps_text(api):
    result = await run(api.base_url("no-finish"))
    assert isinstance(result.error, IncompleteStreamError)
    assert result.text  # kept


def test_cli_exits_3_on_a_broken_stream(api):
    proc = cli("--base-url", api.base_url("no-finish"), "--model", "m", "--prompt", "p",
               "--max-tokens", "4", "--no-history")  # fmt: skip
    assert proc.returncode == 3, proc.stderr
    assert proc.stdout.strip()  # the text received is printed
    assert "incomplete" in proc.stderr


@pytest.mark.parametrize(
    ("scenario", "said"),
    [
        ("empty-200", "empty"),
        ("text-200", "upstream is warming up"),
        ("html-200", "Login required"),
    ],
)
@pytest.mark.parametrize("stream", [True, False])
async def test_a_200_without_any_event_says_what_came_back(api, scenario, said, stream):
    result = await run(api.base_url(scenario), stream=stream)
    assert isinstance(result.error, MalformedResponseError), result.error
    assert said in result.error.user_message()


async def test_data_null_is_skipped_with_a_note(api):
    result = await run(api.base_url("data-null"))
    assert result.ok, result.error
    assert result.text
    assert any("not a JSON object" in str(note) for note in result.notes())


@pytest.mark.parametrize("param", ["None", "null", "", "messages"])
async def test_a_param_naming_nothing_sent_is_not_blamed(api, param):
    result = await run(api.base_url("400", param=param))
    assert isinstance(result.error, BadRequestError)
    assert result.error.param is None
    assert "rejected parameter" not in result.error.user_message()


async def test_a_param_that_was_sent_is_blamed(api):
    result = await run(api.base_url("400", param="suffix"), suffix="end")
    assert result.error.param == "suffix"
    assert "rejected parameter 'suffix'" in result.error.user_message()


async def test_zero_usage_in_every_chunk_is_not_usage(api):
    result = await run(api.base_url("zero-usage"), include_usage=True)
    assert result.ok
    assert result.usage is None
    assert any("usage was not reported" in str(n) for n in result.notes())
    proc = cli("--base-url", api.base_url("zero-usage"), "--model", "m", "--prompt", "p",
               "--stats", "--no-history")  # fmt: skip
    assert "usage: not reported" in proc.stderr


def test_cli_notices_ignored_echo_and_logprobs(api):
    proc = cli("--base-url", api.base_url("no-logprobs"), "--model", "m", "--prompt", "p",
               "--logprobs", "2", "--json", "--no-history")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "accepted but ignored: logprobs" in proc.stderr
    assert json.loads(proc.stdout)["ignored_parameters"] == ["logprobs"]
    proc = cli("--base-url", api.base_url("ignore-echo"), "--model", "m", "--prompt", "p",
               "--echo", "--no-history")  # fmt: skip
    assert "accepted but ignored: echo" in proc.stderr


# -- relays built on one-api / new-api ---------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "words", "status"),
    [("quota", "该令牌额度已用尽", 401), ("model", "该令牌无权使用模型", 403),
     ("channel", "无可用渠道", 503)],
)  # fmt: skip
async def test_oneapi_errors_keep_their_words_and_request_id(api, kind, words, status):
    result = await run(api.base_url("oneapi", kind=kind))
    assert isinstance(result.error, APIStatusError)
    assert result.error.status_code == status
    text = result.error.user_message()
    assert words in text and ONEAPI_REQUEST_ID in text
    assert result.error.request_id == ONEAPI_REQUEST_ID


async def test_oneapi_request_id_from_the_header_alone(api):
    result = await run(api.base_url("oneapi", kind="quota", no_id_in_message=1))
    assert f"Request id: {ONEAPI_REQUEST_ID}" in result.error.user_message()


@pytest.mark.parametrize("status", [400, 500])
async def test_oneapi_integer_logprobs_names_logprobs(api, status):
    result = await run(api.base_url("oneapi", kind="logprobs", status=status), logprobs=2)
    assert result.error.param == "logprobs"
    assert "rejected parameter 'logprobs'" in result.error.user_message()
    request = CompletionRequest(model="test-model", prompt="Say hi", logprobs=2)
    assert rejected_parameter(result.error, request.to_body()) == "logprobs"
    retried = await run(api.base_url("oneapi", kind="logprobs"))  # without logprobs
    assert retried.ok


# -- secrets stay home ------------------------------------------------------------------------


async def test_a_key_echoed_in_a_200_stream_error_is_scrubbed_everywhere(api, tmp_path):
    result = await run(
        api.base_url("echo-secret", header="x-api-key"),
        key=KEY,
        headers=(("x-api-key", HEADER_SECRET),),
    )
    assert isinstance(result.error, StreamError)
    record = record_for(
        CompletionRequest(model="test-model", prompt="Say hi"), result, profile="p",
        base_url=api.base_url(),
    )  # fmt: skip
    store = HistoryStore(tmp_path / "h.sqlite3")
    run_id = store.add(record)
    store.export_jsonl([run_id], tmp_path / "out.jsonl")
    store.export_markdown([run_id], tmp_path / "out.md")
    store.close()
    places = {
        "message": result.error.user_message(),
        "server message": result.error.server_message,
        "result json": json.dumps(result.to_json(), ensure_ascii=False),
        "wire": json.dumps(result.wire.to_json(), ensure_ascii=False),
        "history": json.dumps(record.to_json(), ensure_ascii=False),
        "jsonl": (tmp_path / "out.jsonl").read_text(encoding="utf-8"),
        "markdown": (tmp_path / "out.md").read_text(encoding="utf-8"),
        "database": (tmp_path / "h.sqlite3").read_bytes().decode("latin-1"),
    }
    for where, text in places.items():
        assert KEY not in text, where
        assert HEADER_SECRET not in text, where
    assert "Incorrect API key provided" in places["message"]


def test_cli_stderr_never_shows_an_echoed_key(api):
    proc = cli("--base-url", api.base_url("echo-secret"), "--model", "m", "--prompt", "p",
               env={"OPENAI_API_KEY": KEY})  # fmt: skip
    assert proc.returncode == 1
    assert KEY not in proc.stderr and KEY not in proc.stdout
    assert "Incorrect API key provided" in proc.stderr


# -- limits -------------------------------------------------------------------------------------


async def test_an_endless_stream_stops_at_the_output_limit(api):
    result = await run(api.base_url("endless"), output_limit=200_000)
    assert isinstance(result.error, OutputLimitError)
    assert 200_000 < len(result.text) < 400_000  # stopped near the limit, text kept
    assert "output limit reached" in result.error.user_message()


def test_cli_max_output_flag(api):
    proc = cli("--base-url", api.base_url("endless"), "--model", "m", "--prompt", "p",
               "--max-output", "50000", "--no-history")  # fmt: skip
    assert proc.returncode == 1
    assert 50_000 <= len(proc.stdout) < 200_000
    assert "output limit reached" in proc.stderr


def test_stream_warning_notes_are_messages():
    warning = StreamWarning(MalformedResponseError("x").msg)
    assert str(warning.message) == "x"
