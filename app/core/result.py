"""The outcome of one run, folded from client events by :class:`ResultBuilder`.

A result always exists, also for a failed or cancelled run: it keeps the text received so
far, the error, and whether the stream ended properly (``[DONE]`` or a finish_reason for
every choice). It also carries the run's timings: time to first token, tokens per second
and total time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.core import json_text
from app.core.errors import CompletionError
from app.core.events import (
    ChoiceDelta,
    Event,
    ResponseMeta,
    StreamDone,
    StreamWarning,
    UsageReport,
)
from app.core.logprobs import TokenLogprob, tokens_from_json
from app.core.messages import QT_TRANSLATE_NOOP, Message, kind
from app.core.wire_log import WireLog

__all__ = ["ChoiceResult", "CompletionResult", "ResultBuilder", "Timings", "result_from_json"]

NO_DONE_BUT_FINISHED = kind(
    "stream.no_done",
    QT_TRANSLATE_NOOP("Core", "The stream ended without [DONE], but every choice finished."),
)
NO_DONE_SOME_UNFINISHED = kind(
    "stream.no_done_unfinished",
    QT_TRANSLATE_NOOP(
        "Core",
        "The stream ended without [DONE] and some choices have no finish reason: "
        "their output may be incomplete.",
    ),
)
DONE_BUT_UNFINISHED = kind(
    "stream.done_unfinished",
    QT_TRANSLATE_NOOP(
        "Core",
        "The server ended the stream but a choice has no finish reason: it may have been "
        "cut short.",
    ),
)
FEWER_CHOICES = kind(
    "result.fewer_choices",
    QT_TRANSLATE_NOOP(
        "Core", "The server returned %n choice(s) of the {requested} requested (it may ignore n)."
    ),
    count="got",
)


@dataclass
class Timings:
    """Monotonic timestamps of a run and the figures derived from them.

    Text is stamped once per network read, so ``first_token`` and ``last_token`` are real
    arrival times; ``first_read_chunks`` counts the text pieces of the first read.
    """

    started: float
    first_token: float | None = None
    last_token: float | None = None
    finished: float | None = None
    first_read_chunks: int = 0

    @property
    def time_to_first_token(self) -> float | None:
        return None if self.first_token is None else self.first_token - self.started

    @property
    def total(self) -> float | None:
        return None if self.finished is None else self.finished - self.started

    def tokens_per_second(self, tokens: int) -> float | None:
        """Generation speed between the first and the last read that brought text.

        ``None`` when there is no such span (a non-streamed answer, or everything in one
        read): a rate computed from timestamps microseconds apart would be fiction; the
        total time says what there is to say.
        """
        if tokens <= 1 or self.first_token is None or self.last_token is None:
            return None
        span = self.last_token - self.first_token
        later = tokens - max(1, self.first_read_chunks)
        if span < 1e-3 or later <= 0:
            return None
        return later / span


#: Text parts joined into one while a choice streams, so that its whole text is a join of
#: a few long strings (one C call over 100k tiny ones held the GIL ~15 ms at the end).
PACK_PARTS = 2048


@dataclass
class ChoiceResult:
    """One choice: its text (kept as parts while streaming), tokens and finish_reason."""

    index: int
    parts: list[str] = field(default_factory=list)
    tokens: list[TokenLogprob] = field(default_factory=list)
    finish_reason: str | None = None
    chunks: int = 0
    _text: str | None = None
    #: ``parts[:_packed]`` are packs of :data:`PACK_PARTS` parts each.
    _packed: int = 0

    @property
    def text(self) -> str:
        if self._text is None or len(self.parts) > 1:
            self._text = "".join(self.parts)
            self.parts = [self._text] if self._text else []
            self._packed = len(self.parts)
        return self._text

    def pack(self) -> None:
        """Join the parts that came since the last pack, once there are enough of them."""
        if len(self.parts) - self._packed >= PACK_PARTS:
            self.parts[self._packed :] = ["".join(self.parts[self._packed :])]
            self._packed += 1

    @property
    def length(self) -> int:
        return sum(len(p) for p in self.parts)

    def to_json(self, *, lazy: bool = False) -> dict[str, Any]:
        """The choice as JSON; ``lazy``: its tokens as :class:`app.core.json_text.Items` of
        compact rows (:meth:`TokenLogprob.to_row`, for :func:`app.core.json_text.dumps`,
        which encodes them a slice at a time: the history's form)."""
        tokens: Any = None
        if self.tokens:
            if lazy:
                tokens = json_text.Items(self.tokens, TokenLogprob.to_row, direct=True)
            else:
                tokens = [t.to_json() for t in self.tokens]
        return {
            "index": self.index,
            "text": self.text,
            "finish_reason": self.finish_reason,
            "logprobs": tokens,
        }


@dataclass
class CompletionResult:
    """Everything known about a run once it has ended (or so far, while it runs)."""

    requested_choices: int
    timings: Timings
    choices: dict[int, ChoiceResult] = field(default_factory=dict)
    usage: dict[str, Any] | None = None
    meta: ResponseMeta | None = None
    done_marker: bool = False
    streamed: bool = True
    error: CompletionError | None = None
    cancelled: bool = False
    warnings: list[Message] = field(default_factory=list)
    wire: WireLog = field(default_factory=WireLog)

    def choice(self, index: int) -> ChoiceResult:
        found = self.choices.get(index)
        if found is None:
            found = self.choices[index] = ChoiceResult(index)
        return found

    @property
    def ordered_choices(self) -> list[ChoiceResult]:
        return [self.choices[i] for i in sorted(self.choices)]

    @property
    def text(self) -> str:
        """Text of the first choice (the common case of n = 1)."""
        choices = self.ordered_choices
        return choices[0].text if choices else ""

    @property
    def all_finished(self) -> bool:
        return bool(self.choices) and all(c.finish_reason for c in self.choices.values())

    @property
    def ok(self) -> bool:
        return self.error is None and not self.cancelled

    @property
    def completion_tokens(self) -> int:
        """Tokens generated: the server's usage figure, else counted from the stream."""
        if self.usage and isinstance(self.usage.get("completion_tokens"), int):
            return int(self.usage["completion_tokens"])
        counted = sum(len(c.tokens) for c in self.choices.values())
        return counted or sum(c.chunks for c in self.choices.values())

    @property
    def tokens_per_second(self) -> float | None:
        if not self.streamed:
            return None
        return self.timings.tokens_per_second(self.completion_tokens)

    def notes(self) -> list[Message]:
        """Warnings about an ending that was not clean (words for the front end to show)."""
        notes: list[Message] = list(self.warnings)
        if self.streamed and self.ok and not self.done_marker:
            if self.all_finished:
                notes.append(NO_DONE_BUT_FINISHED())
            else:
                notes.append(NO_DONE_SOME_UNFINISHED())
        elif self.streamed and self.ok and self.choices and not self.all_finished:
            # [DONE] came, but a choice never said how it ended: cut short by the server
            # (llama-cpp-python does that when another request arrives).
            notes.append(DONE_BUT_UNFINISHED())
        if self.ok and self.choices and len(self.choices) < self.requested_choices:
            notes.append(FEWER_CHOICES(got=len(self.choices), requested=self.requested_choices))
        return notes

    def to_json(self, *, lazy: bool = False) -> dict[str, Any]:
        """The result as JSON (``lazy``: tokens left for :func:`app.core.json_text.dumps`)."""
        t = self.timings
        return {
            "id": self.meta.id if self.meta else None,
            "model": self.meta.model if self.meta else None,
            "choices": [c.to_json(lazy=lazy) for c in self.ordered_choices],
            "usage": self.usage,
            "timings": {
                "time_to_first_token": t.time_to_first_token,
                "tokens_per_second": self.tokens_per_second,
                "total": t.total,
            },
            "complete": self.ok and (self.done_marker or self.all_finished),
            "cancelled": self.cancelled,
            "error": self.error.user_message() if self.error else None,
            "error_code": self.error.msg.code if self.error else None,
            "notes": [str(note) for note in self.notes()],
        }


def result_from_json(data: dict[str, Any], requested_choices: int = 1) -> CompletionResult:
    """A finished result rebuilt from :meth:`CompletionResult.to_json` (history records)."""
    result = CompletionResult(requested_choices=requested_choices, timings=Timings(started=0.0))
    for i, choice in enumerate(data.get("choices") or []):
        if not isinstance(choice, dict):
            continue
        index = choice.get("index") if isinstance(choice.get("index"), int) else i
        rebuilt = result.choice(index)
        rebuilt.parts = [str(choice.get("text") or "")]
        rebuilt.tokens = tokens_from_json(choice.get("logprobs"))
        rebuilt.finish_reason = choice.get("finish_reason")
    result.usage = data.get("usage") if isinstance(data.get("usage"), dict) else None
    result.done_marker = bool(data.get("complete"))
    result.cancelled = bool(data.get("cancelled"))
    return result


class ResultBuilder:
    """Folds events into a :class:`CompletionResult`, stamping time as they arrive."""

    def __init__(
        self,
        requested_choices: int = 1,
        *,
        streamed: bool = True,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._clock = clock
        self._now: float | None = None
        #: Characters of text received so far, all choices (for the output limit).
        self.output_chars = 0
        self.result = CompletionResult(
            requested_choices=requested_choices,
            timings=Timings(started=clock()),
            streamed=streamed,
        )

    def apply_batch(self, events: list[Event]) -> None:
        """Fold the events of one network read, stamped with one arrival time."""
        now = self._now = self._clock()
        result = self.result
        choices = result.choices
        chars = texts = 0
        choice: ChoiceResult | None = None
        current = -1
        append: Callable[[str], None] = [].append  # the choice's, once there is one
        try:
            for event in events:
                if type(event) is not ChoiceDelta:
                    self.apply(event)
                    continue
                # ``apply`` for the usual event, inlined: this loop runs once per token.
                index, text, tokens, finish = event
                if index != current or choice is None:
                    if choice is not None:
                        choice.pack()
                    choice = choices.get(index) or result.choice(index)
                    current = index
                    append = choice.parts.append
                if text:
                    append(text)
                    choice.chunks += 1
                    texts += 1
                    chars += len(text)
                if tokens:
                    choice.tokens.extend(tokens)
                if finish:
                    choice.finish_reason = finish
        finally:
            if choice is not None:
                choice.pack()
            if texts:
                # What ``apply`` does per text, once: every text has the same arrival time.
                timings = result.timings
                if timings.first_token is None:
                    timings.first_token = now
                if now == timings.first_token:
                    timings.first_read_chunks += texts
                timings.last_token = now
                self.output_chars += chars
            self._now = None

    def apply(self, event: Event) -> None:
        result = self.result
        if type(event) is ChoiceDelta:
            choice = result.choices.get(event.index) or result.choice(event.index)
            if event.text:
                now = self._now if self._now is not None else self._clock()
                timings = result.timings
                if timings.first_token is None:
                    timings.first_token = now
                if now == timings.first_token:
                    timings.first_read_chunks += 1
                timings.last_token = now
                choice.parts.append(event.text)
                choice.pack()
                choice.chunks += 1
                self.output_chars += len(event.text)
            if event.tokens:
                choice.tokens.extend(event.tokens)
            if event.finish_reason:
                choice.finish_reason = event.finish_reason
        elif isinstance(event, UsageReport):
            result.usage = event.usage
        elif isinstance(event, ResponseMeta):
            if result.meta is None:
                result.meta = event
        elif isinstance(event, StreamDone):
            result.done_marker = True
        elif isinstance(event, StreamWarning):
            result.warnings.append(event.message)

    def fail(self, error: CompletionError) -> None:
        self.result.error = error

    def cancel(self) -> None:
        self.result.cancelled = True

    def finish(self) -> CompletionResult:
        if self.result.timings.finished is None:
            self.result.timings.finished = self._clock()
        return self.result
