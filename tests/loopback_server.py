"""A real HTTP/1.1 server on 127.0.0.1 that speaks the OpenAI legacy completions wire format.

Used by the core, CLI and GUI tests and by ``bench/stream.py``. Besides normal answers to
``POST /v1/completions`` (streamed or not, n choices interleaved, logprobs, echo, stop,
usage) and ``GET /v1/models``, it reproduces what real servers and relays do wrong. The
behaviour is chosen per request by the base URL, so one server serves every test::

    server.base_url()                          # http://127.0.0.1:PORT/v1
    server.base_url("cut", after=3)            # http://127.0.0.1:PORT/s/cut;after=3/v1

Parameters understood by every scenario: ``delay`` (seconds before each streamed event),
``first_delay`` (seconds before the response headers), ``tokens`` (overrides max_tokens),
``status`` (for the error scenarios) and ``after`` (where a stream breaks). See
:data:`SCENARIOS` for the names. Streams are chunked by hand, one HTTP chunk per event, so
the tests control the byte boundaries and can cut a response in the middle.

Tokens are deterministic: choice ``i`` produces :data:`TOKENS` cycled from offset ``i``.

Run ``python -m tests.loopback_server --port 8011`` to point the app at it by hand.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, unquote

__all__ = ["SCENARIOS", "TOKENS", "LoopbackServer", "RecordedRequest", "main"]

#: The token cycle every completion is made of (choice i starts at offset i).
TOKENS = ["Hello", ",", " world", "!", " 你好", "世界", " 🙂", " end"]
MODELS = ("test-model", "test-model-zh")
#: Longest time a "hang" scenario blocks; stop() releases it at once.
HANG_LIMIT = 60.0
#: HTTP chunk size of the "fast" scenario (event boundaries are ignored).
FAST_CHUNK = 16 * 1024
DEFAULT_MAX_TOKENS = 16
SSE_CONTENT_TYPE = "text/event-stream; charset=utf-8"

_ERRORS: dict[int, tuple[str, str, str | None]] = {
    400: ("Invalid request", "invalid_request_error", None),
    401: (
        "Incorrect API key provided: sk-lo***key. You can find your API key at "
        "https://platform.openai.com/account/api-keys.",
        "invalid_request_error",
        "invalid_api_key",
    ),
    403: ("You are not allowed to use this model.", "invalid_request_error", None),
    404: ("Not found", "invalid_request_error", None),
    429: ("Rate limit reached for requests", "requests", "rate_limit_exceeded"),
    500: ("The server had an error while processing your request.", "server_error", None),
    502: ("Bad gateway", "server_error", None),
    503: ("The engine is currently overloaded, please try again later", "server_error", None),
}
_HTML = (
    "<html><head><title>{title}</title></head><body><center><h1>{title}</h1></center>"
    "<hr><center>nginx</center></body></html>"
)
_TEXT_ERROR = b"upstream connect error or disconnect/reset before headers"
_MALFORMED_BODY = b'{"id": "cmpl-loopback-0", "object": "text_completion", "choices": ['
_STREAM_ERRORS: dict[str, dict[str, Any]] = {
    "error-in-stream": {
        "error": {
            "message": _ERRORS[500][0],
            "type": "server_error",
            "param": None,
            "code": None,
        }
    },
    "object-error": {  # vLLM
        "object": "error",
        "message": "This model's maximum context length is 2048 tokens.",
        "type": "BadRequestError",
        "param": None,
        "code": 400,
    },
}
#: Stream scenarios that never send ``data: [DONE]``.
_NO_DONE = {"no-done", "no-finish", "unterminated", *_STREAM_ERRORS}
#: Scenarios that close the connection in the middle of the response.
_CUTS = {"cut", "cut-midchunk"}


@dataclass
class RecordedRequest:
    """One request as the server received it (``path`` without the scenario segment)."""

    method: str
    path: str
    scenario: str | None
    params: dict[str, str]
    headers: dict[str, str]  # keys lower-cased
    body: dict[str, Any] | None  # the JSON body if it is an object, else None
    raw_body: bytes = b""


class BadRequest(Exception):
    """Answered with a 400 OpenAI error body."""

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param


def error_body(status: int, message: str | None = None, param: str | None = None) -> dict:
    """An OpenAI error body; the message, type and code depend on the status."""
    text, type_, code = _ERRORS.get(status, ("Error", "server_error", None))
    return {"error": {"message": message or text, "type": type_, "param": param, "code": code}}


# -- routing -------------------------------------------------------------------------------


@dataclass
class _Route:
    """The request target split into endpoint path, scenario name and scenario params."""

    path: str
    scenario: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    proxied: bool = False

    @property
    def name(self) -> str:
        return self.scenario or "normal"

    def number(self, key: str, default: float) -> float:
        value = self.params.get(key)
        if value is None:
            return default
        try:
            return float(value)
        except ValueError:
            raise BadRequest(f"scenario parameter {key}={value!r} is not a number") from None

    def integer(self, key: str, default: int) -> int:
        return int(self.number(key, default))

    @classmethod
    def parse(cls, target: str) -> _Route:
        path = target.split("?", 1)[0]
        proxied = path.startswith(("http://", "https://"))
        if proxied:  # absolute form: the client uses this server as its HTTP proxy
            path = "/" + path.split("://", 1)[1].partition("/")[2]
        if not path.startswith("/s/"):
            return cls(path, proxied=proxied)
        segment, _, rest = path[3:].partition("/")
        name, *pairs = segment.split(";")
        params = {}
        for pair in pairs:
            key, _, value = pair.partition("=")
            params[unquote(key)] = unquote(value)
        return cls("/" + rest, unquote(name) or "normal", params, proxied)


# -- completions ---------------------------------------------------------------------------


def _check_int(body: dict[str, Any], name: str, low: int, high: int | None = None) -> None:
    value = body.get(name)
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool):
        raise BadRequest(f"{value!r} is not of type 'integer' - '{name}'", name)
    if value < low or (high is not None and value > high):
        limits = f">= {low}" if high is None else f"between {low} and {high}"
        raise BadRequest(f"{name} must be {limits}.", name)


def _validate(body: Any) -> None:
    """OpenAI's own checks of a completion request (the ones the tests rely on)."""
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object.")
    if not body.get("model"):
        raise BadRequest("you must provide a model parameter", "model")
    _check_int(body, "max_tokens", 0)
    _check_int(body, "n", 1, 128)
    _check_int(body, "best_of", 0, 20)
    _check_int(body, "logprobs", 0, 5)
    stop = body.get("stop")
    if not (stop is None or isinstance(stop, str)) and not (
        isinstance(stop, list) and all(isinstance(s, str) for s in stop)
    ):
        raise BadRequest(f"{stop!r} is not valid under any of the given schemas - 'stop'", "stop")
    best_of, n = body.get("best_of"), body.get("n") or 1
    if best_of is not None and body.get("stream"):
        raise BadRequest("Cannot stream results with best_of > 1.", "best_of")
    if best_of is not None and best_of <= n:
        raise BadRequest("best_of must be greater than n.", "best_of")
    if body.get("stream_options") is not None and not body.get("stream"):
        raise BadRequest(
            "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
            "stream_options",
        )


