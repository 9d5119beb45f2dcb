"""Text reaches the views a frame at a time, at most a frame's worth per frame
(app/ui/runs/frames.py: the document's, the Compare window's)."""

from __future__ import annotations

from collections import deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.events import ChoiceDelta
from app.ui.runs import frames as module
from app.ui.runs.frames import Frames


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
    frames = Frames()
    out = []
    frames.frame.connect(lambda texts: out.append(texts[0]))
    text = "".join(f"line {i}\n" for i in range(10_000))  # one non-streamed answer
    frames.add_batch([ChoiceDelta(0, text, (), "stop")])
    while frames.pending:
        frames.flush()
    assert "".join(out) == text
    # The first frame holds the usual frame's worth; it is a flood, so the next frames come
    # less often and each holds as much more as its interval is longer.
    assert out[0].count("\n") == module.FRAME_LINES
    scale = module.FLOOD_FRAME_MS / module.FRAME_MS
    assert all(f.count("\n") <= module.FRAME_LINES * scale for f in out)
    assert all(len(f) <= module.FRAME_CHARS * scale for f in out)
    assert len(out) >= 10_000 // (module.FRAME_LINES * scale)
    assert frames.count == len(out)


def test_a_flood_is_painted_less_often_and_a_readable_stream_every_frame(qtbot, qapp):
    frames = Frames()
    out = []
    frames.frame.connect(lambda texts: out.append(texts[0]))

    def frame(text: str) -> int:
        frames.add(0, text)
        frames.flush()
        return frames.interval

    # A fast local model: a few tokens a frame.
    assert frame(" the quick brown fox") == module.FRAME_MS
    # More than a screenful arrived since the last frame: the next one waits longer.
    assert frame("x" * (module.FLOOD_CHARS + 1)) == module.FLOOD_FRAME_MS
    assert frame("line\n" * (module.FLOOD_LINES + 1)) == module.FLOOD_FRAME_MS
    # The flood is over: every frame again.
    assert frame("and a few more words") == module.FRAME_MS
    assert "".join(out).startswith(" the quick brown fox")
    # A new run starts over: nothing waiting, the usual pace, no frames counted.
    frame("y" * (module.FLOOD_CHARS + 1))
    frames.add(1, "left over")
    frames.reset()
    assert (frames.pending, frames.interval, frames.count) == (False, module.FRAME_MS, 0)


def test_indexes_are_kept_apart_and_one_can_be_dropped(qtbot, qapp):
    frames = Frames()
    out: list[dict[int, str]] = []
    frames.frame.connect(out.append)
    frames.add_batch([ChoiceDelta(0, "a", (), None), ChoiceDelta(1, "b", (), None),
                      ChoiceDelta(0, "c", (), None), ChoiceDelta(1, "", (), "stop")])  # fmt: skip
    frames.add(2, "column two")
    frames.discard(2)  # its view shows the whole text itself
    frames.flush()
    assert out == [{0: "ac", 1: "b"}]
    frames.flush()  # nothing waits: no empty frame
    assert len(out) == 1


async def test_drain_hands_everything_over_before_it_returns(qtbot, qapp):
    frames = Frames()
    out = []
    frames.frame.connect(lambda texts: out.append(texts[0]))
    frames.add(0, "x" * (module.FRAME_CHARS * 3))
    await frames.drain()
    assert "".join(out) == "x" * (module.FRAME_CHARS * 3) and not frames.pending
    assert len(out) >= 2
