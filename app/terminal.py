"""Text from a server shown on a terminal: its control characters made visible.

A completion, a server's error message or its version string can carry terminal control
sequences: ``ESC [ 2 J`` clears the screen, ``ESC ] 52`` writes the clipboard on some
terminals, a lone carriage return lets later text overwrite what was printed. The command
line's streams are wrapped with :func:`for_terminal`: on a terminal, every C0 control
character but newline and tab, DEL and the C1 controls are written as ``\\u001b``-style
escapes (a carriage return before a newline is dropped); to a file or a pipe, text goes
out as the server sent it (a script gets the exact text).
"""

from __future__ import annotations

from typing import Any, TextIO

__all__ = ["TerminalText", "for_terminal", "visible_controls"]

#: Control character → its escape (valid inside JSON strings too, which ``--json`` prints).
_ESCAPES = {
    code: f"\\u{code:04x}"
    for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))
    if code not in (0x09, 0x0A)
}


def visible_controls(text: str) -> str:
    """``text`` with its control characters (but newline and tab) written as escapes."""
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    return text.translate(_ESCAPES)


class TerminalText:
    """A text stream for a terminal: what is written has its controls made visible.
    ``raw`` is the stream itself, for the program's own control characters (a progress
    line rewritten in place)."""

    def __init__(self, raw: TextIO) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        return self.raw.write(visible_controls(text))

    def __getattr__(self, name: str) -> Any:  # flush, isatty, encoding…
        return getattr(self.raw, name)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # closed, or not a real stream
        return False


def for_terminal(stream: TextIO) -> TextIO:
    """``stream`` wrapped with :class:`TerminalText` when it is a terminal, else itself."""
    if isinstance(stream, TerminalText) or not _is_terminal(stream):
        return stream
    return TerminalText(stream)  # type: ignore[return-value]
