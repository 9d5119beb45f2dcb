"""The Batch window in the real main window: data preview and checks, two variants over
rows with cost and pass rate, Stop/Resume, 429s, failed rows, sorting and filtering,
opening a cell's run in the document, export, and batch files."""

from __future__ import annotations

import csv
import json
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from app.core.batch import FAILED, OK, PENDING
from app.core.profiles import Profile
from app.ui.batch.models import ResultsModel
from tests.conftest import loopback_profile

PRICES = {"prompt": 1.0, "completion": 2.0, "currency": "¥"}

TRICKY_CSV = (
    "\ufeffquestion,answer,note\r\n"
    '"Hello, world",Hello,plain\r\n'
    '"two\r\nlines",world,"a, b"\r\n'
    "你好，世界,你好,中文\r\n"
)


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def rows_csv(path: Path, questions: list[str], answers: list[str] | None = None) -> Path:
    answers = answers or ["Hello"] * len(questions)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["question", "answer"])
        writer.writerows(zip(questions, answers, strict=True))
    return path


def open_batch(window, prompt: str = "Q: {{question}}\nA:", max_tokens: int = 4):
    window.prompt.setPlainText(prompt)
    window.parameters.max_tokens.set_value(max_tokens)
    return window.show_batch()


def run_to_end(qtbot, batch, start=None, timeout: int = 20000) -> None:
    with qtbot.waitSignal(batch.finished, timeout=timeout):
        (start or batch.run_button.click)()
    assert not batch.is_running


def shown_column(batch, column: int) -> list[str]:
    proxy = batch.proxy
    return [proxy.index(r, column).data() for r in range(proxy.rowCount())]


