"""Turn decoded JSON completion objects (stream chunks or whole bodies) into events.

Tolerates what real servers send: unknown extra fields, a usage-only final chunk with empty
``choices``, interleaved choices for n > 1, an event that is JSON but not an object
(llama-server's ``data: null``: skipped with a note), usage with every count at 0 (LiteLLM:
not usage), and an error object inside a 200 stream (``{"error": {...}}`` or vLLM's
``{"object": "error", ...}``), which becomes :class:`app.core.errors.StreamError` with the
relay's request id when its message carries one.
"""

from __future__ import annotations

import json
from typing import Any

from app.core.errors import MalformedResponseError, StreamError
from app.core.events import ChoiceDelta, Event, ResponseMeta, StreamWarning, UsageReport
from app.core.http_errors import blamed_param, request_id
from app.core.logprobs import normalise_logprobs, one_chunk_logprobs
from app.core.messages import QT_TRANSLATE_NOOP, kind

__all__ = ["ChunkDecoder", "error_from_object"]

_new = tuple.__new__


def error_from_object(obj: dict[str, Any]) -> StreamError | None:
    """The error an object reports, if it is an error object; otherwise ``None``."""
    err = obj.get("error")
    source: dict[str, Any] | None = None
    if isinstance(err, dict):
        source = err
        message = str(err.get("message") or err.get("detail") or err)
    elif isinstance(err, str) and err:
        source, message = obj, err
    elif obj.get("object") == "error":
        source = obj
        message = str(obj.get("message") or obj.get("detail") or "unknown error")
    if source is None:
        return None
    error_type = source.get("type")
    param = source.get("param")
    return StreamError(
        message,
        error_type=error_type if isinstance(error_type, str) else None,
        code=source.get("code"),
        param=blamed_param(param, message, None),
        request_id=request_id({}, message),
    )


def _is_zero_usage(usage: dict[str, Any]) -> bool:
    """LiteLLM puts ``{"prompt_tokens": 0, "completion_tokens": 0, …}`` in every chunk."""
    counts = [v for v in usage.values() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return bool(counts) and not any(counts)


NOT_AN_OBJECT = kind(
    "stream.not_an_object",
    QT_TRANSLATE_NOOP("Core", "Skipped a stream event that is not a JSON object: {snippet}"),
)
BAD_CHOICES = kind(
    "response.bad_choices", QT_TRANSLATE_NOOP("Core", "The server's 'choices' field is not a list.")
)
BAD_CHOICE = kind(
    "response.bad_choice",
    QT_TRANSLATE_NOOP("Core", "The server sent a choice that is not an object."),
)
ZERO_USAGE = kind(
    "usage.zero",
    QT_TRANSLATE_NOOP(
        "Core", "The server sent usage with every count at 0; usage was not reported."
    ),
)


class ChunkDecoder:
    """Stateful: remembers each choice's text length to place tokens that carry no offset,
    and whether any choice finished (a stream without one and without [DONE] is broken)."""

    __slots__ = ("_meta_sent", "_offsets", "_zero_usage_noted", "finished")

    def __init__(self) -> None:
        self._offsets: dict[int, int] = {}
        self._meta_sent = False
        self._zero_usage_noted = False
        #: Whether some choice has had a finish reason.
        self.finished = False

    def decode_into(self, objs: list[Any], out: list[Event]) -> None:
        """Decode ``objs`` in order, appending their events to ``out``.

        The same events as :meth:`decode` for each object, with a fast path for the usual
        stream chunk (one choice with text, no usage, once the response's identity is
        known). If an object raises, ``out`` keeps the events of the objects before it.
        """
        offsets = self._offsets
        append = out.append
        for obj in objs:
            if type(obj) is dict and self._meta_sent:
                choices = obj.get("choices")
                if (
                    type(choices) is list
                    and len(choices) == 1
                    and type(choice := choices[0]) is dict
                    and type(text := choice.get("text")) is str
                    and not obj.get("usage")
                    and "error" not in obj
                    and obj.get("object") != "error"
                ):
                    index = choice.get("index", 0)
                    if type(index) is not int:
                        index = 0
                    offset = offsets.get(index, 0)
                    offsets[index] = offset + len(text)
                    raw_logprobs = choice.get("logprobs")
                    if raw_logprobs:
                        tokens = one_chunk_logprobs(raw_logprobs, offset)
                        if tokens is None:
                            tokens = tuple(normalise_logprobs(raw_logprobs, base_offset=offset))
                    else:
                        tokens = ()
                    finish = choice.get("finish_reason")
                    if finish is not None:
                        if type(finish) is not str or not finish:
                            finish = None
                        else:
                            self.finished = True
                    append(_new(ChoiceDelta, (index, text, tokens, finish)))
                    continue
            out += self.decode(obj)

    def decode(self, obj: object) -> list[Event]:
        if type(obj) is not dict:
            # llama-server sends "data: null" first for a list prompt: skip it, with a note.
            snippet = json.dumps(obj, ensure_ascii=False)[:60]
            return [StreamWarning(NOT_AN_OBJECT(snippet=snippet))]
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
                raise MalformedResponseError(BAD_CHOICES())
            offsets = self._offsets
            for position, choice in enumerate(choices):
                if type(choice) is not dict:
                    raise MalformedResponseError(BAD_CHOICE())
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
                else:
                    self.finished = True
                # tuple.__new__ builds the NamedTuple without its Python-level __new__:
                # this line runs once per token.
                events.append(_new(ChoiceDelta, (index, text, tokens, finish)))
        usage = obj.get("usage")
        if usage and type(usage) is dict:
            if not _is_zero_usage(usage):
                events.append(UsageReport(usage))
            elif not self._zero_usage_noted:
                self._zero_usage_noted = True
                events.append(StreamWarning(ZERO_USAGE()))
        return events


def _chat_delta_text(choice: dict[str, Any]) -> str:
    """Tolerate chat-style deltas from confused relays: ``{"delta": {"content": ...}}``."""
    delta = choice.get("delta")
    text = delta.get("content") if isinstance(delta, dict) else None
    return text if isinstance(text, str) else ""


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) else None