def _logprob(j: int) -> float:
    return round(-0.1 * (j % 7) - 0.05, 4)


def _legacy_logprobs(tokens: list[str], first: int, k: int, offset: int) -> dict[str, Any]:
    """OpenAI's legacy logprobs object; ``first`` is the index of ``tokens[0]``."""
    lps, tops, offsets = [], [], []
    for j, tok in enumerate(tokens, start=first):
        lp = _logprob(j)
        top = {tok: lp}
        others = [t for t in TOKENS if t != tok]
        for m in range(max(0, k - 1)):
            top[others[(j + m) % len(others)]] = round(lp - 0.5 * (m + 1), 4)
        lps.append(lp)
        tops.append(top)
        offsets.append(offset)
        offset += len(tok)
    return {"tokens": tokens, "token_logprobs": lps, "top_logprobs": tops, "text_offset": offsets}


def _to_vllm(lp: dict[str, Any], first: int) -> dict[str, Any]:
    """vLLM with echo: -9999.0 for -inf, and null for the very first token."""
    lps = [(-9999.0 if j % 3 == 2 else v) for j, v in enumerate(lp["token_logprobs"], first)]
    tops = list(lp["top_logprobs"])
    if first == 0 and lps:
        lps[0] = None
        tops[0] = None
    return {**lp, "token_logprobs": lps, "top_logprobs": tops}


