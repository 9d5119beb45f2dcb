"""Presets, run history and the autosaved session: nothing written or received is lost."""

from __future__ import annotations

import json

import pytest

from app.core.events import ChoiceDelta, UsageReport
from app.core.history import HistoryError, HistoryStore, RunRecord, record_for
from app.core.presets import BUILTIN_PRESETS, PRESET_KIND, Preset, PresetError, PresetStore
from app.core.request import CompletionRequest
from app.core.result import ResultBuilder
from app.core.session_state import SessionFile, WorkingState


def request(**kw):
    return CompletionRequest(model="m", prompt="Hello 你好", max_tokens=5, stop=("\n",), **kw)


# -- presets -------------------------------------------------------------------------------


def test_preset_round_trip_with_unknown_fields_kept(tmp_path):
    store = PresetStore(tmp_path / "presets")
    preset = Preset.from_request(
        "中文 预设/1", request(temperature=0.3), profile="relay", prompt_mode="text"
    )
    path = store.save(preset)
    assert path.name == "中文 预设-1.json"  # Chinese kept, path separator removed
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["kind"] == PRESET_KIND and data["schema_version"] == 1
    assert data["parameters"] == {"max_tokens": 5, "temperature": 0.3, "stop": ["\n"]}
    data["from_the_future"] = {"x": 1}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    loaded = next(p for p in store.load().presets if p.name == "中文 预设/1")
    assert loaded.request().temperature == 0.3
    assert loaded.request().stop == ("\n",)
    store.save(loaded, replace_name=loaded.name)
    assert json.loads(path.read_text(encoding="utf-8"))["from_the_future"] == {"x": 1}


def test_builtins_exist_and_are_read_only(tmp_path):
    names = [p.name for p in BUILTIN_PRESETS]
    assert any("classification" in n for n in names)
    assert any("suffix" in n for n in names)
    assert any("中文" in n for n in names)
    for preset in BUILTIN_PRESETS:
        preset.request(model="m")  # every built-in is a valid request
    with pytest.raises(PresetError, match="read-only"):
        PresetStore(tmp_path).save(BUILTIN_PRESETS[0])


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "not valid JSON"),
        ('{"kind": "something/else", "schema_version": 1, "name": "x"}', "not a Completion"),
        ("[1, 2]", "not a JSON object"),
        (
            json.dumps(
                {
                    "kind": PRESET_KIND,
                    "schema_version": 1,
                    "name": "x",
                    "parameters": {"logprobs": 9},
                }
            ),
            "invalid parameters",
        ),
    ],
)
def test_corrupt_or_foreign_files_are_reported_and_never_overwritten(tmp_path, content, problem):
    folder = tmp_path / "presets"
    folder.mkdir()
    bad = folder / "x.json"
    bad.write_text(content, encoding="utf-8")
    loaded = PresetStore(folder).load()
    assert len(loaded.problems) == 1
    assert str(bad) in loaded.problems[0] and problem in loaded.problems[0]
    with pytest.raises(PresetError, match="not overwritten"):
        PresetStore(folder).save(Preset(name="x", parameters={}))
    assert bad.read_text(encoding="utf-8") == content
    with pytest.raises(PresetError):
        PresetStore(folder).import_file(bad)


def test_rename_delete_import_export(tmp_path):
    store = PresetStore(tmp_path / "presets")
    preset = Preset(name="a", prompt="p", parameters={"max_tokens": 3})
    store.save(preset)
    renamed = store.rename(preset, "b")
    assert not store.path_for("a").exists() and store.path_for("b").exists()
    exported = tmp_path / "shared.json"
    store.export_file(renamed, exported)
    imported = store.import_file(exported)
    assert imported.name == "b (2)"
    store.delete(renamed)
    assert [p.name for p in store.load().presets if not p.builtin] == ["b (2)"]


def test_presets_refuse_anything_that_looks_like_a_key(tmp_path):
    with pytest.raises(PresetError, match="API key"):
        PresetStore(tmp_path).save(Preset(name="x", parameters={"api_key": "sk-1"}))


# -- history -------------------------------------------------------------------------------


def finished_result(text="answer 世界", error=None, cancelled=False):
    builder = ResultBuilder()
    builder.apply(ChoiceDelta(0, text, (), "stop"))
    builder.apply(UsageReport({"prompt_tokens": 2, "completion_tokens": 3, "total_tokens": 5}))
    if cancelled:
        builder.cancel()
    return builder.finish()


def test_history_records_search_filter_and_restore(tmp_path):
    store = HistoryStore(tmp_path / "history.sqlite3")
    req = request(logprobs=1)
    first = store.add(record_for(req, finished_result(), profile="local", base_url="http://l/v1"))
    store.add(record_for(req.with_changes(model="other", prompt="unrelated"),
                         finished_result("zzz", cancelled=True), profile="relay",
                         base_url="https://r/v1"))  # fmt: skip
    assert store.count() == 2
    assert [r.id for r in store.search("世界")] == [first]  # FTS over output (CJK trigram)
    assert [r.id for r in store.search("你")] == [first]  # short query: LIKE
    assert [r.model for r in store.search(model="other")] == ["other"]
    assert store.search(profile="relay")[0].status == "cancelled"
    record = store.get(first)
    assert CompletionRequest.from_body(record.request) == req
    assert record.result["usage"]["total_tokens"] == 5
    assert store.distinct("model") == ["m", "other"]
    store.delete([first])
    assert store.count() == 1


