"""What went over the wire for one run: the exact request and the raw response bytes.

The wire inspector shows it to people debugging relays: the request JSON as sent, the
response status and headers, and the raw SSE event log with comments and ``[DONE]``.
Secrets never get in: the ``Authorization`` header and anything carrying the key are
masked when recorded, and the key is also scrubbed from the response text.

Recording costs one ``bytearray.extend`` per network read; the raw log is capped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from app.core.redaction import MASK, Redactor, is_secret_header

__all__ = ["MAX_RAW_BYTES", "WireLog", "mask_headers", "split_events"]

MAX_RAW_BYTES = 2 * 1024 * 1024
_MASK = MASK


def mask_headers(headers: dict[str, str], secret: str | Redactor | None = None) -> dict[str, str]:
    """Headers with secret values masked (by name, and wherever a known secret appears)."""
    redact = secret if isinstance(secret, Redactor) else Redactor([secret])
    out: dict[str, str] = {}
    for name, value in headers.items():
        if is_secret_header(name):
            scheme = value.split(" ", 1)[0] if " " in value else ""
            out[name] = f"{scheme} {_MASK}".strip()
        else:
            out[name] = redact(value)
    return out


@dataclass
class WireLog:
    """One exchange, as recorded by :class:`app.core.client.CompletionClient`."""

    method: str = ""
    url: str = ""
    request_headers: dict[str, str] = field(default_factory=dict)
    request_body: bytes = b""
    status: int | None = None
    http_version: str = ""
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    raw: bytearray = field(default_factory=bytearray)
    truncated: bool = False
    redactor: Redactor = field(default_factory=Redactor, repr=False, compare=False)

    def record_request(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes,
        secret: str | Redactor | None,
    ) -> None:
        self.method = method
        self.url = url
        self.redactor = secret if isinstance(secret, Redactor) else Redactor([secret])
        self.request_headers = mask_headers(headers, self.redactor)
        self.request_body = body

    def record_response(
        self, status: int, http_version: str, headers: list[tuple[str, str]]
    ) -> None:
        self.status = status
        self.http_version = http_version
        masked = mask_headers(dict(headers), self.redactor)
        self.response_headers = [(k, masked.get(k, v)) for k, v in headers]

    def add(self, chunk: bytes) -> None:
        """Append bytes as they arrive (up to :data:`MAX_RAW_BYTES`)."""
        room = MAX_RAW_BYTES - len(self.raw)
        if room <= 0:
            self.truncated = True
            return
        if len(chunk) > room:
            self.truncated = True
            chunk = chunk[:room]
        self.raw += chunk

    @property
    def request_json(self) -> str:
        """The request body pretty-printed (or as text if it is not JSON)."""
        text = self.request_body.decode("utf-8", "replace")
        try:
            return json.dumps(json.loads(text), ensure_ascii=False, indent=2)
        except ValueError:
            return text

    @property
    def response_text(self) -> str:
        return self.redactor(bytes(self.raw).decode("utf-8", "replace"))

    def events(self) -> list[str]:
        """The raw response split into SSE events (blank-line separated), as received."""
        return split_events(self.response_text)

    def to_json(self, limit: int = MAX_RAW_BYTES) -> dict[str, Any]:
        """JSON form; the raw response is cut to ``limit`` characters (history keeps less)."""
        raw = self.response_text
        return {
            "method": self.method,
            "url": self.url,
            "request_headers": self.request_headers,
            "request_body": self.redactor(self.request_body.decode("utf-8", "replace")),
            "status": self.status,
            "http_version": self.http_version,
            "response_headers": [list(pair) for pair in self.response_headers],
            "raw": raw[:limit],
            "truncated": self.truncated or len(raw) > limit,
        }

    @classmethod
    def from_json(cls, data: Any) -> WireLog | None:
        if not isinstance(data, dict):
            return None
        log = cls(
            method=str(data.get("method", "")),
            url=str(data.get("url", "")),
            request_headers={
                str(k): str(v) for k, v in (data.get("request_headers") or {}).items()
            },
            request_body=str(data.get("request_body", "")).encode(),
            status=data.get("status") if isinstance(data.get("status"), int) else None,
            http_version=str(data.get("http_version", "")),
            response_headers=[
                (str(p[0]), str(p[1]))
                for p in data.get("response_headers") or []
                if isinstance(p, list) and len(p) == 2
            ],
            truncated=bool(data.get("truncated")),
        )
        log.raw = bytearray(str(data.get("raw", "")).encode())
        return log


def split_events(text: str) -> list[str]:
    """Split an SSE body into its events (any line ending), keeping comments and [DONE]."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [block for block in text.split("\n\n") if block.strip()]