@pytest.mark.gui
def test_csv_preview_mapping_and_checks(qtbot, open_window, api, tmp_path):
    window = open_window([loopback_profile(api)])
    window.prompt.setPlainText("Q: {{question}}\nA:")
    qtbot.keyClick(
        window,
        Qt.Key.Key_B,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    batch = window.batch_window
    assert batch is not None and batch.isVisible() and batch.isWindow()
    assert batch.template.toPlainText() == "Q: {{question}}\nA:"
    assert not batch.run_button.isEnabled()  # no data yet
    path = write(tmp_path / "data.csv", TRICKY_CSV)
    batch.path.setText(str(path))
    qtbot.mouseClick(batch.load_button, Qt.MouseButton.LeftButton)
    model = batch.data_model
    assert model.columns == ("question", "answer", "note")  # no BOM in the first name
    assert model.rowCount() == 3
    assert model.index(0, 0).data() == "Hello, world"
    assert model.index(1, 0).data() == "two↵lines"  # a quoted line break, on one line
    assert model.index(1, 2).data() == "a, b"
    assert model.index(2, 0).data() == "你好，世界"
    # Which placeholder each column fills: in the headers and in the mapping line.
    horizontal = Qt.Orientation.Horizontal
    assert "{{question}}" in model.headerData(0, horizontal)
    assert "unused" in model.headerData(1, horizontal)
    assert "{{question}} → question" in batch.mapping.text()
    assert batch.mapping_of() == {"question": "question"}
    assert batch.mapping.textFormat() == Qt.TextFormat.PlainText
    # Unused columns are named (notes), nothing stops the batch.
    assert "answer" in batch.notes_label.text() and "note" in batch.notes_label.text()
    assert batch.check_errors == [] and batch.run_button.isEnabled()
    # The expected column is offered from the data and then counts as used.
    assert [batch.expected.itemData(i) for i in range(batch.expected.count())] == [
        None, "question", "answer", "note",
    ]  # fmt: skip
    batch.set_expected("answer")
    batch.check()
    assert "expected" in model.headerData(1, horizontal)
    assert "answer" not in batch.notes_label.text()

    # A placeholder without a column is named before anything is sent; Run is disabled.
    batch.template.setPlainText("{{question}} {{missing}} {{ 问题 }}")
    batch.check()
    errors = batch.errors_label.text()
    assert "{{missing}}" in errors and "{{问题}}" in errors
    assert batch.errors_label.isVisible()
    assert not batch.run_button.isEnabled()
    assert "{{missing}} → no column" in batch.mapping.text()
    api.clear()
    assert batch.run_batch() is None and api.requests == []
    # Bad overrides and an unreadable data file are errors too.
    batch.template.setPlainText("{{question}}")
    batch.variant_rows[0].overrides.setText("{oops")
    batch.check()
    assert "Variant 1" in batch.errors_label.text() and not batch.run_button.isEnabled()
    batch.variant_rows[0].overrides.setText("")
    batch.check()
    assert batch.run_button.isEnabled()
    batch.load_data_file(str(tmp_path / "absent.csv"))
    assert "absent.csv" in batch.errors_label.text() and not batch.run_button.isEnabled()
    assert batch.data_model.rowCount() == 0


@pytest.fixture
def two_relays(open_window, api):
    window = open_window(
        [
            Profile(
                name="relay A", base_url=api.base_url(), default_model="model-a", prices=PRICES
            ),
            Profile(name="relay B", base_url=api.base_url(), default_model="model-b"),
        ]
    )
    return window


@pytest.mark.gui
def test_two_variants_over_five_rows(qtbot, two_relays, api, tmp_path):
    window = two_relays
    window.parameters.include_usage.setChecked(True)  # streamed: the server's usage
    batch = open_batch(window)
    data = rows_csv(
        tmp_path / "five.csv",
        ["one", "two, with a comma", "三", "four\nlines", "five"],
        ["Hello", "world", "!", "Hello", "nope"],  # 4 of 5 are in "Hello, world!"
    )
    assert batch.load_data_file(str(data))
    second = batch.add_variant()
    assert second is not None
    second.profile.setCurrentText("relay B")
    assert second.model.currentText() == "model-b"
    second.overrides.setText('{"temperature": 0.2, "my_custom": [1, "二"]}')
    batch.set_expected("answer")
    batch.match.setCurrentIndex(batch.match.findData("contains"))
    assert batch.check() == []
    resets: list[int] = []
    api.clear()
    run_to_end(qtbot, batch)
    results = batch.results
    results.modelReset.connect(lambda: resets.append(1))
    assert results.rowCount() == 10
    assert all(cell.state == OK for cell in results.cells)
    # Every row went to both variants, the placeholders filled, the overrides sent.
    bodies = [r.body for r in api.requests if r.path.endswith("/completions")]
    assert len(bodies) == 10
    by_model = {m: [b for b in bodies if b["model"] == m] for m in ("model-a", "model-b")}
    assert len(by_model["model-a"]) == 5 and len(by_model["model-b"]) == 5
    assert {b["prompt"] for b in by_model["model-a"]} == {
        "Q: one\nA:", "Q: two, with a comma\nA:", "Q: 三\nA:", "Q: four\nlines\nA:",
        "Q: five\nA:",
    }  # fmt: skip
    assert all(b["temperature"] == 0.2 and b["my_custom"] == [1, "二"] for b in by_model["model-b"])
    assert all("my_custom" not in b for b in by_model["model-a"])
    # The results table: output, finish reason, tokens, latency, usage, cost, pass.
    first = batch.proxy.index(0, ResultsModel.OUTPUT)
    assert first.data() == "Hello, world!"
    row = {c: batch.proxy.index(0, c).data() for c in range(ResultsModel.LOGLIK + 1)}
    assert row[ResultsModel.ROW] == "1" and row[ResultsModel.VARIANT].startswith("1 · relay A")
    assert row[ResultsModel.FINISH] == "length" and row[ResultsModel.STATUS] == "ok"
    assert row[ResultsModel.TOKENS].endswith("= " + str(results.cells[0].tokens.total))
    assert "=" in row[ResultsModel.USAGE]
    assert row[ResultsModel.LATENCY].endswith(("ms", "s"))
    assert row[ResultsModel.COST].endswith("¥") and row[ResultsModel.PASS] == "pass"
    assert not batch.table.isColumnHidden(ResultsModel.COST)
    assert not batch.table.isColumnHidden(ResultsModel.PASS)
    assert batch.table.isColumnHidden(ResultsModel.LOGLIK)
    assert shown_column(batch, ResultsModel.PASS).count("fail") == 2  # row 5, both variants
    # The summary per variant: pass rate, latency, tokens, cost with its currency.
    summary = batch.summary_table
    assert summary.rowCount() == 2
    texts = [[summary.item(r, c).text() for c in range(summary.columnCount())] for r in (0, 1)]
    assert texts[0][0].startswith("1 · relay A") and texts[1][0].startswith("2 · relay B")
    assert texts[0][1] == "5 / 5" and texts[0][2] == "0"
    assert texts[0][3] == "80% (4 of 5)" and texts[1][3] == "80% (4 of 5)"
    assert texts[0][4].endswith("ms") and texts[0][5].endswith("ms")
    summaries = batch.batch.summary()
    assert texts[0][6] == f"{summaries[0].total_tokens:,}"  # the server's usage: no ≈
    assert texts[0][7].endswith("¥") and float(texts[0][7].split()[0]) == pytest.approx(
        summaries[0].cost, abs=1e-4
    )
    assert texts[1][7] == "—"  # relay B has no prices
    assert "100%" not in batch.progress_label.text()
    assert batch.progress_bar.value() == batch.progress_bar.maximum() == 10
    assert "Saved to history" in batch.message.text()
    # One history group for the whole batch.
    panel = window.history
    qtbot.waitUntil(lambda: panel.table_model.rowCount() == 10, timeout=5000)
    records = [panel.store.get(r.id) for r in panel.table_model.rows]
    assert {r.group_id for r in records} == {batch.batch.batch_id}
    assert resets == []


@pytest.mark.gui
def test_the_table_is_updated_in_ranges_per_frame(qtbot, open_window, api, tmp_path):
    window = open_window([loopback_profile(api)])
    batch = open_batch(window)
    batch.load_data_file(str(rows_csv(tmp_path / "d.csv", [f"q{i}" for i in range(40)])))
    batch.concurrency.setValue(8)
    events: list[int] = []
    original = batch._on_cell
    batch._on_cell = lambda cell: (events.append(1), original(cell))
    resets: list[int] = []
    changed: list[int] = []
    batch.results.modelReset.connect(lambda: resets.append(1))
    batch.results.dataChanged.connect(lambda *_: changed.append(1))
    batch.table.sortByColumn(ResultsModel.LATENCY, Qt.SortOrder.DescendingOrder)
    run_to_end(qtbot, batch, batch.run_batch)
    assert len(resets) == 2  # cleared, then the new batch; never one per cell
    assert len(events) >= 80  # running and done, per cell
    assert 0 < len(changed) == batch.results.ranges_sent < len(events)
    assert all(c.state == OK for c in batch.results.cells)
    # Sorted by latency before the run: the lines are in that order once it ended.
    shown = [batch.cell_at(batch.proxy.index(r, 0)).latency for r in range(40)]
    assert shown == sorted(shown, reverse=True)


@pytest.mark.gui
def test_stop_keeps_finished_cells_and_resume_runs_the_rest(qtbot, open_window, api, tmp_path):
    window = open_window([loopback_profile(api, "slow", scenario="normal", first_delay=0.15)])
    batch = open_batch(window)
    questions = [f"row {i}" for i in range(6)]
    batch.load_data_file(str(rows_csv(tmp_path / "six.csv", questions)))
    batch.concurrency.setValue(1)
    api.clear()
    # Stopped while its cells are still being prepared: nothing is sent.
    task = batch.run_batch()
    batch.stop_batch()
    qtbot.waitUntil(lambda: "Not run" in batch.message.text(), timeout=5000)
    assert task.cancelled() and batch.run_button.isEnabled()
    assert batch.batch is None and not batch.resume_button.isEnabled()
    with qtbot.waitSignal(batch.finished, timeout=20000):
        batch.run_batch()
        assert batch.stop_button.isEnabled() and not batch.run_button.isEnabled()
        qtbot.waitUntil(
            lambda: batch.batch is not None and batch.batch.progress().done >= 2, timeout=10000
        )
        qtbot.mouseClick(batch.stop_button, Qt.MouseButton.LeftButton)
    cells = batch.results.cells
    done = [c for c in cells if c.done]
    assert 2 <= len(done) < 6
    assert all(c.state == OK for c in done)
    assert all(c.state == PENDING for c in cells if not c.done)
    assert "Stopped" in batch.message.text() and "Resume" in batch.message.text()
    assert batch.resume_button.isEnabled() and not batch.stop_button.isEnabled()
    kept = {c.row: c.record_id for c in done}
    run_to_end(
        qtbot, batch, lambda: qtbot.mouseClick(batch.resume_button, Qt.MouseButton.LeftButton)
    )
    assert all(c.state == OK for c in cells)
    assert {c.row: c.record_id for c in cells if c.row in kept} == kept  # not run again
    prompts = [
        r.body["prompt"]
        for r in api.requests
        if r.path.endswith("/completions") and isinstance(r.body, dict)  # not cut short
    ]
    assert len(prompts) <= 7  # each row once, the one stopped in flight twice
    for row in kept:
        assert prompts.count(f"Q: row {row}\nA:") == 1
    assert not batch.resume_button.isEnabled()
    assert batch.progress_bar.value() == 6


@pytest.mark.gui
def test_a_429_waits_and_shows_in_the_progress(qtbot, open_window, api, tmp_path):
    profile = loopback_profile(
        api, "limited", scenario="ratelimit-once", retry_after=0.6, tag=uuid.uuid4().hex
    )
    window = open_window([profile])
    batch = open_batch(window)
    batch.load_data_file(str(rows_csv(tmp_path / "two.csv", ["a", "b"])))
    with qtbot.waitSignal(batch.finished, timeout=20000):
        batch.run_batch()
        qtbot.waitUntil(
            lambda: "waiting for the server (429): 2" in batch.progress_label.text(),
            timeout=5000,
        )
        assert "waiting (429)" in shown_column(batch, ResultsModel.STATUS)
    assert all(c.state == OK and c.attempts == 2 for c in batch.results.cells)
    assert "429" not in batch.progress_label.text()


@pytest.mark.gui
def test_failed_rows_filter_and_sort(qtbot, open_window, api, tmp_path):
    window = open_window([loopback_profile(api, "picky", scenario="fail-if", contains="FAIL")])
    batch = open_batch(window)
    questions = ["fine", "FAIL here", "你好", "also fine", "more"]
    batch.load_data_file(str(rows_csv(tmp_path / "d.csv", questions)))
    run_to_end(qtbot, batch)
    failed = [c for c in batch.results.cells if c.state == FAILED]
    assert [c.row for c in failed] == [1]
    status = shown_column(batch, ResultsModel.STATUS)
    assert status[1] == "failed" and status.count("ok") == 4
    output = batch.proxy.index(1, ResultsModel.OUTPUT)
    assert output.data()  # the error sentence
    assert output.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert "1 failed" in batch.progress_label.text()
    assert batch.summary_table.item(0, 2).text() == "1"
    # "Failed only" and the search field filter the lines.
    qtbot.mouseClick(batch.failed_only, Qt.MouseButton.LeftButton)
    assert batch.proxy.rowCount() == 1 and shown_column(batch, ResultsModel.ROW) == ["2"]
    assert "1 of 5" in batch.count_label.text()
    batch.failed_only.setChecked(False)
    qtbot.keyClicks(batch.search, "also")
    qtbot.waitUntil(lambda: batch.proxy.rowCount() == 1, timeout=3000)
    assert shown_column(batch, ResultsModel.ROW) == ["4"]
    batch.search.setText("你好")  # (QTest cannot type Chinese) the row's values match too
    qtbot.waitUntil(lambda: shown_column(batch, ResultsModel.ROW) == ["3"], timeout=3000)
    batch.search.clear()
    qtbot.waitUntil(lambda: batch.proxy.rowCount() == 5, timeout=3000)
    # Sorting by latency (a click on its header), then the other way round.
    header = batch.table.horizontalHeader()
    x = header.sectionViewportPosition(ResultsModel.LATENCY) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

    def latencies() -> list[float]:
        return [batch.cell_at(batch.proxy.index(r, 0)).latency for r in range(5)]

    assert header.sortIndicatorSection() == ResultsModel.LATENCY
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert latencies() == sorted(latencies())
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert latencies() == sorted(latencies(), reverse=True)
    # The selected line follows its cell when the order changes.
    batch.table.selectRow(2)
    chosen = batch.cell_at(batch.table.currentIndex())
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert batch.cell_at(batch.table.currentIndex()) is chosen
    assert latencies() == sorted(latencies())
    # Sorted and filtered together; the filter keeps the sort.
    batch.failed_only.setChecked(True)
    assert shown_column(batch, ResultsModel.STATUS) == ["failed"]


@pytest.mark.gui
def test_clicking_a_cell_opens_its_run_in_the_document(qtbot, two_relays, api, tmp_path):
    window = two_relays
    window.parameters.logprobs.set_value(2)
    batch = open_batch(window, max_tokens=5)
    batch.load_data_file(str(rows_csv(tmp_path / "d.csv", ["first", "第二"])))
    second = batch.add_variant()
    second.profile.setCurrentText("relay B")
    second.overrides.setText('{"max_tokens": 3}')
    run_to_end(qtbot, batch)
    # Row 2 on variant 2: its completion (3 tokens) differs from variant 1's (5 tokens).
    target = next(c for c in batch.results.cells if c.row == 1 and c.variant == 1)
    line = next(
        r for r in range(batch.proxy.rowCount()) if batch.cell_at(batch.proxy.index(r, 0)) is target
    )
    rect = batch.table.visualRect(batch.proxy.index(line, ResultsModel.OUTPUT))
    with qtbot.waitSignal(batch.openRun, timeout=3000) as opened:
        qtbot.mouseClick(batch.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [target.record_id]
    assert window.completion_text() == target.text and target.text
    assert window.document.text() == target.prompt + target.text
    assert window.profiles.current.name == "relay B"
    span = window.runs.span
    assert span is not None
    qtbot.waitUntil(lambda: span.layout is not None, timeout=5000)  # its tokens coloured
    assert len(span.layout.tokens) == 3
    # The batch's own template is untouched by opening a run.
    assert batch.template.toPlainText() == "Q: {{question}}\nA:"


@pytest.mark.gui
def test_export_and_batch_files(qtbot, open_window, api, tmp_path):
    window = open_window(
        [loopback_profile(api), Profile(name="other", base_url=api.base_url(), default_model="m2")]
    )
    batch = open_batch(window, prompt="问：{{question}}\n答：")
    data = write(tmp_path / "data.csv", TRICKY_CSV)
    batch.load_data_file(str(data))
    assert not batch.export_csv_button.isEnabled()
    run_to_end(qtbot, batch)
    # Export through the dialogs (a chosen file is what the dialog answers).
    csv_path, jsonl_path = tmp_path / "out" / "results.csv", tmp_path / "results.jsonl"
    csv_path.parent.mkdir()
    dialog = batch.export_dialog("csv")
    dialog.fileSelected.emit(str(csv_path))
    dialog.reject()
    dialog = batch.export_dialog("jsonl")
    dialog.fileSelected.emit(str(jsonl_path))
    dialog.reject()
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert [line["question"] for line in lines] == ["Hello, world", "two\r\nlines", "你好，世界"]
    assert all(line["status"] == "ok" for line in lines)
    records = [json.loads(x) for x in jsonl_path.read_text(encoding="utf-8").splitlines()]
    assert [r["row"] for r in records] == [1, 2, 3]
    assert records[2]["prompt"] == "问：你好，世界\n答："
    assert all(isinstance(r["history_id"], int) for r in records)
    assert "written" in batch.message.text()
    assert not batch.export_to(str(tmp_path), "csv")  # a folder: cannot be written
    assert "could not be written" in batch.message.text()

    # Save the set-up, change everything, open it again: the set-up comes back.
    batch.suffix.setPlainText("（完）{{note}}")
    second = batch.add_variant()
    second.profile.setCurrentText("other")
    second.model.setEditText("m-custom")
    second.overrides.setText('{"temperature": 0.3, "x_custom": "值"}')
    batch.set_expected("answer")
    batch.match.setCurrentIndex(batch.match.findData("regex"))
    batch.loglik.setChecked(True)
    batch.concurrency.setValue(3)
    saved = tmp_path / "my batch.json"
    dialog = batch.save_dialog()
    dialog.fileSelected.emit(str(saved))
    dialog.reject()
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert document["kind"] == "completion-playground/batch"
    assert document["data_path"] == "data.csv"  # beside the batch file: relative
    assert document["parameters"]["max_tokens"] == 4
    batch.template.setPlainText("changed")
    batch.suffix.clear()
    batch.remove_variant()
    batch.set_expected(None)
    batch.loglik.setChecked(False)
    batch.concurrency.setValue(1)
    batch.load_data_file(str(rows_csv(tmp_path / "other.csv", ["x"])))
    dialog = batch.open_dialog()
    dialog.fileSelected.emit(str(saved))
    dialog.reject()
    assert batch.template.toPlainText() == "问：{{question}}\n答："
    assert batch.suffix.toPlainText() == "（完）{{note}}"
    assert len(batch.variant_rows) == 2
    a, b = batch.variant_rows
    assert (a.profile.currentText(), a.model.currentText()) == ("loopback", "test-model")
    assert (b.profile.currentText(), b.model.currentText()) == ("other", "m-custom")
    assert json.loads(b.overrides.text()) == {"temperature": 0.3, "x_custom": "值"}
    assert batch.expected.currentData() == "answer"
    assert batch.match.currentData() == "regex" and batch.loglik.isChecked()
    assert batch.concurrency.value() == 3
    assert Path(batch.data_path) == data and batch.data_model.rowCount() == 3
    assert "Batch opened" in batch.message.text()
    spec, problems = batch.current_spec()
    assert problems == [] and spec.parameters["suffix"] == "（完）{{note}}"
    # A broken batch file is named, and nothing changes.
    broken = write(tmp_path / "broken.json", "{not json")
    assert not batch.open_file(str(broken))
    assert "broken.json" in batch.message.text()
    assert batch.template.toPlainText() == "问：{{question}}\n答："


@pytest.mark.gui
def test_the_data_file_field_and_the_summary_headings_have_room(qtbot, open_window, api):
    """At the window's opening size the data file's path field is not squeezed by the
    buttons beside it, and every summary heading is shown whole."""
    window = open_window([loopback_profile(api)])
    batch = open_batch(window)
    qtbot.waitExposed(batch)
    assert batch.path.width() >= 150  # was ~25 px beside the format and two buttons
    table = batch.summary_table
    table.setColumnHidden(batch.PASS_COLUMN, False)
    table.setColumnHidden(batch.LOGLIK_COLUMN, False)
    header = table.horizontalHeader()
    for column in range(1, table.columnCount()):
        heading = table.horizontalHeaderItem(column).text()
        needed = header.fontMetrics().horizontalAdvance(heading)
        assert header.sectionSize(column) >= needed, heading


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_expected_column_and_the_output_have_room_in_a_narrower_window(
    qtbot, open_window, api, tmp_path, language
):
    """At 1,024 px the expected column's name is not squeezed by the options beside it
    ("answe"), every results column beside the output shows its heading and its usual
    words whole, and the output keeps the most room (it had 130 px, 53 before a run)."""
    from app.ui.common.i18n import install_translators

    install_translators(language)
    try:
        window = open_window([loopback_profile(api)])
        batch = open_batch(window)
        qtbot.waitExposed(batch)
        batch.resize(1024, 760)
        data = rows_csv(tmp_path / "rows.csv", ["one", "two"], ["Hello", "world"])
        assert batch.load_data_file(str(data))
        batch.set_expected("answer")
        batch.check()
        assert not batch.table.isColumnHidden(ResultsModel.PASS)  # the set-up checks
        assert batch.table.isColumnHidden(ResultsModel.LOGLIK)
        combo = batch.expected
        assert combo.width() >= combo.fontMetrics().horizontalAdvance("expected answer") + 30
        header = batch.table.horizontalHeader()
        metrics = header.fontMetrics()
        results = batch.results
        for column, samples in results.usual_texts().items():
            if batch.table.isColumnHidden(column):  # cost, log-likelihood: not asked for
                continue
            heading = results.headerData(column, Qt.Orientation.Horizontal)
            needed = max(metrics.horizontalAdvance(t) for t in [heading, *samples])
            assert header.sectionSize(column) >= needed, (heading, samples)
        others = [
            header.sectionSize(c)
            for c in range(results.columnCount())
            if c != ResultsModel.OUTPUT and not batch.table.isColumnHidden(c)
        ]
        qtbot.waitUntil(lambda: header.sectionSize(ResultsModel.OUTPUT) >= 200)
        assert header.sectionSize(ResultsModel.OUTPUT) > max(others)
    finally:
        install_translators("en")
