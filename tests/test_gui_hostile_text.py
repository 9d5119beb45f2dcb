"""Server, file and user text is shown literally everywhere, never as rich text.

A relay that answers with ``<h1>``, ``<a href>`` or ``<img src="file:///…">`` in an error
body, a model id, a finish reason or the output must not be able to draw a styled
"log in again" link into the window, show a local image or abort the app
(``file:///dev/zero``). The loopback server's ``hostile`` scenario puts such strings
everywhere; each test drives some surfaces, checks that the exact characters are shown,
then walks every label, tooltip and item tooltip of the window and its dialogs. An image
whose file is watched (its access time) proves that nothing was loaded.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import replace
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError
from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtGui import QAction, QTextDocument
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QInputDialog, QLabel, QWidget

from app.core.errors import APIStatusError, StreamError
from app.core.profiles import Profile
from app.ui.shell.about_dialog import AboutDialog
from tests.conftest import loopback_profile
from tests.loopback_server import HOSTILE_TEXT, HOSTILE_TEXTS, LoopbackServer

pytestmark = pytest.mark.gui

#: Markup that must never reach Qt's rich-text engine as markup.
MARKUP = re.compile(r"<\s*(h1|a|img)\b", re.IGNORECASE)


class Probe:
    """A file that Qt would read if an ``<img>`` pointing at it were ever rendered."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.works = self._atime_works(folder / "calibration")
        self.path = folder / "probe.png"
        self.path.write_bytes(b"probe: never to be read")
        self._age(self.path)
        self.atime = self.path.stat().st_atime_ns
        self.img = f'<img src="{self.path.as_uri()}">'

    @staticmethod
    def _age(path: Path) -> None:
        # relatime updates the access time on a read when it is older than mtime.
        now = time.time()
        os.utime(path, (now - 3 * 86400, now - 86400))

    def _atime_works(self, path: Path) -> bool:
        path.write_bytes(b"calibration")
        self._age(path)
        before = path.stat().st_atime_ns
        path.read_bytes()
        return path.stat().st_atime_ns != before

    def read_by_someone(self) -> bool:
        return self.works and self.path.stat().st_atime_ns != self.atime


@pytest.fixture
def probe(tmp_path) -> Probe:
    return Probe(tmp_path / "probe")


@pytest.fixture
def text(probe) -> str:
    """The hostile text the server sends: the four strings and an image of the probe."""
    return f"{HOSTILE_TEXT} {probe.img}"


def hostile_url(api: LoopbackServer, text: str, mode: str = "output") -> str:
    return api.base_url("hostile", mode=mode, text=text)


# -- what Qt shows ------------------------------------------------------------------------


class RecordingDocument(QTextDocument):
    """Renders rich text as Qt would, recording resource requests instead of loading."""

    def __init__(self) -> None:
        super().__init__()
        self.requested: list[str] = []

    def loadResource(self, type_: int, url: QUrl) -> object:
        self.requested.append(url.toString())
        return None


