"""What the core has to say, as data: a code, an English template and the values.

The core never words a sentence for a window. It returns a :class:`Message` (``code``,
``template``, ``values``); the CLI prints ``str(message)`` (English), the window words it
once with ``QCoreApplication.translate(context, template)`` in the UI's language (see
``app/ui/shell/wording.py``). The English template is the translation source: each one is
declared once, here or next to the code that reports it, with :func:`QT_TRANSLATE_NOOP`
so that ``pyside6-lupdate`` extracts it (the name is what lupdate looks for; the function
itself is pure Python and does nothing).

Values are shown as they came (a server's own words are quoted, never translated); a value
that is itself a :class:`Message` is worded in the same language. A message whose
template counts something carries ``count`` so the UI can pick the right plural form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

__all__ = ["CONTEXT", "QT_TRANSLATE_NOOP", "Message", "MessageKind", "kind"]

#: The translation context of every core template.
CONTEXT = "Core"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for extraction by lupdate; returns it unchanged."""
    del context
    return text


class _Formatter(dict[str, Any]):
    """Leaves an unknown ``{name}`` as it is instead of raising (a template typo)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, values: Mapping[str, Any]) -> str:
    """``template.format_map(values)``, robust against a missing or odd value."""
    try:
        return template.format_map(_Formatter(values))
    except (ValueError, TypeError, IndexError, KeyError, AttributeError):
        return template + " " + ", ".join(f"{k}={v}" for k, v in values.items())


@dataclass(frozen=True)
class Message:
    """One sentence to show, not yet worded."""

    code: str
    template: str
    values: Mapping[str, Any] = field(default_factory=dict)
    #: The value that counts something, if any: its template says ``%n`` where the number
    #: goes, and the UI picks the plural form (Qt's numerus translations).
    count: str | None = None

    def __str__(self) -> str:
        template = self.template
        if self.count is not None and "%n" in template:
            template = template.replace("%n", str(self.values.get(self.count, "")))
        return render(template, self.plain_values())

    def plain_values(self) -> dict[str, Any]:
        """The values with nested messages in English (for JSON output and logs)."""
        return {k: str(v) if isinstance(v, Message) else v for k, v in self.values.items()}

    def map_text(self, change: Callable[[str], str]) -> Message:
        """A copy with ``change`` applied to every text value, nested messages included."""
        values = {
            k: v.map_text(change)
            if isinstance(v, Message)
            else change(v)
            if isinstance(v, str)
            else v
            for k, v in self.values.items()
        }
        return Message(self.code, self.template, values, self.count)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "text": str(self), "values": self.plain_values()}


class MessageKind(NamedTuple):
    """A declared message: ``KIND(**values)`` makes a :class:`Message`."""

    code: str
    template: str
    count: str | None = None

    def __call__(self, **values: Any) -> Message:
        return Message(self.code, self.template, values, self.count)


def kind(code: str, template: str, count: str | None = None) -> MessageKind:
    """Declare a message kind; pass the template through :func:`QT_TRANSLATE_NOOP`."""
    return MessageKind(code, template, count)
