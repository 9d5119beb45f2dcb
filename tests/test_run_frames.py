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
    assert len(frames) >= 10_000 // module.FRAME_LINES
    assert all(f.count("\n") <= module.FRAME_LINES for f in frames)
    assert all(len(f) <= module.FRAME_CHARS for f in frames)
