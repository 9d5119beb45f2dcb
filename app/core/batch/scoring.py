"""Checking a cell's output against its expected value, and scoring the expected text.

Match modes (the expected column's value against the first choice's text):

* ``exact``: equal once surrounding whitespace is trimmed from both;
* ``contains``: the expected text occurs in the output;
* ``regex``: the expected value is a regular expression that matches somewhere in the
  output (:func:`re.search`); an invalid one is reported before anything is sent.

Log-likelihood of the expected continuation, where the server gives ``echo`` and
``logprobs``: :func:`loglik_request` sends the prompt followed by the expected text,
echoed, generating nothing (``max_tokens`` per
:func:`app.core.server_kinds.scoring_max_tokens`, as prompt scoring does); then
:func:`expected_loglik` lines the echoed tokens up with the text
(:func:`app.core.token_units.align`) and sums the logprobs of the tokens that cover the
expected text (a token straddling the prompt's end counts, since it produces part of the
expected text).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from app.core.messages import QT_TRANSLATE_NOOP, Message, kind
from app.core.prompt_score import (
    IGNORED_ECHO,
    NO_CHOICES,
    NO_LOGPROBS,
    scoring_request,
)
from app.core.request import CompletionRequest
from app.core.result import CompletionResult
from app.core.token_units import align

__all__ = [
    "MATCH_MODES",
    "Loglik",
    "check_match",
    "expected_loglik",
    "loglik_request",
    "regex_problem",
]

EXACT = "exact"
CONTAINS = "contains"
REGEX = "regex"
MATCH_MODES = (EXACT, CONTAINS, REGEX)

LOGLIK_UNMATCHED = kind(
    "batch.loglik_unmatched",
    QT_TRANSLATE_NOOP(
        "Core", "The expected text could not be matched to the tokens the server sent back."
    ),
)
LOGLIK_NO_PROBABILITY = kind(
    "batch.loglik_no_probability",
    QT_TRANSLATE_NOOP("Core", "The server gave no probability for part of the expected text."),
)


def regex_problem(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable regular expression (``None`` when it is)."""
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return str(exc)
    return None


def check_match(mode: str, output: str, expected: str) -> bool:
    """Whether ``output`` passes against ``expected`` in ``mode`` (see the module doc)."""
    if mode == CONTAINS:
        return expected in output
    if mode == REGEX:
        try:
            return re.search(expected, output) is not None
        except (re.error, RecursionError, OverflowError):
            return False
    return output.strip() == expected.strip()


def loglik_request(
    request: CompletionRequest, expected: str, server_kind: str | None, unsupported: Any = ()
) -> CompletionRequest:
    """The request that scores ``expected`` after ``request``'s prompt; raises ScoringError."""
    prompt = request.prompt if isinstance(request.prompt, str) else ""
    scored = request.with_changes(prompt=prompt + expected, logprobs=1)
    return scoring_request(scored, server_kind, unsupported)


@dataclass(frozen=True)
class Loglik:
    """The expected text's log-likelihood (``None`` with ``problem`` when not known)."""

    value: float | None
    tokens: int = 0
    problem: Message | None = None


def expected_loglik(prompt: str, expected: str, result: CompletionResult) -> Loglik:
    """Sum of the logprobs of the echoed tokens covering ``expected`` (after ``prompt``)."""
    if result.error is not None:
        return Loglik(None, problem=result.error.msg)
    if not result.choices:
        return Loglik(None, problem=NO_CHOICES())
    choice = result.ordered_choices[0]
    start, end = len(prompt), len(prompt) + len(expected)
    if not choice.text.startswith(prompt + expected):
        return Loglik(None, problem=IGNORED_ECHO())
    if not choice.tokens:
        return Loglik(None, problem=NO_LOGPROBS())
    units = [u for u in align(choice.text, choice.tokens) if u.end > start and u.start < end]
    if not units or units[-1].end < end:
        return Loglik(None, problem=LOGLIK_UNMATCHED())
    total = 0.0
    for unit in units:
        if unit.logprob is None or math.isnan(unit.logprob):
            return Loglik(None, problem=LOGLIK_NO_PROBABILITY())
        total += unit.logprob
    return Loglik(total, sum(u.size for u in units))