def _token_id(token: str) -> int:
    return TOKENS.index(token) + 100 if token in TOKENS else 0


def _to_llamacpp(lp: dict[str, Any]) -> dict[str, Any]:
    """llama.cpp server: ``{"content": [{id, token, logprob, bytes, top_logprobs}]}``."""

    def entry(token: str, value: float) -> dict[str, Any]:
        return {
            "id": _token_id(token),
            "token": token,
            "logprob": value,
            "bytes": list(token.encode()),
        }

    content = [
        {**entry(tok, value), "top_logprobs": [entry(t, v) for t, v in top.items()]}
        for tok, value, top in zip(
            lp["tokens"], lp["token_logprobs"], lp["top_logprobs"], strict=True
        )
    ]
    return {"content": content}


def _prompt_text(prompt: Any) -> str:
    if isinstance(prompt, list):
        prompt = prompt[0] if prompt else ""
    return prompt if isinstance(prompt, str) else ""


def _choice_tokens(i: int, count: int, stops: list[str]) -> tuple[list[str], str]:
    """Choice ``i``'s tokens (cut before the first stop sequence) and finish reason."""
    tokens = [TOKENS[(i + j) % len(TOKENS)] for j in range(count)]
    text = "".join(tokens)
    cut = min((text.find(s) for s in stops if s and s in text), default=-1)
    if cut < 0:
        return tokens, "length"
    kept, used = [], 0
    for tok in tokens:
        if used + len(tok) > cut:
            if cut > used:
                kept.append(tok[: cut - used])
            break
        kept.append(tok)
        used += len(tok)
    return kept, "stop"


class _Completion:
    """The deterministic answer to one completion request, as a body or as stream chunks."""

    def __init__(self, route: _Route, body: dict[str, Any], ident: int) -> None:
        self.name = route.name
        self.model = str(body["model"])
        self.id = f"cmpl-loopback-{ident}"
        self.created = int(time.time())
        max_tokens = body.get("max_tokens")
        count = route.integer("tokens", DEFAULT_MAX_TOKENS if max_tokens is None else max_tokens)
        self.n = 1 if self.name == "one-choice" else body.get("n") or 1
        self.k: int | None = body.get("logprobs")
        self.prompt = _prompt_text(body.get("prompt", ""))
        self.echo = bool(body.get("echo"))
        stop = body.get("stop") or []
        stops = [stop] if isinstance(stop, str) else stop
        self.choices = [_choice_tokens(i, max(0, count), stops) for i in range(self.n)]
        self.prompt_tokens = max(1, len(self.prompt.split()))
        self.extra = self.name == "extra-fields"

    @property
    def usage(self) -> dict[str, int]:
        done = sum(len(tokens) for tokens, _ in self.choices)
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": done,
            "total_tokens": self.prompt_tokens + done,
        }

    def logprobs(self, tokens: list[str], first: int, offset: int) -> dict[str, Any] | None:
        if self.k is None:
            return None
        lp = _legacy_logprobs(tokens, first, self.k, offset)
        if self.name == "vllm-logprobs":
            return _to_vllm(lp, first)
        if self.name == "llamacpp-logprobs":
            return _to_llamacpp(lp)
        return lp

    def _head(self) -> dict[str, Any]:
        head: dict[str, Any] = {
            "id": self.id,
            "object": "text_completion",
            "created": self.created,
            "model": self.model,
        }
        if self.extra:
            head.update(x_relay="abc", system_fingerprint="fp_loopback", usage=None)
        return head

    def _choice(self, index: int, text: str, lp: Any, reason: str | None) -> dict[str, Any]:
        choice = {"text": text, "index": index, "logprobs": lp, "finish_reason": reason}
        if self.extra:
            choice["delta_extra"] = 1
        return choice

    def body(self) -> dict[str, Any]:
        """The non-stream response body."""
        prefix = self.prompt if self.echo else ""
        choices = [
            self._choice(i, prefix + "".join(tokens), self.logprobs(tokens, 0, len(prefix)), why)
            for i, (tokens, why) in enumerate(self.choices)
        ]
        return {
            **self._head(),
            "system_fingerprint": "fp_loopback",
            "choices": choices,
            "usage": self.usage,
        }

    def chunks(self, *, finish: bool = True, usage: bool = False) -> list[dict[str, Any]]:
        """Stream chunks: the echoed prompt, then token j of every choice, then j + 1."""
        out: list[dict[str, Any]] = []
        offsets = [0] * self.n
        if self.echo:
            for i in range(self.n):
                out.append(self._chunk(i, self.prompt, None, None))
                offsets[i] = len(self.prompt)
        longest = max((len(tokens) for tokens, _ in self.choices), default=0)
        for j in range(max(longest, 1)):
            for i, (tokens, reason) in enumerate(self.choices):
                if j >= max(len(tokens), 1):
                    continue
                tok = tokens[j] if tokens else ""  # no tokens: one empty chunk, with reason
                lp = self.logprobs([tok], j, offsets[i]) if tokens else None
                offsets[i] += len(tok)
                last = j >= len(tokens) - 1
                out.append(self._chunk(i, tok, lp, reason if last and finish else None))
        if usage:
            out.append({**self._head(), "choices": [], "usage": self.usage})
        return out

    def _chunk(self, index: int, text: str, lp: Any, reason: str | None) -> dict[str, Any]:
        return {**self._head(), "choices": [self._choice(index, text, lp, reason)]}


