"""The window against hostile servers: every failure is one sentence where the user looks.

A redirect to another origin is reported with the new address and an offer to update the
base URL (never followed), Test connection and the model list answer even when httpx fails
in ways that used to kill their task, and an endless stream stops at the output limit.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from app.core.errors import OutputLimitError, RedirectError
from tests.conftest import loopback_profile
from tests.loopback_server import LoopbackServer

pytestmark = pytest.mark.gui


@pytest.fixture
def other():
    with LoopbackServer() as srv:
        yield srv


def test_a_redirect_is_reported_and_the_base_url_offered(qtbot, open_window, api, other):
    target = other.base_url() + "/completions"
    profile = loopback_profile(api)
    profile.base_url = api.base_url("redirect", status=308, to=target)
    window = open_window([profile])
    window.prompt.setPlainText("hello")
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as finished:
        window.run()
    assert isinstance(finished.args[0].error, RedirectError)
    assert other.requests == []
    text = window.messages.text()
    assert target in text and "base URL" in text
    assert window.messages.action_button.isVisible()
    assert other.base_url() in window.messages.action_button.text()
    window.messages.action_button.click()
    assert window.profiles.current.base_url == other.base_url()
    with qtbot.waitSignal(window.controller.runFinished, timeout=10000) as again:
        window.run()
    assert again.args[0].ok  # the next run goes to the new address


@pytest.mark.parametrize("scenario", ["bad-gzip", "redirect-loop"])
def test_test_connection_and_model_list_always_answer(qtbot, open_window, api, scenario):
    window = open_window([loopback_profile(api, scenario=scenario)])
    with qtbot.waitSignal(window.controller.connectionTested, timeout=10000) as tested:
        window.test_connection()
    ok, message = tested.args
    assert not ok and message.endswith(".")
    assert "Unexpected" not in message
    assert message in window.status.state.text()
    with qtbot.waitSignal(window.controller.modelsFailed, timeout=10000) as failed:
        window.refresh_models()
    assert failed.args[0] and "Unexpected" not in failed.args[0]


def test_an_endless_stream_stops_at_the_output_limit(qtbot, open_window, api):
    window = open_window([loopback_profile(api, scenario="endless")])
    dialog = window.settings.show()  # Settings ▸ Output limit
    dialog.output_limit.setValue(100_000)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert window.controller.output_limit == 100_000
    window.prompt.setPlainText("go on")
    with qtbot.waitSignal(window.controller.runFinished, timeout=30000) as finished:
        window.run()
    result = finished.args[0]
    assert isinstance(result.error, OutputLimitError)
    assert len(window.completion_text()) > 100_000  # the text is kept, in the document
    assert "output limit reached" in window.messages.text()
