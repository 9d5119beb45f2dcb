"""Prompt templates: ``{{name}}`` placeholders filled from a data row.

A placeholder is ``{{`` + a column name + ``}}`` (spaces around the name are allowed:
``{{ question }}``); a name may hold any character but braces and line breaks, so Chinese
column names work. :func:`render` fills placeholders in one pass (a value that itself
contains ``{{x}}`` is not filled again) and leaves a placeholder without a value as it is.
:func:`check_template` says, before anything is sent, which placeholders have no column
(errors) and which columns no placeholder uses (notes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.core.messages import QT_TRANSLATE_NOOP, Message, kind

__all__ = ["PLACEHOLDER", "TemplateCheck", "check_template", "placeholders", "render"]

PLACEHOLDER = re.compile(r"\{\{\s*([^{}\r\n]+?)\s*\}\}")

MISSING_COLUMN = kind(
    "batch.missing_column",
    QT_TRANSLATE_NOOP("Core", "The placeholder {placeholder} has no column in the data."),
)
UNUSED_COLUMN = kind(
    "batch.unused_column",
    QT_TRANSLATE_NOOP("Core", "The column {name} is not used by the template."),
)
NO_PLACEHOLDER = kind(
    "batch.no_placeholder",
    QT_TRANSLATE_NOOP(
        "Core",
        "The template has no placeholder such as {example}: every row sends the same prompt.",
    ),
)
EXPECTED_MISSING = kind(
    "batch.expected_missing",
    QT_TRANSLATE_NOOP("Core", "The expected column {name} is not in the data."),
)


@dataclass
class TemplateCheck:
    """What :func:`check_template` found: errors stop the batch, notes do not."""

    errors: list[Message] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def placeholders(*texts: str) -> list[str]:
    """The column names the texts' placeholders use, each once, in order of appearance."""
    names: dict[str, None] = {}
    for text in texts:
        names.update(dict.fromkeys(m.group(1) for m in PLACEHOLDER.finditer(text)))
    return list(names)


def render(text: str, values: Mapping[str, str]) -> str:
    """``text`` with every placeholder replaced by its column's value."""

    def fill(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        return match.group(0) if value is None else value

    return PLACEHOLDER.sub(fill, text)


def check_template(
    texts: Iterable[str], columns: Iterable[str], expected_column: str | None = None
) -> TemplateCheck:
    """Placeholders without a column (errors), the expected column when the data lacks it
    (error), columns no placeholder uses (notes; the expected column is used)."""
    check = TemplateCheck()
    names = placeholders(*texts)
    known = list(columns)
    for name in names:
        if name not in known:
            check.errors.append(MISSING_COLUMN(placeholder="{{" + name + "}}"))
    if expected_column and expected_column not in known:
        check.errors.append(EXPECTED_MISSING(name=expected_column))
    if not names:
        check.notes.append(NO_PLACEHOLDER(example="{{" + (known[0] if known else "name") + "}}"))
    for column in known:
        if column not in names and column != expected_column:
            check.notes.append(UNUSED_COLUMN(name=column))
    return check
