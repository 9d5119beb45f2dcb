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

from app.core.messages import QT_TRANSLATE_NOOP, Message, kind
from app.core.request import CompletionRequest

__all__ = [
    "MAX_TARGETS",
    "MIN_TARGETS",
    "CompareTarget",
    "OverrideError",
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
NOT_JSON = kind(
    "compare.not_json", QT_TRANSLATE_NOOP("Core", "parameters: not valid JSON ({reason})")
)
NOT_OBJECT = kind(
    "compare.not_object",
    QT_TRANSLATE_NOOP("Core", 'parameters: use a JSON object such as {{"temperature": 0.2}}'),
)
RESERVED = kind(
    "compare.reserved", QT_TRANSLATE_NOOP("Core", "parameters: {names} cannot be overridden here")
)
INVALID = kind("compare.invalid", QT_TRANSLATE_NOOP("Core", "parameters: {problems}"))


class OverrideError(ValueError):
    """Overrides that cannot be used; ``msg`` says why."""

    def __init__(self, msg: Message) -> None:
        self.msg = msg
        super().__init__(str(msg))


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
        request = base.with_changes(model=self.model or base.model, **changes)
        request.validate()
        return request


def parse_overrides(text: str) -> dict[str, Any]:
    """Parameter overrides typed as JSON (``{"temperature": 0.2, "top_k": 1}``).

    Any parameter can be overridden, custom ones too; a known one is validated as the
    registry says. Raises :class:`OverrideError`.
    """
    text = text.strip()
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise OverrideError(NOT_JSON(reason=exc.args[0])) from None
    if not isinstance(data, dict):
        raise OverrideError(NOT_OBJECT())
    reserved = sorted(set(data) & {"model", "prompt"})
    if reserved:
        raise OverrideError(RESERVED(names=", ".join(reserved)))
    # Checked alone: a rule between parameters (best_of and stream) is the whole request's.
    problems = [
        e
        for e in CompletionRequest(model="m", stream=False, params=data).validation_errors()
        if e.field in data
    ]
    if problems:
        raise OverrideError(INVALID(problems="; ".join(str(e) for e in problems)))
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
