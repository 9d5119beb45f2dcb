"""Turn decoded JSON completion objects (stream chunks or whole bodies) into events.

Tolerates what real servers send: unknown extra fields, a usage-only final chunk with empty
``choices``, interleaved choices for n > 1, and an error object inside a 200 stream
(``{"error": {...}}`` or vLLM's ``{"object": "error", ...}``), which becomes
:class:`app.core.errors.StreamError`.
"""

from __future__ import annotations

from typing import Any

from app.core.errors import MalformedResponseError, StreamError
from app.core.events import ChoiceDelta, Event, ResponseMeta, UsageReport
from app.core.logprobs import normalise_logprobs

__all__ = ["ChunkDecoder", "error_from_object"]

_new = tuple.__new__


def error_from_object(obj: dict[str, Any]) -> StreamError | None:
    """The error an object reports, if it is an error object; otherwise ``None``."""
    err = obj.get("error")
    if isinstance(err, dict):
        return StreamError(
            str(err.get("message") or err.get("detail") or err),
            error_type=err.get("type"),
            code=err.get("code"),
        )
    if isinstance(err, str) and err:
        return StreamError(err)
    if obj.get("object") == "error":
        return StreamError(
            str(obj.get("message") or obj.get("detail") or "unknown error"),
            error_type=obj.get("type"),
            code=obj.get("code"),
        )
    return None


class ChunkDecoder:
    """Stateful: remembers each choice's text length to place tokens that carry no offset."""

    __slots__ = ("_meta_sent", "_offsets")

    def __init__(self) -> None:
        self._offsets: dict[int, int] = {}
        self._meta_sent = False

    def decode(self, obj: object) -> list[Event]:
        if type(obj) is not dict:
            raise MalformedResponseError("The server sent a stream item that is not a JSON object.")
        if "error" in obj or obj.get("object") == "error":
            error = error_from_object(obj)
            if error is not None:
                raise error
        events: list[Event] = []
        if not self._meta_sent and ("id" in obj or "model" in obj):
            self._meta_sent = True
            created = obj.get("created")
            events.append(
                ResponseMeta(
                    id=_opt_str(obj.get("id")),
                    model=_opt_str(obj.get("model")),
                    created=created if type(created) is int else None,
                    system_fingerprint=_opt_str(obj.get("system_fingerprint")),
                )
            )
        choices = obj.get("choices")
        if choices:
            if type(choices) is not list:
                raise MalformedResponseError("The server's 'choices' field is not a list.")
            offsets = self._offsets
            for position, choice in enumerate(choices):
                if type(choice) is not dict:
                    raise MalformedResponseError("The server sent a choice that is not an object.")
                index = choice.get("index", position)
                if type(index) is not int:
                    index = position
                text = choice.get("text")
                if type(text) is not str:
                    text = _chat_delta_text(choice)
                offset = offsets.get(index, 0)
                offsets[index] = offset + len(text)
                raw_logprobs = choice.get("logprobs")
                tokens = (
                    tuple(normalise_logprobs(raw_logprobs, base_offset=offset))
                    if raw_logprobs
                    else ()
                )
                finish = choice.get("finish_reason")
                if type(finish) is not str or not finish:
                    finish = None
                # tuple.__new__ builds the NamedTuple without its Python-level __new__:
                # this line runs once per token.
                events.append(_new(ChoiceDelta, (index, text, tokens, finish)))
        usage = obj.get("usage")
        if usage and type(usage) is dict:
            events.append(UsageReport(usage))
        return events


def _chat_delta_text(choice: dict[str, Any]) -> str:
    """Tolerate chat-style deltas from confused relays: ``{"delta": {"content": ...}}``."""
    delta = choice.get("delta")
    text = delta.get("content") if isinstance(delta, dict) else None
    return text if isinstance(text, str) else ""


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) else None
