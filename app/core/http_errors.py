"""Build clear exceptions from what the network and the server did wrong.

:func:`status_error` reads an HTTP error answer in any dialect (OpenAI's ``{"error": {...}}``,
vLLM's ``{"object": "error"}``, FastAPI's ``{"detail": ...}``, an HTML gateway page, plain
text) and :func:`transport_error` maps httpx exceptions to the app's own tree. Messages are
passed through :func:`redact` so a key the server echoes back never reaches the user's log.
"""

from __future__ import annotations

import email.utils
import html
import json
import re
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import httpx

from app.core.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CompletionError,
    GatewayPageError,
    MalformedResponseError,
    NotFoundError,
    PayloadTooLargeError,
    RateLimitError,
    RedirectError,
    ServerError,
    StreamInterruptedError,
)
from app.core.messages import QT_TRANSLATE_NOOP, kind

__all__ = [
    "blamed_param",
    "html_title",
    "request_id",
    "retry_after_seconds",
    "status_error",
    "transport_error",
]

_TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_H1_RE = re.compile(rb"<h1[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")
_MAX_MESSAGE = 300


#: Headers in which relays put the id of a request (one-api/new-api, OpenAI, LiteLLM).
REQUEST_ID_HEADERS = ("x-oneapi-request-id", "x-request-id", "x-litellm-call-id")
_REQUEST_ID_RE = re.compile(r"\(request id: ?([^)\s]+)\)", re.IGNORECASE)
#: Go's encoding/json: "cannot unmarshal number into Go struct field X.logprobs of type bool".
_GO_FIELD_RE = re.compile(r"Go struct field [\w.]*?\.?([A-Za-z_][\w]*) of type", re.IGNORECASE)
#: ``param`` values that name nothing (LiteLLM sends the string "None").
_NO_PARAM = ("", "none", "null", "nil", "undefined")


def request_id(headers: Mapping[str, str], message: str = "") -> str | None:
    """The relay's request id: from its header, else from "(request id: …)" in the text."""
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value and value.strip():
            return value.strip()[:120]
    match = _REQUEST_ID_RE.search(message or "")
    return match.group(1) if match else None


def blamed_param(param: object, message: str, sent: Iterable[str] | None) -> str | None:
    """The request field an error names, if it really is one that was sent.

    ``param`` values such as ``"None"``, ``null`` or ``""`` name nothing, and a name the
    request never had (llama-cpp-python says ``messages`` for a too-long prompt) is not
    the culprit. Go relays (one-api/new-api) name the field in an unmarshal error.
    """
    sent_keys = None if sent is None else set(sent)
    candidates: list[str] = []
    if isinstance(param, str) and param.strip().lower() not in _NO_PARAM:
        text = param.strip()
        candidates += [text.split(".")[0].split("[")[0], text.split(".")[-1]]
    match = _GO_FIELD_RE.search(message or "")
    if match:
        candidates.append(match.group(1))
    for name in candidates:
        if sent_keys is None or name in sent_keys:
            return name
    return None


def html_title(body: bytes) -> str:
    """The ``<title>`` (or first ``<h1>``) of an HTML page, as plain text."""
    for pattern in (_TITLE_RE, _H1_RE):
        match = pattern.search(body)
        if match:
            raw = match.group(1).decode("utf-8", errors="replace")
            text = html.unescape(_TAG_RE.sub("", raw))
            return " ".join(text.split())[:_MAX_MESSAGE]
    return ""


def looks_like_html(body: bytes, content_type: str = "") -> bool:
    head = body.lstrip()[:64].lower()
    return "html" in content_type.lower() or head.startswith((b"<!doctype", b"<html", b"<head"))


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """``Retry-After`` (or ``retry-after-ms``) in seconds: a number or an HTTP date."""
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return float(ms) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, round(when.timestamp() - time.time()))


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= _MAX_MESSAGE else line[: _MAX_MESSAGE - 1] + "…"


def _detail_text(detail: object) -> str:
    if isinstance(detail, list):  # FastAPI validation errors
        parts = []
        for item in detail:
            if isinstance(item, dict):
                loc = ".".join(str(p) for p in item.get("loc", []) if p != "body")
                msg = str(item.get("msg", ""))
                parts.append(f"{loc}: {msg}" if loc else msg)
            else:
                parts.append(str(item))
        return "; ".join(parts)
    return str(detail)


