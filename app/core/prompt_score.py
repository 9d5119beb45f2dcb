"""Prompt scoring: how surprising each token of the prompt is to the model.

A scoring request asks for the prompt back (``echo``) with ``logprobs`` and generates
nothing (``max_tokens: 0``) where the server allows it; llama.cpp-based servers read 0 as
"no limit", so they get 1 and the extra token is cut off. The answer's prompt tokens give
per-token surprisal (``-logprob``) and the prompt's perplexity. A server that ignores
``echo`` (it returns no prompt text) or returns no logprobs gets a clear error instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.logprobs import TokenLogprob
from app.core.request import CompletionRequest
from app.core.result import CompletionResult
from app.core.token_stats import RunStats, run_stats
from app.core.token_units import TokenUnit, align

__all__ = ["PromptScore", "ScoringError", "score_prompt", "scoring_request"]

DEFAULT_TOP = 5


class ScoringError(ValueError):
    """The prompt cannot be scored (one sentence saying why)."""


def scoring_request(request: CompletionRequest, *, zero_tokens: bool) -> CompletionRequest:
    """The request that scores ``request``'s prompt (same model, same sampling)."""
    if not isinstance(request.prompt, str) or not request.prompt:
        raise ScoringError("Prompt scoring needs a non-empty text prompt.")
    return request.with_changes(
        echo=True,
        logprobs=request.logprobs or DEFAULT_TOP,
        max_tokens=0 if zero_tokens else 1,
        stream=False,
        include_usage=None,
        n=None,
        best_of=None,
        suffix=None,
        stop=(),
    )


@dataclass
class PromptScore:
    prompt: str
    tokens: list[TokenLogprob]
    units: list[TokenUnit]
    stats: RunStats
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.stats.perplexity is None:
            return "The server returned no probabilities for the prompt."
        worst = ", ".join(f"“{t}” {p:.1%}" for _, t, p in self.stats.lowest[:3])
        return (
            f"Prompt perplexity {self.stats.perplexity:.2f} over {self.stats.tokens} tokens "
            f"(mean logprob {self.stats.mean_logprob:.3f}). Least likely: {worst}."
        )


def score_prompt(prompt: str, result: CompletionResult) -> PromptScore:
    """The prompt's tokens and statistics from a scoring result; raises ScoringError."""
    if result.error is not None:
        raise ScoringError(result.error.user_message())
    if not result.choices:
        raise ScoringError("The server returned no choices.")
    choice = result.ordered_choices[0]
    if not choice.text.startswith(prompt):
        raise ScoringError(
            "The server ignored echo (it did not send the prompt back), so the prompt "
            "cannot be scored on this endpoint."
        )
    if not choice.tokens:
        raise ScoringError(
            "The server sent no logprobs for the prompt, so it cannot be scored here."
        )
    units = [u for u in align(choice.text, choice.tokens) if u.end <= len(prompt)]
    last = units[-1].last if units else 0
    tokens = choice.tokens[:last]
    notes = []
    if units and units[-1].end < len(prompt):
        notes.append("The end of the prompt could not be matched to tokens.")
    return PromptScore(prompt, tokens, units, run_stats(tokens), notes)
