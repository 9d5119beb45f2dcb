"""Errors from the core, in the UI's language.

The core's exceptions (:mod:`app.core.errors`) carry their facts (URL, status, the
server's own message, seconds); this module words them with ``tr()`` so a Chinese UI says
them in Chinese. The server's own message and low-level reasons (``Connection refused``)
are quoted as they came. Errors without a translation here fall back to the core's
English sentence.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.core.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CompletionError,
    GatewayPageError,
    NotFoundError,
    RateLimitError,
    ServerError,
    StreamError,
    StreamInterruptedError,
)

__all__ = ["describe"]


def _label(error: APIStatusError) -> str:
    if isinstance(error, BadRequestError) and error.param:
        return QCoreApplication.translate(
            "ErrorText", "The server rejected parameter '{0}'"
        ).format(error.param)
    if isinstance(error, AuthenticationError):
        return QCoreApplication.translate("ErrorText", "Authentication failed; check the API key")
    if isinstance(error, NotFoundError):
        return QCoreApplication.translate(
            "ErrorText", "Not found; check the base URL and the model name"
        )
    if isinstance(error, RateLimitError):
        return QCoreApplication.translate("ErrorText", "Rate limited by the server")
    if isinstance(error, ServerError):
        return QCoreApplication.translate("ErrorText", "The server had an error")
    return QCoreApplication.translate("ErrorText", "The server rejected the request")


def _status(error: APIStatusError) -> str:
    if isinstance(error, GatewayPageError):
        if error.title:
            return QCoreApplication.translate(
                "ErrorText",
                "The server or a proxy in front of it returned an HTML error page (HTTP {0}: {1}).",
            ).format(error.status_code, error.title)
        return QCoreApplication.translate(
            "ErrorText",
            "The server or a proxy in front of it returned an HTML error page (HTTP {0}).",
        ).format(error.status_code)
    detail = error.server_message.strip().rstrip(".") if error.server_message else ""
    if detail:
        text = QCoreApplication.translate("ErrorText", "{0} (HTTP {1}): {2}.").format(
            _label(error), error.status_code, detail
        )
    else:
        text = QCoreApplication.translate("ErrorText", "{0} (HTTP {1}).").format(
            _label(error), error.status_code
        )
    if isinstance(error, RateLimitError) and error.retry_after is not None:
        text = QCoreApplication.translate("ErrorText", "{0}; retry after {1:g} s.").format(
            text[:-1], error.retry_after
        )
    return text


def describe(error: CompletionError) -> str:
    """One sentence a user can act on, in the UI's language."""
    if isinstance(error, APIStatusError):
        return _status(error)
    if isinstance(error, APIConnectionError):
        return QCoreApplication.translate("ErrorText", "Could not connect to {0}: {1}.").format(
            error.url, error.reason
        )
    if isinstance(error, APITimeoutError):
        if error.phase == "connect":
            if error.seconds:
                return QCoreApplication.translate(
                    "ErrorText", "Timed out connecting to {0} (connect timeout {1:g} s)."
                ).format(error.url, error.seconds)
            return QCoreApplication.translate(
                "ErrorText", "Timed out connecting to {0} (connect timeout)."
            ).format(error.url)
        if error.seconds:
            return QCoreApplication.translate(
                "ErrorText", "The server at {0} sent nothing for {1:g} s (read timeout)."
            ).format(error.url, error.seconds)
        return QCoreApplication.translate(
            "ErrorText", "The server at {0} sent nothing for too long (read timeout)."
        ).format(error.url)
    if isinstance(error, StreamInterruptedError):
        return QCoreApplication.translate(
            "ErrorText", "The connection closed before the response was complete ({0})."
        ).format(error.reason)
    if isinstance(error, StreamError):
        detail = error.server_message.strip().rstrip(".") or QCoreApplication.translate(
            "ErrorText", "no details given"
        )
        return QCoreApplication.translate(
            "ErrorText", "The server reported an error during streaming: {0}."
        ).format(detail)
    return error.user_message()
