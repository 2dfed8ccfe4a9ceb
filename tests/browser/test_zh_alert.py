""""泵P-3现在有什么问题？" (what is wrong with pump P-3 now?) in the UI and the widget,
with P-3's bearing alert open: answered with the alert [A1], with a model and without
one; with a model the marked machine-translated summary stands above the English
text, and the citations are those of the English question.

The model is the deterministic stand-in of the unit tests (a fixed translation and
summary); the knowledge base, the monitor's alert, the server and Debian's chromium are real.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assistant.service import Service
from assistant.web.tokens import TokenStore
from knowledge_base.settings import Settings
from tests.assistant.test_crosslingual import Translator
from tests.web.conftest import write_docs
from tests.web.test_serve import serving

from .conftest import open_browser, replay_until_alert
from .steps import ask, ask_widget, open_widget

pytestmark = [pytest.mark.slow, pytest.mark.integration]

QUESTION = "泵P-3现在有什么问题？"
ENGLISH = "What is wrong with pump P-3 now?"
LABEL = "【机器翻译摘要（machine translation）】"
SUMMARY = "泵P-3驱动端轴承振动报警，请检查对中。"


@pytest.fixture(scope="module", params=["model", "extractive"])
def zh_alert_server(request, tmp_path_factory):
    """The app over a small KB with P-3's alert open; ``model``: the stand-in translator,
    ``extractive``: no model at all. Yields (base, token, backend, English citations)."""
    root = tmp_path_factory.mktemp(f"browser-zh-alert-{request.param}")
    settings = Settings(kb=root / "kb", embedder="hash", vector_backend="memory")
    llm = Translator(ENGLISH, SUMMARY) if request.param == "model" else "extractive"
    service = Service(settings, llm)
    assert service.ingest([write_docs(root / "docs")]).failed == ()
    replay_until_alert(settings.kb)
    english = service.ask(ENGLISH)
    assert not english.abstained
    cited = [str(c.as_json()["n"]) for c in english.citations]
    _, token = TokenStore(settings.kb).create("ask", "browser-zh-alert")
    with serving(service, settings) as base:
        yield base, token, request.param, cited


def markers(text: str) -> list[str]:
    return sorted(set(re.findall(r"\[(A?\d+|W\d+)\]", text)))


def check(text: str, backend: str, cited: list[str]) -> None:
    """The alert answers; with a model the marked summary comes first and the English text follows."""
    assert "Monitor alert:" in text and "P-3" in text and "[A1]" in text, text
    if backend == "model":
        assert text.index(LABEL + SUMMARY) < text.index("Monitor alert:"), text
    else:
        assert LABEL not in text
    assert set(markers(text)) <= set(cited), (markers(text), cited)  # no marker the English answer lacks


def test_the_ui_answers_the_chinese_state_question_with_the_alert(chromium, zh_alert_server, tmp_path):
    base, token, backend, cited = zh_alert_server
    for b in open_browser(chromium, base, tmp_path, token=token):
        bot = ask(b.page, QUESTION, base=base)
        expect(bot).to_contain_text("Monitor alert:")
        expect(b.page.locator("#sources button.label-wrap").first).to_contain_text("[A1]")
        if backend == "model":
            expect(bot).to_contain_text(LABEL + SUMMARY)
        check(bot.inner_text(), backend, cited)
        b.screenshot(f"ui_chinese_state_question_{backend}.png")
        assert b.blocked == []


def test_the_widget_answers_the_chinese_state_question_with_the_alert(chromium, zh_alert_server, tmp_path):
    base, token, backend, cited = zh_alert_server
    for b in open_browser(chromium, base, tmp_path, viewport=(1280, 800)):
        open_widget(b, token)
        answer = ask_widget(b.page, QUESTION)
        items = answer.get_by_role("list", name="Sources").get_by_role("listitem")
        expect(items.first).to_contain_text("[A1] P-3-")
        expect(answer.locator(".text")).to_contain_text("Monitor alert:")
        if backend == "model":
            expect(answer.locator(".text")).to_contain_text(LABEL + SUMMARY)
        check(answer.locator(".text").inner_text(), backend, cited)
        shown = [re.match(r"\s*\[(\w+)\]", t).group(1) for t in items.all_inner_texts() if re.match(r"\s*\[(\w+)\]", t)]
        assert shown == cited, (shown, cited)  # the English question's citations, in its order
        b.screenshot(f"widget_chinese_state_question_{backend}.png")
        assert b.blocked == []
