"""Prompt scoring in the real window against the loopback server (echo + logprobs)."""

from __future__ import annotations

import pytest

from app.core.paths import AppPaths
from app.core.profiles import Profile, ProfileStore
from app.ui.document.spans import SCORE
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


def scores(window) -> list:
    return [s for s in window.prompt.spans if s.kind == SCORE]


def coloured(window) -> list[tuple[int, int]]:
    """(start, length) of the coloured stretches of the document's first paragraph."""
    block = window.prompt.document().firstBlock()
    return [(f.start, f.length) for f in block.layout().formats()]


def test_score_prompt_colours_the_prompt(qtbot, api, window_factory):
    window = window_factory(api.base_url())
    prompt = "The quick brown fox jumps"
    steps = window.undo_stack.count()
    with qtbot.waitSignal(window.scorer.scored, timeout=10000) as scored:
        window.scorer.action.trigger()
    score = scored.args[0]
    assert score is not None, window.scorer.last_error
    sent = api.last_completion().body
    assert sent["echo"] is True and sent["max_tokens"] == 0 and sent["stream"] is False
    assert sent["logprobs"] == 3 and sent["prompt"] == prompt
    # The scored text is a span of the document; five words, the first has no logprob: four
    # coloured (each word its own colour: the probabilities differ).
    [span] = scores(window)
    assert (span.start, span.end) == (0, len(prompt))
    assert len(score.units) == 5 and len(span.layout.units) == 5
    words = [window.prompt.text_between(*span.unit_range(k)) for k in range(5)]
    assert [w.strip() for w in words] == prompt.split()
    painted = coloured(window)
    assert len(painted) == 4 and painted[0][0] == len("The")
    assert "%" in window.prompt.describe_unit(span, 1)  # hover shows the probability
    assert score.stats.perplexity and score.stats.perplexity > 1
    assert "perplexity" in window.messages.text().lower()
    # Scoring never changes the text and is no undo step.
    assert window.prompt.text() == prompt and window.undo_stack.count() == steps
    assert window.completion_text() == ""
    # Editing the scored text clears the colours.
    cursor = window.prompt.textCursor()
    cursor.setPosition(len("The quick"))
    window.prompt.setTextCursor(cursor)
    qtbot.keyClicks(window.prompt, "est")
    assert window.prompt.text() == "The quickest brown fox jumps"
    assert scores(window) == [] and coloured(window) == []


def test_server_that_rejects_echo_says_so(qtbot, api, window_factory):
    window = window_factory(api.base_url(scenario="reject", params="echo", style="text"))
    with qtbot.waitSignal(window.scorer.scored, timeout=10000) as scored:
        window.scorer.action.trigger()
    assert scored.args[0] is None
    assert "rejects echo" in window.scorer.last_error
    assert "rejects echo" in window.messages.text()
