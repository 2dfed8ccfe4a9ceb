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

from .conftest import ANSWER_MS, open_browser
from .steps import WIDGET, ask_widget, open_widget

pytestmark = [pytest.mark.slow, pytest.mark.integration]

def rect(locator) -> dict:
    return locator.evaluate("e => e.getBoundingClientRect().toJSON()")


def test_compact_panel_shows_each_new_answer_from_its_start(chromium, sample_server, tmp_path, viewport):
    name, (width, height) = viewport
    for b in open_browser(chromium, sample_server.base, tmp_path, viewport=(width, height)):
        open_widget(b, sample_server.token)
        page = b.page
        panel = page.locator(f"{WIDGET} #fd-panel")
        alerts = page.locator(f"{WIDGET} .alerts li").first
        expect(alerts).to_contain_text("ALARM")
        # the signal by its readable name with its unit (the tag kept, as the HMI shows it)
        expect(alerts).to_contain_text("drive-end bearing vibration (bearing_de_rms, mm/s)")
        assert re.search(r"\b(UTC|GMT|[A-Z]{3,4})\b", alerts.inner_text())  # the time says its zone
        box = rect(panel)
        assert box["width"] <= (360 if width > 480 else width - 16)  # a phone: the width less a margin
        assert box["height"] <= 0.62 * height + 1
        answer = ask_widget(page, "How do I replace the drive-end bearing on the CP-80S?")
        expect(answer.locator(".status-line")).to_contain_text("quoted from the manuals", timeout=ANSWER_MS)
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
        open_widget(b, server.token, asset="AC-1")
        gate_at = server.llm.gate_at
        server.llm.gate_at = 0  # nothing is sent until the gate opens
        server.llm.gate.clear()
        try:
            # no code in the question: a code's table facts are shown at once (before the model)
            ask_widget(b.page, "How do I clean the oil cooler?")
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
        open_widget(b, None)
        status = b.page.locator(f"{WIDGET} .alerts li").first
        expect(status).to_contain_text("not set up on this screen yet")
        expect(status).not_to_contain_text("Authorization")
        expect(b.page.locator(f"{WIDGET} #fd-question")).to_be_disabled()


def overlaps(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def test_the_open_panel_covers_no_hmi_value(chromium, sample_server, tmp_path, viewport):
    """Open, the panel takes its own strip: beside the page on a panel or desktop
    (every tile of the first row in view, none under the panel), below it on a
    phone (each tile can be scrolled into view above the panel). Closed, the
    page is as it was."""
    name, (width, height) = viewport
    for b in open_browser(chromium, sample_server.base, tmp_path, viewport=(width, height)):
        page = b.page
        page.goto(f"{b.base}/operator?asset=P-3#token={sample_server.token}")
        tiles = page.locator("main .tile")
        expect(tiles.first).to_be_visible()
        before = [rect(tiles.nth(i)) for i in range(tiles.count())]
        page.locator(f"{WIDGET} button.toggle").click()
        panel = page.locator(f"{WIDGET} #fd-panel")
        expect(panel).to_be_visible()
        expect(page.locator(f"{WIDGET} .alerts li").first).to_contain_text("ALARM")
        ask_widget(page, "How do I replace the drive-end bearing on the CP-80S?")  # the panel at its full height
        expect(page.locator(f"{WIDGET} .msg.bot .status-line").last).to_be_visible(timeout=ANSWER_MS)
        for i in range(tiles.count()):
            tile = tiles.nth(i)
            tile.scroll_into_view_if_needed()
            if width < 480:  # a phone: scroll the tile just above the panel
                top = rect(panel)["top"]
                page.evaluate(f"window.scrollBy(0, {rect(tile)['bottom'] - top + 4})")
            assert not overlaps(rect(tile), rect(panel)), (name, i, rect(tile), rect(panel))
        if width >= 1024:
            first_row = [r for r in (rect(tiles.nth(i)) for i in range(tiles.count())) if r["top"] < 200]
            assert len(first_row) >= 2 and all(r["bottom"] <= height for r in first_row)
        if width >= 480:
            page.evaluate("window.scrollTo(0, 0)")
        b.screenshot({"desktop": "widget_operator.png", "panel": "widget_panel_1024x600.png",
                      "phone": "widget_phone_390.png"}[name])
        page.locator(f"{WIDGET} .close").click()
        page.evaluate("window.scrollTo(0, 0)")
        assert [rect(tiles.nth(i)) for i in range(tiles.count())] == before  # closed: as it was
