"""The SSE decoder against what real servers send, and fuzzed with random byte splits."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.sse import SSEDecoder, SSEEvent, SSEEventTooLarge


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


# --- Linear decoding of long events, the size limit, and split-invariance -----------------


def feed_in(decoder: SSEDecoder, data: bytes, size: int) -> list[SSEEvent]:
    events: list[SSEEvent] = []
    for i in range(0, len(data), size):
        events += decoder.feed(data[i : i + size])
    return events + decoder.flush()


def test_five_megabyte_single_line_event_in_1kb_reads():
    text = "héllo 你好🙂 " * (5 * 1024 * 1024 // 18 + 1)  # 18 bytes; cuts fall inside characters
    stream = b"data: " + text.encode() + b"\n\ndata: next\n\n"
    assert len(stream) > 5 * 1024 * 1024
    decoder = SSEDecoder()
    events = feed_in(decoder, stream, 1024)
    assert [e.data for e in events] == [text, "next"]


def test_unterminated_long_event_is_dispatched_at_flush():
    text = "x" * 300_000
    decoder = SSEDecoder()
    assert feed_in(decoder, f"event: big\r\ndata: {text}\r".encode(), 1000) == [
        SSEEvent(text, "big")
    ]


def scanned_for(size: int) -> int:
    decoder = SSEDecoder()
    stream = b"data: " + b"a" * size + b"\n\n"
    events = feed_in(decoder, stream, 1024)
    assert len(events) == 1 and len(events[0].data) == size
    return decoder.scanned_bytes


def test_work_is_proportional_to_input_not_to_pending_size():
    # A deterministic counter instead of wall-clock time: re-scanning the pending event on
    # every read would make this quadratic (about 1,000x the input for 2 MB in 1 KB reads).
    small, large = 2 * 1024 * 1024, 8 * 1024 * 1024
    scanned_small, scanned_large = scanned_for(small), scanned_for(large)
    assert small <= scanned_small <= small + 64
    assert large <= scanned_large <= large + 64
    assert 3.9 < scanned_large / scanned_small < 4.1


def test_scanned_bytes_counts_each_fed_byte_once_with_many_small_events():
    stream = b"".join(b'data: {"i": %d}\r\n\r\n' % i for i in range(2000))
    decoder = SSEDecoder()
    events = feed_in(decoder, stream, 7)
    assert len(events) == 2000
    assert decoder.scanned_bytes <= len(stream)


def test_event_over_the_limit_raises_a_clear_value_error():
    decoder = SSEDecoder(max_event_bytes=1000)
    decoder.feed(b"data: " + b"a" * 900)
    with pytest.raises(SSEEventTooLarge) as caught:
        decoder.feed(b"a" * 200)
    assert isinstance(caught.value, ValueError)
    assert caught.value.limit == 1000 and caught.value.size > 1000
    assert "1,000-byte limit" in str(caught.value)


@pytest.mark.parametrize("read", [1, 7, 999, 1000, 1001, 5000])
@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_limit_is_exact_and_independent_of_the_split(read, newline):
    def body(size: int) -> bytes:  # one event of `size` bytes, counted with LF line ends
        return b"data: a" + newline + b"data: " + b"b" * (size - 14) + newline + newline

    ok = SSEDecoder(max_event_bytes=1000)
    events = feed_in(ok, body(1000) + b"data: after" + newline + newline, read)
    assert [len(e.data) for e in events] == [1 + 1 + 986, 5]
    with pytest.raises(SSEEventTooLarge):
        feed_in(SSEDecoder(max_event_bytes=1000), body(1001), read)


def test_many_events_together_larger_than_the_limit_are_fine():
    stream = b"".join(b"data: %04d\n\n" % i for i in range(1000))
    events = feed_in(SSEDecoder(max_event_bytes=64), stream, 4096)
    assert len(events) == 1000


def test_max_event_bytes_must_be_positive():
    with pytest.raises(ValueError):
        SSEDecoder(max_event_bytes=0)


def reference_decode(stream: bytes) -> list[SSEEvent]:
    """A plain whole-body reading of the same rules, line by line, for comparison."""
    if stream.startswith(b"\xef\xbb\xbf"):
        stream = stream[3:]
    lines = stream.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    events: list[SSEEvent] = []
    data: list[str] = []
    event = last_id = None
    for line in [*lines, b""]:
        if not line:
            if data:
                events.append(SSEEvent("\n".join(data), event, last_id))
            data, event = [], None
        elif not line.startswith(b":"):
            name, sep, value = line.partition(b":")
            value = value[1:] if sep and value.startswith(b" ") else value
            text = value.decode("utf-8", "replace")
            if name == b"data":
                data.append(text)
            elif name == b"event":
                event = text
            elif name == b"id":
                last_id = text
    return events


field_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
    max_size=12,
)
line_ends = st.sampled_from([b"\n", b"\r\n", b"\r"])


@st.composite
def sse_streams(draw) -> tuple[bytes, list[SSEEvent]]:
    """A random valid stream and the events it means, built side by side."""
    stream = b"\xef\xbb\xbf" if draw(st.booleans()) else b""

    def line_end() -> bytes:
        end = draw(line_ends)
        # After a lone CR, an LF would merge with it into one CRLF line end.
        return b"\r\n" if stream.endswith(b"\r") and end == b"\n" else end

    expected: list[SSEEvent] = []
    last_id = None
    n_events = draw(st.integers(min_value=0, max_value=6))
    for k in range(n_events):
        data: list[str] = []
        event = None
        for _ in range(draw(st.integers(min_value=0, max_value=5))):
            kind = draw(
                st.sampled_from(["data", "data", "data", "event", "id", "comment", "retry"])
            )
            text = draw(field_text)
            space = draw(st.booleans())
            if kind == "comment":
                line = b":" + text.encode()
            else:
                line = kind.encode() + (b": " if space else b":") + text.encode()
                value = text[1:] if not space and text.startswith(" ") else text
                if kind == "data":
                    data.append(value)
                elif kind == "event":
                    event = value
                elif kind == "id":
                    last_id = value
            stream += line
            stream += line_end()
        if data:
            expected.append(SSEEvent("\n".join(data), event, last_id))
        if k < n_events - 1 or draw(st.booleans()):  # the last event may be unterminated
            stream += line_end()
            if draw(st.booleans()):
                stream += line_end()  # extra blank lines are harmless
    return stream, expected


@settings(max_examples=400, deadline=None)
@given(case=sse_streams(), cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=30))
def test_fuzz_any_split_of_a_valid_stream_gives_the_events_of_the_whole(case, cuts):
    stream, expected = case
    whole = decode_all([stream])
    assert whole == expected
    assert decode_all(split_at(stream, cuts)) == whole
    assert reference_decode(stream) == whole


@settings(max_examples=100, deadline=None)
@given(case=sse_streams())
def test_fuzz_byte_by_byte_feeding_of_a_valid_stream(case):
    stream, expected = case
    assert decode_all([stream[i : i + 1] for i in range(len(stream))]) == expected


fragments = st.sampled_from(
    [b"data", b"data: ", b"event:", b"id:", b":", b" ", b"\r", b"\n", b"\r\n", b"x", b"\xef",
     b"\xbb\xbf", b"\xef\xbb\xbf", "é".encode(), "🙂".encode(), b"\xe4\xbd", b"\xa0"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    pieces=st.lists(fragments, max_size=40),
    cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=30),
)
def test_fuzz_arbitrary_bytes_split_anywhere_match_the_whole_body_reading(pieces, cuts):
    stream = b"".join(pieces)
    assert decode_all(split_at(stream, cuts)) == reference_decode(stream)
