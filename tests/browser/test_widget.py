"""The widget on the example operator-station page (/operator) in a real
browser: opened and used with the keyboard only, a streamed answer with its
citations, the asset's active alert, and markup rendered inert."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import XSS_QUESTION, open_browser, replay_until_alert

pytestmark = [pytest.mark.slow, pytest.mark.integration]

WIDGET = ".faultdesk-widget"  # the host element; Playwright's CSS selectors pierce its open shadow root


@pytest.fixture
def operator(chromium, server, tmp_path):
    """A 1280x800 window for the operator page (see :func:`load`)."""
    yield from open_browser(chromium, server.base, tmp_path, viewport=(1280, 800))


def load(operator, server, asset: str = "P-3") -> None:
    """The operator page with the widget for ``asset`` and an ask-scoped token."""
    operator.page.goto(f"{server.base}/operator?asset={asset}#token={server.token}")


def sources(answer):
    """The citation list items of one answer."""
    return answer.get_by_role("list", name="Sources").get_by_role("listitem")


def open_with_keyboard(page) -> None:
    toggle = page.locator(f"{WIDGET} button.toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Tab")  # the page has no other focusable element: the toggle is first
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator(f"{WIDGET} #fd-question")).to_be_focused()


def test_the_widget_streams_a_cited_answer_and_shows_the_alert(operator, server):
    alert = replay_until_alert(server.service.settings.kb)
    load(operator, server)
    page = operator.page
    open_with_keyboard(page)
    alerts = page.locator(f"{WIDGET} .alerts li")
    expect(alerts.first).to_contain_text(alert.severity.upper())
    expect(page.locator(f"{WIDGET} .badge")).to_have_text("1")

    server.llm.waiting.clear()
    server.llm.gate.clear()
    page.keyboard.type("P-3 shows E-104, what do I check first?")
    page.keyboard.press("Enter")
    answer = page.locator(f"{WIDGET} .msg.bot").last
    # streamed, still generating: the alert's facts (shown at once), then the model's first checked sentence
    expect(answer.locator(".text")).to_contain_text("Check the alignment of the shaft [1].")
    expect(answer.locator(".text")).to_contain_text("P-3")
    assert server.llm.waiting.is_set() and sources(answer).count() == 0
    server.llm.gate.set()
    expect(sources(answer).first).to_contain_text("[A1] P-3-")
    assert any("cp80s_pump.pdf p." in c for c in sources(answer).all_inner_texts())
    expect(answer.locator(".text")).to_contain_text("[A1]")  # the active alert is evidence too
    operator.screenshot("scripted_model_widget_operator.png")  # the README's shots: the sample KB

    page.keyboard.press("Escape")
    expect(page.locator(f"{WIDGET} button.toggle")).to_be_focused()
    expect(page.locator(f"{WIDGET} #fd-panel")).to_be_hidden()
    assert operator.blocked == []


def test_markup_in_documents_and_questions_is_inert_in_the_widget(operator, server):
    load(operator, server, asset="AC-1")  # no alert: the answer is about the document
    page = operator.page
    open_with_keyboard(page)
    page.keyboard.type(XSS_QUESTION)
    page.keyboard.press("Enter")
    answer = page.locator(f"{WIDGET} .msg.bot").last
    expect(sources(answer).filter(has_text="sx9_dosing.md")).to_have_count(1)
    expect(page.locator(f"{WIDGET} .msg.user").last).to_have_text(XSS_QUESTION)
    expect(answer.locator(".text")).to_contain_text("Dosing pump stalled <img src=x onerror=")
    answer.get_by_text("with solvent").hover()
    injected = page.evaluate("""() => {
        const root = document.querySelector('.faultdesk-widget').shadowRoot;
        return {ran: window.pwned ?? null,
                elements: root.querySelectorAll('img, script, b, [onerror], [onmouseover]').length
                          + document.querySelectorAll('[onerror], [onmouseover], img[src="x"]').length};
    }""")
    assert injected == {"ran": None, "elements": 0}
    assert operator.blocked == []
