"""A real HTTP/1.1 server on 127.0.0.1 that speaks the OpenAI completions wire format.

Used by the core, CLI and GUI tests and by ``bench/stream.py``. Besides normal answers
(streamed or not, n choices interleaved, logprobs, echo, stop, usage) it reproduces what
real servers and relays do wrong, chosen per request by the base URL:
``{url}/s/<scenario>;key=value;.../v1``. See :data:`SCENARIOS` for the list.

Run ``python -m tests.loopback_server --port 8011`` to point the app at it by hand.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, unquote

__all__ = ["SCENARIOS", "TOKENS", "LoopbackServer", "RecordedRequest"]

TOKENS = ["Hello", ",", " world", "!", " 你好", "世界", " 🙂", " end"]
HANG_LIMIT = 60.0

_ERRORS: dict[int, tuple[str, str, str | None]] = {
    400: ("Invalid request", "invalid_request_error", None),
    401: (
        "Incorrect API key provided: sk-lo***key. You can find your API key at "
        "https://platform.openai.com/account/api-keys.",
        "invalid_request_error",
        "invalid_api_key",
    ),
    404: ("Not found", "invalid_request_error", None),
    429: ("Rate limit reached for requests", "requests", "rate_limit_exceeded"),
    500: ("The server had an error while processing your request.", "server_error", None),
    503: ("The engine is currently overloaded, please try again later", "server_error", None),
}
_HTML = (
    "<html><head><title>{title}</title></head><body><center><h1>{title}</h1></center>"
    "<hr><center>nginx</center></body></html>"
)


@dataclass
class RecordedRequest:
    method: str
    path: str
    scenario: str | None
    params: dict[str, str]
    headers: dict[str, str]
    body: Any
    raw_body: bytes = b""


@dataclass
class _Spec:
    """What one request asks of the server: scenario name, its params, the JSON body."""

    name: str
    params: dict[str, str]
    body: dict[str, Any] = field(default_factory=dict)

    def num(self, key: str, default: float) -> float:
        return float(self.params.get(key, default))


def _error_body(status: int, message: str | None = None, param: str | None = None) -> dict:
    text, type_, code = _ERRORS.get(status, ("Error", "server_error", None))
    return {"error": {"message": message or text, "type": type_, "param": param, "code": code}}


def _logprob(j: int) -> float:
    return round(-0.1 * (j % 7) - 0.05, 4)


def _legacy_logprobs(tokens: list[str], first: int, k: int, offset: int) -> dict[str, Any]:
    tops, offsets, lps = [], [], []
    for j, tok in enumerate(tokens, start=first):
        lp = _logprob(j)
        lps.append(lp)
        top = {tok: lp}
        others = [t for t in TOKENS if t != tok]
        for m in range(max(0, k - 1)):
            top[others[(j + m) % len(others)]] = round(lp - 0.5 * (m + 1), 4)
        tops.append(top)
        offsets.append(offset)
        offset += len(tok)
    return {"tokens": tokens, "token_logprobs": lps, "top_logprobs": tops, "text_offset": offsets}


def _to_vllm(lp: dict[str, Any], first: int, first_chunk: bool) -> dict[str, Any]:
    lps = [(-9999.0 if j % 3 == 2 else v) for j, v in enumerate(lp["token_logprobs"], first)]
    tops = list(lp["top_logprobs"])
    if first_chunk:
        lps[0] = None
        tops[0] = None
    return {"tokens": lp["tokens"], "token_logprobs": lps, "top_logprobs": tops}


def _to_llamacpp(lp: dict[str, Any]) -> dict[str, Any]:
    content = []
    for tok, value, top in zip(
        lp["tokens"], lp["token_logprobs"], lp["top_logprobs"], strict=False
    ):
        content.append(
            {
                "id": TOKENS.index(tok) if tok in TOKENS else 0,
                "token": tok,
                "logprob": value,
                "bytes": list(tok.encode()),
                "top_logprobs": [
                    {"id": 0, "token": t, "logprob": v, "bytes": list(t.encode())}
                    for t, v in top.items()
                ],
            }
        )
    return {"content": content}


def _with_echoed_prompt(prompt: str, lp: dict[str, Any], k: int) -> dict[str, Any]:
    """Prepend the prompt's own tokens (words) as OpenAI does for echo: the first one has
    no logprob, the others get deterministic values with top-k alternatives."""
    words = re.findall(r"\s*\S+\s*$|\s*\S+", prompt) or [prompt]
    own = _legacy_logprobs(words, 3, max(1, k), 0)
    own["token_logprobs"][0] = None
    own["top_logprobs"][0] = None
    return {key: own[key] + lp[key] for key in ("tokens", "token_logprobs", "top_logprobs",
                                                 "text_offset")}  # fmt: skip


class _Completion:
    """The deterministic answer to a completion request: tokens per choice and reasons."""

    def __init__(self, spec: _Spec) -> None:
        body = spec.body
        self.spec = spec
        self.model = str(body.get("model"))
        max_tokens = body.get("max_tokens")
        count = int(spec.params.get("tokens", 16 if max_tokens is None else max_tokens))
        n = int(body.get("n") or 1)
        self.n = 1 if spec.name == "one-choice" else n
        self.k = body.get("logprobs")
        self.echo = bool(body.get("echo"))
        prompt = body.get("prompt", "")
        if isinstance(prompt, list):
            prompt = prompt[0] if prompt and isinstance(prompt[0], str) else ""
        self.prompt = prompt if isinstance(prompt, str) else ""
        stop = body.get("stop") or []
        stops = [stop] if isinstance(stop, str) else list(stop)
        self.choices = [self._choice(i, count, stops) for i in range(self.n)]
        self.prompt_tokens = max(1, len(self.prompt.split()))

    @staticmethod
    def _choice(i: int, count: int, stops: list[str]) -> tuple[list[str], str]:
        tokens = [TOKENS[(i + j) % len(TOKENS)] for j in range(count)]
        text = "".join(tokens)
        cut = min((text.find(s) for s in stops if s and s in text), default=-1)
        if cut < 0:
            return tokens, "length"
        kept, used = [], 0
        for tok in tokens:
            if used + len(tok) <= cut:
                kept.append(tok)
                used += len(tok)
            else:
                if cut > used:
                    kept.append(tok[: cut - used])
                break
        return kept, "stop"

    @property
    def usage(self) -> dict[str, int]:
        done = sum(len(t) for t, _ in self.choices)
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": done,
            "total_tokens": self.prompt_tokens + done,
        }

    def logprobs(self, tokens: list[str], first: int, offset: int, first_chunk: bool) -> Any:
        if self.k is None or self.spec.name == "no-logprobs":  # Ollama: accepted, ignored
            return None
        lp = _legacy_logprobs(tokens, first, int(self.k), offset)
        if self.spec.name == "vllm-logprobs":
            return _to_vllm(lp, first, first_chunk)
        if self.spec.name == "llamacpp-logprobs":
            return _to_llamacpp(lp)
        return lp

    def _head(self) -> dict[str, Any]:
        head: dict[str, Any] = {
            "id": "cmpl-loopback-1",
            "object": "text_completion",
            "created": int(time.time()),
            "model": self.model,
        }
        if self.spec.name == "extra-fields":
            head.update({"x_relay": "abc", "system_fingerprint": "fp_loopback", "usage": None})
        return head

    def body(self) -> dict[str, Any]:
        choices = []
        for i, (tokens, reason) in enumerate(self.choices):
            prefix = self.prompt if self.echo else ""
            logprobs = self.logprobs(tokens, 0, len(prefix), True)
            if prefix and isinstance(logprobs, dict) and "tokens" in logprobs:
                logprobs = _with_echoed_prompt(prefix, logprobs, int(self.k or 0))
            choices.append(
                {
                    "text": prefix + "".join(tokens),
                    "index": i,
                    "logprobs": logprobs,
                    "finish_reason": reason,
                }
            )
        return {
            **self._head(),
            "system_fingerprint": "fp_loopback",
            "choices": choices,
            "usage": self.usage,
        }

    def chunks(self, *, finish: bool = True, usage: bool = False) -> list[dict[str, Any]]:
        """Stream chunks, choices interleaved token by token."""
        out: list[dict[str, Any]] = []
        offsets = [0] * self.n
        if self.echo:
            for i in range(self.n):
                out.append(self._chunk(i, self.prompt, None, None))
                offsets[i] = len(self.prompt)
        longest = max((len(t) for t, _ in self.choices), default=0)
        for j in range(max(longest, 1)):
            for i, (tokens, reason) in enumerate(self.choices):
                if j >= len(tokens) and not (j == 0 and not tokens):
                    continue
                tok = tokens[j] if tokens else ""
                last = j >= len(tokens) - 1
                lp = self.logprobs([tok], j, offsets[i], j == 0) if tok else None
                offsets[i] += len(tok)
                out.append(self._chunk(i, tok, lp, reason if (last and finish) else None))
        if usage:
            out.append({**self._head(), "choices": [], "usage": self.usage})
        return out

    def _chunk(self, index: int, text: str, lp: Any, reason: str | None) -> dict[str, Any]:
        choice: dict[str, Any] = {
            "text": text,
            "index": index,
            "logprobs": lp,
            "finish_reason": reason,
        }
        if self.spec.name == "extra-fields":
            choice["delta_extra"] = 1
        return {**self._head(), "choices": [choice]}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        self.server.connection_opened()

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.server.connection_closed()

    def handle(self) -> None:
        try:
            super().handle()
        except (OSError, ValueError):
            self.close_connection = True

    # -- plumbing ------------------------------------------------------------------------

    def _route(self) -> tuple[str, _Spec]:
        path = self.path.split("?", 1)[0]
        if path.startswith(("http://", "https://")):
            # Absolute form: the client is using this server as its HTTP proxy.
            self.server.proxied += 1
            path = "/" + path.split("://", 1)[1].partition("/")[2]
        name, params = "normal", {}
        scenario = None
        if path.startswith("/s/"):
            segment, _, rest = path[3:].partition("/")
            path = "/" + rest
            parts = segment.split(";")
            name = scenario = unquote(parts[0]) or "normal"
            for part in parts[1:]:
                key, _, value = part.partition("=")
                params[unquote(key)] = unquote(value)
        return path, _Spec(name, params), scenario  # type: ignore[return-value]

    def _record(self, path: str, spec: _Spec, scenario: str | None, raw: bytes) -> None:
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        self.server.record(
            RecordedRequest(
                method=self.command,
                path=path,
                scenario=scenario,
                params=dict(spec.params),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
                raw_body=raw,
            )
        )

    def send_json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(obj, ensure_ascii=False).encode()
        self.send_bytes(status, data, "application/json", headers)

    def send_bytes(
        self, status: int, data: bytes, ctype: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def start_stream(self, ctype: str = "text/event-stream; charset=utf-8") -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()

    def chunk(self, data: bytes) -> None:
        if data:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

    def end_stream(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def abort(self) -> None:
        """Close the TCP connection at once, mid-response."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def wait(self, seconds: float) -> None:
        if seconds > 0:
            self.server.stopping.wait(seconds)

    # -- endpoints -----------------------------------------------------------------------

    def do_GET(self) -> None:
        path, spec, scenario = self._route()
        self._record(path, spec, scenario, b"")
        if spec.name in GET_SCENARIOS and GET_SCENARIOS[spec.name](self, spec, path):
            return
        if path.rstrip("/") != "/v1/models":
            self.send_json(404, _error_body(404, f"No route for GET {path}"))
        elif spec.name in MODEL_LIST_SCENARIOS:
            MODEL_LIST_SCENARIOS[spec.name](self, spec)
        elif spec.name in ("models-html", "html"):
            self.send_bytes(502, _HTML.format(title="502 Bad Gateway").encode(), "text/html")
        elif spec.name.isdigit() or spec.name == "status":
            status = int(spec.params.get("status", spec.name if spec.name.isdigit() else 500))
            self.send_json(status, _error_body(status))
        else:
            self.send_json(
                200,
                {
                    "object": "list",
                    "data": [
                        {"id": m, "object": "model", "created": 1700000000, "owned_by": "loopback"}
                        for m in ("test-model", "test-model-zh")
                    ],
                },
            )

    def do_POST(self) -> None:
        path, spec, scenario = self._route()
        early = EARLY_POST_SCENARIOS.get(spec.name)
        if early is not None and early(self, spec, path):
            return
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        self._record(path, spec, scenario, raw)
        if path.rstrip("/") != "/v1/completions":
            self.send_json(404, _error_body(404, f"No route for POST {path}"))
            return
        try:
            body = json.loads(raw)
        except ValueError:
            self.send_json(400, _error_body(400, "We could not parse the JSON body."))
            return
        if not isinstance(body, dict) or not body.get("model"):
            self.send_json(400, _error_body(400, "you must provide a model parameter", "model"))
            return
        spec.body = body
        self.wait(spec.num("first_delay", 0))
        handler = SCENARIOS.get(spec.name)
        if handler is None:
            self.send_json(400, _error_body(400, f"unknown test scenario {spec.name!r}"))
            return
        if handler(self, spec) is not False:
            return
        self.completion(spec)

    def completion(self, spec: _Spec) -> None:
        body = spec.body
        problem = _api_rules(body)
        if problem:
            self.send_json(400, _error_body(400, problem[1], problem[0]))
            return
        if _reject(self, spec):
            return
        answer = _Completion(spec)
        if not body.get("stream") or spec.name == "json-body":
            self.send_json(200, answer.body())
            return
        self.stream(spec, answer)

    def stream(self, spec: _Spec, answer: _Completion) -> None:
        name = spec.name
        options = spec.body.get("stream_options") or {}
        chunks = answer.chunks(
            finish=name != "no-finish",
            usage=bool(options.get("include_usage")) or name == "usage-chunk",
        )
        events = [json.dumps(c, ensure_ascii=False).encode() for c in chunks]
        if name == "fast":
            data = b"".join(b"data: " + e + b"\n\n" for e in events) + b"data: [DONE]\n\n"
            self.start_stream()
            for start in range(0, len(data), 16384):
                self.chunk(data[start : start + 16384])
            self.end_stream()
            return
        after = int(spec.params.get("after", 3))
        if name == "malformed":
            events.insert(2, b'{"choices": [')
        if name in ("error-in-stream", "object-error"):
            error = (
                {
                    "error": {
                        "message": _ERRORS[500][0],
                        "type": "server_error",
                        "param": None,
                        "code": None,
                    }
                }
                if name == "error-in-stream"
                else {
                    "object": "error",
                    "message": "This model's maximum context length is 2048 tokens.",
                    "type": "BadRequestError",
                    "param": None,
                    "code": 400,
                }
            )
            events = [*events[:after], json.dumps(error).encode()]
        done = name not in (
            "no-done",
            "no-finish",
            "unterminated",
            "error-in-stream",
            "object-error",
        )
        frames = [self._frame(name, e, i) for i, e in enumerate(events)]
        if done:
            frames.append(self._frame(name, b"[DONE]", len(events)))
        if name == "unterminated":
            frames[-1] = frames[-1].rstrip(b"\r\n")
        if name == "comments":
            frames.insert(0, b": keep-alive\n\n")
        self.start_stream(
            "text/plain" if name == "wrong-ctype" else "text/event-stream; charset=utf-8"
        )
        delay = spec.num("delay", 0)
        for i, frame in enumerate(frames):
            if name == "cut" and i == after:
                self.abort()
                return
            if name == "cut-midchunk" and i == after:
                self.wfile.write(b"%x\r\n%s" % (len(frame), frame[: len(frame) // 2]))
                self.wfile.flush()
                self.abort()
                return
            if name == "hang" and i == 1:
                self.wait(HANG_LIMIT)
                self.abort()
                return
            self.wait(delay)
            if self.server.stopping.is_set():
                self.abort()
                return
            if name == "bytesplit":
                for b in range(len(frame)):
                    self.chunk(frame[b : b + 1])
            else:
                self.chunk(frame)
        self.end_stream()

    @staticmethod
    def _frame(name: str, data: bytes, i: int) -> bytes:
        if name == "nospace":
            return b"data:" + data + b"\n\n"
        if name == "crlf":
            return b"data: " + data + b"\r\n\r\n"
        if name == "comments":
            return b"event: completion\nid: %d\ndata: %s\n\n: keep-alive\n\n" % (i, data)
        return b"data: " + data + b"\n\n"


def _api_rules(body: dict[str, Any]) -> tuple[str, str] | None:
    """OpenAI's own checks that the tests rely on."""
    best_of, n = body.get("best_of"), body.get("n") or 1
    if best_of is not None and body.get("stream"):
        return "best_of", "Cannot stream results with best_of > 1."
    if best_of is not None and best_of <= n:
        return "best_of", "best_of must be greater than n."
    logprobs = body.get("logprobs")
    if logprobs is not None and not 0 <= logprobs <= 5:
        return "logprobs", "logprobs must be between 0 and 5."
    return None


def _reject(handler: _Handler, spec: _Spec) -> bool:
    """Scenario ``reject;params=a+b;style=openai|pydantic|text``: refuse those parameters
    the way OpenAI (``param``), FastAPI servers (422 ``detail``) or relays (a sentence) do.
    """
    if spec.name != "reject":
        return False
    refused = [p for p in spec.params.get("params", "").split("+") if p in spec.body]
    if not refused:
        return False
    name, style = refused[0], spec.params.get("style", "openai")
    if style == "pydantic":
        detail = [{"type": "extra_forbidden", "loc": ["body", name], "msg": "Extra inputs"}]
        handler.send_json(422, {"detail": detail})
    elif style == "text":
        handler.send_json(400, _error_body(400, f"{name} is not currently supported"))
    else:
        handler.send_json(400, _error_body(400, f"Unrecognized request argument: {name}", name))
    return True


def _status(handler: _Handler, spec: _Spec) -> None:
    status = int(spec.params.get("status", spec.name if spec.name.isdigit() else 500))
    headers = {}
    if status == 429:
        headers["Retry-After"] = spec.params.get("retry_after", "7")
    handler.send_json(status, _error_body(status, param=spec.params.get("param")), headers)


def _html(handler: _Handler, spec: _Spec) -> None:
    status = int(spec.params.get("status", 502))
    title = spec.params.get("title", "502 Bad Gateway")
    handler.send_bytes(status, _HTML.format(title=title).encode(), "text/html")


def _text_error(handler: _Handler, spec: _Spec) -> None:
    handler.send_bytes(
        500, b"upstream connect error or disconnect/reset before headers", "text/plain"
    )


def _malformed_json(handler: _Handler, spec: _Spec) -> None:
    handler.send_bytes(200, b'{"id": "cmpl-1", "choices": [', "application/json")


def _hang_headers(handler: _Handler, spec: _Spec) -> None:
    handler.wait(HANG_LIMIT)
    handler.abort()  # released by stop() (or the limit): drop the connection


def _default(handler: _Handler, spec: _Spec) -> bool:
    return False  # fall through to the normal completion with the scenario's twist


#: Scenario name -> handler. A handler returning False means "answer normally, with the
#: scenario's twist applied by the stream writer".
SCENARIOS: dict[str, Callable[[_Handler, _Spec], Any]] = {
    **{
        name: _default
        for name in (
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
            "reject",
            "no-logprobs",
        )
    },
    **{str(code): _status for code in (400, 401, 403, 404, 429, 500, 502, 503)},
    "status": _status,
    "html": _html,
    "text-error": _text_error,
    "malformed-json": _malformed_json,
    "hang-headers": _hang_headers,
}


# == hostile text (begin) ===================================================================
# Scenario ``hostile;mode=output|error|stream-error;text=…``: a relay that puts markup
# where the app shows text (tests/test_gui_hostile_text.py). ``text`` defaults to
# HOSTILE_TEXT; it is cut into tokens after each ``>`` that a space follows.
#   output (default): GET /models lists the tokens (and "test-model") as model ids; POST
#     answers with the tokens as output (logprobs with hostile alternatives when asked),
#     the text as finish reason and a hostile ``prompt_tokens`` in the usage.
#   error: both endpoints answer HTTP 400 whose error message is the text.
#   stream-error: GET as output; POST streams two tokens, then an error object with it.

HOSTILE_TEXTS = (
    "<h1>BIG</h1>",
    '<a href="http://evil.example/login">Your session expired — log in again</a>',
    '<img src="file:///dev/zero">',
    '<img src="file:///etc/hostname">',
)
HOSTILE_TEXT = " ".join(HOSTILE_TEXTS)

_LOGPROB_KEYS = ("tokens", "token_logprobs", "top_logprobs", "text_offset")

#: GET /v1/models handlers by scenario name (do_GET asks here first).
MODEL_LIST_SCENARIOS: dict[str, Callable[[_Handler, _Spec], Any]] = {}


def _hostile_parts(spec: _Spec) -> tuple[str, list[str]]:
    text = spec.params.get("text", HOSTILE_TEXT)
    return text, re.split(r"(?<=>)(?= )", text)


def _hostile_models(handler: _Handler, spec: _Spec) -> None:
    text, tokens = _hostile_parts(spec)
    if spec.params.get("mode") == "error":
        handler.send_json(400, _error_body(400, text))
        return
    ids = ["test-model", *(t.strip() for t in tokens)]
    data = [{"id": m, "object": "model", "owned_by": "relay"} for m in ids]
    handler.send_json(200, {"object": "list", "data": data})


def _hostile_logprobs(token: str, offset: int, k: object) -> dict[str, Any] | None:
    if not isinstance(k, int) or isinstance(k, bool):
        return None
    top = {token: -0.1}
    for m, alt in enumerate(HOSTILE_TEXTS):
        top.setdefault(alt, round(-1.0 - m, 4))
    return {
        "tokens": [token],
        "token_logprobs": [-0.1],
        "top_logprobs": [dict(list(top.items())[: max(1, k)])],
        "text_offset": [offset],
    }


def _hostile(handler: _Handler, spec: _Spec) -> None:
    text, tokens = _hostile_parts(spec)
    mode = spec.params.get("mode", "output")
    if mode == "error":
        handler.send_json(400, _error_body(400, text))
        return
    body = spec.body
    head = {"id": "cmpl-hostile", "object": "text_completion", "model": body.get("model")}
    usage = {"prompt_tokens": HOSTILE_TEXTS[0], "completion_tokens": len(tokens),
             "total_tokens": len(tokens)}  # fmt: skip
    k = body.get("logprobs")
    offsets = [sum(len(t) for t in tokens[:j]) for j in range(len(tokens))]
    lps = [_hostile_logprobs(t, o, k) for t, o in zip(tokens, offsets, strict=True)]
    if not body.get("stream"):
        merged: dict[str, list[Any]] | None = None
        if k is not None:
            merged = {key: [x for lp in lps if lp for x in lp[key]] for key in _LOGPROB_KEYS}
        choice = {"text": "".join(tokens), "index": 0, "logprobs": merged, "finish_reason": text}
        handler.send_json(200, {**head, "choices": [choice], "usage": usage})
        return
    events = []
    for j, (token, lp) in enumerate(zip(tokens, lps, strict=True)):
        last = j == len(tokens) - 1
        reason = text if last and mode == "output" else None
        choice = {"text": token, "index": 0, "logprobs": lp, "finish_reason": reason}
        events.append({**head, "choices": [choice]})
    if mode == "stream-error":
        error = {"message": text, "type": "server_error", "param": None, "code": None}
        events = [*events[:2], {"error": error}]
    elif (body.get("stream_options") or {}).get("include_usage"):
        events.append({**head, "choices": [], "usage": usage})
    handler.start_stream()
    for event in events:
        handler.chunk(b"data: " + json.dumps(event, ensure_ascii=False).encode() + b"\n\n")
    if mode != "stream-error":
        handler.chunk(b"data: [DONE]\n\n")
    handler.end_stream()


SCENARIOS["hostile"] = _hostile
MODEL_LIST_SCENARIOS["hostile"] = _hostile_models
# == hostile text (end) =====================================================================


# == hardening (begin) ======================================================================
# Scenarios of servers and relays that misbehave (tests/test_hardening.py):
#   redirect;status=307|302|301;to=URL   POST and GET answer a redirect to ``to`` (default:
#                                        the same server's normal scenario)
#   redirect-loop                        redirects to itself for ever
#   bad-gzip                             200 with Content-Encoding: gzip and a broken body
#   close-while-sending;status=413       reads 1 KB of the body, (answers) and closes
#   data-null                            "data: null" first (llama-server, list prompt)
#   empty-200 / text-200 / html-200      a 200 answer with no event at all
#   oneapi;kind=quota|model|channel|logprobs   one-api/new-api error bodies and header
#   zero-usage                           every chunk carries usage with all counts 0
#   endless                              tokens until the client goes away
#   echo-secret;header=NAME              a 200 stream whose error object quotes the key
#                                        (and header NAME's value)
#   ignore-echo                          accepts echo but does not send the prompt back
#   echo-headers                         GET /models lists the received headers as ids

GET_SCENARIOS: dict[str, Callable[[_Handler, _Spec, str], bool]] = {}
EARLY_POST_SCENARIOS: dict[str, Callable[[_Handler, _Spec, str], bool]] = {}
ONEAPI_REQUEST_ID = "2026120112000012345678"
_ONEAPI = {
    "quota": (401, "该令牌额度已用尽", "new_api_error", None),
    "model": (403, "该令牌无权使用模型：gpt-4", "one_api_error", None),
    "channel": (
        503,
        "当前分组 default 下对于模型 gpt-4 无可用渠道",
        "new_api_error",
        "model_not_found",
    ),
}


def _redirect_target(handler: _Handler, spec: _Spec, path: str) -> str:
    host, port = handler.server.server_address[:2]
    default = f"http://{host}:{port}{path}"
    return spec.params.get("to", default)


def _redirect(handler: _Handler, spec: _Spec, path: str) -> bool:
    length = int(handler.headers.get("Content-Length") or 0)
    raw = handler.rfile.read(length) if length and handler.command == "POST" else b""
    handler._record(path, spec, spec.name, raw)
    status = int(spec.params.get("status", 307))
    handler.send_response(status)
    handler.send_header("Location", _redirect_target(handler, spec, path))
    handler.send_header("Content-Length", "0")
    handler.end_headers()
    return True


def _redirect_loop(handler: _Handler, spec: _Spec, path: str) -> bool:
    length = int(handler.headers.get("Content-Length") or 0)
    if length and handler.command == "POST":
        handler.rfile.read(length)
    handler.send_response(307)
    handler.send_header("Location", handler.path)
    handler.send_header("Content-Length", "0")
    handler.end_headers()
    return True


def _bad_gzip(handler: _Handler, spec: _Spec, path: str) -> bool:
    length = int(handler.headers.get("Content-Length") or 0)
    if length and handler.command == "POST":
        handler.rfile.read(length)
    data = b"this is not gzip at all" * 10
    handler.send_bytes(200, data, "application/json", {"Content-Encoding": "gzip"})
    return True


def _close_while_sending(handler: _Handler, spec: _Spec, path: str) -> bool:
    handler.rfile.read(1024)
    status = spec.params.get("status")
    if status:
        with contextlib.suppress(OSError):
            handler.send_bytes(int(status), b"Request Entity Too Large", "text/plain",
                               {"Connection": "close"})  # fmt: skip
    handler.close_connection = True
    with contextlib.suppress(OSError):
        # Close with unread data: the kernel answers the client's next bytes with RST.
        handler.connection.shutdown(socket.SHUT_RDWR)
    return True


def _plain_200(handler: _Handler, spec: _Spec) -> None:
    body, ctype = {
        "empty-200": (b"", "text/event-stream"),
        "text-200": (b"upstream is warming up, try later", "text/plain"),
        "html-200": (_HTML.format(title="Login required").encode(), "text/html"),
    }[spec.name]
    handler.send_bytes(200, body, ctype)


def _oneapi(handler: _Handler, spec: _Spec) -> bool | None:
    which = spec.params.get("kind", "quota")
    headers = {"X-Oneapi-Request-Id": ONEAPI_REQUEST_ID}
    if which == "logprobs":
        logprobs = spec.body.get("logprobs")
        if isinstance(logprobs, int) and not isinstance(logprobs, bool):
            message = (
                "json: cannot unmarshal number into Go struct field "
                "GeneralOpenAIRequest.logprobs of type bool"
            )
            error = {"message": f"{message} (request id: {ONEAPI_REQUEST_ID})",
                     "type": "new_api_error", "param": "", "code": "invalid_request"}  # fmt: skip
            handler.send_json(int(spec.params.get("status", 500)), {"error": error}, headers)
            return True
        return False
    status, message, type_, code = _ONEAPI[which]
    error = {"message": f"{message} (request id: {ONEAPI_REQUEST_ID})", "type": type_,
             "param": "", "code": code}  # fmt: skip
    if spec.params.get("no_id_in_message"):
        error["message"] = message
    handler.send_json(status, {"error": error}, headers)
    return True


def _stream_events(handler: _Handler, events: list[bytes], done: bool = True) -> None:
    handler.start_stream()
    for event in events:
        handler.chunk(b"data: " + event + b"\n\n")
    if done:
        handler.chunk(b"data: [DONE]\n\n")
    handler.end_stream()


def _data_null(handler: _Handler, spec: _Spec) -> None:
    answer = _Completion(spec)
    events = [b"null"] + [json.dumps(c, ensure_ascii=False).encode() for c in answer.chunks()]
    _stream_events(handler, events)


def _zero_usage(handler: _Handler, spec: _Spec) -> None:
    answer = _Completion(spec)
    zero = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
    events = [json.dumps({**c, "usage": zero}, ensure_ascii=False).encode()
              for c in answer.chunks()]  # fmt: skip
    if not spec.body.get("stream"):
        handler.send_json(200, {**answer.body(), "usage": zero})
        return
    _stream_events(handler, events)


def _endless(handler: _Handler, spec: _Spec) -> None:
    handler.start_stream()
    piece = spec.params.get("piece", "endless text ")
    choice = {"text": piece, "index": 0, "logprobs": None, "finish_reason": None}
    chunk = {"id": "cmpl-endless", "object": "text_completion", "model": "m", "choices": [choice]}
    frame = b"data: " + json.dumps(chunk).encode() + b"\n\n"
    batch = frame * 64
    deadline = time.monotonic() + HANG_LIMIT
    try:
        while not handler.server.stopping.is_set() and time.monotonic() < deadline:
            handler.chunk(batch)
    except OSError:
        return
    handler.abort()


def _echo_secret(handler: _Handler, spec: _Spec) -> None:
    auth = handler.headers.get("Authorization", "")
    key = auth.partition(" ")[2]
    extra = handler.headers.get(spec.params.get("header", "x-api-key"), "")
    message = f"Incorrect API key provided: {key}; header value {extra} is not valid"
    answer = _Completion(spec)
    first = [json.dumps(c, ensure_ascii=False).encode() for c in answer.chunks()[:2]]
    error = {"error": {"message": message, "type": "invalid_request_error", "param": None,
                       "code": "invalid_api_key"}}  # fmt: skip
    _stream_events(handler, [*first, json.dumps(error).encode()], done=False)


def _ignore_echo(handler: _Handler, spec: _Spec) -> bool:
    spec.body = {k: v for k, v in spec.body.items() if k != "echo"}
    return False


def _echo_headers(handler: _Handler, spec: _Spec, path: str) -> bool:
    ids = [f"{k.lower()}: {v}" for k, v in handler.headers.items()]
    handler.send_json(200, {"object": "list", "data": [{"id": i} for i in ids]})
    return True


for _name in ("redirect",):
    EARLY_POST_SCENARIOS[_name] = _redirect
    GET_SCENARIOS[_name] = _redirect
EARLY_POST_SCENARIOS["redirect-loop"] = GET_SCENARIOS["redirect-loop"] = _redirect_loop
EARLY_POST_SCENARIOS["bad-gzip"] = GET_SCENARIOS["bad-gzip"] = _bad_gzip
EARLY_POST_SCENARIOS["close-while-sending"] = _close_while_sending
GET_SCENARIOS["echo-headers"] = _echo_headers
SCENARIOS.update(
    {
        "empty-200": _plain_200,
        "text-200": _plain_200,
        "html-200": _plain_200,
        "oneapi": _oneapi,
        "data-null": _data_null,
        "zero-usage": _zero_usage,
        "endless": _endless,
        "echo-secret": _echo_secret,
        "ignore-echo": _ignore_echo,
    }
)
# == hardening (end) ========================================================================


# == server kinds (begin) ===================================================================
# Scenario ``kind;as=<kind id>[;tokenizer=STATUS]``: a fake of one real server kind
# (tests/test_server_kinds.py, tests/test_gui_server_kinds.py). Its probe endpoint answers
# as the real server does (sample answers from the servers' sources), every other probe
# path is 404 as on the real servers, GET /v1/models and POST /v1/completions work
# normally, and the kind's tokenizer endpoint counts words (or answers ``tokenizer=500``).
# ``as=openai`` has no probe and no tokenizer (a plain OpenAI-style server).

KIND_LLAMACPP_PROPS = {
    "default_generation_settings": {
        "id": 0,
        "n_ctx": 1024,
        "params": {
            "n_predict": -1,
            "top_k": 40,
            "min_p": 0.05,
            "samplers": ["penalties", "dry", "top_k", "typ_p", "top_p", "min_p", "xtc",
                         "temperature"],
        },
    },
    "total_slots": 1,
    "model_path": "../models/x.gguf",
    "chat_template": "{{ messages }}",
    "modalities": {"vision": False},
    "build_info": "b6000-abcdef0",
    "is_sleeping": False,
}  # fmt: skip
KIND_KOBOLDCPP_VERSION = {
    "result": "KoboldCpp", "version": "1.102", "protected": False, "llm": True,
    "txt2img": False, "vision": False, "audio": False, "transcribe": False,
    "multiplayer": False, "websearch": False, "tts": False, "embeddings": False,
    "savedata": False, "admin": 0, "guidance": False,
}  # fmt: skip
KIND_LMSTUDIO_MODELS = {
    "object": "list",
    "data": [
        {"id": "meta-llama-3.1-8b-instruct", "object": "model", "type": "llm",
         "publisher": "lmstudio-community", "arch": "llama", "compatibility_type": "gguf",
         "quantization": "Q4_K_M", "state": "not-loaded", "max_context_length": 131072},
    ],
}  # fmt: skip
#: FastAPI's own schema as vLLM and text-generation-webui serve it (not llama-cpp-python's).
_FASTAPI_OPENAPI = {"openapi": "3.1.0", "info": {"title": "FastAPI", "version": "0.1.0"},
                    "paths": {}}  # fmt: skip

KIND_LLAMA_CPP_PYTHON_OPENAPI = {
    "openapi": "3.1.0",
    "info": {"title": "🦙 llama.cpp Python API", "version": "0.3.16"},
    "paths": {},
}
KIND_TEXTGEN_INFO = {"model_name": "Qwen3-8B-Q4_K_M.gguf", "lora_names": [], "loader": "llama.cpp"}

#: GET answers by kind: path -> (status, JSON body or text).
KIND_PROBES: dict[str, dict[str, tuple[int, Any]]] = {
    "openai": {},
    "llamacpp": {"/props": (200, KIND_LLAMACPP_PROPS), "/health": (200, {"status": "ok"})},
    "llama-cpp-python": {"/openapi.json": (200, KIND_LLAMA_CPP_PYTHON_OPENAPI)},
    "vllm": {"/version": (200, {"version": "0.11.0"}), "/openapi.json": (200, _FASTAPI_OPENAPI)},
    "ollama": {"/api/version": (200, {"version": "0.12.3"}), "/": (200, "Ollama is running")},
    "koboldcpp": {"/api/extra/version": (200, KIND_KOBOLDCPP_VERSION)},
    "textgen": {
        "/v1/internal/model/info": (200, KIND_TEXTGEN_INFO),
        "/openapi.json": (200, _FASTAPI_OPENAPI),
    },
    "lmstudio": {"/api/v0/models": (200, KIND_LMSTUDIO_MODELS)},
}


def _words(text: str) -> list[str]:
    return text.split()


def _ids(key: str, words: list[str]) -> dict[str, list[int]]:
    """One token id per word."""
    return {key: list(range(len(words)))}


#: POST tokenizer endpoints by kind: path -> (the text's field, the answer for the words).
KIND_TOKENIZERS: dict[str, tuple[str, str, Callable[[list[str]], Any]]] = {
    "llamacpp": ("/tokenize", "content", lambda w: {"tokens": list(range(len(w)))}),
    "llama-cpp-python": ("/extras/tokenize/count", "input", lambda w: {"count": len(w)}),
    "vllm": ("/tokenize", "prompt", lambda w: {"count": len(w), **_ids("tokens", w)}),
    "koboldcpp": ("/api/extra/tokencount", "prompt", lambda w: {"value": len(w), **_ids("ids", w)}),
    "textgen": ("/v1/internal/token-count", "text", lambda w: {"length": len(w)}),
}


def count_words(text: str) -> int:
    """What every fake tokenizer answers for ``text``: its number of words."""
    return len(_words(text))


def _kind_get(handler: _Handler, spec: _Spec, path: str) -> bool:
    answer = KIND_PROBES.get(spec.params.get("as", "openai"), {}).get(path)
    if answer is None:
        return False  # /v1/models as usual; any other path 404
    status, body = answer
    if isinstance(body, str):
        handler.send_bytes(status, body.encode(), "text/plain; charset=utf-8")
    else:
        handler.send_json(status, body)
    return True


def _kind_post(handler: _Handler, spec: _Spec, path: str) -> bool:
    tokenizer = KIND_TOKENIZERS.get(spec.params.get("as", "openai"))
    if tokenizer is None or path != tokenizer[0]:
        return False  # /v1/completions as usual; any other path 404
    length = int(handler.headers.get("Content-Length") or 0)
    raw = handler.rfile.read(length) if length else b""
    handler._record(path, spec, spec.name, raw)
    status = int(spec.params.get("tokenizer", 200))
    if status != 200:
        handler.send_json(status, _error_body(status))
        return True
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    text = body.get(tokenizer[1]) if isinstance(body, dict) else None
    if not isinstance(text, str):
        detail = [{"type": "missing", "loc": ["body", tokenizer[1]], "msg": "Field required"}]
        handler.send_json(422, {"detail": detail})
        return True
    handler.send_json(200, tokenizer[2](_words(text)))
    return True


GET_SCENARIOS["kind"] = _kind_get
EARLY_POST_SCENARIOS["kind"] = _kind_post
SCENARIOS["kind"] = _default
# == server kinds (end) =====================================================================


# == batch (begin) ==========================================================================
# Scenarios for batch runs (tests/test_batch.py, tests/test_batch_cli.py, bench/batch.py):
#   ratelimit-once;retry_after=S;tag=T   the first request for each prompt (per tag) gets
#                                        HTTP 429 with Retry-After S (default 0.1), later
#                                        ones the normal answer
#   fail-if;contains=TEXT;status=500     HTTP ``status`` when the prompt contains TEXT,
#                                        else the normal answer
#   no-usage                             the normal answer without usage (a streamed one
#                                        never sends a usage chunk)

_BATCH_LOCK = threading.Lock()
_RATE_LIMITED: set[tuple[str, str]] = set()


def _ratelimit_once(handler: _Handler, spec: _Spec) -> bool:
    key = (spec.params.get("tag", ""), json.dumps(spec.body.get("prompt"), ensure_ascii=False))
    with _BATCH_LOCK:
        first = key not in _RATE_LIMITED
        _RATE_LIMITED.add(key)
    if not first:
        return False
    headers = {"Retry-After": spec.params.get("retry_after", "0.1")}
    handler.send_json(429, _error_body(429), headers)
    return True


def _fail_if(handler: _Handler, spec: _Spec) -> bool:
    prompt = spec.body.get("prompt")
    text = spec.params.get("contains", "FAIL")
    if not (isinstance(prompt, str) and text in prompt):
        return False
    status = int(spec.params.get("status", 500))
    handler.send_json(status, _error_body(status))
    return True


def _no_usage(handler: _Handler, spec: _Spec) -> bool:
    body = spec.body
    if body.get("stream"):
        spec.body = {k: v for k, v in body.items() if k != "stream_options"}
        return False
    answer = _Completion(spec)
    handler.send_json(200, {k: v for k, v in answer.body().items() if k != "usage"})
    return True


SCENARIOS.update({"ratelimit-once": _ratelimit_once, "fail-if": _fail_if,
                  "no-usage": _no_usage})  # fmt: skip
# == batch (end) ============================================================================


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self.open = 0
        self.proxied = 0
        self.requests: list[RecordedRequest] = []

    def connection_opened(self) -> None:
        with self._lock:
            self.open += 1

    def connection_closed(self) -> None:
        with self._lock:
            self.open -= 1

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # client disconnects are expected; never print tracebacks


class LoopbackServer:
    """Start with :meth:`start` (or ``with``); every request is kept in :attr:`requests`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = _Server((host, port))
        self._thread: threading.Thread | None = None

    def start(self) -> LoopbackServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def base_url(self, scenario: str | None = None, **params: object) -> str:
        if scenario is None and not params:
            return f"{self.url}/v1"
        segment = quote(scenario or "normal", safe="")
        for key, value in params.items():
            segment += f";{quote(str(key), safe='')}={quote(str(value), safe='')}"
        return f"{self.url}/s/{segment}/v1"

    @property
    def requests(self) -> list[RecordedRequest]:
        return self._server.requests

    def last_completion(self) -> RecordedRequest:
        """The last completion request: a window lists models at the same time, so the two
        may arrive in either order."""
        return next(r for r in reversed(self.requests) if r.path.endswith("/completions"))

    def clear(self) -> None:
        with self._server._lock:
            self._server.requests.clear()

    @property
    def open_connections(self) -> int:
        return self._server.open

    @property
    def proxied_requests(self) -> int:
        """Requests that arrived in absolute form, i.e. through this server as a proxy."""
        return self._server.proxied


def main() -> None:
    parser = argparse.ArgumentParser(description="Loopback OpenAI completions test server")
    parser.add_argument("--port", type=int, default=8011, help="0 picks a free port")
    args = parser.parse_args()
    with LoopbackServer(port=args.port) as server:
        print(
            f"Serving on {server.url}/v1 (scenarios: {server.url}/s/<name>/v1); Ctrl+C stops",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
