"""The UI's login in a real browser (issue 12): an anonymous visitor is sent
to the login page, a wrong token is refused, a right one opens the UI; the
token's scope decides whether documents may be added."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assistant.web.tokens import TokenStore

from .conftest import open_browser

pytestmark = [pytest.mark.slow, pytest.mark.integration]
UPLOAD_TEXT = "Mixer MX-2 manual\n\nFault E-321 means the paddle is jammed: clear the paddle.\n"


def log_in(page, base: str, token: str) -> None:
    page.goto(base + "/")
    expect(page).to_have_url(f"{base}/login?next=%2F")
    page.locator("#token").fill(token)
    page.locator("#login").click()
    expect(page).to_have_url(base + "/")
    expect(page.get_by_role("tab", name="Troubleshoot")).to_be_visible()


def test_anonymous_visitors_get_the_login_page_and_a_token_opens_the_ui(chromium, server, tmp_path):
    for b in open_browser(chromium, server.base, tmp_path):
        page = b.page
        page.goto(server.base + "/")
        expect(page).to_have_url(f"{server.base}/login?next=%2F")
        page.locator("#token").fill("fdk_000000000000.wrong")
        page.locator("#login").click()
        expect(page.locator("#login-error")).to_contain_text("not valid")
        b.screenshot("ui_login.png")
        log_in(page, server.base, server.token)
        expect(page.get_by_role("button", name="Ask", exact=True)).to_be_visible()
        assert b.blocked == []


def test_an_ask_login_cannot_add_documents(chromium, server, tmp_path):
    for b in open_browser(chromium, server.base, tmp_path):
        log_in(b.page, server.base, server.token)  # the server's token has the ask scope
        b.page.get_by_role("tab", name="Add documents").click()
        b.page.get_by_role("button", name="Add to the knowledge base").click()
        expect(b.page.get_by_text("needs the 'ingest' scope")).to_be_visible()


def test_an_ingest_login_uploads_and_adds_a_document(chromium, server, tmp_path):
    _, token = TokenStore(server.service.settings.kb).create("ingest")
    doc = tmp_path / "mx2_mixer.txt"
    doc.write_text(UPLOAD_TEXT)
    for b in open_browser(chromium, server.base, tmp_path):
        page = b.page
        log_in(page, server.base, token)
        page.get_by_role("tab", name="Add documents").click()
        page.locator("#upload input[type=file]").set_input_files(str(doc))
        expect(page.locator("#upload")).to_contain_text("mx2_mixer.txt")
        page.get_by_role("button", name="Add to the knowledge base").click()
        expect(page.get_by_text("1 added")).to_be_visible()
        assert b.blocked == []
    assert any("paddle is jammed" in h.chunk.text for h in server.service.search("E-321 paddle", 5).hits)
