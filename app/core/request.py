"""The completion request model: every parameter of ``POST /v1/completions`` and its rules.

A :class:`CompletionRequest` holds what the user set; ``None`` means "not set" and is never
sent. :meth:`CompletionRequest.to_body` validates the whole request first and raises
:class:`RequestValidationError` naming the offending field, so nothing invalid leaves the app.
The seeds' type errors (``temperature: integer``, ``logprobs: null``, ``stop: string``) are
corrected here to what the real API takes: floats, an integer 0-5, a list of strings.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, fields, replace
from typing import Any

__all__ = [
    "LIMITS",
    "MAX_STOP_SEQUENCES",
    "CompletionRequest",
    "FieldError",
    "Prompt",
    "RequestValidationError",
    "parse_logit_bias",
    "parse_structured_prompt",
    "parse_token_prompt",
]

Prompt = str | list[str] | list[int] | list[list[int]]

MAX_STOP_SEQUENCES = 4
INT64_MAX = 2**63 - 1

#: (minimum, maximum) for each numeric parameter, shared by validation, the CLI and the UI.
LIMITS: dict[str, tuple[float, float]] = {
    "max_tokens": (0, 1_000_000),
    "temperature": (0.0, 2.0),
    "top_p": (0.0, 1.0),
    "n": (1, 128),
    "best_of": (1, 20),
    "logprobs": (0, 5),
    "presence_penalty": (-2.0, 2.0),
    "frequency_penalty": (-2.0, 2.0),
    "seed": (-(2**63), INT64_MAX),
}
_INT_FIELDS = ("max_tokens", "n", "best_of", "logprobs", "seed")
_FLOAT_FIELDS = ("temperature", "top_p", "presence_penalty", "frequency_penalty")
LOGIT_BIAS_RANGE = (-100, 100)


@dataclass(frozen=True)
class FieldError:
    """One problem with one request field, phrased for a user."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class RequestValidationError(ValueError):
    """The request cannot be sent; ``errors`` lists every problem, field by field."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))

    @property
    def field(self) -> str:
        return self.errors[0].field


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _load_json(text: str, field_name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RequestValidationError(
            [FieldError(field_name, f"not valid JSON ({exc.msg} at column {exc.colno})")]
        ) from None


def parse_logit_bias(text: str) -> dict[str, int]:
    """Parse the logit_bias JSON typed by a user: ``{"50256": -100}``.

    Keys must be token ids, values integers from -100 to 100. Raises
    :class:`RequestValidationError` (field ``logit_bias``) with a precise message.
    """
    if not text.strip():
        return {}
    data = _load_json(text, "logit_bias")
    errors = _logit_bias_errors(data)
    if errors:
        raise RequestValidationError(errors)
    return {str(k): int(v) for k, v in data.items()}


def _logit_bias_errors(data: object) -> list[FieldError]:
    if not isinstance(data, dict):
        return [FieldError("logit_bias", 'must be a JSON object such as {"50256": -100}')]
    low, high = LOGIT_BIAS_RANGE
    for key, value in data.items():
        if not str(key).isdigit():
            return [FieldError("logit_bias", f"key {key!r} is not a token id (a whole number)")]
        integral = _is_int(value) or (isinstance(value, float) and value.is_integer())
        if not integral:
            return [FieldError("logit_bias", f"bias for token {key} must be an integer")]
        if not low <= value <= high:
            return [FieldError("logit_bias", f"bias for token {key} must be between -100 and 100")]
    return []


def parse_structured_prompt(text: str) -> Prompt:
    """A prompt typed as JSON: a list of strings, of token ids, or of token-id lists.

    Bare comma-separated ids (``1212, 318, 257``) are accepted too.
    """
    stripped = text.strip()
    if not stripped.startswith("["):
        return parse_token_prompt(stripped)
    data = _load_json(stripped, "prompt")
    errors = _prompt_errors(data)
    if errors:
        raise RequestValidationError(errors)
    return data  # type: ignore[no-any-return]


def parse_token_prompt(text: str) -> list[int] | list[list[int]]:
    """Parse token ids typed by a user: ``1212, 318, 257`` or JSON ``[[1212, 318], [13]]``."""
    stripped = text.strip()
    try:
        data = json.loads(stripped if stripped.startswith("[") else f"[{stripped}]")
    except json.JSONDecodeError:
        raise RequestValidationError(
            [FieldError("prompt", "token ids must be whole numbers separated by commas")]
        ) from None
    errors = _prompt_errors(data)
    if errors or isinstance(data, str) or (data and isinstance(data[0], str)):
        raise RequestValidationError(
            errors or [FieldError("prompt", "token ids must be whole numbers")]
        )
    return data


def _prompt_errors(prompt: object) -> list[FieldError]:
    if isinstance(prompt, str):
        return []
    if not isinstance(prompt, list):
        return [FieldError("prompt", "must be text, a list of texts or a list of token ids")]
    if not prompt:
        return [FieldError("prompt", "a prompt list must not be empty")]
    if all(isinstance(p, str) for p in prompt):
        return []
    if all(isinstance(p, list) for p in prompt):
        for row in prompt:
            if not row:
                return [FieldError("prompt", "each token-id list must contain at least one id")]
            if not all(_is_int(t) and t >= 0 for t in row):
                return [FieldError("prompt", "token ids must be non-negative whole numbers")]
        return []
    if all(_is_int(t) and t >= 0 for t in prompt):
        return []
    return [FieldError("prompt", "token ids must be non-negative whole numbers")]


@dataclass(frozen=True)
class CompletionRequest:
    """Everything the user can set for one completion; ``None`` means "leave to the server"."""

    model: str
    prompt: Prompt = ""
    suffix: str | None = None
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    n: int | None = None
    stream: bool = True
    logprobs: int | None = None
    echo: bool | None = None
    stop: tuple[str, ...] = ()
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    best_of: int | None = None
    logit_bias: dict[str, int] | None = field(default=None, hash=False)
    seed: int | None = None
    user: str | None = None
    include_usage: bool | None = None

    def with_changes(self, **changes: Any) -> CompletionRequest:
        return replace(self, **changes)

    @property
    def choice_count(self) -> int:
        """How many choices the server should return (``n``, default 1)."""
        return self.n or 1

    def validation_errors(self) -> list[FieldError]:
        """Every problem with this request, in field order; empty when it can be sent."""
        errors: list[FieldError] = []
        if not isinstance(self.model, str) or not self.model.strip():
            errors.append(FieldError("model", "choose or type a model name"))
        errors += _prompt_errors(self.prompt)
        for name in _INT_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            if not _is_int(value):
                errors.append(FieldError(name, "must be a whole number"))
                continue
            errors += _range_error(name, value)
        for name in _FLOAT_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                errors.append(FieldError(name, "must be a number"))
            elif not math.isfinite(value):
                errors.append(FieldError(name, "must be a finite number"))
            else:
                errors += _range_error(name, value)
        if len(self.stop) > MAX_STOP_SEQUENCES:
            errors.append(
                FieldError("stop", f"at most {MAX_STOP_SEQUENCES} stop sequences are allowed")
            )
        if any(not isinstance(s, str) or s == "" for s in self.stop):
            errors.append(FieldError("stop", "stop sequences must be non-empty text"))
        if self.best_of is not None and _is_int(self.best_of):
            if self.stream:
                errors.append(FieldError("best_of", "cannot be used with streaming"))
            if _is_int(self.n) or self.n is None:
                n = self.choice_count
                if self.best_of <= n:
                    errors.append(FieldError("best_of", f"must be greater than n ({n})"))
        if self.logit_bias is not None:
            errors += _logit_bias_errors(self.logit_bias)
        if self.include_usage and not self.stream:
            errors.append(FieldError("stream_options", "include_usage needs streaming"))
        if self.user is not None and not isinstance(self.user, str):
            errors.append(FieldError("user", "must be text"))
        return errors

    def validate(self) -> None:
        errors = self.validation_errors()
        if errors:
            raise RequestValidationError(errors)

    def to_body(self) -> dict[str, Any]:
        """The JSON body to send: validated, only the parameters that were set, no nulls."""
        self.validate()
        body: dict[str, Any] = {"model": self.model.strip(), "prompt": self.prompt}
        for f in fields(self):
            name = f.name
            if name in ("model", "prompt", "stream", "stop", "include_usage", "echo"):
                continue
            value = getattr(self, name)
            if value is None:
                continue
            if name in _FLOAT_FIELDS:
                value = float(value)
            if name == "logit_bias":
                if not value:
                    continue
                value = {str(k): int(v) for k, v in value.items()}
            body[name] = value
        if self.echo:
            body["echo"] = True
        if self.stop:
            body["stop"] = list(self.stop)
        body["stream"] = self.stream
        if self.stream and self.include_usage:
            body["stream_options"] = {"include_usage": True}
        return body

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> CompletionRequest:
        """Rebuild a request from a JSON body (the inverse of :meth:`to_body`)."""
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in body.items() if k in known}
        stop = body.get("stop")
        kwargs["stop"] = tuple([stop] if isinstance(stop, str) else (stop or ()))
        options = body.get("stream_options") or {}
        if options.get("include_usage"):
            kwargs["include_usage"] = True
        kwargs.setdefault("stream", False)
        return cls(**kwargs)


def _range_error(name: str, value: float) -> list[FieldError]:
    low, high = LIMITS[name]
    if low <= value <= high:
        return []
    if name in _INT_FIELDS:
        return [FieldError(name, f"must be between {int(low)} and {int(high)}")]
    return [FieldError(name, f"must be between {low:g} and {high:g}")]
