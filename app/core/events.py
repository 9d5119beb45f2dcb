"""Events the client yields while a response arrives (streamed or not).

The flow is one-way: request → client → events → a front end (GUI, CLI, history). Each
front end folds the events into a :class:`app.core.result.CompletionResult` with a
:class:`app.core.result.ResultBuilder` and shows them as it likes.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from app.core.logprobs import TokenLogprob
from app.core.messages import Message

__all__ = ["ChoiceDelta", "Event", "ResponseMeta", "StreamDone", "StreamWarning", "UsageReport"]


class ResponseMeta(NamedTuple):
    """Identity of the response, from the first chunk that carries it."""

    id: str | None
    model: str | None
    created: int | None
    system_fingerprint: str | None = None


class ChoiceDelta(NamedTuple):
    """New text (and its tokens' logprobs) for one choice; ``finish_reason`` when it ends."""

    index: int
    text: str
    tokens: tuple[TokenLogprob, ...] = ()
    finish_reason: str | None = None


class UsageReport(NamedTuple):
    """Token usage, as sent by the server (final chunk or non-stream body)."""

    usage: dict[str, Any]


class StreamDone(NamedTuple):
    """The server sent ``data: [DONE]``."""


class StreamWarning(NamedTuple):
    """Something odd that was tolerated (e.g. an event that was not JSON and was skipped)."""

    message: Message


Event = ResponseMeta | ChoiceDelta | UsageReport | StreamDone | StreamWarning
