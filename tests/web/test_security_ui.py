"""Issue 12, the UI: the probes that found a way in, replayed against the real
app (FastAPI + the mounted Gradio Blocks through TestClient, real files, the
Gradio 6 routes ``/gradio_api/call/<api_name>``, ``/gradio_api/queue/join``,
``/gradio_api/upload``, ``/gradio_api/file=``, ``/config``)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from assistant.service import Service
from assistant.web.app import create_app
from assistant.web.login import safe_next
from assistant.web.sessions import COOKIE
from assistant.web.tokens import TokenStore
from knowledge_base.settings import Settings

from .conftest import write_docs

pytestmark = pytest.mark.integration
SECRET_TEXT = "E-999 means the press was sabotaged; the vault code is 4711"


def file_data(path: str) -> dict:
    return {"path": path, "meta": {"_type": "gradio.FileData"}, "orig_name": "x.txt"}


def login(api, scope: str):
    """Log ``api.client`` in with a new token of ``scope`` (earlier cookies dropped)."""
    api.client.cookies.clear()
    _, token = TokenStore(api.settings.kb).create(scope)
    r = api.client.post("/login", data={"token": token, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert "httponly" in r.headers["set-cookie"].lower() and "samesite=strict" in r.headers["set-cookie"].lower()
    return token


def call(client, api_name: str, data: list) -> tuple[int, str]:
    """A Gradio 6 two-step call: POST /gradio_api/call/<name>, then read its event stream."""
    r = client.post(f"/gradio_api/call/{api_name}", json={"data": data})
    if r.status_code != 200:
        return r.status_code, r.text
    return 200, client.get(f"/gradio_api/call/{api_name}/{r.json()['event_id']}").text


def upload(client, name: str, body: bytes, **kw):
    return client.post("/gradio_api/upload", files=[("files", (name, body, "text/plain"))], **kw)


def secret_is_searchable(api) -> bool:
    return any("sabotaged" in h.chunk.text for h in api.service.search("E-999 sabotaged vault code", 10).hits)


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "private" / "secret.txt"
    path.parent.mkdir()
    path.write_text(f"Vault notes\n\n{SECRET_TEXT}\n")
    path.chmod(0o600)
    return path


@pytest.fixture
def open_api(tmp_path):
    """The app on loopback with no token at all: the UI needs no login."""
    settings = Settings(kb=tmp_path / "open-kb", embedder="hash", vector_backend="memory")
    service = Service(settings, "extractive")
    service.ingest([write_docs(tmp_path / "docs")])
    with TestClient(create_app(service, settings)) as client:
        yield type("OpenApi", (), {"client": client, "service": service, "settings": settings})


# -- 1: arbitrary file read through a forged FileData path -------------------------------------
def test_forged_file_path_is_refused_for_an_anonymous_client(api, secret_file):
    status, _ = call(api.client, "ingest", [[file_data(str(secret_file))]])
    assert status == 401
    assert not secret_is_searchable(api)


def test_forged_file_path_is_refused_for_a_logged_in_ingest_user(api, secret_file):
    login(api, "ingest")
    for route, body in (("/gradio_api/call/ingest", {"data": [[file_data(str(secret_file))]]}),
                        ("/gradio_api/queue/join", {"data": [[file_data(str(secret_file))]], "fn_index": 12,
                                                    "session_hash": "probe"}),
                        ("/gradio_api/call/ingest", {"data": [[file_data("http://127.0.0.1:1/x.txt")]]})):
        r = api.client.post(route, json=body)
        assert r.status_code == 403, (route, r.text)
        assert r.json() == {"error": "a file object names a file that was not uploaded in this session"}
    assert not secret_is_searchable(api)


def test_forged_file_path_is_refused_without_login_too(open_api, secret_file):
    status, text = call(open_api.client, "ingest", [[file_data(str(secret_file))]])
    assert status == 403 and "not uploaded in this session" in text
    assert not secret_is_searchable(open_api)


def test_another_sessions_upload_cannot_be_named(open_api):
    first = upload(open_api.client, "mine.txt", f"Notes\n\n{SECRET_TEXT}".encode()).json()[0]
    open_api.client.cookies.clear()  # a second browser
    status, _ = call(open_api.client, "ingest", [[file_data(first)]])
    assert status == 403
    assert not secret_is_searchable(open_api)


def test_gradios_own_check_holds_behind_the_gate(open_api, secret_file):
    """Second layer: even a path the gate let through (recorded as an upload
    by hand here) is refused by Gradio's check, which a mounted Blocks skipped."""
    client = open_api.client
    client.get("/config")
    sessions = client.app.state.sessions
    sessions.record_uploads(sessions.get(client.cookies[COOKIE]), [str(secret_file)])
    status, text = call(client, "ingest", [[file_data(str(secret_file))]])
    assert status == 200 and text.startswith("event: error")
    assert not secret_is_searchable(open_api)


def test_an_uploaded_file_is_ingested_through_the_ui(open_api):
    """The positive control of the probes above: a file really uploaded in this session is read."""
    one_line = upload(open_api.client, "note.txt", b"hello E-104").json()[0]  # one line of text (item 11)
    secret = upload(open_api.client, "vault.txt", f"Vault notes\n\n{SECRET_TEXT}\n".encode()).json()[0]
    status, text = call(open_api.client, "ingest", [[file_data(one_line), file_data(secret)]])
    assert status == 200 and text.startswith("event: complete") and "**2** added" in text
    assert secret_is_searchable(open_api)


