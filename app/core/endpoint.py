"""Where requests go: the base-URL normaliser and the :class:`Endpoint` value object.

Users paste base URLs in every shape (``https://host``, ``https://host/v1``,
``https://host/v1/``, even ``https://host/v1/completions``); :func:`normalise_base_url`
turns all of them into one canonical ``.../v1`` form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from app.core.messages import QT_TRANSLATE_NOOP, kind
from app.core.redaction import Redactor

__all__ = ["DEFAULT_CONNECT_TIMEOUT", "DEFAULT_READ_TIMEOUT", "Endpoint", "normalise_base_url"]

DEFAULT_CONNECT_TIMEOUT = 10.0
#: Local models can take a long time before the first token (model load, long prompt).
DEFAULT_READ_TIMEOUT = 300.0

_ENDPOINT_SUFFIXES = ("/chat/completions", "/completions", "/models", "/engines")
_VERSION_RE = re.compile(r"/v\d+(beta|alpha)?\d*$")
_LOCAL_HOSTS = ("localhost", "127.", "0.0.0.0", "[::1]", "::1")


class InvalidBaseURL(ValueError):
    """The base URL cannot be used (empty, no host, credentials, or an unsupported scheme)."""


BASE_URL_HAS_CREDENTIALS = kind(
    "base_url.credentials",
    QT_TRANSLATE_NOOP(
        "Core",
        "The base URL contains a user name or password; put the key in the API key field "
        "(stored in the system keyring) and remove it from the URL.",
    ),
)


def normalise_base_url(url: str) -> str:
    """Return the canonical API base (``scheme://host[:port]/path/v1``) for a pasted URL.

    >>> normalise_base_url("https://api.example.com/v1/completions")
    'https://api.example.com/v1'
    >>> normalise_base_url("localhost:8080")
    'http://localhost:8080/v1'
    """
    text = url.strip()
    if not text:
        raise InvalidBaseURL("The base URL is empty.")
    if "://" not in text:
        scheme = "http" if text.startswith(_LOCAL_HOSTS) else "https"
        text = f"{scheme}://{text}"
    parts = urlsplit(text)
    if "@" in parts.netloc:
        # Never echo the URL: it holds a password.
        raise InvalidBaseURL(str(BASE_URL_HAS_CREDENTIALS()))
    if parts.scheme not in ("http", "https"):
        raise InvalidBaseURL(f"Unsupported URL scheme {parts.scheme!r}: use http or https.")
    if not parts.hostname:
        raise InvalidBaseURL(f"The base URL {url.strip()!r} has no host name.")
    path = parts.path.rstrip("/")
    changed = True
    while changed:
        changed = False
        for suffix in _ENDPOINT_SUFFIXES:
            if path.endswith(suffix):
                path = path[: -len(suffix)].rstrip("/")
                changed = True
    if not _VERSION_RE.search(path):
        path = f"{path}/v1"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


@dataclass(frozen=True)
class Endpoint:
    """A server to talk to: base URL, optional key and headers, and timeouts.

    The key and the extra headers (which may hold a key, e.g. ``X-Api-Key``) are excluded
    from ``repr`` so they never reach logs or tracebacks.
    """

    base_url: str
    api_key: str | None = field(default=None, repr=False)
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", normalise_base_url(self.base_url))

    @property
    def completions_url(self) -> str:
        return f"{self.base_url}/completions"

    @property
    def models_url(self) -> str:
        return f"{self.base_url}/models"

    def request_headers(self) -> dict[str, str]:
        """Headers for every request: extra headers, then ``Authorization`` if a key is set."""
        headers = dict(self.headers)
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        return headers

    @property
    def redactor(self) -> Redactor:
        """Scrubs this endpoint's key and secret header values from any text."""
        return Redactor.for_headers(self.api_key, self.headers)

    def wire_headers(self) -> dict[str, str | bytes]:
        """:meth:`request_headers` ready for the wire: non-ASCII values as UTF-8 bytes.

        httpx encodes text header values as ASCII and would fail on ``X-Team: 研发``;
        curl sends such values as UTF-8, and so do we.
        """
        return {k: v if v.isascii() else v.encode() for k, v in self.request_headers().items()}
