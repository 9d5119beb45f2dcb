"""Prompt scoring in the real window against the loopback server (echo + logprobs)."""

from __future__ import annotations

import pytest

from app.core.paths import AppPaths
from app.core.profiles import Profile, ProfileStore
from app.ui.shell.application import create_window

pytestmark = pytest.mark.gui


def open_window(qtbot, base_url: str):
    paths = AppPaths.resolve()
    ProfileStore(paths.config_dir).save(
        [Profile(name="loopback", base_url=base_url, default_model="test-model")], "loopback"
    )
    w = create_window(paths)
    qtbot.addWidget(w)
    w.parameters.logprobs.set_value(3)
    w.prompt.setPlainText("The quick brown fox jumps")
    with qtbot.waitActive(w):
        w.show()
        w.activateWindow()
    return w


@pytest.fixture
def window_factory(qtbot, qloop):
    windows = []

    def make(base_url: str):
        windows.append(open_window(qtbot, base_url))
        return windows[-1]

    yield make
    for w in windows:
        task = qloop.create_task(w.controller.shutdown())
        qtbot.waitUntil(task.done, timeout=5000)
        w.close()


def test_score_prompt_colours_the_prompt(qtbot, api, window_factory):
    window = window_factory(api.base_url())
    output_before = window.output.text(0)
    with qtbot.waitSignal(window.scorer.scored, timeout=10000) as scored:
        window.scorer.action.trigger()
    score = scored.args[0]
    assert score is not None, window.scorer.last_error
    sent = api.requests[-1].body
    assert sent["echo"] is True and sent["max_tokens"] == 0 and sent["stream"] is False
    assert sent["logprobs"] == 3 and sent["prompt"] == "The quick brown fox jumps"
    # Five words, the first has no logprob: four coloured.
    assert len(score.units) == 5 and len(window.prompt.extraSelections()) == 4
    assert score.stats.perplexity and score.stats.perplexity > 1
    assert "perplexity" in window.messages.text().lower()
    assert window.output.text(0) == output_before  # scoring never replaces the output
    window.prompt.appendPlainText(" over")  # editing clears the colours
    assert window.prompt.extraSelections() == []


def test_server_that_rejects_echo_says_so(qtbot, api, window_factory):
    window = window_factory(api.base_url(scenario="reject", params="echo", style="text"))
    with qtbot.waitSignal(window.scorer.scored, timeout=10000) as scored:
        window.scorer.action.trigger()
    assert scored.args[0] is None
    assert "rejects echo" in window.scorer.last_error
    assert "rejects echo" in window.messages.text()
