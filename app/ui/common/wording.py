"""The one translation boundary: a core :class:`~app.core.messages.Message` in the UI's language.

The core returns what happened as data (a code, an English template, the values); this
module words it with ``QCoreApplication.translate`` in the core's context, so every sentence
the core reports reaches a Chinese window in Chinese. Values that are messages themselves
are worded the same way; anything else (a URL, the server's own words) is shown as it came.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from app.core.errors import CompletionError
from app.core.messages import CONTEXT, Message, render

__all__ = ["describe", "text_of"]


def text_of(message: Message | str | None) -> str:
    """The sentence in the UI's language (plain text; show it with PlainText format)."""
    if message is None:
        return ""
    if isinstance(message, str):
        return message
    values: dict[str, Any] = {
        k: text_of(v) if isinstance(v, Message) else v for k, v in message.values.items()
    }
    if message.count is not None:
        n = values.get(message.count)
        n = n if isinstance(n, int) else 0
        template = QCoreApplication.translate(CONTEXT, message.template, None, n)
        template = template.replace("%n", str(n))
    else:
        template = QCoreApplication.translate(CONTEXT, message.template)
    return render(template, values)


def describe(error: CompletionError) -> str:
    """One sentence a user can act on, in the UI's language."""
    return text_of(error.msg)
