"""Issue 18, item 11, with the connection really cut: the browser's requests
to the server aborted (a pulled cable), or the server process stopped and
started again (its logins are gone: the engineer logs in again). The
question stays on screen, the page says what happened, and once the server
answers again the question resent from the same page gets its answer.

Gradio, once it has lost its connection, ignores every event of the page
and reloads the page when the server answers again (which empties the chat);
the UI keeps the question through that reload (``assistant/web/ui_js.py``).
Every wait is for an event in the page (a message, an answer's status line),
not for a time."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import expect

from assistant.service import Service
from assistant.web.app import create_app
from assistant.web.tokens import TokenStore
from knowledge_base.settings import Settings

from ..web.test_serve import free_port, wait_healthy
from .conftest import ANSWER_MS, WARM_UP_S, _sample_kb, open_browser
from .steps import BOT, ask
from .test_shopfloor import load

pytestmark = [pytest.mark.slow, pytest.mark.integration]

QUESTION = "How do I vent and re-prime the pump?"
WIDGET = ".faultdesk-widget"
GONE = re.compile(r"connection to faultdesk was lost|faultdesk still cannot be reached")


def cut(page, keep=lambda url: False) -> None:
    """Abort every request of ``page`` to the server except those ``keep(url)`` lets through."""
    page.unroute("**/*")
    page.route("**/*", lambda route: route.continue_() if keep(route.request.url) else route.abort("internetdisconnected"))


def send(page, question: str) -> None:
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")


def answered(page, first_words: str) -> None:
    """Wait for the answer's status line (the final answer), then check its words."""
    bot = page.locator(BOT).last
    expect(bot.locator(".answer-status")).to_be_visible(timeout=ANSWER_MS)
    expect(bot).to_contain_text(first_words)


def test_a_resent_question_is_answered_in_the_same_page_after_the_network_comes_back(shop, viewport):
    page = shop.page
    load(page, shop.base)
    ask(page, "How do I lock out the CP-80S pump before opening it?", wait=True)  # a conversation on screen
    cut(page)
    send(page, QUESTION)
    lost = page.locator("#conn-lost")  # Gradio's alert timer may notice the cut before the question is sent
    expect(lost).to_contain_text(GONE)
    expect(lost).to_be_in_viewport()
    expect(page.locator("#question textarea")).to_have_value(QUESTION)
    expect(page.get_by_text("errored out")).to_have_count(0)  # not Gradio's own words
    page.locator("#ask").click()  # still cut: said so, the question kept
    expect(lost).to_contain_text("still cannot be reached")
    expect(page.locator("#question textarea")).to_have_value(QUESTION)
    # The network is back, but Gradio has not noticed yet (its own check stays cut): Ask checks
    # the server itself, reloads the page and sends the question again.
    cut(page, keep=lambda url: "/gradio_api/app_id" not in url or "check=resend" in url)
    page.locator("#ask").click()
    answered(page, "Venting and re-priming the pump")
    expect(page.locator(BOT)).to_have_count(1)  # the reload cleared the earlier answers, and says so
    expect(lost).to_contain_text("your question was sent again. Earlier answers of this conversation")
    assert page.locator("#chat [data-testid='user']").last.inner_text().strip() == QUESTION


def test_gradios_own_reload_sends_the_question_again(shop, viewport):
    page = shop.page
    load(page, shop.base)
    cut(page)
    send(page, QUESTION)
    lost = page.locator("#conn-lost")
    expect(lost).to_contain_text(GONE)
    expect(page.locator("#question textarea")).to_have_value(QUESTION)
    page.unroute("**/*")  # the network is back: Gradio notices within seconds and reloads the page
    answered(page, "Venting and re-priming the pump")
    expect(lost).to_contain_text("your question was sent again")


def test_a_question_typed_while_the_connection_is_lost_is_kept_not_sent(shop, viewport):
    page = shop.page
    load(page, shop.base)
    cut(page)
    page.wait_for_function("document.body.dataset.connLost === '1'", timeout=ANSWER_MS)  # the alert timer's tick
    page.locator("#question textarea").fill("What is the torque for the pump feet?")
    page.unroute("**/*")
    lost = page.locator("#conn-lost")
    expect(lost).to_contain_text("the page was reloaded. Your question is back in the box", timeout=ANSWER_MS)
    expect(page.locator("#question textarea")).to_have_value("What is the torque for the pump feet?")
    expect(page.locator(BOT)).to_have_count(0)


@pytest.fixture
def restartable(tmp_path):
    """A server over its own copy of the sample KB on a fixed port, which a test
    stops and starts again (``restart()``), as a crash or an update would."""
    settings = Settings(kb=_sample_kb(tmp_path), embedder="minilm")
    _, token = TokenStore(settings.kb).create("ask", "browser-restart")
    port = free_port()
    running: dict = {}

    def start():
        service = Service(settings, "extractive")
        server = uvicorn.Server(uvicorn.Config(create_app(service, settings), host="127.0.0.1", port=port,
                                               log_level="warning", timeout_graceful_shutdown=2))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        running.update(server=server, thread=thread)
        wait_healthy(f"http://127.0.0.1:{port}", timeout=WARM_UP_S)
        assert service.wait_ready(WARM_UP_S)

    def stop():
        running["server"].should_exit = True
        running["thread"].join(60)

    start()
    try:
        yield f"http://127.0.0.1:{port}", token, stop, start
    finally:
        stop()


def test_a_server_restart_keeps_the_question_through_the_login(chromium, restartable, tmp_path):
    base, token, stop, start = restartable
    for b in open_browser(chromium, base, Path(tmp_path), token=token):
        page = b.page
        load(page, base)
        stop()  # the server process goes away, its open streams with it
        send(page, QUESTION)
        lost = page.locator("#conn-lost")  # Gradio may notice before the question is sent, or with it
        expect(lost).to_contain_text(GONE)
        expect(page.locator("#question textarea")).to_have_value(QUESTION)
        start()  # a new process: the login sessions of the old one are gone
        page.locator("#ask").click()
        expect(page).to_have_url(f"{base}/login?next=%2F", timeout=ANSWER_MS)
        page.locator("#token").fill(token)
        page.locator("#login").click()
        answered(page, "Venting and re-priming the pump")  # the question kept was sent after the login
        expect(lost).to_contain_text("your question was sent again")


def test_the_widget_answers_a_resent_question_after_a_dropped_connection(chromium, sample_server, tmp_path,
                                                                        viewport):
    _, size = viewport
    for b in open_browser(chromium, sample_server.base, tmp_path, viewport=size):
        page = b.page
        page.goto(f"{b.base}/operator?asset=P-3#token={sample_server.token}")
        page.locator(f"{WIDGET} button.toggle").click()
        box = page.locator(f"{WIDGET} #fd-question")
        expect(box).to_be_enabled()
        cut(page)
        box.fill(QUESTION)
        box.press("Enter")
        expect(page.locator(f"{WIDGET} .error").last).to_contain_text("connection to faultdesk was lost")
        expect(page.locator(f"{WIDGET} .msg.user").last).to_have_text(QUESTION)
        expect(box).to_have_value(QUESTION)
        page.unroute("**/*")
        box.press("Enter")  # the same page, the question still in its box
        answer = page.locator(f"{WIDGET} .msg.bot").last
        expect(answer.locator(".status-line")).to_contain_text("quoted from the manuals", timeout=ANSWER_MS)
        expect(answer.locator(".text")).to_contain_text("vent")
