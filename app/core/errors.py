"""The client's exception tree, each turned into one clear sentence for users.

Modelled on openai-python: a base :class:`CompletionError`, network failures
(:class:`APIConnectionError`, :class:`APITimeoutError`, :class:`StreamInterruptedError`),
HTTP status errors carrying the server's own message (:class:`APIStatusError` and its
subclasses), and protocol errors (:class:`MalformedResponseError`, :class:`StreamError`).
``exit_code`` is what the CLI exits with: 1 for API errors, 3 for network failures.
"""

from __future__ import annotations

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "CompletionError",
    "GatewayPageError",
    "MalformedResponseError",
    "NotFoundError",
    "RateLimitError",
    "ServerError",
    "StreamError",
    "StreamInterruptedError",
]

EXIT_API_ERROR = 1
EXIT_NETWORK_ERROR = 3


class CompletionError(Exception):
    """Base class: something went wrong talking to the server."""

    exit_code = EXIT_API_ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def user_message(self) -> str:
        """One sentence a user can act on."""
        return self.message


class APIConnectionError(CompletionError):
    """The server could not be reached (refused, DNS failure, TLS or proxy problem)."""

    exit_code = EXIT_NETWORK_ERROR

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"Could not connect to {url}: {reason}.")
        self.url = url
        self.reason = reason


class APITimeoutError(CompletionError):
    """No answer within the configured time (``phase`` is ``connect`` or ``read``)."""

    exit_code = EXIT_NETWORK_ERROR

    def __init__(self, url: str, phase: str, seconds: float | None) -> None:
        limit = f" {seconds:g} s" if seconds else ""
        if phase == "connect":
            text = f"Timed out connecting to {url} (connect timeout{limit})."
        else:
            text = f"The server at {url} sent nothing for{limit or ' too long'} (read timeout)."
        super().__init__(text)
        self.url = url
        self.phase = phase
        self.seconds = seconds


class StreamInterruptedError(CompletionError):
    """The connection broke while the response was arriving; partial text is kept."""

    exit_code = EXIT_NETWORK_ERROR

    def __init__(self, reason: str) -> None:
        super().__init__(f"The connection closed before the response was complete ({reason}).")
        self.reason = reason


class APIStatusError(CompletionError):
    """The server answered with an HTTP error status; ``message`` is the server's own text."""

    def __init__(
        self,
        status_code: int,
        message: str,
        *,
        error_type: str | None = None,
        code: str | int | None = None,
        param: str | None = None,
        body: str = "",
    ) -> None:
        self.status_code = status_code
        self.server_message = message
        self.error_type = error_type
        self.code = code
        self.param = param
        self.body = body
        super().__init__(self._sentence())

    def _label(self) -> str:
        return "The server rejected the request"

    def _sentence(self) -> str:
        detail = self.server_message.strip().rstrip(".") if self.server_message else ""
        text = f"{self._label()} (HTTP {self.status_code})"
        return f"{text}: {detail}." if detail else f"{text}."


class BadRequestError(APIStatusError):
    def _label(self) -> str:
        return f"The server rejected parameter '{self.param}'" if self.param else super()._label()


class AuthenticationError(APIStatusError):
    def _label(self) -> str:
        return "Authentication failed; check the API key"


class NotFoundError(APIStatusError):
    def _label(self) -> str:
        return "Not found; check the base URL and the model name"


class RateLimitError(APIStatusError):
    """HTTP 429; ``retry_after`` is in seconds when the server said."""

    def __init__(self, *args: object, retry_after: float | None = None, **kwargs: object) -> None:
        self.retry_after = retry_after
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def _label(self) -> str:
        return "Rate limited by the server"

    def _sentence(self) -> str:
        text = super()._sentence()
        if self.retry_after is not None:
            text = f"{text[:-1]}; retry after {self.retry_after:g} s."
        return text


class ServerError(APIStatusError):
    def _label(self) -> str:
        return "The server had an error"


class GatewayPageError(APIStatusError):
    """An HTML error page (proxy, gateway, CDN) instead of an API answer, summarised by title."""

    def __init__(self, status_code: int, title: str, body: str = "") -> None:
        self.title = title
        super().__init__(status_code, title, body=body)

    def _sentence(self) -> str:
        title = f": {self.title}" if self.title else ""
        return (
            f"The server or a proxy in front of it returned an HTML error page "
            f"(HTTP {self.status_code}{title})."
        )


class MalformedResponseError(CompletionError):
    """The server's answer is not what the completions API sends."""


class StreamError(CompletionError):
    """The server reported an error inside a 200 event stream."""

    def __init__(self, message: str, *, error_type: str | None = None, code: object = None) -> None:
        self.server_message = message
        self.error_type = error_type
        self.code = code
        detail = message.strip().rstrip(".") or "no details given"
        super().__init__(f"The server reported an error during streaming: {detail}.")
