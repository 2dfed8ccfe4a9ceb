"""Browser tests: Debian's chromium, headless, driven by Playwright against a
real server on a loopback port.

The server is uvicorn in a thread running :func:`assistant.web.app.create_app`
(REST API, widget, operator page and the Gradio UI at ``/``) over a small
knowledge base ingested for real with the hash embedder: the pump and
compressor manuals and work-order log of the web tests, the sample pump
manual as a PDF (for page images), and a manual full of HTML payloads. The
answer model is the web tests' gated fake, so a test can hold generation
and see the provisional text in the page.

Every page runs with the network closed except the server: a request to any
other host is aborted and recorded in ``Browser.blocked``, which tests
assert is empty (the UI needs no CDN).

Screenshots go to the test's tmp dir; with ``FAULTDESK_SCREENSHOTS=DIR``
they are also written to DIR (``docs/screenshots`` for the README).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assistant.service import Service
from assistant.web.tokens import TokenStore
from knowledge_base.settings import Settings
from monitors.monitor import Monitor
from monitors.sources import CsvSource
from monitors.store import AlertStore
from tests.fakes import GatedLLM
from tests.web.conftest import write_docs
from tests.web.test_serve import serving

CHROMIUM = Path(os.environ.get("FAULTDESK_TEST_CHROMIUM", "/usr/bin/chromium"))  # tests of the CI skip rule point it nowhere
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parents[2]
SAMPLE_PDF = ROOT / "knowledge_base" / "samples" / "manuals" / "cp80s_pump.pdf"
PUMP_TRACE = ROOT / "knowledge_base" / "samples" / "streams" / "pump_P-3.csv"
TIMEOUT_MS = 30_000
EXPECT_MS = 20_000  # Playwright's expect waits 5 s by default: too short with 8 sessions on 2 cores
# The most an answer may take to finish. Tests wait for the answer's own done marker (its status
# line), so this bound is only reached when an answer never comes; a server is used only once it
# reports its warm-up done (models loaded), so no test pays for the start.
ANSWER_MS = 120_000
WARM_UP_S = 300


@pytest.fixture(scope="session", autouse=True)
def _patient_expect():
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_MS)

# Markup in a document: each payload would set window.pwned if it ever ran.
XSS_MANUAL = """# Sealant SX-9 Dosing Unit <img src=x onerror="window.pwned='title'"> manual

Model: SX-9

## 4 Fault codes

| Code | Description | Possible cause | Remedy |
|---|---|---|---|
| E-199 | Dosing pump stalled <img src=x onerror="window.pwned='row'"> | Clogged nozzle <script>window.pwned='script'</script> | Clean the nozzle <b onmouseover="window.pwned='hover'">with solvent</b> |
"""
XSS_QUESTION = "<img src=x onerror=\"window.pwned='question'\"> what does E-199 mean?"


def replay_until_alert(kb, hours_open: float = 3.0):
    """Replay the P-3 pump trace through a real Monitor into ``kb``'s alert
    store, stopping once its bearing-wear alert has been open ``hours_open``
    (as if the fault were happening now)."""
    monitor = Monitor(store=AlertStore(kb))
    for reading in CsvSource(PUMP_TRACE):
        alert = monitor.process(reading)
        if alert is not None and alert.active and alert.updated - alert.started >= hours_open * 3600:
            return alert
    raise AssertionError("the replayed trace raised no alert")


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make sysdeps installs it)")
    return CHROMIUM


@dataclass
class Server:
    """A running app: ``base`` URL, its ``service``, the gated fake ``llm`` and an ask ``token``."""

    base: str
    service: Service
    llm: GatedLLM
    token: str


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Server:
    root = tmp_path_factory.mktemp("browser")
    docs = write_docs(root / "docs")
    (docs / "cp80s_pump.pdf").write_bytes(SAMPLE_PDF.read_bytes())
    (docs / "sx9_dosing.md").write_text(XSS_MANUAL)
    settings = Settings(kb=root / "kb", embedder="hash", vector_backend="memory")
    # Checked sentences are shown as the next one begins (the safety filter), so the piece
    # before the gate holds a whole sentence and the start of the next.
    llm = GatedLLM(pieces=("Check the alignment of the shaft [1]. Then", " recheck the coupling [1]."), gate_at=1)
    llm.gate.set()  # open: a test closes it to hold an answer mid-stream
    service = Service(settings, llm)
    assert service.ingest([docs]).failed == ()
    _, token = TokenStore(settings.kb).create("ask", "browser-tests")
    try:
        with serving(service, settings) as base:
            assert service.wait_ready(WARM_UP_S), "the server's warm-up did not finish"
            yield Server(base, service, llm, token)
    finally:
        llm.gate.set()


@dataclass
class Browser:
    """A fresh page whose requests to any host but the server are aborted and listed in ``blocked``."""

    page: object
    base: str
    shots: Path
    blocked: list[str] = field(default_factory=list)

    def screenshot(self, name: str) -> Path:
        """Save ``name`` in the test's tmp dir, and a 256-colour copy (a third
        of the size, text still crisp) in $FAULTDESK_SCREENSHOTS if set."""
        path = self.shots / name
        self.page.screenshot(path=str(path))
        if os.environ.get("FAULTDESK_SCREENSHOTS"):
            from PIL import Image

            keep = Path(os.environ["FAULTDESK_SCREENSHOTS"])
            keep.mkdir(parents=True, exist_ok=True)
            with Image.open(path) as im:
                small = im.convert("RGB").quantize(256, Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
                small.save(keep / name, optimize=True)
        return path


@pytest.fixture(scope="session")
def chromium(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_browser(chromium, base: str, shots: Path, viewport=(1440, 900), token: str | None = None):
    """A context on ``base`` only, logged in to the UI with ``token`` if given;
    yields the :class:`Browser`, closes the context after."""
    context = chromium.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    context.set_default_timeout(TIMEOUT_MS)
    if token is not None:  # the same form post as the login page's (its cookie lands in the context)
        assert context.request.post(f"{base}/login", form={"token": token, "next": "/"}, max_redirects=0).status == 303
    b = Browser(context.new_page(), base, shots)

    def only_the_server(route):
        if route.request.url.startswith(base + "/"):
            route.continue_()
        else:
            b.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_server)
    try:
        yield b
    finally:
        context.close()


@pytest.fixture
def browser(chromium, server, tmp_path) -> Browser:
    """A page logged in to the UI with the server's ask token (a token exists, so the UI needs a login)."""
    yield from open_browser(chromium, server.base, tmp_path, token=server.token)


