"""A batch as the user sets it up, checked against its data, and kept in a batch file.

:class:`BatchSpec` holds the prompt template and request parameters (the ``suffix``
parameter may hold placeholders too), 1 to 4 variants (:class:`~app.core.compare.
CompareTarget`: profile, model and parameter overrides, custom parameters too), the data
file it reads, the expected column with its match mode (and whether to score the expected
text's log-likelihood), and the concurrency per profile.

:meth:`BatchSpec.check` says before anything is sent what stops the batch (errors) and
what the user may want to know (notes), all as :class:`~app.core.messages.Message`.

A batch file is one JSON document (``schema_version``, ``kind``
``"completion-playground/batch"``) that saves and opens like a preset:
:func:`write_batch_file` writes it atomically (the data path relative to the batch file's
folder when it is inside it), :func:`read_batch_file` reads it and raises nothing but
:class:`BatchFileError`, whatever bytes the file holds.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.atomic import atomic_write_json
from app.core.batch.data import FORMATS, DataSet
from app.core.batch.scoring import MATCH_MODES, REGEX, regex_problem
from app.core.batch.template import check_template
from app.core.compare import MAX_TARGETS, CompareTarget, OverrideError, parse_overrides
from app.core.messages import QT_TRANSLATE_NOOP, Message, kind
from app.core.presets import parameter_type_errors
from app.core.request import CompletionRequest, RequestValidationError

__all__ = [
    "BATCH_KIND",
    "DEFAULT_CONCURRENCY",
    "MAX_CONCURRENCY",
    "MAX_VARIANTS",
    "BatchCheck",
    "BatchFileError",
    "BatchSpec",
    "read_batch_file",
    "write_batch_file",
]

SCHEMA_VERSION = 1
BATCH_KIND = "completion-playground/batch"
MAX_VARIANTS = MAX_TARGETS
MAX_CONCURRENCY = 16
DEFAULT_CONCURRENCY = 4

PROMPT_NOT_TEXT = kind(
    "batch.prompt_not_text",
    QT_TRANSLATE_NOOP("Core", "A batch prompt must be text (a template such as {example})."),
)
VARIANT_COUNT = kind(
    "batch.variant_count",
    QT_TRANSLATE_NOOP("Core", "A batch runs against 1 to {max} variants ({count} given)."),
)
BAD_CONCURRENCY = kind(
    "batch.concurrency",
    QT_TRANSLATE_NOOP("Core", "Concurrency must be a whole number from 1 to {max}."),
)
BAD_MATCH = kind(
    "batch.match_mode",
    QT_TRANSLATE_NOOP("Core", "The match mode must be exact, contains or regex ({mode} given)."),
)
BAD_REGEX = kind(
    "batch.bad_regex",
    QT_TRANSLATE_NOOP(
        "Core", "Row {row}: the expected value is not a regular expression ({reason})."
    ),
)
VARIANT_INVALID = kind(
    "batch.variant_invalid", QT_TRANSLATE_NOOP("Core", "Variant {number}: {problems}")
)
FILE_UNREADABLE = kind(
    "batch.file_unreadable",
    QT_TRANSLATE_NOOP("Core", "The batch file {path} cannot be read ({reason})."),
)
FILE_INVALID = kind(
    "batch.file_invalid",
    QT_TRANSLATE_NOOP("Core", "The batch file {path} cannot be used: {problem}."),
)


class BatchFileError(ValueError):
    """A batch file cannot be read or used; ``msg`` names the file and the problem."""

    def __init__(self, msg: Message) -> None:
        self.msg = msg
        super().__init__(str(msg))


@dataclass
class BatchCheck:
    """What stops a batch (``errors``) and what only informs (``notes``)."""

    errors: list[Message] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass
class BatchSpec:
    """A batch's template, variants, data file reference, expected column and concurrency."""

    prompt: Any = ""
    #: Request parameters shared by every variant (``suffix`` may hold placeholders).
    parameters: dict[str, Any] = field(default_factory=dict)
    variants: list[CompareTarget] = field(default_factory=list)
    data_path: str = ""
    #: ``csv``, ``tsv`` or ``jsonl``; ``None``: by the data file's extension.
    data_format: str | None = None
    expected_column: str | None = None
    match: str = "exact"
    #: Also score the expected text's log-likelihood (needs echo + logprobs).
    loglik: bool = False
    #: Requests in flight at once, per profile.
    concurrency: int = DEFAULT_CONCURRENCY
    name: str = ""
    #: Fields written by a newer version, kept on save.
    extra: dict[str, Any] = field(default_factory=dict)

    def base_request(self) -> CompletionRequest:
        """The shared request (no model yet: each variant has its own)."""
        return CompletionRequest(model="", prompt=self.prompt, params=self.parameters)

    @property
    def suffix(self) -> str:
        suffix = self.parameters.get("suffix")
        return suffix if isinstance(suffix, str) else ""

    def check(self, data: DataSet) -> BatchCheck:
        """Everything that can be known before sending: errors stop the batch."""
        check = BatchCheck()
        if not isinstance(self.prompt, str):
            check.errors.append(PROMPT_NOT_TEXT(example="{{question}}"))
            prompt = ""
        else:
            prompt = self.prompt
        if not 1 <= len(self.variants) <= MAX_VARIANTS:
            check.errors.append(VARIANT_COUNT(max=MAX_VARIANTS, count=len(self.variants)))
        if not _is_int(self.concurrency) or not 1 <= self.concurrency <= MAX_CONCURRENCY:
            check.errors.append(BAD_CONCURRENCY(max=MAX_CONCURRENCY))
        expected = self.expected_column or None
        if self.match not in MATCH_MODES:
            check.errors.append(BAD_MATCH(mode=self.match))
        template = check_template([prompt, self.suffix], data.columns, expected)
        check.errors += template.errors
        check.notes += template.notes
        if expected in data.columns and self.match == REGEX:
            for number, row in enumerate(data.rows, start=1):
                reason = regex_problem(row.get(expected, ""))
                if reason is not None:
                    check.errors.append(BAD_REGEX(row=number, reason=reason))
                    break
        base = self.base_request().with_changes(prompt=prompt)
        for number, variant in enumerate(self.variants, start=1):
            try:
                variant.request(base)
            except RequestValidationError as exc:
                problems = "; ".join(str(e) for e in exc.errors)
                check.errors.append(VARIANT_INVALID(number=number, problems=problems))
        return check

    def to_json(self, data_path: str | None = None) -> dict[str, Any]:
        data = {
            "schema_version": SCHEMA_VERSION,
            "kind": BATCH_KIND,
            "name": self.name,
            "prompt": self.prompt,
            "parameters": self.parameters,
            "variants": [
                {"profile": v.profile, "model": v.model, "overrides": v.overrides}
                for v in self.variants
            ],
            "data_path": self.data_path if data_path is None else data_path,
            "data_format": self.data_format,
            "expected_column": self.expected_column,
            "match": self.match,
            "loglik": self.loglik,
            "concurrency": self.concurrency,
        }
        return {**self.extra, **data}

    @classmethod
    def from_json(cls, data: Any, source: str = "") -> BatchSpec:
        """A batch from its JSON document; raises only :class:`BatchFileError`."""
        try:
            return _spec_from_json(data)
        except _Invalid as exc:
            raise BatchFileError(FILE_INVALID(path=source, problem=str(exc))) from None
        except (TypeError, ValueError, RecursionError, OverflowError) as exc:
            problem = f"{type(exc).__name__}: {exc}"
            raise BatchFileError(FILE_INVALID(path=source, problem=problem)) from None