# -- stream framing ------------------------------------------------------------------------


def _encode(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


def _stream_payloads(route: _Route, answer: _Completion, usage: bool) -> list[bytes]:
    """The ``data:`` payloads of a stream with the scenario's twist, [DONE] included."""
    name = route.name
    chunks = answer.chunks(finish=name != "no-finish", usage=usage or name == "usage-chunk")
    payloads = [_encode(c) for c in chunks]
    if name == "malformed":
        payloads.insert(2, b'{"choices": [')
    if name in _STREAM_ERRORS:
        payloads = [*payloads[: route.integer("after", 3)], _encode(_STREAM_ERRORS[name])]
    if name not in _NO_DONE:
        payloads.append(b"[DONE]")
    return payloads


def _frame(name: str, data: bytes, i: int) -> bytes:
    if name == "nospace":
        return b"data:" + data + b"\n\n"
    if name == "crlf":
        return b"data: " + data + b"\r\n\r\n"
    if name == "comments":
        keep_alive = b": keep-alive\n\n" if i == 0 else b""
        return keep_alive + b"event: completion\nid: %d\ndata: %s\n\n: keep-alive\n\n" % (i, data)
    return b"data: " + data + b"\n\n"


def _frames(name: str, payloads: list[bytes]) -> list[bytes]:
    """One byte string per event; each is written as its own HTTP chunk."""
    frames = [_frame(name, data, i) for i, data in enumerate(payloads)]
    if name == "unterminated" and frames:
        frames[-1] = frames[-1].rstrip(b"\r\n")
    return frames


# -- the request handler -------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # every write leaves at once: byte boundaries are ours
    server: _Server

    # -- connection life, and silence about clients that go away -------------------------

    def setup(self) -> None:
        super().setup()
        self.responded = False
        self.server.connection_opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        except (OSError, ValueError):
            pass
        finally:
            self.server.connection_closed(self.connection)

    def handle(self) -> None:
        try:
            super().handle()
        except (OSError, ValueError):  # the client went away; ValueError: closed file
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_response(self, code: int, message: str | None = None) -> None:
        self.responded = True
        super().send_response(code, message)

    # -- writing -------------------------------------------------------------------------

    def send_json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        self.send_bytes(status, _encode(obj), "application/json", headers)

    def send_error_json(
        self,
        status: int,
        message: str | None = None,
        param: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_json(status, error_body(status, message, param), headers)

    def send_bytes(
        self, status: int, data: bytes, ctype: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_head(status, ctype, len(data), headers)
        self.wfile.write(data)
        self.wfile.flush()

    def send_head(
        self, status: int, ctype: str, length: int, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(length))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.flush()

    def start_stream(self, ctype: str = SSE_CONTENT_TYPE) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()

    def chunk(self, data: bytes) -> None:
        if data:  # an empty chunk would end the body
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

    def end_stream(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def abort(self) -> None:
        """Close the TCP connection at once, whatever was (not) sent."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def pause(self, seconds: float) -> bool:
        """Wait (stop() cuts it short); False if the server is stopping."""
        if seconds > 0:
            self.server.stopping.wait(seconds)
        return not self.server.stopping.is_set()

    def hang(self) -> None:
        self.pause(HANG_LIMIT)
        self.abort()

    # -- reading -------------------------------------------------------------------------

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked_body()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            raise BadRequest("Invalid Content-Length header.") from None
        return self.rfile.read(length) if length > 0 else b""

    def _read_chunked_body(self) -> bytes:
        parts = []
        while True:
            line = self.rfile.readline().split(b";")[0].strip()
            try:
                size = int(line or b"0", 16)
            except ValueError:
                self.close_connection = True
                raise BadRequest("Invalid chunked request body.") from None
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(parts)
            parts.append(self.rfile.read(size))
            self.rfile.readline()

    def _record(self, route: _Route, raw: bytes) -> RecordedRequest:
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        request = RecordedRequest(
            method=self.command,
            path=route.path,
            scenario=route.scenario,
            params=dict(route.params),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=parsed if isinstance(parsed, dict) else None,
            raw_body=raw,
        )
        self.server.record(request, proxied=route.proxied)
        return request

    def _serve(self, action: Callable[[_Route, RecordedRequest], None]) -> None:
        """Read, record and answer one request; problems become 400/500 error bodies."""
        route = _Route.parse(self.path)
        try:
            request = self._record(route, self._read_body())
            if not self.pause(route.number("first_delay", 0)):
                self.abort()
                return
            action(route, request)
        except BadRequest as exc:
            if self.responded:
                self.abort()
            else:
                self.send_error_json(400, exc.message, exc.param)
        except OSError:  # the client went away
            self.close_connection = True
        except Exception as exc:  # a bug in this server: say so loudly
            traceback.print_exc(file=sys.stderr)
            if self.responded:
                self.abort()
            else:
                self.send_error_json(500, f"loopback server bug: {exc!r}")

    # -- endpoints -----------------------------------------------------------------------

    def do_GET(self) -> None:
        self._serve(self._get)

    def do_POST(self) -> None:
        self._serve(self._post)

    def do_other(self) -> None:
        self._serve(self._not_found)

    do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_other

    def _not_found(self, route: _Route, request: RecordedRequest | None = None) -> None:
        self.send_error_json(404, f"Invalid URL ({self.command} {route.path})")

    def _get(self, route: _Route, request: RecordedRequest) -> None:
        if route.path.rstrip("/") != "/v1/models":
            self._not_found(route)
            return
        answer = _MODEL_SCENARIOS.get(route.name)
        if answer is None and route.name.isdigit():
            answer = _status
        if answer is not None:
            answer(self, route, request)
            return
        models = [
            {"id": m, "object": "model", "created": 1700000000, "owned_by": "loopback"}
            for m in MODELS
        ]
        self.send_json(200, {"object": "list", "data": models})

    def _post(self, route: _Route, request: RecordedRequest) -> None:
        if route.path.rstrip("/") != "/v1/completions":
            self._not_found(route)
            return
        scenario = SCENARIOS.get(route.name)
        if scenario is None:
            raise BadRequest(f"unknown loopback scenario {route.name!r}")
        scenario(self, route, request)

    # -- completions ---------------------------------------------------------------------

    def complete(self, route: _Route, body: dict[str, Any]) -> None:
        answer = _Completion(route, body, self.server.next_id())
        name = route.name
        if body.get("stream") and name != "json-body":
            options = body.get("stream_options") or {}
            self.stream(route, answer, bool(options.get("include_usage")))
            return
        data = _encode(answer.body())
        if name not in (*_CUTS, "hang"):
            self.send_bytes(200, data, "application/json")
            return
        # Not streamed: the body breaks off half way.
        self.send_head(200, "application/json", len(data))
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        if name == "hang":
            self.hang()
        else:
            self.abort()

    def stream(self, route: _Route, answer: _Completion, usage: bool) -> None:
        name = route.name
        payloads = _stream_payloads(route, answer, usage)
        if name == "fast":
            self._stream_fast(payloads)
            return
        frames = _frames(name, payloads)
        after = route.integer("after", 3) if name in _CUTS else len(frames)
        delay = route.number("delay", 0)
        self.start_stream("text/plain" if name == "wrong-ctype" else SSE_CONTENT_TYPE)
        for i, frame in enumerate(frames[:after]):
            if name == "hang" and i == 1:
                self.hang()
                return
            if not self.pause(delay):
                self.abort()
                return
            if name == "bytesplit":
                for b in range(len(frame)):
                    self.chunk(frame[b : b + 1])
            else:
                self.chunk(frame)
        if name not in _CUTS:
            self.end_stream()
            return
        if name == "cut-midchunk" and after < len(frames):
            frame = frames[after]
            self.wfile.write(b"%x\r\n%s" % (len(frame), frame[: len(frame) // 2]))
            self.wfile.flush()
        self.abort()

    def _stream_fast(self, payloads: list[bytes]) -> None:
        """All events at once, in big HTTP chunks that ignore event boundaries."""
        data = b"".join(b"data: " + p + b"\n\n" for p in payloads)
        self.start_stream()
        for start in range(0, len(data), FAST_CHUNK):
            self.chunk(data[start : start + FAST_CHUNK])
        self.end_stream()


# -- scenarios -----------------------------------------------------------------------------


def _complete(handler: _Handler, route: _Route, request: RecordedRequest) -> None:
    """A completion, streamed or not, with the scenario's twist (keyed by its name)."""
    try:
        body = json.loads(request.raw_body)
    except ValueError as exc:
        raise BadRequest(f"We could not parse the JSON body of your request. ({exc})") from None
    _validate(body)
    handler.complete(route, body)


def _status(handler: _Handler, route: _Route, request: RecordedRequest) -> None:
    default = int(route.name) if route.name.isdigit() else 500
    status = route.integer("status", default)
    headers = {}
    if status == 429:
        headers["Retry-After"] = route.params.get("retry_after", "7")
    handler.send_error_json(status, None, route.params.get("param"), headers)


def _html(handler: _Handler, route: _Route, request: RecordedRequest) -> None:
    status = route.integer("status", 502)
    title = route.params.get("title", "502 Bad Gateway")
    handler.send_bytes(status, _HTML.format(title=title).encode(), "text/html")


def _text_error(handler: _Handler, route: _Route, request: RecordedRequest) -> None:
    handler.send_bytes(route.integer("status", 500), _TEXT_ERROR, "text/plain")


def _malformed_json(handler: _Handler, route: _Route, request: RecordedRequest) -> None:
    handler.send_bytes(200, _MALFORMED_BODY, "application/json")


def _hang_headers(handler: _Handler, route: _Route, request: RecordedRequest) -> None:
    handler.hang()


Scenario = Callable[[_Handler, _Route, RecordedRequest], None]

#: Scenario name -> what ``POST /v1/completions`` does. The completion scenarios share
#: one writer; their twist (framing, breakage, logprobs style...) is keyed by the name.
SCENARIOS: dict[str, Scenario] = {
    **dict.fromkeys(
        (
            "normal",
            "nospace",
            "crlf",
            "comments",
            "bytesplit",
            "no-done",
            "no-finish",
            "unterminated",
            "error-in-stream",
            "object-error",
            "json-body",
            "wrong-ctype",
            "usage-chunk",
            "extra-fields",
            "cut",
            "cut-midchunk",
            "hang",
            "malformed",
            "vllm-logprobs",
            "llamacpp-logprobs",
            "fast",
            "one-choice",
        ),
        _complete,
    ),
    **{str(code): _status for code in _ERRORS},
    "status": _status,
    "html": _html,
    "text-error": _text_error,
    "malformed-json": _malformed_json,
    "hang-headers": _hang_headers,
}
#: What ``GET /v1/models`` does differently (numeric names answer with that status).
_MODEL_SCENARIOS: dict[str, Scenario] = {
    "status": _status,
    "html": _html,
    "models-html": _html,
    "text-error": _text_error,
    "malformed-json": _malformed_json,
    "hang-headers": _hang_headers,
}


# -- the server ----------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)
        self.stopping = threading.Event()
        self.changed = threading.Condition()
        self.connections: set[socket.socket] = set()
        self.requests: list[RecordedRequest] = []
        self.proxied = 0
        self._ids = itertools.count(1)

    def next_id(self) -> int:
        with self.changed:
            return next(self._ids)

    def connection_opened(self, conn: socket.socket) -> None:
        with self.changed:
            self.connections.add(conn)
            self.changed.notify_all()

    def connection_closed(self, conn: socket.socket) -> None:
        with self.changed:
            self.connections.discard(conn)
            self.changed.notify_all()

    def record(self, request: RecordedRequest, proxied: bool) -> None:
        with self.changed:
            self.requests.append(request)
            self.proxied += proxied
            self.changed.notify_all()

    def close_connections(self) -> None:
        with self.changed:
            for conn in self.connections:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # client disconnects are expected; never print them


class LoopbackServer:
    """Start with :meth:`start` (or ``with``); every request is kept in :attr:`requests`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = _Server((host, port))
        self._thread: threading.Thread | None = None
        self._stopped = False

    def start(self) -> LoopbackServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"loopback-server-{self._server.server_address[1]}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, release hanging handlers and close every client connection."""
        if self._stopped:
            return
        self._stopped = True
        self._server.stopping.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.close_connections()
        self.wait_connections(0, timeout=2)
        self._server.server_close()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def base_url(self, scenario: str | None = None, **params: object) -> str:
        """The API base URL (``.../v1``) for a scenario and its parameters."""
        if scenario is None and not params:
            return f"{self.url}/v1"
        segment = quote(scenario or "normal", safe="")
        for key, value in params.items():
            segment += f";{quote(str(key), safe='')}={quote(str(value), safe='')}"
        return f"{self.url}/s/{segment}/v1"

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received since the last :meth:`clear` (the live list)."""
        return self._server.requests

    def clear(self) -> None:
        with self._server.changed:
            self._server.requests.clear()

    @property
    def open_connections(self) -> int:
        """Client TCP connections open right now (a leak detector)."""
        return len(self._server.connections)

    @property
    def proxied_requests(self) -> int:
        """Requests that arrived in absolute form, i.e. through this server as a proxy."""
        return self._server.proxied

    def wait_connections(self, count: int = 0, timeout: float = 5.0) -> bool:
        """Wait until exactly ``count`` connections are open; False on timeout."""
        with self._server.changed:
            return self._server.changed.wait_for(
                lambda: len(self._server.connections) == count, timeout
            )

    def wait_requests(self, count: int, timeout: float = 5.0) -> bool:
        """Wait until at least ``count`` requests are recorded; False on timeout."""
        with self._server.changed:
            return self._server.changed.wait_for(
                lambda: len(self._server.requests) >= count, timeout
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Loopback OpenAI completions test server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8011, help="0 picks a free port")
    args = parser.parse_args(argv)
    with LoopbackServer(args.host, args.port) as server:
        # bench/stream.py takes the URL from the third word of this line.
        print(
            f"Serving on {server.url}/v1 (scenarios: {server.url}/s/<name>;k=v/v1); Ctrl+C stops",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