def test_history_export_jsonl_and_markdown(tmp_path):
    store = HistoryStore(tmp_path / "h.sqlite3")
    run_id = store.add(record_for(request(), finished_result(), profile="p", base_url="u"))
    store.export_jsonl([run_id], tmp_path / "runs.jsonl")
    line = json.loads((tmp_path / "runs.jsonl").read_text(encoding="utf-8"))
    assert line["result"]["choices"][0]["text"] == "answer 世界"
    store.export_markdown([run_id], tmp_path / "runs.md")
    markdown = (tmp_path / "runs.md").read_text(encoding="utf-8")
    assert "### Prompt" in markdown and "answer 世界" in markdown


def test_markdown_export_keeps_code_and_hostile_names_inert(tmp_path):
    """A code completion's own fence (```) closed the export's and turned the rest into
    Markdown: read back by a CommonMark parser, the prompt and the output are each one
    code block holding exactly their text, and names a server chose stay inline code."""
    from markdown_it import MarkdownIt

    prompt = "Write it:\n```python\nprint('hi')\n```\n````\n"
    output = "```\n# Not a heading\n<img src=x onerror=alert(1)>\n`` ` ``\n"
    req = CompletionRequest(model="m`<b>", prompt=prompt, max_tokens=5, stop=("```",))
    store = HistoryStore(tmp_path / "h.sqlite3")
    run_id = store.add(
        record_for(req, finished_result(output), profile="`p` <i>", base_url="http://u/v1")
    )
    store.export_markdown([run_id], tmp_path / "runs.md")
    tokens = MarkdownIt("commonmark").parse((tmp_path / "runs.md").read_text(encoding="utf-8"))
    blocks = [t.content for t in tokens if t.type == "fence"]
    assert blocks == [prompt + "\n", output + "\n"]  # a code block ends with its newline
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[0] == "Completion Playground runs" and "Not a heading" not in headings
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]
    inline = [
        c.content for t in tokens if t.children for c in t.children if c.type == "code_inline"
    ]
    assert "`p` <i>" in inline and "m`<b>" in inline and "stop" in " ".join(inline)


def test_history_pages_through_10000_runs(tmp_path):
    """Correctness at size; the speed is printed by bench/history.py, not asserted."""
    store = HistoryStore(tmp_path / "h.sqlite3")
    base = RunRecord(created=0, profile="p", base_url="u", model="m", request={"model": "m"},
                     prompt="prompt", output="output", result={}, status="ok")  # fmt: skip
    with store._lock:
        store._db.executemany(
            "INSERT INTO runs (created, profile, base_url, model, request, prompt, output,"
            " result, status) VALUES (?, 'p', 'u', 'm', '{}', ?, ?, '{}', 'ok')",
            [(i, f"prompt number {i}", f"output {i} {'needle' if i % 1000 == 0 else ''}")
             for i in range(10_000)],
        )  # fmt: skip
        store._db.commit()
    store.add(base)
    page = store.page(None, 200)
    second = store.page(page[-1].key, 200)  # keyset: after the last row, no offset
    assert second == store.search(limit=200, offset=200)  # older callers' offset pages agree
    hits = store.page(None, 200, text="needle")
    assert len(page) == 200 and page[0].created >= page[-1].created
    assert page[-1].created > second[0].created
    assert len(hits) == 10 and store.count() == 10_001 and store.count("needle") == 10
    last, after = page, page[-1].key
    while len(last) == 200:  # to the end, one index range a page
        last = store.page(after, 200)
        after = last[-1].key if last else after
    assert after == (0.0, 1)  # the oldest run, reached without an offset


def test_corrupt_history_is_reported_and_the_file_kept(tmp_path):
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(HistoryError) as info:
        HistoryStore(path)
    assert "History is disabled" in str(info.value) and str(path) in str(info.value)
    assert path.read_bytes() == b"this is not a database" * 100


def test_locked_history_is_reported(tmp_path):
    import sqlite3

    path = tmp_path / "history.sqlite3"
    HistoryStore(path).close()
    locker = sqlite3.connect(path)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        store = None
        with pytest.raises(HistoryError, match="locked"):
            store = HistoryStore(path, timeout=0.1)
            store.add(record_for(request(), finished_result(), profile=None, base_url=None))
    finally:
        locker.rollback()
        locker.close()


# -- session -------------------------------------------------------------------------------


def test_session_round_trip_and_corrupt_file_kept_aside(tmp_path):
    session = SessionFile(tmp_path)
    state = WorkingState(prompt="draft 草稿", parameters={"max_tokens": 7}, profile="p",
                         model="m", outputs=["out"])  # fmt: skip
    session.save(state)
    assert session.load() == (state, None)
    session.path.write_text("{broken", encoding="utf-8")
    loaded, problem = session.load()
    assert loaded is None and "could not be read" in str(problem)
    assert (tmp_path / "session.json.corrupt").read_text(encoding="utf-8") == "{broken"
