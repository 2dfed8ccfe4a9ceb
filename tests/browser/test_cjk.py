"""A Chinese question in the UI and in the widget: the marked machine-translated
summary above the manuals' English text, with the usual citations."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assistant.service import Service
from assistant.web.tokens import TokenStore
from knowledge_base.settings import Settings
from tests.assistant.test_crosslingual import Translator
from tests.web.conftest import write_docs
from tests.web.test_serve import serving

from .conftest import open_browser
from .steps import WIDGET, ask, ask_widget, open_widget

pytestmark = [pytest.mark.slow, pytest.mark.integration]

QUESTION = "泵P-3出现E-104报警怎么办？"
LABEL = "【机器翻译摘要（machine translation）】"
SUMMARY = "检查驱动端轴承和对中。"


@pytest.fixture(scope="module")
def zh_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser-zh")
    settings = Settings(kb=root / "kb", embedder="hash", vector_backend="memory")
    service = Service(settings, Translator("Pump P-3 shows alarm E-104, what should I do?", SUMMARY))
    assert service.ingest([write_docs(root / "docs")]).failed == ()
    _, token = TokenStore(settings.kb).create("ask", "browser-tests")
    with serving(service, settings) as base:
        yield base, token


def test_the_ui_shows_the_marked_summary_and_the_manual_text(chromium, zh_server, tmp_path):
    base, token = zh_server
    for b in open_browser(chromium, base, tmp_path, token=token):
        bot = ask(b.page, QUESTION, base=base)
        expect(bot).to_contain_text("Sources: [1]")
        expect(bot).to_contain_text(LABEL + SUMMARY)
        expect(bot).to_contain_text("drive-end bearing")  # the manual's English text stays
        b.screenshot("ui_chinese_question.png")
        assert b.blocked == []


def test_the_widget_shows_the_marked_summary(chromium, zh_server, tmp_path):
    base, token = zh_server
    for b in open_browser(chromium, base, tmp_path, viewport=(1280, 800)):
        open_widget(b, token)
        answer = ask_widget(b.page, QUESTION)
        expect(answer.get_by_role("list", name="Sources").get_by_role("listitem").first).to_contain_text("pump.md")
        expect(answer.locator(".text")).to_contain_text(LABEL + SUMMARY)
        expect(b.page.locator(f"{WIDGET} .msg.user").last).to_have_text(QUESTION)
        b.screenshot("widget_chinese_question.png")
        assert b.blocked == []
