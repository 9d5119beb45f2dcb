"""The completion request: model, prompt and parameters, validated against the registry.

A :class:`CompletionRequest` holds what the user set; a parameter that is absent is never
sent. What each parameter is (type, range) comes from :mod:`app.core.parameters`; custom
parameters the registry does not know are sent as given. :meth:`CompletionRequest.to_body`
validates the whole request first and raises :class:`RequestValidationError` naming the
offending field, so nothing invalid leaves the app. The seeds' type errors
(``temperature: integer``, ``logprobs: null``, ``stop: string``) are corrected to what the
real API takes: floats, an integer 0-5, a list of strings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from app.core import parameters
from app.core.messages import QT_TRANSLATE_NOOP, Message, kind

__all__ = [
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
LOGIT_BIAS_RANGE = (-100, 100)

CHOOSE_MODEL = kind("request.model", QT_TRANSLATE_NOOP("Core", "choose or type a model name"))
NO_STREAM_BEST_OF = kind(
    "request.best_of_stream", QT_TRANSLATE_NOOP("Core", "cannot be used with streaming")
)
GREATER_THAN_N = kind(
    "request.best_of_n", QT_TRANSLATE_NOOP("Core", "must be greater than n ({n})")
)
USAGE_NEEDS_STREAM = kind(
    "request.usage_stream", QT_TRANSLATE_NOOP("Core", "include_usage needs streaming")
)
BAD_NAME = kind(
    "request.custom_name",
    QT_TRANSLATE_NOOP(
        "Core", "a parameter name is a letter or _ followed by letters, digits, _, . or -"
    ),
)
RESERVED_NAME = kind(
    "request.reserved_name",
    QT_TRANSLATE_NOOP("Core", "model, prompt and stream have their own fields"),
)
PROMPT_KIND = kind(
    "request.prompt_kind",
    QT_TRANSLATE_NOOP("Core", "must be text, a list of texts or a list of token ids"),
)
PROMPT_EMPTY_LIST = kind(
    "request.prompt_empty", QT_TRANSLATE_NOOP("Core", "a prompt list must not be empty")
)
PROMPT_EMPTY_ROW = kind(
    "request.prompt_empty_row",
    QT_TRANSLATE_NOOP("Core", "each token-id list must contain at least one id"),
)
TOKEN_IDS = kind(
    "request.token_ids", QT_TRANSLATE_NOOP("Core", "token ids must be non-negative whole numbers")
)
TOKEN_IDS_TYPED = kind(
    "request.token_ids_typed",
    QT_TRANSLATE_NOOP("Core", "token ids must be whole numbers separated by commas"),
)
BIAS_OBJECT = kind(
    "request.bias_object",
    QT_TRANSLATE_NOOP("Core", 'must be a JSON object such as {{"50256": -100}}'),
)
BIAS_KEY = kind(
    "request.bias_key", QT_TRANSLATE_NOOP("Core", "key {key} is not a token id (a whole number)")
)
BIAS_INTEGER = kind(
    "request.bias_int", QT_TRANSLATE_NOOP("Core", "bias for token {key} must be an integer")
)
BIAS_RANGE = kind(
    "request.bias_range",
    QT_TRANSLATE_NOOP("Core", "bias for token {key} must be between -100 and 100"),
)


class FieldError(NamedTuple):
    """One problem with one request field (``msg`` is worded by the front end)."""

    field: str
    msg: Message

    @property
    def message(self) -> str:
        """The problem in English."""
        return str(self.msg)

    def __str__(self) -> str:
        return f"{self.field}: {self.msg}"


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
        return parameters.parse_json_text(text)
    except ValueError as exc:
        raise RequestValidationError([FieldError(field_name, exc.args[0])]) from None


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
        return [FieldError("logit_bias", BIAS_OBJECT())]
    low, high = LOGIT_BIAS_RANGE
    for key, value in data.items():
        if not str(key).isdigit():
            return [FieldError("logit_bias", BIAS_KEY(key=repr(key)))]
        integral = _is_int(value) or (isinstance(value, float) and value.is_integer())
        if not integral:
            return [FieldError("logit_bias", BIAS_INTEGER(key=key))]
        if not low <= value <= high:
            return [FieldError("logit_bias", BIAS_RANGE(key=key))]
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
        raise RequestValidationError([FieldError("prompt", TOKEN_IDS_TYPED())]) from None
    errors = _prompt_errors(data)
    if errors or isinstance(data, str) or (data and isinstance(data[0], str)):
        raise RequestValidationError(errors or [FieldError("prompt", TOKEN_IDS())])
    return data


def _prompt_errors(prompt: object) -> list[FieldError]:
    if isinstance(prompt, str):
        return []
    if not isinstance(prompt, list):
        return [FieldError("prompt", PROMPT_KIND())]
    if not prompt:
        return [FieldError("prompt", PROMPT_EMPTY_LIST())]
    if all(isinstance(p, str) for p in prompt):
        return []
    if all(isinstance(p, list) for p in prompt):
        for row in prompt:
            if not row:
                return [FieldError("prompt", PROMPT_EMPTY_ROW())]
            if not all(_is_int(t) and t >= 0 for t in row):
                return [FieldError("prompt", TOKEN_IDS())]
        return []
    if all(_is_int(t) and t >= 0 for t in prompt):
        return []
    return [FieldError("prompt", TOKEN_IDS())]


class CompletionRequest:
    """Everything the user set for one completion; a parameter that is absent is left to
    the server (never sent as ``null``).

    ``params`` maps body keys to JSON values: the registry's parameters
    (:mod:`app.core.parameters`) and any custom ones. Keyword arguments are parameters too
    (``CompletionRequest(model="m", prompt="p", top_k=40)``); ``None`` means "not set".
    Registry parameters read as attributes (``request.n`` is ``None`` when not set).
    Immutable: :meth:`with_changes` makes a changed copy.
    """

    __slots__ = ("model", "params", "prompt", "stream")

    model: str
    prompt: Prompt
    stream: bool
    params: dict[str, Any]

    def __init__(
        self,
        model: str,
        prompt: Prompt = "",
        *,
        stream: bool | None = True,
        params: Mapping[str, Any] | None = None,
        **named: Any,
    ) -> None:
        merged: dict[str, Any] = {}
        for source in (params or {}, named):
            for key, value in source.items():
                if key == "stream":
                    stream = value
                    continue
                value = _normalise(key, value)
                if value is None:
                    merged.pop(key, None)
                else:
                    merged[key] = value
        object.__setattr__(self, "model", model)
        object.__setattr__(self, "prompt", prompt)
        object.__setattr__(self, "stream", True if stream is None else stream)
        object.__setattr__(self, "params", merged)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("CompletionRequest is immutable; use with_changes()")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if parameters.is_known(name):
            value = self.params.get(name)
            return tuple(value) if isinstance(value, list) and name == "stop" else value
        raise AttributeError(name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CompletionRequest):
            return NotImplemented
        return (self.model, self.prompt, self.stream, self.params) == (
            other.model, other.prompt, other.stream, other.params,
        )  # fmt: skip

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"CompletionRequest(model={self.model!r}, prompt={self.prompt!r}, "
            f"stream={self.stream!r}, params={self.params!r})"
        )

    def with_changes(self, **changes: Any) -> CompletionRequest:
        """A copy with some fields changed; a parameter set to ``None`` is removed."""
        params = dict(self.params)
        model = changes.pop("model", self.model)
        prompt = changes.pop("prompt", self.prompt)
        stream = changes.pop("stream", self.stream)
        for key, value in changes.items():
            params[key] = value
        return CompletionRequest(model, prompt, stream=stream, params=params)

    def without(self, names: Iterable[str]) -> CompletionRequest:
        """A copy without these parameters."""
        return self.with_changes(**dict.fromkeys(names))

    @property
    def choice_count(self) -> int:
        """How many choices the server should return (``n``, default 1)."""
        n = self.params.get("n")
        return n if isinstance(n, int) and not isinstance(n, bool) and n > 0 else 1

    def parameters(self) -> dict[str, Any]:
        """Every parameter with ``stream``, as presets and the saved session keep them."""
        return {**self.params, "stream": self.stream}

    def custom_parameters(self) -> dict[str, Any]:
        """The parameters the registry does not know."""
        return {k: v for k, v in self.params.items() if not parameters.is_known(k)}

    def validation_errors(self) -> list[FieldError]:
        """Every problem with this request, in field order; empty when it can be sent."""
        errors: list[FieldError] = []
        if not isinstance(self.model, str) or not self.model.strip():
            errors.append(FieldError("model", CHOOSE_MODEL()))
        errors += _prompt_errors(self.prompt)
        if not isinstance(self.stream, bool):
            errors.append(FieldError("stream", parameters.TRUE_FALSE()))
        for name, value in self.params.items():
            param = parameters.get(name)
            if param is None:
                problem = _custom_error(name, value)
            elif name == "logit_bias" and isinstance(value, dict):
                errors += _logit_bias_errors(value)
                continue
            else:
                problem = parameters.check_value(param, value)
            if problem is not None:
                errors.append(FieldError(name, problem))
        params = self.params
        best_of, n = params.get("best_of"), params.get("n")
        if _is_int(best_of):
            if self.stream:
                errors.append(FieldError("best_of", NO_STREAM_BEST_OF()))
            if _is_int(n) or n is None:
                count = self.choice_count
                if best_of <= count:
                    errors.append(FieldError("best_of", GREATER_THAN_N(n=count)))
        if params.get("include_usage") and not self.stream:
            errors.append(FieldError("stream_options", USAGE_NEEDS_STREAM()))
        return errors

    def validate(self) -> None:
        errors = self.validation_errors()
        if errors:
            raise RequestValidationError(errors)

    def to_body(self) -> dict[str, Any]:
        """The JSON body to send: validated, only the parameters that were set, no nulls."""
        self.validate()
        body: dict[str, Any] = {
            "model": self.model.strip(),
            "prompt": self.prompt,
        }
        known = [p for p in parameters.PARAMS if p.name in self.params]
        for param in known:
            value = parameters.coerce_value(param, self.params[param.name])
            if param.name == "logit_bias" and isinstance(value, dict):
                if not value:
                    continue
                value = {str(k): int(v) for k, v in value.items()}
            if param.name == "stop" and not value:
                continue
            if param.body_path:
                if value is False:
                    continue
                target = body
                for key in param.body_path[:-1]:
                    target = target.setdefault(key, {})
                target[param.body_path[-1]] = value
            else:
                body[param.name] = value
        for name, value in self.custom_parameters().items():
            param = parameters.get(name)
            body[name] = value
        body["stream"] = self.stream
        if not self.stream:
            body.pop("stream_options", None)
        return body

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> CompletionRequest:
        """Rebuild a request from a JSON body (the inverse of :meth:`to_body`).

        Fields the registry does not know are kept as custom parameters, never dropped.
        """
        params = {k: v for k, v in body.items() if k not in ("model", "prompt", "stream")}
        options = params.pop("stream_options", None)
        if isinstance(options, dict):
            rest = {k: v for k, v in options.items() if k != "include_usage"}
            if options.get("include_usage"):
                params["include_usage"] = True
            if rest:
                params["stream_options"] = rest
        elif options is not None:
            params["stream_options"] = options
        stream = body.get("stream", False)
        model = body.get("model", "")
        return cls(
            model if isinstance(model, str) else str(model),
            body.get("prompt", ""),
            stream=stream if isinstance(stream, bool) else bool(stream),
            params=params,
        )


def _normalise(name: str, value: Any) -> Any:
    """``None`` for "not set"; tuples as lists; an empty stop list is no stop at all."""
    if value is None:
        return None
    if name == "stop":
        if isinstance(value, str):
            value = [value]
        if isinstance(value, (list, tuple)) and not value:
            return None
    if isinstance(value, tuple):
        value = list(value)
    return value


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]{0,63}")


def _custom_error(name: object, value: Any) -> Message | None:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        return BAD_NAME()
    if name in ("model", "prompt", "stream"):
        return RESERVED_NAME()
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return parameters.JSON_VALUE()
    return None
