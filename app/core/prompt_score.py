"""Prompt scoring: how surprising each token of the prompt is to the model.

A scoring request asks for the prompt back (``echo``) with ``logprobs`` and generates
nothing (``max_tokens: 0``) where the server reads 0 that way; servers that read 0 as
"no limit" (llama.cpp-based ones, by their kind: :func:`app.core.server_kinds.
scoring_max_tokens`) get 1 and the extra token is cut off. The answer's prompt tokens give
per-token surprisal (``-logprob``) and the prompt's perplexity. A server that ignores
``echo`` (it returns no prompt text) or returns no logprobs gets a clear error instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from app.core.logprobs import TokenLogprob
from app.core.messages import QT_TRANSLATE_NOOP, Message, kind
from app.core.request import CompletionRequest
from app.core.result import CompletionResult
from app.core.server_kinds import scoring_max_tokens
from app.core.token_stats import RunStats, run_stats
from app.core.token_units import TokenUnit, align

__all__ = ["PromptScore", "ScoringError", "score_prompt", "scoring_request"]

DEFAULT_TOP = 5


NEEDS_TEXT = kind(
    "score.needs_text", QT_TRANSLATE_NOOP("Core", "Prompt scoring needs a non-empty text prompt.")
)
NO_CHOICES = kind("score.no_choices", QT_TRANSLATE_NOOP("Core", "The server returned no choices."))
IGNORED_ECHO = kind(
    "score.ignored_echo",
    QT_TRANSLATE_NOOP(
        "Core",
        "The server ignored echo (it did not send the prompt back), so the prompt cannot be "
        "scored on this endpoint.",
    ),
)
NO_LOGPROBS = kind(
    "score.no_logprobs",
    QT_TRANSLATE_NOOP(
        "Core", "The server sent no logprobs for the prompt, so it cannot be scored here."
    ),
)
NO_PROBABILITIES = kind(
    "score.no_probabilities",
    QT_TRANSLATE_NOOP("Core", "The server returned no probabilities for the prompt."),
)
SUMMARY = kind(
    "score.summary",
    QT_TRANSLATE_NOOP(
        "Core",
        "Prompt perplexity {perplexity:.2f} over {tokens} tokens (mean logprob {mean:.3f}). "
        "Least likely: {worst}.",
    ),
)
UNMATCHED_END = kind(
    "score.unmatched_end",
    QT_TRANSLATE_NOOP("Core", "The end of the prompt could not be matched to tokens."),
)


class ScoringError(ValueError):
    """The prompt cannot be scored; ``msg`` says why."""

    def __init__(self, msg: Message) -> None:
        self.msg = msg
        super().__init__(str(msg))


def scoring_request(
    request: CompletionRequest, server_kind: str | None, unsupported: Iterable[str] = ()
) -> CompletionRequest:
    """The request that scores ``request``'s prompt (same model, same sampling).

    ``max_tokens`` is 0 where the server kind reads it as "nothing", else 1.
    """
    if not isinstance(request.prompt, str) or not request.prompt:
        raise ScoringError(NEEDS_TEXT())
    zero = scoring_max_tokens(server_kind) == 0 and "max_tokens" not in set(unsupported)
    return request.with_changes(
        echo=True,
        logprobs=request.logprobs or DEFAULT_TOP,
        max_tokens=0 if zero else 1,
        stream=False,
        include_usage=None,
        n=None,
        best_of=None,
        suffix=None,
        stop=(),
    )


@dataclass
class PromptScore:
    """The prompt's own tokens with their log probabilities, as the server scored them."""

    prompt: str
    tokens: list[TokenLogprob]
    units: list[TokenUnit]
    stats: RunStats
    notes: list[Message] = field(default_factory=list)

    def summary(self) -> Message:
        if self.stats.perplexity is None:
            return NO_PROBABILITIES()
        worst = ", ".join(f"“{t}” {p:.1%}" for _, t, p in self.stats.lowest[:3])
        return SUMMARY(
            perplexity=self.stats.perplexity,
            tokens=self.stats.tokens,
            mean=self.stats.mean_logprob,
            worst=worst,
        )


def score_prompt(prompt: str, result: CompletionResult) -> PromptScore:
    """The prompt's tokens and statistics from a scoring result; raises ScoringError."""
    if result.error is not None:
        raise ScoringError(result.error.msg)
    if not result.choices:
        raise ScoringError(NO_CHOICES())
    choice = result.ordered_choices[0]
    if not choice.text.startswith(prompt):
        raise ScoringError(IGNORED_ECHO())
    if not choice.tokens:
        raise ScoringError(NO_LOGPROBS())
    units = [u for u in align(choice.text, choice.tokens) if u.end <= len(prompt)]
    last = units[-1].last if units else 0
    tokens = choice.tokens[:last]
    notes = []
    if units and units[-1].end < len(prompt):
        notes.append(UNMATCHED_END())
    return PromptScore(prompt, tokens, units, run_stats(tokens), notes)
