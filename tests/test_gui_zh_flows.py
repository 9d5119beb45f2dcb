"""The main flows in a Chinese window: every sentence the user sees is Chinese.

Sentences made in app/core reach the window as data and are worded there with tr(); these
tests run what a user does — the local model with n = 2, no keyring, a refused
connection, a 401, a validation error, a curl import — and fail on any English sentence on
screen (the server's own words, quoted as they came, and technical names excepted).
"""

from __future__ import annotations

import re
from dataclasses import replace

import keyring
import pytest
from keyring.backends import fail

from app.core.keys import KeyStore
from app.core.paths import AppPaths
from app.core.profiles import Profile, ProfileStore
from app.ui.common.i18n import install_translators
from app.ui.shell.application import create_window
from tests.conftest import shut_down
from tests.test_i18n import english_words, visible_texts

pytestmark = pytest.mark.gui

#: Data and technical names that stay as they are in a Chinese window: the test's own
#: header and parameter names, and sampler names (Mirostat's tau and eta, GBNF grammars).
TECHNICAL = re.compile(
    r"\bX-Api-Key\b|\bmy_flag\b|Authorization: Bearer|\bMirostat\b|\btau\b|\beta\b|"
    r"\bMin P\b|\bGBNF\b|root ::= .*"
)
#: What servers say in their own words (quoted as it came, never translated).
SERVER_WORDS = [
    "Incorrect API key provided: sk-lo***key. You can find your API key at "
    "https://platform.openai.com/account/api-keys",
]


@pytest.fixture
def chinese(qapp):
    install_translators("zh_CN")
    yield
    install_translators("en")


@pytest.fixture
def zh_window(qtbot, qloop, chinese):
    opened = []

    def open_(profiles: list[Profile] | None = None, keys: KeyStore | None = None):
        paths = AppPaths.resolve()
        if profiles:
            ProfileStore(paths.config_dir).save(profiles, profiles[0].name)
        window = create_window(paths, keys=keys)
        qtbot.addWidget(window, before_close_func=lambda w: shut_down(qtbot, qloop, w))
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        opened.append(window)
        return window

    yield open_
    for window in opened:
        shut_down(qtbot, qloop, window)


def english_on_screen(window) -> list[tuple[str, str]]:
    from PySide6.QtWidgets import QApplication

    texts = visible_texts(QApplication.allWidgets())
    texts += [("messages", window.messages.text()), ("status", window.status.state.text())]
    flagged = []
    for where, text in texts:
        for words in SERVER_WORDS:
            text = text.replace(words, "")
        text = re.sub(r"http://127\.0\.0\.1:\d+\S*", "", text)
        text = TECHNICAL.sub("", text)
        if english_words(text):
            flagged.append((where, text))
    return flagged


def run(qtbot, window, timeout: int = 15000):
    with qtbot.waitSignal(window.controller.runFinished, timeout=timeout) as finished:
        window.run()
    return finished.args[0]


def test_a_refused_connection_a_401_and_a_validation_error_read_in_chinese(qtbot, zh_window, api):
    refused = Profile(name="本机", base_url="http://127.0.0.1:9/v1", default_model="m")
    relay = Profile(name="中转", base_url=api.base_url("401"), default_model="test-model")
    window = zh_window([refused, relay])
    window.prompt.setPlainText("你好")
    run(qtbot, window)
    message = window.messages.text()
    assert message.startswith("无法连接到"), message
    assert not english_on_screen(window), english_on_screen(window)

    window.profiles.set_current("中转")
    run(qtbot, window)
    assert "API" in window.messages.text() and "Incorrect API key" in window.messages.text()
    assert not english_on_screen(window), english_on_screen(window)

    window.parameters.best_of.set_value(3)  # with streaming: refused before sending
    window.run()
    assert "best_of" in window.messages.text()
    assert not english_on_screen(window), english_on_screen(window)


def test_no_keyring_and_a_curl_import_read_in_chinese(qtbot, zh_window, api):
    keyring.set_keyring(fail.Keyring())
    profile = replace(
        Profile(name="中转", base_url=api.base_url(), default_model="test-model"), key_ref="k"
    )
    window = zh_window([profile], keys=KeyStore(fail.Keyring()))
    task = window.profiles.start_key_probe()
    qtbot.waitUntil(task.done, timeout=5000)
    assert "会话" in window.messages.text() or "密钥" in window.messages.text()
    assert not english_on_screen(window), english_on_screen(window)

    importer = window.code.show_import()
    url = api.base_url().removesuffix("/v1")
    importer.text.setPlainText(
        f"curl {url}/v1/completions -H 'X-Api-Key: abc' "
        """-d '{"model": "m", "prompt": "你好", "max_tokens": 3, "my_flag": true}'"""
    )
    importer.import_button.click()
    qtbot.waitUntil(lambda: not importer.isVisible(), timeout=5000)
    text = window.messages.text()
    assert "X-Api-Key" in text and "my_flag" in text
    assert not english_on_screen(window), english_on_screen(window)


@pytest.mark.localmodel
def test_the_local_model_with_two_choices_reads_in_chinese(qtbot, zh_window):
    window = zh_window()  # a fresh config: the built-in local model
    assert window.profiles.current.is_local_model
    progress: list[str] = []
    window.controller.progress.connect(progress.append)
    window.prompt.setPlainText("The capital of France is")
    window.parameters.max_tokens.set_value(4)
    window.parameters.n.set_value(2)
    result = run(qtbot, window, timeout=180000)
    assert result.ok, result.error
    assert progress and all(not english_words(p.split("(")[0]) for p in progress), progress
    assert "1" in window.messages.text() and "2" in window.messages.text()  # fewer choices
    assert not english_on_screen(window), english_on_screen(window)


def test_a_1024_px_window_keeps_the_sidebar_whole_in_chinese(qtbot, zh_window, api):
    from PySide6.QtWidgets import QApplication

    from app.core import parameters as registry
    from tests.conftest import loopback_profile

    window = zh_window([loopback_profile(api)])
    panel = window.parameters
    taken = [p for p in registry.PARAMS if p.accepted_by(panel.server_kind())]
    qtbot.waitUntil(lambda: panel.built_rows() == len(taken))
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    QApplication.processEvents()
    assert panel.widget().minimumSizeHint().width() <= panel.viewport().width()
    assert not panel.horizontalScrollBar().isVisible()
    view = window.view
    for caption in (view.colour_label, view.shortcut_hint):
        assert caption.isHidden() or caption.width() >= caption.sizeHint().width()


def test_history_and_choices_fit_a_1024_px_window_in_chinese(qtbot, zh_window, api):
    """Side by side, after a 3-choice run, they held a Chinese window at 1,162 px."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from tests.conftest import loopback_profile

    window = zh_window([loopback_profile(api)])
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    window.parameters.n.set_value(3)
    window.parameters.logprobs.set_value(3)
    window.prompt.setPlainText("从前有座山")
    with qtbot.waitSignal(window.controller.runRecorded, timeout=10000):
        qtbot.keyClick(window.prompt, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    window.history_dock.toggleViewAction().trigger()
    window.output_dock.toggleViewAction().trigger()
    QApplication.processEvents()
    assert window.width() == 1024
