"""The engineers' Gradio UI in a real browser: streamed, cited answers with
the highlighted manual page; an alert raised by a replayed fault appearing
live; markup in documents and questions shown as text; ``faultdesk serve``."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from playwright.sync_api import expect

from assistant.evaluation.feedback import FeedbackStore
from assistant.web.ui import ALERT_REFRESH_S
from tests.fakes import free_port
from tests.web.test_serve import FAULTDESK, wait_healthy

from .conftest import ANSWER_MS, XSS_QUESTION, open_browser, replay_until_alert
from .steps import BOT, ask

pytestmark = [pytest.mark.slow, pytest.mark.integration]

def show_last_question(page) -> None:
    """Scroll the chat so that the last question and the start of its answer show."""
    page.locator('#chat [data-testid="user"]').last.evaluate("""e => {
        const log = e.closest('[role=log]');
        log.scrollTop += e.getBoundingClientRect().top - log.getBoundingClientRect().top - 40; }""")


def test_an_answer_streams_in_then_shows_its_sources_and_page(browser, server):
    page = browser.page
    page.goto(browser.base + "/")
    server.llm.waiting.clear()
    server.llm.gate.clear()  # the fake model stops after its first piece until the gate opens
    bot = ask(page, "P-3 shows E-104, what do I check first?")
    expect(bot).to_contain_text("Check the alignment of the")
    assert server.llm.waiting.is_set() and "Sources:" not in bot.inner_text()  # provisional text, mid-answer
    server.llm.gate.set()
    expect(bot).to_contain_text("Sources: [1]")
    expect(bot).not_to_contain_text("Check the alignment of the shaft [1].")  # replaced by the checked text

    sources = page.locator("#sources")
    expect(sources.locator("button.label-wrap").first).to_contain_text("[1] ")
    pdf = sources.locator("button.label-wrap", has_text="cp80s_pump.pdf p.").first
    if "open" not in pdf.get_attribute("class").split():
        pdf.click()
    image = pdf.locator("xpath=..").locator("img")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 500")  # a rendered page, loaded
    show_last_question(page)
    browser.screenshot("scripted_model_ui_chat.png")  # the README's shots come from the sample KB (test_shopfloor)
    assert browser.blocked == []


def test_thumbs_and_a_correction_are_stored_for_the_answer(browser, server):
    page = browser.page
    page.goto(browser.base + "/")
    question = "What does ALARM:9 mean?"
    expect(ask(page, question)).to_contain_text("Sources:")
    store = FeedbackStore(server.service.settings.kb)
    page.get_by_role("button", name="Like").last.click()
    expect(page.get_by_text("your rating is saved")).to_be_visible()
    page.get_by_role("button", name="Dislike").last.click()
    expect(page.locator("#correction textarea")).to_be_visible()  # a thumbs down opens the correction box
    expect(page.locator("#correction-box")).to_contain_text(f"Correction to the answer to: {question}")
    page.locator("#correction textarea").fill("Clean the oil cooler fins first.")
    page.get_by_role("button", name="Send correction").click()
    expect(page.locator("#correction textarea")).to_have_value("")
    mine = [(f.rating, f.correction) for f in store.all() if f.question == question]
    assert mine == [("up", ""), ("down", ""), ("down", "Clean the oil cooler fins first.")]


def test_a_replayed_fault_appears_as_an_alert_and_can_be_asked_about(browser, server):
    page = browser.page
    page.goto(browser.base + "/")
    sidebar = page.locator("#sidebar")
    expect(sidebar).to_contain_text("No active alerts.")
    alert = replay_until_alert(server.service.settings.kb)
    card = sidebar.locator(".alert-card").first
    expect(card).to_contain_text(f"{alert.severity.upper()} · P-3", timeout=(ALERT_REFRESH_S + 10) * 1000)
    expect(card).to_contain_text("(3 h 0 min)")
    expect(card.locator("img")).to_be_visible()  # the plot of the alert's signals

    card.get_by_role("button", name="Ask about this alert").click()
    bot = page.locator(BOT).last
    expect(page.locator('#chat [data-testid="user"]').last).to_have_text(
        re.compile(rf"About the {alert.severity} on P-3 since"))
    expect(bot).to_contain_text("Sources: [A1]")
    expect(page.locator("#sources button.label-wrap").first).to_contain_text(f"[A1] {alert.id}")

    card.get_by_role("button", name="Generate analysis report").click()
    link = page.locator("#report-file a").first
    expect(link).to_have_attribute("href", re.compile(rf"alert-{alert.id}\.pdf$"), timeout=ANSWER_MS)
    assert page.request.get(link.get_attribute("href")).body()[:5] == b"%PDF-"
    show_last_question(page)
    browser.screenshot("scripted_model_ui_alerts.png")
    assert browser.blocked == []


def test_markup_in_documents_and_questions_stays_text(browser, server):
    page = browser.page
    page.goto(browser.base + "/")
    bot = ask(page, XSS_QUESTION)
    expect(bot).to_contain_text("Sources:")
    expect(page.locator('#chat [data-testid="user"]').last).to_contain_text("<img src=x onerror=")
    sources = page.locator("#sources")
    expect(sources).to_contain_text("Dosing pump stalled <img src=x onerror=")
    expect(sources).to_contain_text("<script>window.pwned='script'</script>")
    sources.get_by_text("with solvent").first.hover()
    injected = page.evaluate("""() => ({
        ran: window.pwned ?? null,
        elements: document.querySelectorAll('[onerror], [onmouseover], img[src="x"], #chat script, #sources script,'
                                            + ' #chat b, #sources b').length})""")
    assert injected == {"ran": None, "elements": 0}
    assert browser.blocked == []


def test_faultdesk_serve_serves_the_ui_at_the_root(chromium, tmp_path):
    port = free_port()
    env = os.environ | {"FAULTDESK_EMBEDDER": "hash", "FAULTDESK_VECTOR_BACKEND": "memory"}
    proc = subprocess.Popen([FAULTDESK, "serve", "--kb", str(tmp_path / "kb"), "--port", str(port),
                             "--llm", "extractive"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        for b in open_browser(chromium, base, tmp_path):
            b.page.goto(base + "/")
            expect(b.page.get_by_role("tab", name="Troubleshoot")).to_be_visible()
            expect(b.page.get_by_role("button", name="Ask", exact=True)).to_be_visible()
            expect(b.page.locator("#sidebar")).to_contain_text("No active alerts.")
            assert b.blocked == []
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
