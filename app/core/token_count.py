"""A text's tokens: exact from the server's tokenizer endpoint where its kind has one
(:func:`count_tokens`), else estimated by script (:func:`estimate_tokens`).

The kinds' tokenizer endpoints are declared in :mod:`app.core.server_kinds`.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.errors import CompletionError
from app.core.server_kinds import Tokenizer, get_kind, server_root

if TYPE_CHECKING:  # no HTTP stack at import time
    from app.core.client import CompletionClient
    from app.core.endpoint import Endpoint

__all__ = ["TokenCount", "count_tokens", "estimate_tokens", "tokenizer_url"]


@dataclass(frozen=True)
class TokenCount:
    """A text's token count: ``exact`` from the server's tokenizer, else an estimate."""

    count: int
    exact: bool


#: Han, kana, Hangul and their punctuation, fullwidth forms: about one token each.
_CJK = (
    "[\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff"
    "\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]"
)


@functools.cache
def _cjk() -> re.Pattern[str]:
    """:data:`_CJK`, compiled when first needed (its ranges take ~3 ms: not at start-up)."""
    return re.compile(_CJK)


#: Characters after Latin Extended-B (U+024F): other scripts, symbols, emoji.
_BEYOND_LATIN = re.compile("[^\u0000-\u024f]+")
_ESTIMATE_SLICE = 65536
#: Texts up to this long are estimated at once (well under a millisecond).
_INLINE_ESTIMATE = 20_000


def estimate_tokens(text: str) -> int:
    """A cheap estimate of the tokens in ``text`` for servers without a tokenizer endpoint.

    The rule of thumb of BPE tokenizers (GPT, Llama, Qwen…), by script:

    * Latin text (ASCII and accented Latin letters, up to U+024F, spaces and punctuation
      included): about 4 characters per token;
    * CJK (Han, kana, Hangul, their punctuation and fullwidth forms): about 1 token per
      character;
    * everything else (Cyrillic, Greek, Arabic, Indic scripts, emoji…): about 1 token per
      1.5 bytes of UTF-8.

    The sum is rounded up; any non-empty text is at least 1 token. Real counts vary by
    tokenizer (often ±30 %), which is why the UI marks an estimate with "≈".
    """
    if not text:
        return 0
    latin = cjk = other_bytes = 0
    # In slices: the regular expressions hold the GIL for as long as they run, and a
    # count may run in a worker thread beside the window.
    for start in range(0, len(text), _ESTIMATE_SLICE):
        piece = text[start : start + _ESTIMATE_SLICE]
        beyond = "".join(_BEYOND_LATIN.findall(piece))
        latin += len(piece) - len(beyond)
        others = _cjk().sub("", beyond)
        cjk += len(beyond) - len(others)
        other_bytes += len(others.encode("utf-8", "surrogatepass"))
    return max(1, math.ceil(latin / 4 + cjk + other_bytes / 1.5))


def tokenizer_url(endpoint: Endpoint, tokenizer: Tokenizer) -> str:
    """Where a kind's tokenizer is for this endpoint."""
    base = endpoint.base_url if tokenizer.under_base else server_root(endpoint.base_url)
    return base.rstrip("/") + tokenizer.path


async def count_tokens(
    client: CompletionClient, endpoint: Endpoint, kind_id: str | None, text: str, model: str
) -> TokenCount:
    """The tokens of ``text``: exact from the kind's tokenizer endpoint, else an estimate.

    llama.cpp, llama-cpp-python, vLLM, koboldcpp and text-generation-webui have a
    tokenizer endpoint (``model`` picks the tokenizer where the server takes one; empty:
    the server's default); OpenAI, Ollama and LM Studio have none. When the endpoint fails
    for any reason (an old build, a relay in between, the server down) the result is
    :func:`estimate_tokens` with ``exact=False``: a count is never an error. Cancellation
    propagates. The estimate of a long text is made in a worker thread (in slices), so
    the event loop's thread stays free.
    """
    import asyncio

    tokenizer = get_kind(kind_id).tokenizer
    if tokenizer is not None:
        try:
            data = await client.post_json(
                endpoint, tokenizer_url(endpoint, tokenizer), tokenizer.payload(text, model)
            )
        except CompletionError:
            data = None
        count = tokenizer.count(data) if data is not None else None
        if count is not None:
            return TokenCount(count, True)
    if len(text) <= _INLINE_ESTIMATE:
        return TokenCount(estimate_tokens(text), False)
    return TokenCount(await asyncio.to_thread(estimate_tokens, text), False)
