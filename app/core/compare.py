"""Compare: one prompt against 2–4 targets (profile, model, parameter overrides) at once.

The runs themselves go through the normal client concurrently; this module holds what is
not Qt: the target description, how its request is derived from the shared one, a group
id for history, and the word-level diff between two outputs (CJK text is compared per
character, since it has no spaces between words).
"""

from __future__ import annotations

import difflib
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from app.core.request import CompletionRequest, RequestValidationError

__all__ = [
    "MAX_TARGETS",
    "MIN_TARGETS",
    "CompareTarget",
    "new_group_id",
    "parse_overrides",
    "split_words",
    "word_diff",
]

MIN_TARGETS = 2
MAX_TARGETS = 4
_WORDS = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"
    r"|\w+|\s+|[^\w\s]",
)
_OVERRIDABLE = {
    "max_tokens", "temperature", "top_p", "n", "logprobs", "presence_penalty",
    "frequency_penalty", "seed", "stop", "suffix", "echo", "best_of", "user", "logit_bias",
    "stream",
}  # fmt: skip


@dataclass(frozen=True)
class CompareTarget:
    profile: str
    model: str
    overrides: dict[str, Any] = field(default_factory=dict, hash=False)

    @property
    def label(self) -> str:
        extra = ", ".join(f"{k}={v}" for k, v in self.overrides.items())
        return f"{self.profile} · {self.model}" + (f" · {extra}" if extra else "")

    def request(self, base: CompletionRequest) -> CompletionRequest:
        """``base`` with this target's model and overrides; raises RequestValidationError."""
        changes = dict(self.overrides)
        if "stop" in changes:
            stop = changes["stop"]
            changes["stop"] = tuple([stop] if isinstance(stop, str) else stop or ())
        request = base.with_changes(model=self.model or base.model, **changes)
        request.validate()
        return request


def parse_overrides(text: str) -> dict[str, Any]:
    """Parameter overrides typed as JSON (``{"temperature": 0.2}``); raises ValueError."""
    text = text.strip()
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"parameters: not valid JSON ({exc.args[0]})") from None
    if not isinstance(data, dict):
        raise ValueError('parameters: use a JSON object such as {"temperature": 0.2}')
    unknown = sorted(set(data) - _OVERRIDABLE)
    if unknown:
        raise ValueError(f"parameters: unknown parameter(s) {', '.join(unknown)}")
    try:
        CompletionRequest(model="m", **{k: v for k, v in data.items() if k != "stop"}).validate()
    except RequestValidationError as exc:
        raise ValueError(f"parameters: {exc}") from None
    except TypeError as exc:
        raise ValueError(f"parameters: {exc}") from None
    return data


def new_group_id() -> str:
    return f"compare-{uuid.uuid4().hex[:12]}"


def split_words(text: str) -> list[str]:
    """Words, runs of spaces, punctuation and single CJK characters, in order."""
    return _WORDS.findall(text)


def word_diff(a: str, b: str) -> list[tuple[str, str]]:
    """``[(op, text)]`` turning ``a`` into ``b``; op is "equal", "delete" or "insert"."""
    words_a, words_b = split_words(a), split_words(b)
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, words_a, words_b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("equal", "".join(words_a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(("delete", "".join(words_a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("insert", "".join(words_b[j1:j2])))
    return out
