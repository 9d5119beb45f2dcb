"""The SSE decoder against what real servers send, and fuzzed with random byte splits."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.sse import SSEDecoder, SSEEvent


def decode_all(chunks: list[bytes]) -> list[SSEEvent]:
    decoder = SSEDecoder()
    events: list[SSEEvent] = []
    for chunk in chunks:
        events += decoder.feed(chunk)
    return events + decoder.flush()


def split_at(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    pieces, last = [], 0
    for p in points:
        pieces.append(data[last:p])
        last = p
    pieces.append(data[last:])
    return pieces


def test_data_with_and_without_space():
    events = decode_all([b'data: {"a":1}\n\ndata:{"b":2}\n\n'])
    assert [e.data for e in events] == ['{"a":1}', '{"b":2}']


def test_crlf_and_lone_cr_line_ends():
    assert [e.data for e in decode_all([b"data: x\r\n\r\ndata: y\r\rdata: z\n\n"])] == [
        "x",
        "y",
        "z",
    ]


def test_crlf_split_between_cr_and_lf_is_one_line_end():
    events = decode_all([b"data: a\r", b"\n", b"\r", b"\ndata: b\r\n\r\n"])
    assert [e.data for e in events] == ["a", "b"]


def test_comments_are_skipped_and_counted():
    decoder = SSEDecoder()
    events = decoder.feed(b": keep-alive\n\n: ping\ndata: 1\n\n")
    assert [e.data for e in events] == ["1"]
    assert decoder.comments == 2


def test_event_and_id_fields_and_multiline_data():
    events = decode_all([b"event: completion\nid: 7\ndata: a\ndata: b\nretry: 10\n\n"])
    assert events == [SSEEvent("a\nb", "completion", "7")]


def test_unterminated_last_event_is_dispatched_at_flush():
    decoder = SSEDecoder()
    assert decoder.feed(b'data: {"last": true}') == []
    assert [e.data for e in decoder.flush()] == ['{"last": true}']


def test_bom_is_ignored_even_when_split():
    assert [e.data for e in decode_all([b"\xef", b"\xbb\xbfdata: x\n\n"])] == ["x"]


def test_multibyte_character_split_inside():
    payload = "data: 你好🙂\n\n".encode()
    cut = payload.index("好".encode()) + 1  # inside the 3-byte character
    assert [e.data for e in decode_all([payload[:cut], payload[cut:]])] == ["你好🙂"]


def test_empty_data_events_are_not_dispatched():
    assert decode_all([b"event: ping\n\n\n\n"]) == []


texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
    max_size=20,
)


@settings(max_examples=300, deadline=None)
@given(
    payloads=st.lists(texts, min_size=1, max_size=8),
    newline=st.sampled_from([b"\n", b"\r\n", b"\r"]),
    space=st.booleans(),
    comments=st.booleans(),
    terminated=st.booleans(),
    cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=12),
)
def test_fuzz_random_splits_give_the_same_events(
    payloads, newline, space, comments, terminated, cuts
):
    sep = b"data: " if space else b"data:"
    stream = b""
    for i, text in enumerate(payloads):
        if comments:
            stream += b": keep-alive" + newline
        data = json.dumps({"text": text, "i": i}, ensure_ascii=False).encode()
        stream += sep + data + newline
        if terminated or i < len(payloads) - 1:
            stream += newline
    events = decode_all(split_at(stream, cuts))
    assert [json.loads(e.data) for e in events] == [
        {"text": t, "i": i} for i, t in enumerate(payloads)
    ]


@settings(max_examples=200, deadline=None)
@given(cuts=st.lists(st.integers(min_value=0, max_value=500), max_size=40))
def test_fuzz_byte_at_a_time_like_splits_with_unicode(cuts):
    stream = "".join(f'data: {{"t": "{t}"}}\r\n\r\n' for t in ["你好", "世界", "🙂", "x"])
    events = decode_all(split_at(stream.encode(), cuts))
    assert [json.loads(e.data)["t"] for e in events] == ["你好", "世界", "🙂", "x"]
