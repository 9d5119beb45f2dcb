"""Text reaches the document a frame at a time, at most a frame's worth per frame."""

from __future__ import annotations

from collections import deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.events import ChoiceDelta
from app.ui.runs import controller as module
from app.ui.runs.controller import RunController


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("ab\n字🙂"), max_size=50), max_size=40),
       st.integers(1, 40), st.integers(1, 10))  # fmt: skip
def test_frames_keep_the_text_and_respect_the_caps(parts, chars, lines):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "FRAME_CHARS", chars)
        patch.setattr(module, "FRAME_LINES", lines)
        queue = deque(p for p in parts if p)
        taken = []
        while queue:
            frame = module._take(queue)
            assert frame  # every frame moves on
            assert len(frame) <= chars
            assert frame.count("\n") <= lines
            taken.append(frame)
    assert "".join(taken) == "".join(parts)


def test_a_whole_answer_in_one_event_goes_in_over_several_frames(qtbot, qapp):
    controller = RunController(connections=None)  # type: ignore[arg-type]
    frames = []
    controller.textReceived.connect(lambda texts: frames.append(texts[0]))
    text = "".join(f"line {i}\n" for i in range(10_000))  # one non-streamed answer
    controller._on_batch([ChoiceDelta(0, text, (), "stop")])
    while controller._pending:
        controller.flush()
    assert "".join(frames) == text
    # The first frame holds the usual frame's worth; it is a flood, so the next frames come
    # less often and each holds as much more as its interval is longer.
    assert frames[0].count("\n") == module.FRAME_LINES
    scale = module.FLOOD_FRAME_MS / module.FRAME_MS
    assert all(f.count("\n") <= module.FRAME_LINES * scale for f in frames)
    assert all(len(f) <= module.FRAME_CHARS * scale for f in frames)
    assert len(frames) >= 10_000 // (module.FRAME_LINES * scale)


def test_a_flood_is_painted_less_often_and_a_readable_stream_every_frame(qtbot, qapp):
    controller = RunController(connections=None)  # type: ignore[arg-type]
    frames = []
    controller.textReceived.connect(lambda texts: frames.append(texts[0]))

    def frame(text: str) -> int:
        controller._on_batch([ChoiceDelta(0, text, (), None)])
        controller.flush()
        return controller.frame_ms

    # A fast local model: a few tokens a frame.
    assert frame(" the quick brown fox") == module.FRAME_MS
    # More than a screenful arrived since the last frame: the next one waits longer.
    assert frame("x" * (module.FLOOD_CHARS + 1)) == module.FLOOD_FRAME_MS
    assert frame("line\n" * (module.FLOOD_LINES + 1)) == module.FLOOD_FRAME_MS
    # The flood is over: every frame again.
    assert frame("and a few more words") == module.FRAME_MS
    assert "".join(frames).startswith(" the quick brown fox")
