"""Command entry point: ``completion-playground`` opens the window, ``... complete`` runs the CLI.

Qt is imported only when the window is wanted, so the CLI starts fast and works on machines
without a display.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from app import APP_DISPLAY_NAME, __version__
from app.core.paths import HOME_ENV, AppPaths

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config-dir",
        metavar="DIR",
        help=f"keep every setting and data file under DIR (also ${HOME_ENV})",
    )
    parser = argparse.ArgumentParser(
        prog="completion-playground",
        description=f"{APP_DISPLAY_NAME}: a desktop playground for OpenAI-compatible "
        "/v1/completions endpoints. Without a command it opens the window.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the main window, process events, print 'ok' and exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from app.cli import add_complete_parser

    complete = add_complete_parser(sub)
    complete.add_argument(
        "--config-dir", metavar="DIR", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.config_dir:
        # Children (and later sessions of this process) see the same home.
        os.environ[HOME_ENV] = os.path.abspath(args.config_dir)
    paths = AppPaths.resolve(args.config_dir)
    if args.command == "complete":
        from app.cli import run_complete

        return run_complete(args)
    from app.ui.application import run_gui

    return run_gui(paths, smoke_test=args.smoke_test, argv=[sys.argv[0]])


if __name__ == "__main__":
    raise SystemExit(main())