def is_rich(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> bool:
    if text_format == Qt.TextFormat.PlainText:
        return False
    if text_format == Qt.TextFormat.AutoText:
        return QtGui.mightBeRichText(text)
    return True


def render(text: str) -> RecordingDocument:
    document = RecordingDocument()
    document.setHtml(text)
    document.setTextWidth(400)
    document.size()  # lays it out: images would be requested now
    return document


def shown(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """The characters a label or tooltip with ``text`` shows (line separators as \\n)."""
    if not is_rich(text, text_format):
        return text
    return render(text).toPlainText().replace("\u2028", "\n").replace("\u00a0", " ")


def label_shows(label: QLabel) -> str:
    return shown(label.text(), label.textFormat())


def unmnemonic(text: str) -> str:
    """A button or action text as drawn: ``&x`` underlines x, ``&&`` is one ``&``."""
    return re.sub(r"&(.)", r"\1", text)


def rich_problems(text: str, *, headings: bool = False) -> list[str]:
    """What is wrong with ``text`` drawn as rich text: markup it carried, links, images."""
    problems = ["carries markup"] if MARKUP.search(text) else []
    document = render(text)
    if document.requested:
        problems.append(f"requested {document.requested}")
    return problems + document_problems(document, headings=headings)


def document_problems(document: QTextDocument, *, headings: bool = False) -> list[str]:
    """Links, images and (unless allowed) headings in a rendered document."""
    problems = []
    block = document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() and not headings:
            problems.append("has a heading")
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isAnchor():
                problems.append(f"has a link to {fmt.anchorHref()!r}")
            if fmt.isImageFormat():
                problems.append(f"has an image {fmt.toImageFormat().name()!r}")
            it += 1
        block = block.next()
    return problems


def check_tooltip(where: str, tip: object, problems: list[str]) -> None:
    if isinstance(tip, str) and tip and is_rich(tip):
        problems += [f"{where}: tooltip {tip!r} {p}" for p in rich_problems(tip)]


def assert_everything_literal(window: QWidget, probe: Probe, allowed_rich: tuple = ()) -> None:
    """Every label, tooltip and item tooltip of the window and its dialogs is safe."""
    problems: list[str] = []
    widgets = [window, *window.findChildren(QWidget)]
    for widget in widgets:
        name = f"{type(widget).__name__}({widget.objectName() or widget.accessibleName()})"
        if isinstance(widget, QLabel):
            widget.sizeHint()  # lays rich text out, which would load its images
            text = widget.text()
            if is_rich(text, widget.textFormat()):
                found = rich_problems(text, headings=widget in allowed_rich)
                problems += [f"{name}: label {text!r} {p}" for p in found]
        check_tooltip(name, widget.toolTip(), problems)
    for action in window.findChildren(QAction):
        check_tooltip(f"action {action.text()!r}", action.toolTip(), problems)
    models = {id(v.model()): v.model() for v in window.findChildren(QAbstractItemView) if v.model()}
    models |= {id(c.model()): c.model() for c in window.findChildren(QComboBox)}
    for model in models.values():
        for row in range(model.rowCount(QModelIndex())):
            column = 0  # list models hide columnCount(): walk until the index is invalid
            while (index := model.index(row, column, QModelIndex())).isValid():
                tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
                check_tooltip(f"{type(model).__name__}[{row},{column}]", tip, problems)
                column += 1
    assert problems == []
    assert not probe.read_by_someone(), "an <img> in some text was loaded"


# -- surfaces -------------------------------------------------------------------------------


def test_models_output_finish_history_and_wire_are_literal(qtbot, open_window, api, probe, text):
    window = open_window([loopback_profile(api, "relay", scenario="hostile", text=text)])
    with qtbot.waitSignal(window.controller.connectionTested, timeout=10000) as tested:
        qtbot.mouseClick(window.connection.test, Qt.MouseButton.LeftButton)
    assert tested.args[0] is True
    state = label_shows(window.status.state)
    assert state == tested.args[1]
    assert HOSTILE_TEXTS[0] in state and HOSTILE_TEXTS[1] in state
    models = [window.connection.model.itemText(i) for i in range(window.connection.model.count())]
    assert set(HOSTILE_TEXTS) <= set(models)

    model = HOSTILE_TEXTS[1]
    window.connection.model.setCurrentText(model)
    window.parameters.logprobs.set_value(2)
    window.parameters.include_usage.setChecked(True)
    window.prompt.setPlainText(text)
    with (
        qtbot.waitSignal(window.runs.painted, timeout=10000),
        qtbot.waitSignal(window.controller.runFinished, timeout=10000) as finished,
    ):
        window.run()
    result = finished.args[0]
    assert result.ok, result.error
    assert api.last_completion().body["model"] == model
    assert window.completion_text() == text
    assert window.prompt.toPlainText() == text + text  # the completion, in the document
    assert label_shows(window.status.finish) == f"finish: {text}"
    assert HOSTILE_TEXTS[0] in label_shows(window.status.usage)
    window.output_dock.show()
    assert f"finish: {text}" in label_shows(window.output.choice_pane(0).summary)

    editor = window.prompt
    span = window.runs.span
    assert span.layout is not None and len(span.layout.units) == len(HOSTILE_TEXTS) + 1
    for i in range(len(span.layout.units)):
        tip = editor.describe_unit(span, i)
        assert rich_problems(tip) == []
        assert editor.text_between(*span.unit_range(i)).strip() in shown(tip)
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton,
                     pos=editor.unit_point(span, 2))  # fmt: skip
    details = window.tokens.details
    assert HOSTILE_TEXTS[2] in label_shows(details.title)
    assert any(HOSTILE_TEXTS[0] in item.text() for item in details.alternative_items())

    window.focus_history_search()
    panel = window.history
    qtbot.waitUntil(lambda: panel.table_model.rowCount() == 1, timeout=5000)
    table = panel.table_model
    row = table.rows[0]
    for column, raw, value in ((1, row.model, model), (4, row.prompt, text), (5, row.output, text)):
        assert value.startswith(raw) and HOSTILE_TEXTS[1] in raw  # a preview of the text
        index = table.index(0, column)
        assert table.data(index, Qt.ItemDataRole.DisplayRole) == " ".join(raw.split())
        assert shown(table.data(index, Qt.ItemDataRole.ToolTipRole)) == raw

    inspector = window.inspect_wire()
    assert HOSTILE_TEXTS[0] in inspector.request_view.toPlainText()
    events = [inspector.events.item(i).text() for i in range(inspector.events.count())]
    assert any(HOSTILE_TEXTS[0] in e for e in events)
    panel.table.selectRow(0)
    panel.inspect_selected()
    assert model in label_shows(inspector.source)
    assert_everything_literal(window, probe)


def test_error_bodies_and_model_list_errors_are_literal(qtbot, open_window, api, probe, text):
    window = open_window(
        [loopback_profile(api, "relay", scenario="hostile", mode="error", text=text)]
    )
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as finished:
        window.run()
    assert isinstance(finished.args[0].error, APIStatusError)
    assert text in label_shows(window.messages.label)

    with qtbot.waitSignal(window.controller.modelsFailed, timeout=10000):
        window.refresh_models()
    assert text in label_shows(window.status.state)
    with qtbot.waitSignal(window.controller.connectionTested, timeout=10000) as tested:
        qtbot.mouseClick(window.connection.test, Qt.MouseButton.LeftButton)
    assert tested.args[0] is False
    assert text in label_shows(window.status.state)
    assert text in label_shows(window.messages.label)

    dialog = window.show_profiles()
    with qtbot.waitSignal(window.controller.connectionTested, timeout=10000):
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert text in label_shows(dialog.feedback)

    current = window.profiles.current
    with qtbot.waitSignal(window.controller.modelsLoaded, timeout=10000):
        window.profiles.save_profile(
            current.name, replace(current, base_url=hostile_url(api, text, "stream-error"))
        )
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as finished:
        window.run()
    assert isinstance(finished.args[0].error, StreamError)
    assert text in label_shows(window.messages.label)
    assert window.completion_text() == "".join(re.split(r"(?<=>)(?= )", text)[:2])
    assert_everything_literal(window, probe)


def test_compare_window_is_literal(qtbot, open_window, api, probe, text):
    window = open_window(
        [
            loopback_profile(api, "relay", scenario="hostile", text=text),
            loopback_profile(api, "broken", scenario="hostile", mode="error", text=text),
        ]
    )
    window.prompt.setPlainText(text)
    compare = window.show_compare()
    a, b = compare.columns
    a.model.setEditText(HOSTILE_TEXTS[0])
    b.profile.setCurrentText("broken")
    b.model.setEditText(HOSTILE_TEXTS[2])
    b.overrides.setText(f'{{"{HOSTILE_TEXTS[0]}": 1}}')
    assert compare.run_all() == []
    assert HOSTILE_TEXTS[0] in label_shows(compare.message)
    b.overrides.clear()
    with qtbot.waitSignal(compare.finished, timeout=15000):
        compare.run_all()
    assert a.output.toPlainText() == text
    assert f"finish: {text}" in label_shows(a.figures)
    assert text in label_shows(b.figures)
    compare.show_diff()
    assert text in compare.diff_view.toPlainText()
    assert document_problems(compare.diff_view.document()) == []
    assert_everything_literal(window, probe)


class HostileKeyring(KeyringBackend):
    """A keyring whose every answer is an error with hostile text in it."""

    priority = 1  # type: ignore[assignment]
    message = HOSTILE_TEXT

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringError(self.message)

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError(self.message)

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringError(self.message)


def test_profile_names_presets_keyring_and_files_are_literal(
    qtbot, open_window, api, probe, text, tmp_path, monkeypatch
):
    HostileKeyring.message = text
    keyring.set_keyring(HostileKeyring())  # the isolated_home fixture puts the old one back
    name = f"{HOSTILE_TEXTS[0]} & co {probe.img}"
    profile = Profile(
        name=name, base_url=api.base_url("no-logprobs"), default_model="m", unsupported=["user"]
    )
    window = open_window([profile])
    with qtbot.waitSignal(window.profiles.keyStatusChanged, timeout=10000):
        window.profiles.start_key_probe()
    assert text in label_shows(window.messages.label)
    dialog = window.show_profiles()
    assert text in label_shows(dialog.key_status)
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == [name]
    dialog.close()

    user_label = window.parameters._label_for("user")
    assert name in shown(user_label.toolTip())
    window.parameters.user.setText("u1")
    window.parameters.logprobs.set_value(2)
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000):
        window.run()
    assert name in label_shows(window.status.state)  # "not sent (unsupported by …)"
    assert unmnemonic(window.messages.action_button.text()) == f"Remember for {name}"
    code = window.code.show_code()
    assert name in label_shows(code.note)

    preset_name = HOSTILE_TEXTS[1]
    window.presets.save_named(preset_name)
    assert preset_name in label_shows(window.messages.label)
    assert preset_name in window.windowTitle()
    picker = window.presets.open_picker()
    labels = [picker.items.item(i).text() for i in range(picker.items.rowCount())]
    assert preset_name in labels
    picker.reject()
    elsewhere = f"{HOSTILE_TEXTS[0]} elsewhere"
    window.presets.load(replace(window.presets.current, profile=elsewhere))
    ask = window.presets.dialog
    assert isinstance(ask, QInputDialog)
    assert any(elsewhere in label_shows(label) for label in ask.findChildren(QLabel))
    ask.reject()

    window.parameters.stop.set_values(["a&b"])
    assert unmnemonic(window.parameters.stop.chips()[0].text()) == "a&b  ×"
    window.parameters.logit_bias.edit.setText(f'{{"{HOSTILE_TEXTS[0]}": 5}}')
    curl = window.code.show_import()
    curl.show_error(text)  # e.g. a pasted command quoted in the error
    assert label_shows(curl.error) == text
    settings = window.settings.show()
    settings.show_result(text, False)  # e.g. an OSError naming a file
    assert label_shows(settings.feedback) == text
    window.history.set_disabled_notice(text)  # e.g. the database's error
    assert label_shows(window.history.notice) == text

    monkeypatch.setenv("COMPLETION_PLAYGROUND_HOME", str(tmp_path / "<h1>BIG"))
    about = AboutDialog(window)
    about.show()
    assert "<h1>BIG" in label_shows(about.summary)
    assert_everything_literal(window, probe, allowed_rich=(about.summary,))