SAMPLES = ROOT / "knowledge_base" / "samples"
VIEWPORTS = {"desktop": (1440, 900), "panel": (1024, 600), "phone": (390, 844)}


@dataclass
class SampleServer:
    """The app over the real sample knowledge base (MiniLM, the extractive backend,
    P-3's bearing alert open as after ``make demo``): ``base`` URL, ``service``,
    an ``ask`` token and an ``ingest`` token."""

    base: str
    service: Service
    token: str
    ingest_token: str


def _sample_kb(root: Path) -> Path:
    """A copy of $FAULTDESK_TEST_SAMPLE_KB (a KB built as ``make kb alerts`` does), or
    the samples ingested with MiniLM and P-3's trace replayed into its fault, as
    ``make demo`` does (a few minutes on two cores)."""
    import shutil

    kb = root / "kb"
    prebuilt = os.environ.get("FAULTDESK_TEST_SAMPLE_KB")
    if prebuilt:
        shutil.copytree(prebuilt, kb)
        return kb
    service = Service(Settings(kb=kb, embedder="minilm"), "extractive")
    assert service.ingest([SAMPLES]).failed == ()
    from datetime import datetime, timezone

    until = datetime(2024, 3, 15, tzinfo=timezone.utc).timestamp()
    monitor = Monitor(store=AlertStore(kb))
    for reading in CsvSource(PUMP_TRACE):
        if reading.timestamp > until:
            break
        monitor.process(reading)
    return kb


@pytest.fixture(scope="session")
def sample_server(tmp_path_factory) -> SampleServer:
    root = tmp_path_factory.mktemp("samples")
    settings = Settings(kb=_sample_kb(root), embedder="minilm")
    service = Service(settings, "extractive")
    _, token = TokenStore(settings.kb).create("ask", "browser-samples")
    _, ingest_token = TokenStore(settings.kb).create("ingest", "browser-samples-ingest")
    with serving(service, settings, timeout=WARM_UP_S) as base:
        assert service.wait_ready(WARM_UP_S), "the server's warm-up did not finish"
        yield SampleServer(base, service, token, ingest_token)


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request) -> tuple[str, tuple[int, int]]:
    return request.param, VIEWPORTS[request.param]


@pytest.fixture
def shop(chromium, sample_server, tmp_path, viewport):
    """A page on the sample server at one of the three viewports, logged in (ask scope)."""
    yield from open_browser(chromium, sample_server.base, tmp_path, viewport=viewport[1], token=sample_server.token)
