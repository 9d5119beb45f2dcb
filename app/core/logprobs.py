"""Normalise the logprobs of every server dialect into one list of :class:`TokenLogprob`.

Understood shapes:

* OpenAI legacy arrays: ``{"tokens", "token_logprobs", "top_logprobs", "text_offset"}``;
* vLLM's variants of that: ``-9999`` (or less) for minus infinity, ``None`` entries
  (the first echoed token), missing ``text_offset``;
* llama.cpp's ``{"content": [{"token", "logprob", "top_logprobs": [{"token", "logprob"}]}]}``.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

__all__ = ["TokenLogprob", "normalise_logprobs", "tokens_from_json"]

_NEG_INF_SENTINEL = -9999.0


class TokenLogprob(NamedTuple):
    """One generated (or echoed) token with its log probability and the top alternatives."""

    token: str
    logprob: float | None
    top: tuple[tuple[str, float], ...] = ()
    offset: int | None = None

    @property
    def probability(self) -> float | None:
        return None if self.logprob is None else math.exp(self.logprob)

    def to_json(self) -> dict[str, Any]:
        return {
            "token": self.token,
            "logprob": _finite_or_none(self.logprob),
            "top": [{"token": t, "logprob": _finite_or_none(lp)} for t, lp in self.top],
            "offset": self.offset,
        }


def _finite_or_none(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _clean(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    if math.isnan(value):
        return None
    if value <= _NEG_INF_SENTINEL:
        return -math.inf
    return value


def _top_from_mapping(mapping: object) -> tuple[tuple[str, float], ...]:
    if not isinstance(mapping, dict):
        return ()
    pairs = [(str(t), lp) for t, v in mapping.items() if (lp := _clean(v)) is not None]
    pairs.sort(key=lambda p: p[1], reverse=True)
    return tuple(pairs)


def _top_from_list(items: object) -> tuple[tuple[str, float], ...]:
    if not isinstance(items, list):
        return ()
    pairs = []
    for item in items:
        if isinstance(item, dict) and "token" in item:
            lp = _clean(item.get("logprob"))
            if lp is not None:
                pairs.append((str(item["token"]), lp))
    pairs.sort(key=lambda p: p[1], reverse=True)
    return tuple(pairs)


def normalise_logprobs(raw: object, base_offset: int = 0) -> list[TokenLogprob]:
    """Turn one choice's ``logprobs`` value (any dialect, or ``None``) into a token list.

    ``base_offset`` is the text offset of the first token when the server gives none
    (llama.cpp, some relays): offsets then run on from it by token length.
    """
    if not isinstance(raw, dict):
        return []
    if isinstance(raw.get("content"), list):
        return _from_content_list(raw["content"], base_offset)
    tokens = raw.get("tokens")
    if not isinstance(tokens, list):
        return []
    lps = raw.get("token_logprobs")
    tops = raw.get("top_logprobs")
    offsets = raw.get("text_offset")
    lps = lps if isinstance(lps, list) else []
    tops = tops if isinstance(tops, list) else []
    offsets = offsets if isinstance(offsets, list) else []
    out: list[TokenLogprob] = []
    running = base_offset
    for i, token in enumerate(tokens):
        text = token if isinstance(token, str) else str(token)
        offset = offsets[i] if i < len(offsets) and isinstance(offsets[i], int) else running
        out.append(
            TokenLogprob(
                token=text,
                logprob=_clean(lps[i]) if i < len(lps) else None,
                top=_top_from_mapping(tops[i]) if i < len(tops) else (),
                offset=offset,
            )
        )
        running = offset + len(text)
    return out


def _from_content_list(items: list[Any], base_offset: int) -> list[TokenLogprob]:
    out: list[TokenLogprob] = []
    running = base_offset
    for item in items:
        if not isinstance(item, dict):
            continue
        text = str(item.get("token", ""))
        out.append(
            TokenLogprob(
                token=text,
                logprob=_clean(item.get("logprob")),
                top=_top_from_list(item.get("top_logprobs")),
                offset=running,
            )
        )
        running += len(text)
    return out


def tokens_from_json(items: object) -> list[TokenLogprob]:
    """The inverse of :meth:`TokenLogprob.to_json` over a list (history records)."""
    if not isinstance(items, list):
        return []
    out: list[TokenLogprob] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        top = tuple(
            (str(t.get("token", "")), lp)
            for t in item.get("top") or []
            if isinstance(t, dict) and (lp := _clean(t.get("logprob"))) is not None
        )
        offset = item.get("offset")
        out.append(
            TokenLogprob(
                token=str(item.get("token", "")),
                logprob=_clean(item.get("logprob")),
                top=top,
                offset=offset if isinstance(offset, int) else None,
            )
        )
    return out
