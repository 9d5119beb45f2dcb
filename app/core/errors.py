"""The client's exception tree; each error carries what happened as a :class:`Message`.

Modelled on openai-python: a base :class:`CompletionError`, network failures
(:class:`APIConnectionError`, :class:`APITimeoutError`, :class:`StreamInterruptedError`),
HTTP status errors carrying the server's own message (:class:`APIStatusError` and its
subclasses), and protocol errors (:class:`MalformedResponseError`, :class:`StreamError`).

Every error has ``msg``: a :class:`app.core.messages.Message` (a code, an English template,
the values). ``str(error)`` and :meth:`CompletionError.user_message` are the English
sentence (the CLI prints it); the window words ``msg`` in its own language. The server's
own words are a value, quoted as they came. ``exit_code`` is what the CLI exits with:
1 for API errors, 3 for network failures and broken streams.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.core.messages import QT_TRANSLATE_NOOP, Message, kind

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "CompletionError",
    "GatewayPageError",
    "IncompleteStreamError",
    "MalformedResponseError",
    "NotFoundError",
    "OutputLimitError",
    "PayloadTooLargeError",
    "RateLimitError",
    "RedirectError",
    "RequestNotSentError",
    "ServerError",
    "StreamError",
    "StreamInterruptedError",
    "UnexpectedError",
]

EXIT_API_ERROR = 1
EXIT_NETWORK_ERROR = 3

CONNECT_FAILED = kind(
    "net.connect", QT_TRANSLATE_NOOP("Core", "Could not connect to {url}: {reason}.")
)
CONNECT_TIMEOUT = kind(
    "net.connect_timeout",
    QT_TRANSLATE_NOOP("Core", "Timed out connecting to {url} (connect timeout {seconds:g} s)."),
)
CONNECT_TIMEOUT_NO_LIMIT = kind(
    "net.connect_timeout",
    QT_TRANSLATE_NOOP("Core", "Timed out connecting to {url} (connect timeout)."),
)
READ_TIMEOUT = kind(
    "net.read_timeout",
    QT_TRANSLATE_NOOP("Core", "The server at {url} sent nothing for {seconds:g} s (read timeout)."),
)
READ_TIMEOUT_NO_LIMIT = kind(
    "net.read_timeout",
    QT_TRANSLATE_NOOP("Core", "The server at {url} sent nothing for too long (read timeout)."),
)
STREAM_INTERRUPTED = kind(
    "net.interrupted",
    QT_TRANSLATE_NOOP("Core", "The connection closed before the response was complete ({reason})."),
)
STREAM_INCOMPLETE = kind(
    "stream.incomplete",
    QT_TRANSLATE_NOOP(
        "Core",
        "The stream ended without [DONE] and without a finish reason: the output is "
        "probably incomplete.",
    ),
)
NOT_SENT_CLOSED = kind(
    "net.closed_while_sending",
    QT_TRANSLATE_NOOP(
        "Core",
        "The server closed the connection while the request was being sent (the prompt may "
        "be too large).",
    ),
)
NOT_SENT_CLOSED_STATUS = kind(
    "net.closed_while_sending",
    QT_TRANSLATE_NOOP(
        "Core",
        "The server answered HTTP {status} and closed the connection while the request was "
        "being sent (the prompt may be too large).",
    ),
)
REDIRECTED = kind(
    "http.redirect",
    QT_TRANSLATE_NOOP(
        "Core",
        "The server redirected the request to {location} (HTTP {status}); it was not followed, "
        "so neither the key nor the prompt went there. If that is the server's new address, "
        "update the profile's base URL.",
    ),
)
TOO_MANY_REDIRECTS = kind(
    "http.too_many_redirects",
    QT_TRANSLATE_NOOP("Core", "The server at {url} redirected too many times."),
)
STATUS_LABEL = {
    "rejected": kind("http.rejected", QT_TRANSLATE_NOOP("Core", "The server rejected the request")),
    "param": kind(
        "http.rejected_param", QT_TRANSLATE_NOOP("Core", "The server rejected parameter '{param}'")
    ),
    "auth": kind(
        "http.auth", QT_TRANSLATE_NOOP("Core", "Authentication failed; check the API key")
    ),
    "not_found": kind(
        "http.not_found",
        QT_TRANSLATE_NOOP("Core", "Not found; check the base URL and the model name"),
    ),
    "rate": kind("http.rate_limited", QT_TRANSLATE_NOOP("Core", "Rate limited by the server")),
    "too_large": kind(
        "http.too_large",
        QT_TRANSLATE_NOOP("Core", "The server refused the request as too large (a long prompt?)"),
    ),
    "server": kind("http.server_error", QT_TRANSLATE_NOOP("Core", "The server had an error")),
}
STATUS_WITH_DETAIL = kind(
    "http.status", QT_TRANSLATE_NOOP("Core", "{label} (HTTP {status}): {detail}.")
)
STATUS_NO_DETAIL = kind("http.status", QT_TRANSLATE_NOOP("Core", "{label} (HTTP {status})."))
RETRY_AFTER = kind(
    "http.retry_after", QT_TRANSLATE_NOOP("Core", "{text} Retry after {seconds:g} s.")
)
REQUEST_ID = kind("http.request_id", QT_TRANSLATE_NOOP("Core", "{text} Request id: {request_id}."))
GATEWAY_PAGE = kind(
    "http.html_page",
    QT_TRANSLATE_NOOP(
        "Core",
        "The server or a proxy in front of it returned an HTML error page "
        "(HTTP {status}: {title}).",
    ),
)
GATEWAY_PAGE_NO_TITLE = kind(
    "http.html_page",
    QT_TRANSLATE_NOOP(
        "Core", "The server or a proxy in front of it returned an HTML error page (HTTP {status})."
    ),
)
STREAM_ERROR = kind(
    "stream.error",
    QT_TRANSLATE_NOOP("Core", "The server reported an error during streaming: {detail}."),
)
NO_DETAILS = kind("stream.no_details", QT_TRANSLATE_NOOP("Core", "no details given"))
OUTPUT_LIMIT = kind(
    "run.output_limit",
    QT_TRANSLATE_NOOP(
        "Core",
        "Stopped: output limit reached ({limit} characters). The text received so far is kept.",
    ),
)
UNEXPECTED = kind("run.unexpected", QT_TRANSLATE_NOOP("Core", "Unexpected error: {detail}."))


class CompletionError(Exception):
    """Base class: something went wrong talking to the server."""

    exit_code = EXIT_API_ERROR

    def __init__(self, message: Message | str) -> None:
        self.msg = message if isinstance(message, Message) else Message("error", message)
        super().__init__(str(self.msg))

    @property
    def message(self) -> str:
        """The English sentence (the CLI's wording)."""
        return str(self.msg)

    def user_message(self) -> str:
        """One sentence a user can act on (English; the window words :attr:`msg`)."""
        return str(self.msg)

    def redacted(self, redact: Callable[[str], str]) -> CompletionError:
        """This error with every secret removed from the server's words (in place)."""
        self.msg = self.msg.map_text(redact)
        self.args = (str(self.msg),)
        for name in ("server_message", "body", "title", "reason"):
            value = getattr(self, name, None)
            if isinstance(value, str):
                setattr(self, name, redact(value))
        return self


class UnexpectedError(CompletionError):
    """A bug or an exception nobody foresaw; still one sentence, never a traceback."""

    def __init__(self, exc: BaseException) -> None:
        super().__init__(UNEXPECTED(detail=f"{type(exc).__name__}: {exc}"))


class APIConnectionError(CompletionError):
    """The server could not be reached (refused, DNS failure, TLS or proxy problem)."""

    exit_code = EXIT_NETWORK_ERROR

    def __init__(self, url: str, reason: Message | str) -> None:
        self.url = url
        self.reason = reason if isinstance(reason, str) else str(reason)
        super().__init__(CONNECT_FAILED(url=url, reason=reason))


class RequestNotSentError(APIConnectionError):
    """The server closed the connection while the request body was still going out."""

    def __init__(self, url: str, status: int | None = None) -> None:
        self.url = url
        self.status = status
        self.reason = "closed while sending"
        message = NOT_SENT_CLOSED_STATUS(status=status) if status is not None else NOT_SENT_CLOSED()
        CompletionError.__init__(self, message)


class RedirectError(CompletionError):
    """The server answered with a redirect; it is reported, not followed."""

    def __init__(self, url: str, status: int, location: str | None) -> None:
        self.url = url
        self.status_code = status
        self.location = location
        if location:
            super().__init__(REDIRECTED(location=location, status=status))
        else:
            super().__init__(TOO_MANY_REDIRECTS(url=url))


class APITimeoutError(CompletionError):
    """No answer within the configured time (``phase`` is ``connect`` or ``read``)."""

    exit_code = EXIT_NETWORK_ERROR

    def __init__(self, url: str, phase: str, seconds: float | None) -> None:
        self.url = url
        self.phase = phase
        self.seconds = seconds
        if phase == "connect":
            message = (
                CONNECT_TIMEOUT(url=url, seconds=seconds)
                if seconds
                else CONNECT_TIMEOUT_NO_LIMIT(url=url)
            )
        else:
            message = (
                READ_TIMEOUT(url=url, seconds=seconds)
                if seconds
                else READ_TIMEOUT_NO_LIMIT(url=url)
            )
        super().__init__(message)


class StreamInterruptedError(CompletionError):
    """The connection broke while the response was arriving; partial text is kept."""

    exit_code = EXIT_NETWORK_ERROR

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(STREAM_INTERRUPTED(reason=reason))


class IncompleteStreamError(StreamInterruptedError):
    """The stream ended with no ``[DONE]`` and no finish reason: a broken stream."""

    def __init__(self) -> None:
        self.reason = "no [DONE]"
        CompletionError.__init__(self, STREAM_INCOMPLETE())


class OutputLimitError(CompletionError):
    """The run was stopped at the output limit (a setting / ``--max-output``)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(OUTPUT_LIMIT(limit=limit))


def _detail(text: str) -> str:
    return text.strip().rstrip(".") if text else ""


class APIStatusError(CompletionError):
    """The server answered with an HTTP error status; ``server_message`` is its own text."""

    label = "rejected"

    def __init__(
        self,
        status_code: int,
        message: str,
        *,
        error_type: str | None = None,
        code: str | int | None = None,
        param: str | None = None,
        body: str = "",
        request_id: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.server_message = message
        self.error_type = error_type
        self.code = code
        self.param = param
        self.body = body
        self.request_id = request_id
        super().__init__(self._build())

    def _label(self) -> Message:
        return STATUS_LABEL[self.label]()

    def _build(self) -> Message:
        detail = _detail(self.server_message)
        label = self._label()
        text = (
            STATUS_WITH_DETAIL(label=label, status=self.status_code, detail=detail)
            if detail
            else STATUS_NO_DETAIL(label=label, status=self.status_code)
        )
        return _with_request_id(text, self.request_id, self.server_message)


def _with_request_id(text: Message, request_id: str | None, server_message: str) -> Message:
    if request_id and request_id not in (server_message or ""):
        return REQUEST_ID(text=text, request_id=request_id)
    return text


class BadRequestError(APIStatusError):
    def _label(self) -> Message:
        if self.param:
            return STATUS_LABEL["param"](param=self.param)
        return super()._label()


class PayloadTooLargeError(BadRequestError):
    """HTTP 413: the request body (usually the prompt) is larger than the server takes."""

    label = "too_large"

    def _label(self) -> Message:
        return STATUS_LABEL[self.label]()


class AuthenticationError(APIStatusError):
    label = "auth"


class NotFoundError(APIStatusError):
    label = "not_found"


class RateLimitError(APIStatusError):
    """HTTP 429; ``retry_after`` is in seconds when the server said."""

    label = "rate"

    def __init__(self, *args: Any, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(*args, **kwargs)

    def _build(self) -> Message:
        text = super()._build()
        if self.retry_after is not None:
            text = RETRY_AFTER(text=text, seconds=self.retry_after)
        return text


class ServerError(APIStatusError):
    label = "server"

    def _label(self) -> Message:
        # Go relays answer some unmarshal errors with 500; the field is still the culprit.
        if self.param:
            return STATUS_LABEL["param"](param=self.param)
        return super()._label()


class GatewayPageError(APIStatusError):
    """An HTML error page (proxy, gateway, CDN) instead of an API answer, summarised by title."""

    def __init__(self, status_code: int, title: str, body: str = "") -> None:
        self.title = title
        super().__init__(status_code, title, body=body)

    def _build(self) -> Message:
        if self.title:
            return GATEWAY_PAGE(status=self.status_code, title=self.title)
        return GATEWAY_PAGE_NO_TITLE(status=self.status_code)


class MalformedResponseError(CompletionError):
    """The server's answer is not what the completions API sends."""


class StreamError(CompletionError):
    """The server reported an error inside a 200 answer (streamed or not)."""

    def __init__(
        self,
        message: str,
        *,
        error_type: str | None = None,
        code: object = None,
        param: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.server_message = message
        self.error_type = error_type
        self.code = code
        self.param = param
        self.request_id = request_id
        super().__init__(self._build())

    def _build(self) -> Message:
        detail: Message | str = _detail(self.server_message) or NO_DETAILS()
        return _with_request_id(STREAM_ERROR(detail=detail), self.request_id, self.server_message)

    def attach_request_id(self, request_id: str | None) -> StreamError:
        """Add the id from the answer's headers when the message carried none."""
        if request_id and not self.request_id:
            self.request_id = request_id
            self.msg = self._build()
            self.args = (str(self.msg),)
        return self
