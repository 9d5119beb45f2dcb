"""Take the README screenshots from the real app (offscreen) with the real local model.

    python scripts/screenshot.py [OUTPUT_DIR]     # default: docs/screenshots

On a fresh config the window's profile is the built-in local model (SmolLM2-135M through
llama-cpp-python's server): the pictures show what a new user sees. Writes
``main-en.png`` and ``main-zh_CN.png`` (the document after a real completion, its tokens
coloured by probability, one token's alternatives in the Tokens panel) and ``dark-en.png``
(the dark theme), and ``batch-en.png`` (a batch over five rows with the local model).
Chinese needs a CJK font and emoji a colour emoji font (Debian:
fonts-noto-cjk and fonts-noto-color-emoji, which scripts/install-system-deps.sh installs).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PROMPTS = {
    "en": "The three most useful things to pack for a day of hiking are",
    "zh_CN": "The three most useful things to pack for a day of hiking are",
}


def shoot(app: object, loop: object, language: str, theme: str, target: Path) -> None:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from app.core.paths import AppPaths
    from app.core.settings import Settings, SettingsFile
    from app.ui.analysis.token_view import ProbabilityMode
    from app.ui.common.i18n import install_translators
    from app.ui.shell.application import create_window

    install_translators(language)
    with tempfile.TemporaryDirectory() as home:
        paths = AppPaths.resolve(home)
        paths.ensure()
        SettingsFile(paths.config_dir).save(Settings(language=language, theme=theme))
        window = create_window(paths)  # fresh config: the built-in local model
        window.resize(1280, 800)
        window.prompt.setPlainText(PROMPTS[language])
        window.parameters.max_tokens.set_value(40)
        window.parameters.temperature.set_value(0.7)
        window.parameters.seed.set_value(7)
        window.parameters.logprobs.set_value(5)
        window.parameters.stop.set_values(["\n\n"])
        window.show()

        def painted(_painted: object) -> None:
            window.set_probability_mode(ProbabilityMode.FULL)
            span = window.runs.span
            if span is not None and span.layout is not None and len(span.layout.units) > 3:
                point = window.prompt.unit_point(span, 3)
                QTest.mouseClick(window.prompt.viewport(), Qt.MouseButton.LeftButton,
                                 pos=point)  # fmt: skip
                window.prompt.viewport().setFocus()
                window.prompt.viewport().mapToGlobal(QPoint(0, 0))
            loop.call_later(0.5, loop.stop)  # type: ignore[attr-defined]

        window.runs.painted.connect(painted)
        loop.call_later(0.3, window.run)  # type: ignore[attr-defined]
        loop.run_forever()  # type: ignore[attr-defined]
        save_and_close(loop, window, window, target)


def save_and_close(loop: object, window: Any, shot: Any, target: Path) -> None:
    """Save ``shot``'s picture to ``target``, then end the window's work and close both."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shot.grab().save(str(target))
    loop.run_until_complete(window.controller.shutdown())  # type: ignore[attr-defined]
    if shot is not window:
        shot.close()
    window.close()
    window.deleteLater()
    print(target)


CAPITALS = "country,capital\nFrance,Paris\nJapan,Tokyo\nItaly,Rome\nEgypt,Cairo\nSpain,Madrid\n"


def shoot_batch(app: object, loop: object, target: Path) -> None:
    from app.core.paths import AppPaths
    from app.core.settings import Settings, SettingsFile
    from app.ui.common.i18n import install_translators
    from app.ui.shell.application import create_window

    install_translators("en")
    with tempfile.TemporaryDirectory() as home:
        paths = AppPaths.resolve(home)
        paths.ensure()
        SettingsFile(paths.config_dir).save(Settings(language="en", theme="light"))
        data = Path(home) / "capitals.csv"
        data.write_text(CAPITALS, encoding="utf-8")
        window = create_window(paths)
        window.prompt.setPlainText("The capital of {{country}} is the city of")
        window.parameters.max_tokens.set_value(4)
        window.parameters.temperature.set_value(0.0)
        window.show()
        batch = window.show_batch()
        batch.resize(1100, 720)
        # Relative, so that no temporary folder's name shows in the picture.
        cwd = os.getcwd()
        os.chdir(home)
        try:
            assert batch.load_data_file(data.name), batch.check_errors
        finally:
            os.chdir(cwd)
        batch.expected.setCurrentIndex(batch.expected.findData("capital"))
        batch.match.setCurrentIndex(batch.match.findData("contains"))
        batch.finished.connect(lambda _: loop.call_later(0.5, loop.stop))  # type: ignore[attr-defined]
        loop.call_later(0.3, batch.run_batch)  # type: ignore[attr-defined]
        loop.run_forever()  # type: ignore[attr-defined]
        save_and_close(loop, window, batch, target)


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from app.ui.common.cjk_weight import even_cjk_weight
    from app.ui.common.theme import apply_theme
    from app.ui.shell.event_loop import create_event_loop

    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
    app = QApplication.instance() or QApplication([])
    even_cjk_weight()  # as the app does before Chinese is shown (app/ui/common/cjk_weight.py)
    loop = create_event_loop(app)
    with loop:
        shoot(app, loop, "en", "light", out / "main-en.png")
        shoot(app, loop, "zh_CN", "light", out / "main-zh_CN.png")
        shoot(app, loop, "en", "dark", out / "dark-en.png")
        shoot_batch(app, loop, out / "batch-en.png")
        apply_theme(app, "system")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
