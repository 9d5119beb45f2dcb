"""Which request parameters an endpoint rejects, learned from its error answers.

Servers differ: llama.cpp's server rejects ``best_of``/``suffix``/``echo``, vLLM rejects
``suffix``, OpenAI forbids ``best_of`` with ``stream``, Ollama has no logprobs. When a run
fails with a 4xx whose ``param`` field or message names a parameter that was sent,
:func:`rejected_parameter` finds it; the front end offers to retry without it and stores
the name in the profile's ``unsupported`` list, after which :func:`without_unsupported`
leaves it out of requests to that profile (the value in the form is kept).

A server that silently ignores a parameter is caught where it can be seen:
:func:`ignored_parameters` notices logprobs or echo that were asked for and not returned.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from app.core import parameters
from app.core.errors import APIStatusError, CompletionError
from app.core.messages import QT_TRANSLATE_NOOP, kind
from app.core.request import CompletionRequest

if TYPE_CHECKING:
    from app.core.result import CompletionResult

__all__ = [
    "IGNORED_PARAMETERS",
    "REQUIRED",
    "ignored_parameters",
    "rejected_parameter",
    "without_unsupported",
]

#: Body keys that can never be left out.
REQUIRED = ("model", "prompt", "stream")


def optional(key: str) -> bool:
    """Whether a body key can be left out (every parameter, custom ones too)."""
    return key not in REQUIRED


IGNORED_PARAMETERS = kind(
    "capabilities.ignored", QT_TRANSLATE_NOOP("Core", "The server accepted but ignored: {names}.")
)

# Statuses that mean "this request is not acceptable" (422: FastAPI/pydantic servers,
# 501: "not implemented" from some relays).
_REJECTING_STATUSES = (400, 422, 501)
# Mentioned in nearly every error, so never the culprit on their own.
_UNLIKELY = ("stream", "model", "prompt")

# The request parameter that controls each body key (where they differ).
_FIELD_FOR_KEY = {p.body_path[0]: p.name for p in parameters.PARAMS if p.body_path is not None}


def _mentions(text: str, name: str) -> int:
    """Position of ``name`` as a whole word in ``text`` (``-1`` if absent)."""
    match = re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", text)
    return match.start() if match else -1


def rejected_parameter(error: CompletionError | None, body: dict[str, Any]) -> str | None:
    """The body key an error answer says is not accepted, or ``None`` if it names none.

    Uses the error's ``param`` when it names a key that was sent, else the first optional
    key that the server's message mentions as a word (``best_of`` in "best_of cannot be
    used with stream", ``suffix`` in pydantic's ``{"loc": ["body", "suffix"]}``).
    """
    if not isinstance(error, APIStatusError):
        return None
    sent = [key for key in body if optional(key)]
    if error.param:
        # Named by the server (or by a Go relay's unmarshal error, which some answer with
        # 500): trusted whatever the status, as long as the request had that field.
        param = str(error.param).split(".")[0].split("[")[0]
        if param in sent:
            return param
    if error.status_code not in _REJECTING_STATUSES:
        return None
    text = f"{error.server_message}\n{error.body}"
    found = [(pos, key) for key in sent if (pos := _mentions(text, key)) >= 0]
    if not found:
        return None
    found.sort()
    return found[0][1]


def without_unsupported(
    request: CompletionRequest, unsupported: Iterable[str]
) -> tuple[CompletionRequest, list[str]]:
    """``request`` minus the parameters in ``unsupported``; also the names left out."""
    dropped: list[str] = []
    names: list[str] = []
    body = request.to_body()
    for key in unsupported:
        if key not in body or not optional(key):
            continue
        names.append(_FIELD_FOR_KEY.get(key, key))
        dropped.append(key)
    return (request.without(names) if names else request), dropped


def ignored_parameters(request: CompletionRequest, result: CompletionResult) -> list[str]:
    """Parameters the server accepted but visibly did not honour in ``result``."""
    if not result.ok or not result.choices:
        return []
    ignored: list[str] = []
    if request.logprobs is not None and not any(c.tokens for c in result.choices.values()):
        ignored.append("logprobs")
    prompt = request.prompt
    if request.echo and isinstance(prompt, str) and prompt:
        echoed = all(c.text.startswith(prompt) for c in result.choices.values())
        if not echoed:
            ignored.append("echo")
    return ignored
