"""The steps the browser tests take to ask a question, in the engineers' UI and
in the operator page's widget: one place, so a change of the page changes them once."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import ANSWER_MS

BOT = '#chat [data-testid="bot"]'
USER = '#chat [data-testid="user"]'
WIDGET = ".faultdesk-widget"


def ask(page, question: str, *, base: str | None = None, wait: bool = False):
    """Ask ``question`` in the UI and return the locator of the last bot message.

    With ``base`` the UI is opened at ``base + "/"`` first. The question is typed in
    the question box and sent with the exact "Ask" button (the sidebar's "Ask about
    this alert" buttons share the word), once that button is enabled (the page is up
    and no answer is still streaming). With ``wait`` it returns only once a new bot
    message shows its status line (the final answer, not provisional text)."""
    if base is not None:
        page.goto(base + "/")
    button = page.get_by_role("button", name="Ask", exact=True)
    expect(button).to_be_enabled()
    before = page.locator(BOT).count()
    page.locator("#question textarea").fill(question)
    button.click()
    if wait:
        expect(page.locator(BOT)).to_have_count(before + 1, timeout=ANSWER_MS)
        expect(page.locator(BOT).last.locator(".answer-status")).to_be_visible(timeout=ANSWER_MS)
    return page.locator(BOT).last


def open_widget(b, token: str | None, asset: str = "P-3") -> None:
    """Open the operator page of ``asset`` in the Browser ``b`` (with ``token`` in the
    URL fragment, if any) and unfold the widget's panel."""
    fragment = f"#token={token}" if token else ""
    b.page.goto(f"{b.base}/operator?asset={asset}{fragment}")
    b.page.locator(f"{WIDGET} button.toggle").click()
    expect(b.page.locator(f"{WIDGET} #fd-panel")).to_be_visible()


def ask_widget(page, question: str):
    """Ask ``question`` in the widget (typed, sent with Enter); return the locator of its last bot message."""
    box = page.locator(f"{WIDGET} #fd-question")
    box.fill(question)
    box.press("Enter")
    return page.locator(f"{WIDGET} .msg.bot").last