def parse_error_body(body: bytes) -> dict[str, Any]:
    """Pull ``message``/``type``/``code``/``param`` from a JSON error body, if it is one."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(data, dict):
        return {}
    err = data.get("error")
    if isinstance(err, dict):
        source = err
    elif isinstance(err, str):
        source = {"message": err, "type": data.get("type"), "code": data.get("code")}
    else:
        source = data
    message = source.get("message")
    if message is None and "detail" in source:
        message = _detail_text(source["detail"])
    code = source.get("code")
    return {
        "message": str(message) if message is not None else "",
        "type": source.get("type") if isinstance(source.get("type"), str) else None,
        "code": code if isinstance(code, (str, int)) and not isinstance(code, bool) else None,
        "param": source.get("param") if isinstance(source.get("param"), str) else None,
    }


def status_error(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    redact: Callable[[str], str] = str,
    sent: Iterable[str] | None = None,
) -> APIStatusError:
    """The exception for an HTTP error answer, with the server's own message.

    ``redact`` removes secrets from everything taken from the answer; ``sent`` are the
    request's body keys (a ``param`` that is not one of them is not blamed).
    """
    text = body.decode("utf-8", errors="replace")
    if looks_like_html(body, headers.get("content-type", "")):
        title = redact(html_title(body)) or httpx.codes.get_reason_phrase(status)
        return GatewayPageError(status, title, body=redact(text))
    info = parse_error_body(body)
    message = info.get("message") or _one_line(text) or httpx.codes.get_reason_phrase(status)
    kwargs: dict[str, Any] = {
        "error_type": info.get("type"),
        "code": info.get("code"),
        "param": blamed_param(info.get("param"), message, sent),
        "body": redact(text),
        "request_id": redact(request_id(headers, message) or "") or None,
    }
    message = redact(_one_line(message))
    if status == 429:
        return RateLimitError(status, message, retry_after=retry_after_seconds(headers), **kwargs)
    cls: type[APIStatusError]
    if status in (401, 403):
        cls = AuthenticationError
    elif status == 404:
        cls = NotFoundError
    elif status == 413:
        cls = PayloadTooLargeError
    elif status in (400, 409, 422):
        cls = BadRequestError
    elif status >= 500:
        cls = ServerError
    else:
        cls = APIStatusError
    return cls(status, message, **kwargs)


HTML_INSTEAD = kind(
    "response.html",
    QT_TRANSLATE_NOOP(
        "Core",
        "The server answered with an HTML page titled “{title}” instead of {what}; "
        "check the base URL.",
    ),
)
HTML_INSTEAD_NO_TITLE = kind(
    "response.html",
    QT_TRANSLATE_NOOP(
        "Core", "The server answered with an HTML page instead of {what}; check the base URL."
    ),
)
NOT_VALID = kind(
    "response.invalid",
    QT_TRANSLATE_NOOP("Core", "The server's answer is not valid {what}: “{snippet}”."),
)
EMPTY_ANSWER = kind(
    "response.empty", QT_TRANSLATE_NOOP("Core", "The server's answer was empty instead of {what}.")
)
NOT_DECODED = kind(
    "response.undecodable",
    QT_TRANSLATE_NOOP("Core", "The server's answer could not be decoded ({reason})."),
)
WHAT = {
    "json": kind("what.json", QT_TRANSLATE_NOOP("Core", "JSON")),
    "stream": kind("what.stream", QT_TRANSLATE_NOOP("Core", "an event stream")),
    "models": kind("what.models", QT_TRANSLATE_NOOP("Core", "a model list")),
    "completion": kind("what.completion", QT_TRANSLATE_NOOP("Core", "a completion")),
}
REASON = {
    "refused": kind(
        "reason.refused", QT_TRANSLATE_NOOP("Core", "connection refused or unreachable")
    ),
    "proxy": kind("reason.proxy", QT_TRANSLATE_NOOP("Core", "the proxy failed ({detail})")),
    "unsupported": kind(
        "reason.unsupported_url", QT_TRANSLATE_NOOP("Core", "unsupported URL ({detail})")
    ),
    "closed": kind(
        "reason.closed", QT_TRANSLATE_NOOP("Core", "the server closed the connection ({detail})")
    ),
}


def malformed_body(body: bytes, content_type: str, what: str) -> MalformedResponseError:
    """A 200 answer that is not what the API sends (HTML login page, truncated JSON …).

    ``what`` is a key of :data:`WHAT` (``json``, ``stream``, ``models``, ``completion``).
    """
    expected = WHAT[what]()
    if looks_like_html(body, content_type):
        title = html_title(body)
        return MalformedResponseError(
            HTML_INSTEAD(title=title, what=expected)
            if title
            else HTML_INSTEAD_NO_TITLE(what=expected)
        )
    snippet = _one_line(body.decode("utf-8", errors="replace"))[:80]
    return MalformedResponseError(
        NOT_VALID(what=expected, snippet=snippet) if snippet else EMPTY_ANSWER(what=expected)
    )


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", text)
    return text[:1].lower() + text[1:] if text else text


def transport_error(
    exc: httpx.RequestError,
    *,
    url: str,
    connect_timeout: float | None,
    read_timeout: float | None,
    streaming: bool,
) -> CompletionError:
    """Map an httpx request exception to the app's tree.

    ``streaming`` tells whether the response had started arriving: a broken connection
    then means an interrupted stream (partial text kept) rather than a failed connect.
    """
    if isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout)):
        return APITimeoutError(url, "connect", connect_timeout)
    if isinstance(exc, (httpx.ReadTimeout, httpx.WriteTimeout)):
        return APITimeoutError(url, "read", read_timeout)
    if isinstance(exc, httpx.ProxyError):
        return APIConnectionError(url, REASON["proxy"](detail=_reason(exc)))
    if isinstance(exc, httpx.UnsupportedProtocol):
        return APIConnectionError(url, REASON["unsupported"](detail=_reason(exc)))
    if isinstance(exc, httpx.DecodingError):
        return MalformedResponseError(NOT_DECODED(reason=_reason(exc)))
    if isinstance(exc, httpx.TooManyRedirects):
        return RedirectError(url, 0, None)
    if streaming and isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
        return StreamInterruptedError(_reason(exc))
    if isinstance(exc, httpx.RemoteProtocolError):
        return APIConnectionError(url, REASON["closed"](detail=_reason(exc)))
    reason = _reason(exc)
    if reason == "all connection attempts failed":
        return APIConnectionError(url, REASON["refused"]())
    return APIConnectionError(url, reason)