# -- 2: every UI route needs a login when tokens exist -------------------------------------------
@pytest.mark.parametrize("api_name", ["respond", "history", "stats", "ingest", "refresh_alerts"])
def test_ui_events_need_a_login(api, api_name):
    api.client.cookies.clear()
    assert api.client.post(f"/gradio_api/call/{api_name}", json={"data": []}).status_code == 401


@pytest.mark.parametrize("path", ["/config", "/gradio_api/info", "/gradio_api/openapi.json", "/theme.css",
                                  "/gradio_api/file=/etc/hostname", "/gradio_api/queue/data?session_hash=x",
                                  "/assets/index.js", "/anything"])
def test_every_ui_path_needs_a_login(api, path):
    api.client.cookies.clear()
    r = api.client.get(path)
    assert r.status_code == 401 and r.json() == {"error": "log in first: open /login with an access token"}


def test_the_page_redirects_to_login_and_a_token_logs_in(api):
    api.client.cookies.clear()
    r = api.client.get("/?x=1", headers={"Accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2F%3Fx%3D1"
    form = api.client.get("/login")
    assert form.status_code == 200 and "default-src 'none'" in form.headers["content-security-policy"]
    wrong = api.client.post("/login", data={"token": "fdk_nope.nope"}, follow_redirects=False)
    assert wrong.status_code == 401 and "not valid" in wrong.text and COOKIE not in api.client.cookies
    _, token = TokenStore(api.settings.kb).create("ask")
    forged = api.client.post("/login", data={"token": token}, headers={"Origin": "http://evil.example"},
                             follow_redirects=False)
    assert forged.status_code == 403 and COOKIE not in api.client.cookies
    login(api, "ask")
    assert api.client.get("/config").status_code == 200
    assert api.client.get("/", headers={"Accept": "text/html"}).status_code == 200


def test_ask_scope_may_ask_but_not_upload_or_ingest(api):
    login(api, "ask")
    status, text = call(api.client, "history", ["E-104", "", 3])
    assert status == 200 and text.startswith("event: complete")
    r = upload(api.client, "x.md", b"# X\n\ntext\n")
    assert r.status_code == 403 and "needs 'ingest'" in r.json()["error"]
    status, text = call(api.client, "ingest", [[]])
    assert status == 200 and text.startswith("event: error") and "needs the 'ingest' scope" in text


def test_revoking_the_token_ends_its_sessions_and_logout_too(api):
    token = login(api, "ingest")
    assert api.client.get("/config").status_code == 200
    TokenStore(api.settings.kb).revoke(TokenStore(api.settings.kb).verify(token).id)
    assert api.client.get("/config").status_code == 401
    login(api, "ask")
    api.client.post("/logout", follow_redirects=False)
    assert api.client.get("/config").status_code == 401


def test_a_public_server_always_requires_a_login(tmp_path):
    settings = Settings(kb=tmp_path / "kb", embedder="hash", vector_backend="memory")
    with TestClient(create_app(Service(settings, "extractive"), settings, public=True)) as client:
        assert client.get("/config").status_code == 401


@pytest.mark.unit
def test_login_redirects_only_to_this_server():
    assert [safe_next(t) for t in ("/x", "//evil.example", "https://evil.example/", "/\\evil", "x")] == \
        ["/x", "/", "/", "/", "/"]


# -- 5: uploads ---------------------------------------------------------------------------------------
def test_upload_from_a_foreign_origin_is_refused(open_api):
    r = upload(open_api.client, "x.txt", b"text", headers={"Origin": "http://evil.example"})
    assert r.status_code == 403 and "cross-origin" in r.json()["error"]
    same = upload(open_api.client, "x.txt", b"text", headers={"Origin": "http://testserver"})
    assert same.status_code == 200


def test_upload_over_the_limit_is_refused_before_reading(make_api):
    api = make_api(api_max_upload_mb=1)
    login(api, "ingest")
    r = upload(api.client, "big.txt", b"x" * (2 * 2**20))
    assert r.status_code == 413 and "over the limit of 1 MB" in r.json()["error"]
    chunked = api.client.post("/gradio_api/upload", content=iter([b"--x\r\n"]),
                              headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert chunked.status_code == 411


def test_uploads_are_rate_limited_per_session(make_api):
    api = make_api(ui_upload_burst=3, ui_uploads_per_minute=1)
    login(api, "ingest")
    codes = [upload(api.client, f"n{i}.txt", b"text").status_code for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]


# -- 4: the same input limits in the UI ---------------------------------------------------------------
def test_a_huge_question_through_the_ui_is_refused_at_once(api):
    login(api, "ask")
    r = api.client.post("/gradio_api/call/respond", json={"data": ["x" * 3_300_000, [], "", []]})
    assert r.status_code == 413 and "over the limit of 1 MB" in r.json()["error"]


def test_a_question_over_the_rest_limit_is_refused_in_the_ui(api):
    login(api, "ask")
    status, text = call(api.client, "respond", ["why? " * 500, [], "", []])
    assert status == 200 and text.startswith("event: error") and "the limit is 2,000" in text


# -- 9: a report served through Gradio's file route carries the CSP -------------------------------------
def test_files_served_by_the_ui_carry_the_report_csp(api):
    login(api, "ask")
    report = api.settings.kb / "cache" / "reports" / "alert-x.html"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text("<html><script>window.pwned=1</script></html>")
    r = api.client.get(f"/gradio_api/file={report}")
    assert r.status_code == 200
    assert r.headers["content-security-policy"] == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_config_names_no_user_secret(api):
    token = login(api, "ask")
    assert token.split(".")[1] not in json.dumps(api.client.get("/config").json())
