"""The widget on an operator panel, issue 18: compact beside the HMI values,
each new answer shown from its start, a sign of progress while the first
answer is slow, messages written for people (no token, connection lost with
the question kept), and alert times with their time zone; at 1440x900,
1024x600 and 390 px, on the real sample knowledge base (and the gated fake
model for the slow answer)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import open_browser

pytestmark = [pytest.mark.slow, pytest.mark.integration]

WIDGET = ".faultdesk-widget"


def load(b, token: str | None, asset: str = "P-3") -> None:
    fragment = f"#token={token}" if token else ""
    b.page.goto(f"{b.base}/operator?asset={asset}{fragment}")
    b.page.locator(f"{WIDGET} button.toggle").click()
    expect(b.page.locator(f"{WIDGET} #fd-panel")).to_be_visible()


def ask(page, question: str) -> None:
    box = page.locator(f"{WIDGET} #fd-question")
    box.fill(question)
    box.press("Enter")


def rect(locator) -> dict:
    return locator.evaluate("e => e.getBoundingClientRect().toJSON()")


def test_compact_panel_shows_each_new_answer_from_its_start(chromium, sample_server, tmp_path, viewport):
    name, (width, height) = viewport
    for b in open_browser(chromium, sample_server.base, tmp_path, viewport=(width, height)):
        load(b, sample_server.token)
        page = b.page
        panel = page.locator(f"{WIDGET} #fd-panel")
        alerts = page.locator(f"{WIDGET} .alerts li").first
        expect(alerts).to_contain_text("ALARM")
        assert re.search(r"\b(UTC|GMT|[A-Z]{3,4})\b", alerts.inner_text())  # the time says its zone
        box = rect(panel)
        assert box["width"] <= (360 if width > 480 else width - 16)  # a phone: the width less a margin
        assert box["height"] <= 0.62 * height + 1
        if width >= 1024:  # the HMI's first row of values stays visible beside the panel
            tile = rect(page.locator("main .tile").first)
            assert tile["right"] <= box["left"] or tile["bottom"] <= box["top"]
        ask(page, "How do I replace the drive-end bearing on the CP-80S?")
        answer = page.locator(f"{WIDGET} .msg.bot").last
        expect(answer.locator(".status-line")).to_contain_text("quoted from the manuals", timeout=60_000)
        expect(answer.locator(".text")).to_contain_text("14. Run the pump for 30 minutes")  # every step
        question = page.locator(f"{WIDGET} .msg.user").last
        log = rect(page.locator(f"{WIDGET} .log"))
        top = rect(question)["top"]
        assert log["top"] - 1 <= top <= log["top"] + 40  # the answer's start, not its end
        b.screenshot(f"widget_{name}.png")
        assert b.blocked == []


def test_a_slow_first_answer_shows_progress(chromium, server, tmp_path, viewport):
    _, size = viewport
    for b in open_browser(chromium, server.base, tmp_path, viewport=size):
        load(b, server.token, asset="AC-1")
        gate_at = server.llm.gate_at
        server.llm.gate_at = 0  # nothing is sent until the gate opens
        server.llm.gate.clear()
        try:
            # no code in the question: a code's table facts are shown at once (before the model)
            ask(b.page, "How do I clean the oil cooler?")
            progress = b.page.locator(f"{WIDGET} .msg.bot .progress").last
            expect(progress).to_contain_text(re.compile(r"Looking in the manuals… \d+ s"))
        finally:
            server.llm.gate.set()
            server.llm.gate_at = gate_at
        expect(b.page.locator(f"{WIDGET} .msg.bot .status-line").last).to_be_visible()
        expect(b.page.locator(f"{WIDGET} .progress")).to_have_count(0)


def test_no_token_is_explained_for_people(chromium, sample_server, tmp_path, viewport):
    _, size = viewport
    for b in open_browser(chromium, sample_server.base, tmp_path, viewport=size):
        load(b, None)
        status = b.page.locator(f"{WIDGET} .alerts li").first
        expect(status).to_contain_text("not set up on this screen yet")
        expect(status).not_to_contain_text("Authorization")
        expect(b.page.locator(f"{WIDGET} #fd-question")).to_be_disabled()


def test_a_dropped_connection_keeps_the_question_and_says_what_happened(chromium, sample_server, tmp_path,
                                                                         viewport):
    _, size = viewport
    for b in open_browser(chromium, sample_server.base, tmp_path, viewport=size):
        load(b, sample_server.token)
        b.page.route("**/api/v1/ask", lambda route: route.abort("connectionreset"))
        ask(b.page, "How do I vent and re-prime the pump?")
        expect(b.page.locator(f"{WIDGET} .msg.user").last).to_have_text("How do I vent and re-prime the pump?")
        expect(b.page.locator(f"{WIDGET} .error").last).to_contain_text("connection to faultdesk was lost")
        expect(b.page.locator(f"{WIDGET} #fd-question")).to_have_value("How do I vent and re-prime the pump?")
