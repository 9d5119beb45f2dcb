"""Logprobs normalisation across the OpenAI, vLLM and llama.cpp dialects."""

from __future__ import annotations

import math

from app.core.logprobs import TokenLogprob, normalise_logprobs


def test_openai_legacy_arrays():
    raw = {
        "tokens": ["Hello", ","],
        "token_logprobs": [-0.5, -1.0],
        "top_logprobs": [{"Hello": -0.5, "Hi": -1.2}, {",": -1.0, "!": -0.9}],
        "text_offset": [10, 15],
    }
    tokens = normalise_logprobs(raw)
    assert tokens[0] == TokenLogprob("Hello", -0.5, (("Hello", -0.5), ("Hi", -1.2)), 10)
    assert tokens[1].top[0] == ("!", -0.9)  # sorted most likely first
    assert tokens[1].offset == 15
    assert math.isclose(tokens[0].probability, math.exp(-0.5))


def test_vllm_minus_9999_and_none_entries():
    raw = {
        "tokens": ["<s>", "a", "b"],
        "token_logprobs": [None, -9999.0, -0.25],
        "top_logprobs": [None, {"a": -9999.0, "c": -1}, {"b": -0.25}],
    }
    tokens = normalise_logprobs(raw, base_offset=3)
    assert tokens[0].logprob is None and tokens[0].top == ()
    assert tokens[1].logprob == -math.inf
    assert tokens[1].top == (("c", -1.0), ("a", -math.inf))
    assert [t.offset for t in tokens] == [3, 6, 7]  # no text_offset: running from base
    assert tokens[1].to_json()["logprob"] is None  # JSON has no -inf


def test_llama_cpp_content_list():
    raw = {
        "content": [
            {
                "id": 1,
                "token": "你",
                "logprob": -0.1,
                "bytes": [1],
                "top_logprobs": [
                    {"id": 2, "token": "我", "logprob": -2.0},
                    {"id": 1, "token": "你", "logprob": -0.1},
                ],
            },
            {"id": 3, "token": "好", "logprob": -0.2, "top_logprobs": []},
        ]
    }
    tokens = normalise_logprobs(raw, base_offset=5)
    assert [t.token for t in tokens] == ["你", "好"]
    assert tokens[0].top == (("你", -0.1), ("我", -2.0))
    assert [t.offset for t in tokens] == [5, 6]


def test_garbage_is_tolerated():
    assert normalise_logprobs(None) == []
    assert normalise_logprobs({"tokens": None}) == []
    assert normalise_logprobs({"tokens": ["a"], "token_logprobs": ["x"]})[0].logprob is None
    assert normalise_logprobs([1, 2]) == []