class _Invalid(Exception):
    """A field of a batch document that cannot be used (the text names it)."""


def _text_or_none(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise _Invalid(f"'{name}' must be text")
    return value


def _variant(item: Any, number: int) -> CompareTarget:
    if not isinstance(item, dict):
        raise _Invalid(f"variant {number} is not an object")
    profile, model = item.get("profile", ""), item.get("model", "")
    if not isinstance(profile, str) or not isinstance(model, str):
        raise _Invalid(f"variant {number}: 'profile' and 'model' must be text")
    overrides = item.get("overrides", {})
    if not isinstance(overrides, dict):
        raise _Invalid(f"variant {number}: 'overrides' must be an object")
    try:
        checked = parse_overrides(json.dumps(overrides, allow_nan=False)) if overrides else {}
    except OverrideError as exc:
        raise _Invalid(f"variant {number}: {exc}") from None
    except ValueError:  # NaN or infinity
        raise _Invalid(f"variant {number}: 'overrides' holds a number JSON cannot") from None
    return CompareTarget(profile, model, checked)


def _spec_from_json(data: Any) -> BatchSpec:
    if not isinstance(data, dict):
        raise _Invalid("not a batch (the file is not a JSON object)")
    if data.get("kind") != BATCH_KIND:
        raise _Invalid("not a Completion Playground batch (no matching 'kind')")
    version = data.get("schema_version")
    if not _is_int(version) or version < 1:
        raise _Invalid("missing or invalid schema_version")
    prompt = data.get("prompt", "")
    if not isinstance(prompt, str):
        raise _Invalid("'prompt' must be text")
    params = data.get("parameters", {})
    if not isinstance(params, dict):
        raise _Invalid("'parameters' is not an object")
    problems = parameter_type_errors(params)
    if problems:
        raise _Invalid(f"invalid parameters ({'; '.join(problems)})")
    request = CompletionRequest(model="model", prompt=prompt, params=params)
    try:
        request.validate()
    except RequestValidationError as exc:
        raise _Invalid(f"invalid parameters ({exc})") from None
    items = data.get("variants", [])
    if not isinstance(items, list) or len(items) > MAX_VARIANTS:
        raise _Invalid(f"'variants' must be a list of at most {MAX_VARIANTS}")
    variants = [_variant(item, number) for number, item in enumerate(items, start=1)]
    data_path = data.get("data_path", "")
    if not isinstance(data_path, str):
        raise _Invalid("'data_path' must be text")
    data_format = _text_or_none(data, "data_format")
    if data_format is not None and data_format not in FORMATS:
        raise _Invalid(f"'data_format' must be one of {', '.join(FORMATS)}")
    expected = _text_or_none(data, "expected_column")
    match = data.get("match", "exact")
    if match not in MATCH_MODES:
        raise _Invalid(f"'match' must be one of {', '.join(MATCH_MODES)}")
    loglik = data.get("loglik", False)
    if not isinstance(loglik, bool):
        raise _Invalid("'loglik' must be true or false")
    concurrency = data.get("concurrency", DEFAULT_CONCURRENCY)
    if not _is_int(concurrency) or not 1 <= concurrency <= MAX_CONCURRENCY:
        raise _Invalid(f"'concurrency' must be a whole number from 1 to {MAX_CONCURRENCY}")
    name = data.get("name", "")
    if not isinstance(name, str):
        raise _Invalid("'name' must be text")
    known = set(BatchSpec(prompt="").to_json()) - {"schema_version", "kind"}
    return BatchSpec(
        prompt=prompt,
        parameters=dict(params),
        variants=variants,
        data_path=data_path,
        data_format=data_format,
        expected_column=expected or None,
        match=match,
        loglik=loglik,
        concurrency=concurrency,
        name=name,
        extra={k: v for k, v in data.items() if k not in known | {"schema_version", "kind"}},
    )


def read_batch_file(path: str | Path) -> BatchSpec:
    """The batch in ``path`` (a relative data path made absolute against its folder)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BatchFileError(FILE_UNREADABLE(path=str(path), reason=reason)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        reason = f"not valid JSON: {exc.msg}, line {exc.lineno}"
        raise BatchFileError(FILE_INVALID(path=str(path), problem=reason)) from None
    except (ValueError, RecursionError) as exc:
        reason = f"not valid JSON: {type(exc).__name__}"
        raise BatchFileError(FILE_INVALID(path=str(path), problem=reason)) from None
    spec = BatchSpec.from_json(data, str(path))
    if spec.data_path and not os.path.isabs(spec.data_path):
        spec.data_path = str(path.parent.absolute() / spec.data_path)
    return spec


def write_batch_file(path: str | Path, spec: BatchSpec) -> None:
    """Save ``spec`` atomically (raises OSError); a data file in the same folder (or
    below) is referred to relative to it, so the two can move together."""
    path = Path(path)
    data_path = spec.data_path
    if data_path and os.path.isabs(data_path):
        folder = path.parent.absolute()
        with contextlib.suppress(ValueError):  # elsewhere: kept absolute
            data_path = Path(data_path).relative_to(folder).as_posix()
    atomic_write_json(path, spec.to_json(data_path=data_path))
