"""Chinese as heavy as Latin text in the dark theme (app/ui/common/cjk_weight.py).

Each measurement runs in a fresh process: a font engine keeps the rendering it was made
with, and this test session has long since laid out Chinese text. The ink of "你好世界"
drawn white on black is compared with black on white: Qt's stem darkening with gamma
blending made it ~1.4× (bold-looking in the dark theme); DejaVu's Latin is the reference.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app.ui.common.cjk_weight import has_cjk

PROBE = """
import json, sys
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication

app = QApplication([])
if sys.argv[1] == "even":
    from app.ui.common.cjk_weight import even_cjk_weight
    assert even_cjk_weight()


def ink(text, fg, bg):
    image = QImage(240, 40, QImage.Format.Format_RGB32)
    image.fill(QColor(bg))
    painter = QPainter(image)
    font = QFont()
    font.setPointSize(10)
    painter.setFont(font)
    painter.setPen(QColor(fg))
    painter.drawText(5, 28, text)
    painter.end()
    base = QColor(bg).lightnessF()
    total = sum(abs(QColor(image.pixel(x, y)).lightnessF() - base)
                for y in range(40) for x in range(240))
    return total / abs(QColor(fg).lightnessF() - base)


ratios = {t: ink(t, "#e6e6e6", "#16181c") / ink(t, "#000000", "#ffffff")
          for t in ("你好世界", "Hello world")}
print(json.dumps(ratios))
"""


def ratios(mode: str) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, mode], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's FreeType engine")
def test_chinese_is_not_bolder_on_a_dark_background():
    before, after = ratios("qt"), ratios("even")
    assert 0.95 < before["Hello world"] < 1.05  # TrueType Latin: the same either way
    assert before["你好世界"] > 1.2  # Qt's own rendering: bold-looking on dark
    assert 0.9 < after["你好世界"] < 1.1
    assert 0.95 < after["Hello world"] < 1.05


def test_cjk_text_is_recognised():
    assert has_cjk("写一首诗") and has_cjk("日本語") and has_cjk("한국어") and has_cjk("，")
    assert not has_cjk("Once upon a time — «café» 🙂")


APP_PROBE = """
import json, sys
from pathlib import Path

from app.core.paths import AppPaths
from app.core.session_state import SessionFile, WorkingState
from app.core.settings import Settings, SettingsFile
from app.main import main
from app.ui.common import cjk_weight

home, language, prompt = sys.argv[1:4]
paths = AppPaths.resolve(home)
paths.ensure()
SettingsFile(paths.config_dir).save(Settings(language=language))
SessionFile(paths.config_dir).save(WorkingState(prompt=prompt))
seen = {}


def first_frame():
    seen["at_first_frame"] = list(cjk_weight._done)
    seen["ctypes"] = "ctypes" in sys.modules


main(["--config-dir", home, "--smoke-test"], on_first_frame=first_frame)
seen["after"] = list(cjk_weight._done)
print(json.dumps(seen))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's FreeType engine")
@pytest.mark.parametrize(
    ("language", "prompt", "before_the_frame"),
    [("en", "Once upon a time", False), ("zh_CN", "Once upon a time", True),
     ("en", "写一首关于秋天的诗", True)],
)  # fmt: skip
def test_the_window_evens_cjk_before_any_cjk_is_shown(tmp_path, language, prompt, before_the_frame):
    """With Chinese in the first frame (the interface, a restored document) before it;
    otherwise right after it (ctypes stays out of an English start-up)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-c", APP_PROBE, str(tmp_path / "home"), language, prompt],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["at_first_frame"] == ([True] if before_the_frame else [])
    assert seen["ctypes"] is before_the_frame
    assert seen["after"] == [True]
