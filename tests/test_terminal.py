"""Server text on a terminal: control sequences are shown, never obeyed (app/terminal.py).

Through the real ``complete`` and ``detect`` commands against the loopback server: a
completion and an error message carrying a screen clear, a clipboard write (OSC 52), a
title change and a carriage return that would overwrite the line. To a file or a pipe the
text goes out exactly as sent.
"""

from __future__ import annotations

import argparse
import io

import pytest

from app.cli import add_complete_parser, add_detect_parser, run_complete, run_detect
from app.terminal import TerminalText, for_terminal, visible_controls

#: What a hostile relay could put in a completion or an error message.
ATTACK = "ok\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07\x1b]0;pwned\x07 safe\rEVIL\x9b31m 你好 🙂\tend"


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    add_complete_parser(sub)
    add_detect_parser(sub)
    return parser.parse_args(list(argv))


def test_control_characters_are_made_visible_and_text_is_kept():
    shown = visible_controls(ATTACK)
    for control in ("\x1b", "\x07", "\r", "\x9b"):
        assert control not in shown
    assert "\\u001b[2J" in shown and "\\u001b]52;c;" in shown and "\\u009b31m" in shown
    assert shown.endswith(" safe\\u000dEVIL\\u009b31m 你好 🙂\tend")  # tab, CJK, emoji kept
    assert visible_controls("line\r\nnext\n") == "line\nnext\n"  # CRLF reads as a newline
    assert visible_controls("plain text\n") == "plain text\n"


def test_only_a_terminal_is_wrapped():
    pipe = io.StringIO()
    assert for_terminal(pipe) is pipe
    tty = Terminal()
    wrapped = for_terminal(tty)
    assert isinstance(wrapped, TerminalText) and wrapped.raw is tty
    assert for_terminal(wrapped) is wrapped and wrapped.isatty()
    wrapped.write("a\x1bb")
    wrapped.flush()
    assert tty.getvalue() == "a\\u001bb"


@pytest.mark.parametrize("live", [True, False])
def test_a_completion_on_a_terminal_cannot_drive_it(api, live):
    url = api.base_url("hostile", text=ATTACK)
    extra = [] if live else ["--json"]
    args = parse("complete", "--base-url", url, "--model", "m", "--prompt", "Hi", *extra)
    out, err = Terminal(), Terminal()
    assert run_complete(args, out=out, err=err) == 0, err.getvalue()
    for stream in (out, err):  # the output, and the finish reason in the notes
        assert "\x1b" not in stream.getvalue() and "\x9b" not in stream.getvalue()
    assert "\r" not in out.getvalue()
    assert "\\u001b[2J" in out.getvalue() and "你好 🙂" in out.getvalue()


def test_a_pipe_gets_the_text_as_sent(api):
    url = api.base_url("hostile", text=ATTACK)
    args = parse("complete", "--base-url", url, "--model", "m", "--prompt", "Hi")
    out, err = io.StringIO(), io.StringIO()
    assert run_complete(args, out=out, err=err) == 0, err.getvalue()
    assert out.getvalue() == ATTACK + "\n"


def test_an_error_message_on_a_terminal_cannot_drive_it(api):
    url = api.base_url("hostile", mode="error", text=ATTACK)
    out, err = Terminal(), Terminal()
    args = parse("complete", "--base-url", url, "--model", "m", "--prompt", "Hi")
    assert run_complete(args, out=out, err=err) != 0
    assert "\\u001b]52" in err.getvalue() and "\x1b" not in err.getvalue()
    out, err = Terminal(), Terminal()
    assert run_detect(parse("detect", "--base-url", url), out=out, err=err) in (0, 1, 3)
    for stream in (out, err):
        assert "\x1b" not in stream.getvalue() and "\x07" not in stream.getvalue()
