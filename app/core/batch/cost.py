"""What a cell cost: its tokens (from the server's usage, counted, or estimated) × prices.

A profile may hold prices per 1,000 tokens (``Profile.prices``, checked by
:func:`app.core.profiles.check_prices`). :func:`tokens_for` takes a run's tokens from the
server's ``usage`` when it reports them; otherwise the completion's tokens are counted
(its logprob tokens, else its streamed chunks: one chunk is one token for the servers we
know) and the prompt's are estimated (:func:`app.core.token_count.estimate_tokens`), as
is a completion that came in one piece without logprobs. A count that is not the server's
is marked (``estimated``) so a front end can show "≈". A usage of 0 completion tokens for
a non-empty output (some relays send zeros) counts as no usage.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from app.core.profiles import Profile, ProfileError, check_prices
from app.core.result import CompletionResult
from app.core.token_count import estimate_tokens

__all__ = ["COUNTED", "ESTIMATED", "USAGE", "CellTokens", "Prices", "tokens_for"]

#: Where a token figure came from.
USAGE = "usage"
COUNTED = "counted"
ESTIMATED = "estimated"
DEFAULT_CURRENCY = "USD"


@dataclass(frozen=True)
class Prices:
    """Prices per 1,000 tokens, prompt and completion, in one currency."""

    prompt: float
    completion: float
    currency: str = DEFAULT_CURRENCY

    @classmethod
    def from_json(cls, data: Any) -> Prices | None:
        """Prices from a profile's ``prices`` object (``None`` when absent or unusable)."""
        try:
            check_prices(data)
        except ProfileError:
            return None
        if data is None:
            return None
        currency = str(data.get("currency", DEFAULT_CURRENCY)).strip()
        return cls(float(data["prompt"]), float(data["completion"]), currency)

    @classmethod
    def of(cls, profile: Profile) -> Prices | None:
        return cls.from_json(profile.prices)

    def cost(self, tokens: CellTokens) -> float:
        return (tokens.prompt * self.prompt + tokens.completion * self.completion) / 1000


@dataclass(frozen=True)
class CellTokens:
    """A run's prompt and completion tokens and where each figure came from."""

    prompt: int
    completion: int
    prompt_source: str = USAGE
    completion_source: str = USAGE

    @property
    def total(self) -> int:
        return self.prompt + self.completion

    @property
    def estimated(self) -> bool:
        """Whether either figure is not the server's own."""
        return self.prompt_source != USAGE or self.completion_source != USAGE

    def to_json(self) -> dict[str, Any]:
        return {
            "prompt": self.prompt,
            "completion": self.completion,
            "total": self.total,
            "estimated": self.estimated,
            "prompt_source": self.prompt_source,
            "completion_source": self.completion_source,
        }


def _count(usage: Any, key: str) -> int | None:
    value = usage.get(key) if isinstance(usage, dict) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not math.isfinite(value) or value < 0:
        return None
    return int(value)


def tokens_for(prompt_text: str, result: CompletionResult) -> CellTokens:
    """The tokens of a finished run whose prompt (and suffix) was ``prompt_text``."""
    usage = result.usage
    output = "".join(c.text for c in result.choices.values())
    prompt = _count(usage, "prompt_tokens")
    prompt_source = USAGE
    if prompt is None or (prompt == 0 and prompt_text):
        prompt, prompt_source = estimate_tokens(prompt_text), ESTIMATED
    completion = _count(usage, "completion_tokens")
    completion_source = USAGE
    if completion is None or (completion == 0 and output):
        counted = sum(len(c.tokens) for c in result.choices.values())
        if not counted and result.streamed:
            counted = sum(c.chunks for c in result.choices.values())
        if counted:
            completion, completion_source = counted, COUNTED
        else:
            completion = sum(estimate_tokens(c.text) for c in result.choices.values())
            completion_source = ESTIMATED
    return CellTokens(prompt, completion, prompt_source, completion_source)
