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
from collections.abc import Mapping
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
    RateLimitError,
    ServerError,
    StreamInterruptedError,
)

__all__ = ["html_title", "redact", "retry_after_seconds", "status_error", "transport_error"]

_TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_H1_RE = re.compile(rb"<h1[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")
_MAX_MESSAGE = 300


def redact(text: str, secret: str | None) -> str:
    """Remove ``secret`` (the API key) from ``text``."""
    if secret and len(secret) >= 4 and secret in text:
        return text.replace(secret, "***")
    return text


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
    return {
        "message": str(message) if message is not None else "",
        "type": source.get("type") if isinstance(source.get("type"), str) else None,
        "code": source.get("code"),
        "param": source.get("param") if isinstance(source.get("param"), str) else None,
    }


def status_error(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    secret: str | None = None,
) -> APIStatusError:
    """The exception for an HTTP error answer, with the server's own message."""
    text = body.decode("utf-8", errors="replace")
    if looks_like_html(body, headers.get("content-type", "")):
        title = redact(html_title(body), secret) or httpx.codes.get_reason_phrase(status)
        return GatewayPageError(status, title, body=redact(text, secret))
    info = parse_error_body(body)
    message = info.get("message") or _one_line(text) or httpx.codes.get_reason_phrase(status)
    kwargs: dict[str, Any] = {
        "error_type": info.get("type"),
        "code": info.get("code"),
        "param": info.get("param"),
        "body": redact(text, secret),
    }
    message = redact(_one_line(message), secret)
    if status == 429:
        return RateLimitError(status, message, retry_after=retry_after_seconds(headers), **kwargs)
    cls: type[APIStatusError]
    if status in (401, 403):
        cls = AuthenticationError
    elif status == 404:
        cls = NotFoundError
    elif status in (400, 409, 413, 422):
        cls = BadRequestError
    elif status >= 500:
        cls = ServerError
    else:
        cls = APIStatusError
    return cls(status, message, **kwargs)


def malformed_body(body: bytes, content_type: str, what: str) -> MalformedResponseError:
    """A 200 answer that is not what the API sends (HTML login page, truncated JSON …)."""
    if looks_like_html(body, content_type):
        title = html_title(body)
        suffix = f" titled {title!r}" if title else ""
        return MalformedResponseError(
            f"The server answered with an HTML page{suffix} instead of {what}; check the base URL."
        )
    snippet = _one_line(body.decode("utf-8", errors="replace"))[:80]
    return MalformedResponseError(
        f"The server's answer is not valid {what}: {snippet!r}."
        if snippet
        else f"The server's answer was empty instead of {what}."
    )


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", text)
    text = re.sub(r"^All connection attempts failed$", "connection refused or unreachable", text)
    return text[:1].lower() + text[1:] if text else text


def transport_error(
    exc: httpx.TransportError,
    *,
    url: str,
    connect_timeout: float | None,
    read_timeout: float | None,
    streaming: bool,
) -> CompletionError:
    """Map an httpx transport exception to the app's tree.

    ``streaming`` tells whether the response had started arriving: a broken connection
    then means an interrupted stream (partial text kept) rather than a failed connect.
    """
    if isinstance(exc, httpx.ConnectTimeout):
        return APITimeoutError(url, "connect", connect_timeout)
    if isinstance(exc, httpx.PoolTimeout):
        return APITimeoutError(url, "connect", connect_timeout)
    if isinstance(exc, (httpx.ReadTimeout, httpx.WriteTimeout)):
        return APITimeoutError(url, "read", read_timeout)
    if isinstance(exc, httpx.ProxyError):
        return APIConnectionError(url, f"the proxy failed ({_reason(exc)})")
    if isinstance(exc, httpx.UnsupportedProtocol):
        return APIConnectionError(url, f"unsupported URL ({_reason(exc)})")
    if streaming and isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
        return StreamInterruptedError(_reason(exc))
    if isinstance(exc, httpx.RemoteProtocolError):
        return APIConnectionError(url, f"the server closed the connection ({_reason(exc)})")
    if isinstance(exc, httpx.DecodingError):
        return MalformedResponseError(f"The server's answer could not be decoded: {exc}.")
    return APIConnectionError(url, _reason(exc))
