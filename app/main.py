"""Command entry point: ``completion-playground`` opens the window, ``... complete`` runs the CLI.

Qt is imported only when the window is wanted, so the CLI starts fast and works on machines
without a display. On POSIX the process's umask is made 077 first: every file the app (or
Qt, or SQLite) creates is private to the user (0600, folders 0700).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence

from app import APP_DISPLAY_NAME, __version__
from app.core.paths import HOME_ENV, AppPaths

__all__ = ["build_parser", "main"]


#: Subcommands; the CLI's modules (and the whole HTTP stack) load only when one is given.
COMMANDS = ("complete", "detect", "batch")


def _wants_command(argv: Sequence[str]) -> bool:
    return any(arg in COMMANDS for arg in argv) or "-h" in argv or "--help" in argv


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
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
    parser.add_argument(
        "--diagnose",
        action="store_true",
        help="print the version, folders, keyring backends and local model, then exit",
    )
    if not commands:  # the window: no subcommand, nothing of the CLI to load
        parser.set_defaults(command=None)
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from app.cli import add_complete_parser

    complete = add_complete_parser(sub)
    complete.add_argument(
        "--config-dir", metavar="DIR", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )
    from app.cli import add_detect_parser

    detect = add_detect_parser(sub)
    detect.add_argument(
        "--config-dir", metavar="DIR", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )
    from app.cli import add_batch_parser

    batch = add_batch_parser(sub)
    batch.add_argument(
        "--config-dir", metavar="DIR", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )
    return parser


#: Hidden first argument: run the local model's server (the frozen app has no Python to
#: run ``-m app.local_model_host`` with, so it starts itself; see app.core.local_model).
LOCAL_MODEL_HOST = "--local-model-host"


def _translations() -> str:
    """Which zh_CN translations load (the app's own and Qt's), without a GUI."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    from app.resource_files import resource_path

    own = QTranslator().load(str(resource_path("i18n", "completion_playground_zh_CN.qm")))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt = QTranslator().load("qtbase_zh_CN", qt_dir)
    return f"zh_CN app {'ok' if own else 'MISSING'}, Qt {'ok' if qt else 'MISSING'}"


def diagnose(paths: AppPaths) -> int:
    """What a bug report needs (no keys): version, folders, keyring, local model."""
    import keyring
    from keyring.backend import get_all_keyring

    from app.core.keys import KeyStore, classify_backend
    from app.core.local_model import bundled_model_path, server_available

    backend = keyring.get_keyring()
    problem = classify_backend(backend)
    print(f"{APP_DISPLAY_NAME} {__version__} (Python {sys.version.split()[0]}, {sys.platform})")
    print(f"frozen:           {bool(getattr(sys, 'frozen', False))}")
    print(f"config folder:    {paths.config_dir}")
    print(f"data folder:      {paths.data_dir}")
    names = sorted(f"{type(b).__module__}.{type(b).__name__}" for b in get_all_keyring())
    print(f"keyring backends: {', '.join(names) or 'none'}")
    print(f"keyring in use:   {type(backend).__module__}.{type(backend).__name__}"
          + (f" ({problem})" if problem else ""))  # fmt: skip
    print(f"key storage:      {KeyStore(backend).probe().describe()}")
    print(f"translations:     {_translations()}")
    model = bundled_model_path()
    print(f"local model:      server {'available' if server_available() else 'missing'}, "
          f"model {model.name if model else 'missing'}")  # fmt: skip
    return 0


#: Files 0600 and folders 0700 for everything created by this process and its children.
PRIVATE_UMASK = 0o077


def main(
    argv: Sequence[str] | None = None, *, on_first_frame: Callable[[], None] | None = None
) -> int:
    """Run the command line ``argv``; ``on_first_frame`` (the window): called once the
    window's first frame is painted (start-up measurements read the process there)."""
    if os.name == "posix":
        os.umask(os.umask(PRIVATE_UMASK) | PRIVATE_UMASK)  # stricter if the user's already is
    raw = list(sys.argv[1:] if argv is None else argv)
    if raw[:1] == [LOCAL_MODEL_HOST]:
        from app.local_model_host import main as host_main

        return host_main(raw[1:])
    args = build_parser(commands=_wants_command(raw)).parse_args(raw)
    if args.config_dir:
        # Children (and later sessions of this process) see the same home.
        os.environ[HOME_ENV] = os.path.abspath(args.config_dir)
    paths = AppPaths.resolve(args.config_dir)
    if args.diagnose:
        return diagnose(paths)
    if args.command == "complete":
        from app.cli import run_complete

        return run_complete(args)
    if args.command == "detect":
        from app.cli import run_detect

        return run_detect(args)
    if args.command == "batch":
        from app.cli import run_batch

        return run_batch(args)
    # What the imports and the window create lives for the session: the collector walking
    # it ~80 times before the window is up cost ~20 ms. The window's GCGuard collects from
    # then on, until the process ends (the first time a second after the first frame, when
    # it freezes all this).
    gc.disable()
    _import_core_before_qt()
    from app.ui.shell.feature_scan import skip_feature_scan

    skip_feature_scan()  # before the UI's modules are imported
    from app.ui.shell.application import run_gui

    return run_gui(
        paths, smoke_test=args.smoke_test, argv=[sys.argv[0]], on_first_frame=on_first_frame
    )


def _import_core_before_qt() -> None:
    """Import the window's Qt-free modules before Qt: once PySide6 is imported it reads the
    source of every module imported after it, looking for ``from __feature__ import``
    (~0.2 ms a module; these ~100, the stdlib's among them, never use it). About 25 ms of
    the start-up. Not a run's modules (results, branches, statistics): the first frame has
    no run; they load after it (:meth:`app.ui.runs.controller.RunController.prepare`)."""
    import app.core.document_text
    import app.core.session_state  # noqa: F401


if __name__ == "__main__":
    raise SystemExit(main())
