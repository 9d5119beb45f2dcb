"""Request model: what is sent, what is refused before sending, and the official contract."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.request import (
    CompletionRequest,
    RequestValidationError,
    parse_logit_bias,
    parse_token_prompt,
)
from tests.contract import validator

REQUEST_SCHEMA = validator("CreateCompletionRequest")


def test_only_set_parameters_are_sent_and_never_null():
    body = CompletionRequest(model="m", prompt="Hi").to_body()
    assert body == {"model": "m", "prompt": "Hi", "stream": True}
    assert None not in body.values()


def test_every_parameter_is_sent_with_the_real_api_types():
    request = CompletionRequest(
        model="gpt-3.5-turbo-instruct",
        prompt="Say this is a test",
        suffix="!",
        max_tokens=7,
        temperature=0,  # the seed docs say integer; the API takes a float
        top_p=1,
        n=2,
        stream=False,
        logprobs=5,
        echo=True,
        stop=("\n",),
        presence_penalty=1,
        frequency_penalty=-1,
        best_of=3,
        logit_bias={"50256": -100},
        seed=7,
        user="user-1",
    )
    body = request.to_body()
    assert isinstance(body["temperature"], float) and body["temperature"] == 0.0
    assert isinstance(body["top_p"], float)
    assert isinstance(body["presence_penalty"], float)
    assert body["stop"] == ["\n"]  # always a list
    assert body["logit_bias"] == {"50256": -100}
    assert body["best_of"] == 3 and body["n"] == 2
    assert "stream_options" not in body
    REQUEST_SCHEMA.validate(body)


def test_include_usage_becomes_stream_options():
    body = CompletionRequest(model="m", include_usage=True).to_body()
    assert body["stream_options"] == {"include_usage": True}
    REQUEST_SCHEMA.validate(body)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"best_of": 2, "n": 2, "stream": False}, "best_of"),
        ({"best_of": 1, "stream": False}, "best_of"),
        ({"best_of": 3}, "best_of"),  # streaming
        ({"stop": ("a", "b", "c", "d", "e")}, "stop"),
        ({"stop": ("",)}, "stop"),
        ({"logprobs": 6}, "logprobs"),
        ({"logprobs": -1}, "logprobs"),
        ({"temperature": 2.5}, "temperature"),
        ({"temperature": float("nan")}, "temperature"),
        ({"top_p": 1.5}, "top_p"),
        ({"n": 0}, "n"),
        ({"presence_penalty": -3}, "presence_penalty"),
        ({"frequency_penalty": 2.1}, "frequency_penalty"),
        ({"max_tokens": -1}, "max_tokens"),
        ({"max_tokens": 1.5}, "max_tokens"),
        ({"prompt": [1, 2.5]}, "prompt"),
        ({"prompt": [[1, 2], []]}, "prompt"),
        ({"prompt": [1, "a"]}, "prompt"),
        ({"prompt": []}, "prompt"),
        ({"model": " "}, "model"),
        ({"logit_bias": {"abc": 1}}, "logit_bias"),
        ({"logit_bias": {"1": 101}}, "logit_bias"),
        ({"include_usage": True, "stream": False}, "stream_options"),
        ({"seed": 2**64}, "seed"),
    ],
)
def test_invalid_requests_are_refused_naming_the_field(changes, field):
    request = CompletionRequest(model="m", prompt="p").with_changes(**changes)
    with pytest.raises(RequestValidationError) as info:
        request.to_body()
    assert field in [e.field for e in info.value.errors]
    assert field in str(info.value)


@pytest.mark.parametrize(
    "prompt",
    ["text", ["a", "b"], [1212, 318, 257], [[1212, 318], [13]]],
)
def test_all_prompt_shapes_are_accepted_and_match_the_contract(prompt):
    body = CompletionRequest(model="m", prompt=prompt).to_body()
    assert body["prompt"] == prompt
    REQUEST_SCHEMA.validate(body)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ("[1]", "JSON object"),
        ('{"x": 1}', "not a token id"),
        ('{"1": 1.5}', "integer"),
        ('{"1": -101}', "between -100 and 100"),
    ],
)
def test_logit_bias_json_errors_are_precise(text, message):
    with pytest.raises(RequestValidationError) as info:
        parse_logit_bias(text)
    assert info.value.field == "logit_bias"
    assert message in str(info.value)


def test_logit_bias_parses():
    assert parse_logit_bias('{"50256": -100, "1": 5.0}') == {"50256": -100, "1": 5}
    assert parse_logit_bias("  ") == {}


def test_token_prompt_parsing():
    assert parse_token_prompt("1212, 318,257") == [1212, 318, 257]
    assert parse_token_prompt("[[1, 2], [3]]") == [[1, 2], [3]]
    with pytest.raises(RequestValidationError):
        parse_token_prompt("1, two")
    with pytest.raises(RequestValidationError):
        parse_token_prompt("1.5")


def test_from_body_round_trips():
    request = CompletionRequest(
        model="m", prompt="p", stop=("x",), stream=True, include_usage=True, logprobs=2
    )
    assert CompletionRequest.from_body(request.to_body()) == request
    assert CompletionRequest.from_body({"model": "m", "stop": "z"}).stop == ("z",)


finite = st.floats(allow_nan=False, allow_infinity=False)


@given(
    temperature=st.none() | finite,
    top_p=st.none() | finite,
    n=st.none() | st.integers(-2, 200),
    best_of=st.none() | st.integers(-1, 30),
    logprobs=st.none() | st.integers(-1, 8),
    max_tokens=st.none() | st.integers(-5, 5000),
    stop=st.lists(st.text(max_size=5), max_size=6).map(tuple),
    stream=st.booleans(),
    penalty=st.none() | finite,
)
def test_any_body_that_passes_validation_matches_the_contract(
    temperature, top_p, n, best_of, logprobs, max_tokens, stop, stream, penalty
):
    request = CompletionRequest(
        model="m",
        prompt="p",
        temperature=temperature,
        top_p=top_p,
        n=n,
        best_of=best_of,
        logprobs=logprobs,
        max_tokens=max_tokens,
        stop=stop,
        stream=stream,
        presence_penalty=penalty,
    )
    if request.validation_errors():
        return
    body = request.to_body()
    REQUEST_SCHEMA.validate(body)


def test_structured_prompt_parsing():
    from app.core.request import parse_structured_prompt

    assert parse_structured_prompt('["a", "b"]') == ["a", "b"]
    assert parse_structured_prompt("[[1, 2], [3]]") == [[1, 2], [3]]
    assert parse_structured_prompt("5, 6") == [5, 6]
    for bad in ('["a", 1]', "[1.5]", "[", "[]"):
        with pytest.raises(RequestValidationError) as info:
            parse_structured_prompt(bad)
        assert info.value.field == "prompt"
