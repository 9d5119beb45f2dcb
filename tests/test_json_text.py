"""JSON in slices: the same text as json.dumps, whatever the value."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import json_text

_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=6)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(_VALUES)
def test_same_text_as_json_dumps(value):
    assert json_text.dumps(value) == json.dumps(value, ensure_ascii=False)


def test_long_lists_are_encoded_in_slices_with_the_same_text(monkeypatch):
    calls = []
    real = json.dumps
    monkeypatch.setattr(json_text.json, "dumps", lambda v, **k: calls.append(1) or real(v, **k))
    tokens = [{"token": "字", "logprob": -0.5, "top": [["字", -0.5], ["b", -2.0]]}] * 10_000
    value = {"choices": [{"text": "x", "logprobs": {"tokens": tokens}}], "usage": None}
    assert json_text.dumps(value) == real(value, ensure_ascii=False)
    assert len(calls) >= 10_000 // json_text.SLICE  # never the whole list in one call


def test_items_are_converted_a_slice_at_a_time_with_the_same_text():
    converted = []

    def convert(n: int) -> dict[str, int]:
        converted.append(n)
        return {"n": n, "square": n * n}

    items = list(range(5000))
    value = {"tokens": json_text.Items(items, convert), "empty": json_text.Items([], convert)}
    text = json_text.dumps(value)
    assert json.loads(text) == {"tokens": [{"n": n, "square": n * n} for n in items], "empty": []}
    assert text == json.dumps(
        {"tokens": [{"n": n, "square": n * n} for n in items], "empty": []}, ensure_ascii=False
    )
    assert converted == items  # each item converted once, in order


@settings(max_examples=100, deadline=None)
@given(_VALUES)
def test_compressed_reads_back_as_the_same_value(value):
    data = json_text.compressed(value)
    assert isinstance(data, bytes)
    assert json_text.loads(data) == json.loads(json.dumps(value, ensure_ascii=False))
    assert json_text.loads(json.dumps(value)) == json_text.loads(data)  # plain text too
