"""Statistics of a run's token probabilities: mean logprob, perplexity, surprises, entropy.

Entropy can only be estimated from the top-k alternatives the server returned: the
probability mass outside them is counted as one more outcome, which gives a lower bound
(reported as such). Tokens without a logprob (the first echoed token) are skipped;
``-inf`` counts as :data:`FLOOR` so one impossible token does not make everything infinite.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from app.core.logprobs import TokenLogprob

__all__ = ["FLOOR", "RunStats", "alternatives", "run_stats", "token_entropy"]

FLOOR = -100.0


def _lp(value: float) -> float:
    return max(value, FLOOR)


def token_entropy(token: TokenLogprob) -> float | None:
    """Entropy (nats) of one position from its top-k alternatives, a lower bound."""
    top = token.top
    if not top:
        return None
    return _entropy(top, math.exp, math.log)


def _entropy(
    top: Sequence[tuple[str, float]],
    exp: Callable[[float], float],
    log: Callable[[float], float],
) -> float:
    # -Σ p·log p, and log p is the (floored) logprob itself: one exp per alternative.
    covered = entropy = 0.0
    for _, lp in top:
        if lp < FLOOR:
            lp = FLOOR
        p = exp(lp)
        covered += p
        entropy -= p * lp
    rest = 1.0 - covered
    if rest > 0.0:
        entropy -= rest * log(rest)
    return entropy


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
    """Statistics for one choice's tokens (or a scored prompt's): one pass, ~1 µs a token
    (it runs at the end of a 100k-token run)."""
    exp, log = math.exp, math.log
    count = entropies = 0
    total = entropy_total = 0.0
    for token in tokens:
        lp = token.logprob
        if lp is None:
            continue
        count += 1
        total += lp if lp > FLOOR else FLOOR
        top = token.top
        if top:
            entropies += 1
            entropy_total += _entropy(top, exp, log)
    if not count:
        return RunStats(len(tokens), None, None, None)
    mean = total / count
    scored = ((i, t) for i, t in enumerate(tokens) if t.logprob is not None)
    worst = heapq.nsmallest(lowest, scored, key=lambda it: it[1].logprob)  # type: ignore[arg-type,return-value]
    return RunStats(
        tokens=len(tokens),
        mean_logprob=mean,
        perplexity=math.exp(-mean),
        mean_entropy=entropy_total / entropies if entropies else None,
        lowest=[(i, t.token, math.exp(_lp(t.logprob))) for i, t in worst],  # type: ignore[arg-type]
    )
