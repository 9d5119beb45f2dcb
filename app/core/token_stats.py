"""Statistics of a run's token probabilities: mean logprob, perplexity, surprises, entropy.

Entropy can only be estimated from the top-k alternatives the server returned: the
probability mass outside them is counted as one more outcome, which gives a lower bound
(reported as such). Tokens without a logprob (the first echoed token) are skipped;
``-inf`` counts as :data:`FLOOR` so one impossible token does not make everything infinite.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.core.logprobs import TokenLogprob

__all__ = ["FLOOR", "RunStats", "alternatives", "run_stats", "token_entropy"]

FLOOR = -100.0


def _lp(value: float) -> float:
    return max(value, FLOOR)


def token_entropy(token: TokenLogprob) -> float | None:
    """Entropy (nats) of one position from its top-k alternatives, a lower bound."""
    if not token.top:
        return None
    probs = [math.exp(_lp(lp)) for _, lp in token.top]
    rest = max(0.0, 1.0 - sum(probs))
    return -sum(p * math.log(p) for p in [*probs, rest] if p > 0)


def alternatives(token: TokenLogprob) -> tuple[list[tuple[str, float]], float]:
    """The alternatives as (token, probability), best first, and the mass they cover."""
    pairs = [(t, math.exp(_lp(lp))) for t, lp in token.top]
    if token.logprob is not None and all(t != token.token for t, _ in pairs):
        pairs.append((token.token, math.exp(_lp(token.logprob))))
    pairs.sort(key=lambda p: p[1], reverse=True)
    return pairs, min(1.0, sum(p for _, p in pairs))


@dataclass
class RunStats:
    """Figures over the tokens that have a logprob."""

    tokens: int
    mean_logprob: float | None
    perplexity: float | None
    mean_entropy: float | None
    #: (token index, token, probability), least likely first.
    lowest: list[tuple[int, str, float]] = field(default_factory=list)

    def summary(self) -> str:
        if self.mean_logprob is None or self.perplexity is None:
            return ""
        text = (
            f"{self.tokens} tokens · mean logprob {self.mean_logprob:.3f} · "
            f"perplexity {self.perplexity:.2f}"
        )
        if self.mean_entropy is not None:
            text += f" · entropy ≥ {self.mean_entropy:.2f} nats"
        return text


def run_stats(tokens: Sequence[TokenLogprob], lowest: int = 5) -> RunStats:
    """Statistics for one choice's tokens (or a scored prompt's)."""
    scored = [(i, t) for i, t in enumerate(tokens) if t.logprob is not None]
    if not scored:
        return RunStats(len(tokens), None, None, None)
    logprobs = [_lp(t.logprob) for _, t in scored]  # type: ignore[arg-type]
    mean = sum(logprobs) / len(logprobs)
    entropies = [e for _, t in scored if (e := token_entropy(t)) is not None]
    worst = sorted(scored, key=lambda it: it[1].logprob)[:lowest]  # type: ignore[arg-type,return-value]
    return RunStats(
        tokens=len(tokens),
        mean_logprob=mean,
        perplexity=math.exp(-mean),
        mean_entropy=sum(entropies) / len(entropies) if entropies else None,
        lowest=[(i, t.token, math.exp(_lp(t.logprob))) for i, t in worst],  # type: ignore[arg-type]
    )
