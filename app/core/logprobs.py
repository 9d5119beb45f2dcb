"""Normalise the logprobs of every server dialect into one list of :class:`TokenLogprob`.

Understood shapes:

* OpenAI legacy arrays: ``{"tokens", "token_logprobs", "top_logprobs", "text_offset"}``;
* vLLM's variants of that: ``-9999`` (or less) for minus infinity, ``None`` entries
  (the first echoed token), missing ``text_offset``;
* llama.cpp's ``{"content": [{"token", "logprob", "top_logprobs": [{"token", "logprob"}]}]}``.

:func:`one_chunk_logprobs` is the stream's hot path (one call per token): the same tokens as
:func:`normalise_logprobs` for the usual legacy shape, checked value by value, without the
general function's conversions.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

__all__ = ["TokenLogprob", "normalise_logprobs", "one_chunk_logprobs", "tokens_from_json"]

_NEG_INF_SENTINEL = -9999.0
_INF = math.inf
_new = tuple.__new__


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

    def to_row(self) -> tuple[Any, ...]:
        """The compact JSON form the history keeps: ``[token, logprob, [[token, logprob],
        …], offset]`` (the tuple itself is that, when its numbers are finite; JSON has no
        infinity, so those become ``null``). A 100k-token run encodes ~5× faster than
        with :meth:`to_json`'s objects."""
        return (
            self.token,
            _finite_or_none(self.logprob),
            tuple((t, _finite_or_none(lp)) for t, lp in self.top),
            self.offset,
        )


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


def one_chunk_logprobs(raw: object, base_offset: int = 0) -> tuple[TokenLogprob, ...] | None:
    """``tuple(normalise_logprobs(raw, base_offset))`` for OpenAI's legacy arrays, fast.

    ``None`` when ``raw`` has another shape (llama.cpp's ``content``, arrays of unequal
    length, a token that is not a string...): the caller then uses
    :func:`normalise_logprobs`. Values that need cleaning (vLLM's ``-9999``, ``None``, ints)
    go through the same helpers as there, so the result is always identical.
    """
    if type(raw) is not dict or "content" in raw:
        return None
    tokens = raw.get("tokens")
    lps = raw.get("token_logprobs")
    tops = raw.get("top_logprobs")
    offsets = raw.get("text_offset")
    if type(tokens) is not list or type(lps) is not list or type(tops) is not list:
        return None
    count = len(tokens)
    if len(lps) != count or len(tops) != count:
        return None
    if count == 1 and (offsets is None or (type(offsets) is list and len(offsets) == 1)):
        # One token per chunk, as every streaming server sends: no loop, no list.
        token = tokens[0]
        offset = base_offset if offsets is None else offsets[0]
        if type(token) is not str or type(offset) is not int:
            if type(token) is not str or offset is not None:
                return None
            offset = base_offset
        lp = lps[0]
        if type(lp) is not float or not lp > _NEG_INF_SENTINEL:
            lp = _clean(lp)
        top = tops[0]
        pairs = _sorted_top(top) if type(top) is dict else _top_from_mapping(top)
        return (_new(TokenLogprob, (token, lp, pairs, offset)),)
    if offsets is None:
        offsets = [None] * count
    elif type(offsets) is not list or len(offsets) != count:
        return None
    out: list[TokenLogprob] = []
    running = base_offset
    for token, lp, top, offset in zip(tokens, lps, tops, offsets, strict=True):
        if type(token) is not str:
            return None
        if type(offset) is not int:
            if offset is not None:
                return None
            offset = running
        if type(lp) is not float or not lp > _NEG_INF_SENTINEL:
            lp = _clean(lp)
        pairs = _sorted_top(top) if type(top) is dict else _top_from_mapping(top)
        out.append(_new(TokenLogprob, (token, lp, pairs, offset)))
        running = offset + len(token)
    return tuple(out)


def _sorted_top(mapping: dict[Any, Any]) -> tuple[tuple[str, float], ...]:
    """``_top_from_mapping(mapping)``, without a sort or a conversion when none is needed:
    string keys, finite float values, already in descending order (as servers send them).
    A stable descending sort leaves such a sequence as it is."""
    items = tuple(mapping.items())
    previous = _INF
    for token, value in items:
        if (
            type(token) is not str
            or type(value) is not float
            or not _NEG_INF_SENTINEL < value <= previous
        ):
            return _top_from_mapping(mapping)
        previous = value
    return items


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
    """The inverse of :meth:`TokenLogprob.to_json` and :meth:`TokenLogprob.to_row` over a
    list (history records; older ones have objects, newer ones rows)."""
    if not isinstance(items, list):
        return []
    out: list[TokenLogprob] = []
    for item in items:
        if isinstance(item, list):
            row = _from_row(item)
            if row is not None:
                out.append(row)
            continue
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


def _from_row(item: list[Any]) -> TokenLogprob | None:
    """A token from :meth:`TokenLogprob.to_row`'s form (``None`` for a malformed row)."""
    if not item or len(item) > 4:
        return None
    token, logprob, top, offset = (*item, None, None, None)[:4]
    pairs = []
    for pair in top if isinstance(top, list) else ():
        if isinstance(pair, list) and len(pair) == 2:
            lp = _clean(pair[1])
            if lp is not None:
                pairs.append((str(pair[0]), lp))
    return TokenLogprob(
        token=str(token) if token is not None else "",
        logprob=_clean(logprob),
        top=tuple(pairs),
        offset=offset if isinstance(offset, int) and not isinstance(offset, bool) else None,
    )
