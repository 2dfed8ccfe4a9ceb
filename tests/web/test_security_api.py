"""Issue 12, the REST side and bad input: the probes replayed against the real
app (TestClient) and the ingestion, and what already held (auth on every
REST route, scopes, CORS) kept holding."""

from __future__ import annotations

import logging
import os

import pytest
from click.testing import CliRunner

from assistant.cli import main
from assistant.web.app import _RedactSecrets
from ingest.loaders import load_file
from ingest.loaders.limits import MAX_COLUMNS, MAX_RECORD_CHARS

pytestmark = pytest.mark.integration
GOOD_MD = b"# Hydra HX-9 Press\n\nModel: HX-9\n\n## 3 Faults\n\nE-555 means ram drift: bleed the accumulator.\n"


def ingest(api, *files, scope="ingest"):
    return api.client.post("/api/v1/ingest", files=[("files", f) for f in files], headers=api.headers[scope])


# -- 12: failed logins back off -------------------------------------------------------------------
def test_bad_tokens_in_a_row_are_answered_429_after_the_burst(make_api):
    api = make_api(auth_failure_burst=10, auth_failures_per_minute=10)
    codes = [api.client.get("/api/v1/alerts", headers={"Authorization": f"Bearer fdk_{i:012d}.guess"}).status_code
             for i in range(40)]
    assert codes[:10] == [401] * 10 and set(codes[10:]) == {429}
    r = api.client.get("/api/v1/alerts", headers=api.headers["ask"])
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1  # the client backs off, whatever it sends
    assert "too many failed logins" in r.json()["error"]


def test_the_login_form_shares_the_failure_budget(make_api):
    api = make_api(auth_failure_burst=3, auth_failures_per_minute=1)
    codes = [api.client.post("/login", data={"token": f"fdk_x.{i}"}).status_code for i in range(5)]
    assert codes == [401, 401, 401, 429, 429]
    assert api.client.get("/api/v1/alerts", headers={"Authorization": "Bearer fdk_x.y"}).status_code == 429


def test_good_tokens_are_not_slowed_down_by_the_failure_budget(make_api):
    api = make_api(auth_failure_burst=2, auth_failures_per_minute=1)
    assert all(api.client.get("/api/v1/alerts", headers=api.headers["ask"]).status_code == 200 for _ in range(15))


# -- what held keeps holding: every REST route checks who is asking -------------------------------------
def test_every_rest_route_but_health_needs_a_token(api):
    schema = api.client.get("/api/v1/openapi.json").json()
    checked = 0
    for path, methods in schema["paths"].items():
        for method in methods:
            url = "/api/v1" + path.removeprefix("/api/v1").replace("{alert_id}", "P-3-1")
            r = api.client.request(method.upper(), url)
            if path.endswith("/health"):
                assert r.status_code == 200
            else:
                assert r.status_code == 401, (method, path, r.status_code)
                checked += 1
    assert checked >= 8


def test_cors_allows_only_the_configured_origin(make_api):
    api = make_api(api_origins=("http://hmi.local:8080",))
    for origin, allowed in (("http://hmi.local:8080", True), ("http://evil.example", False)):
        r = api.client.get("/api/v1/alerts", headers={**api.headers["ask"], "Origin": origin})
        assert (r.headers.get("access-control-allow-origin") == origin) is allowed


# -- 5, 8, 10: uploads through the REST API ---------------------------------------------------------------
def test_refused_upload_names_are_not_kept(api):
    r = ingest(api, ("index.sqlite", b"SQLite format 3\x00", "application/octet-stream"),
               ("..", b"text", "text/plain"), ("notes", b"text", "text/plain"), ("good.md", GOOD_MD, "text/markdown"))
    report = r.json()
    assert r.status_code == 200 and report["added"] == 1
    assert sorted(f["path"] for f in report["failed"]) == ["index.sqlite", "notes", "upload"]
    assert all("unsupported file type" in f["error"] for f in report["failed"])
    assert sorted(p.name for p in (api.settings.kb / "uploads").iterdir()) == ["good.md"]


def test_a_300_character_name_is_cut_and_its_sibling_still_ingested(api):
    long = "x" * 296 + ".md"
    sibling = GOOD_MD.replace(b"HX-9", b"HX-7")
    r = ingest(api, (long, GOOD_MD, "text/markdown"), ("sibling.md", sibling, "text/markdown"))
    assert r.status_code == 200 and r.json()["added"] == 2 and r.json()["failed"] == []
    names = sorted(p.name for p in (api.settings.kb / "uploads").iterdir())
    assert names == ["sibling.md", "x" * 117 + ".md"]


def test_a_failed_reupload_keeps_the_earlier_version(api):
    assert ingest(api, ("hx9.md", GOOD_MD, "text/markdown")).json()["added"] == 1
    r = ingest(api, ("hx9.md", b"\x00\x01 not text \xff\xfe", "text/markdown")).json()
    assert len(r["failed"]) == 1 and r["failed"][0]["path"] == "hx9.md"
    assert (api.settings.kb / "uploads" / "hx9.md").read_bytes() == GOOD_MD
    assert [p.name for p in (api.settings.kb / "uploads").iterdir()] == ["hx9.md"]


def test_errors_name_no_server_path(api):
    r = ingest(api, ("broken.pdf", b"%PDF-1.4 no", "application/pdf"))
    assert str(api.settings.kb) not in r.text and r.json()["failed"][0]["error"].startswith("broken.pdf: ")
    missing = api.client.get("/api/v1/alerts/nope/report", headers=api.headers["ask"])
    assert missing.status_code == 404 and str(api.settings.kb) not in missing.text


# -- 10: docs offline, /docs redirects, tokens stay out of the access log -------------------------------
def test_api_docs_load_only_local_assets(api):
    page = api.client.get("/api/v1/docs")
    assert page.status_code == 200 and "cdn" not in page.text.lower()
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert f"/api/v1/docs-assets/{asset}" in page.text
        assert api.client.get(f"/api/v1/docs-assets/{asset}").status_code == 200
    r = api.client.get("/docs", follow_redirects=False)
    assert r.status_code == 308 and r.headers["location"] == "/api/v1/docs"


@pytest.mark.unit
def test_the_access_log_filter_redacts_tokens():
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5", "GET", "/operator?asset=P-3&token=fdk_abc.SECRET", "1.1", 200), None)
    _RedactSecrets().filter(record)
    assert "SECRET" not in record.getMessage() and "token=[redacted]" in record.getMessage()


# -- 6, 7, 11: bad input at ingestion -----------------------------------------------------------------------
def run_ingest(kb, *paths):
    env = {"FAULTDESK_EMBEDDER": "hash", "FAULTDESK_VECTOR_BACKEND": "memory"}
    return CliRunner().invoke(main, ["ingest", *map(str, paths), "--kb", str(kb)], env=env)


def test_a_csv_with_100k_columns_is_refused_in_one_line(tmp_path):
    wide = tmp_path / "docs" / "wide.csv"
    wide.parent.mkdir()
    wide.write_text(",".join(f"c{i}" for i in range(100_000)) + "\n" + ",".join("v" * 100_000) + "\n")
    (tmp_path / "docs" / "good.md").write_bytes(GOOD_MD)
    res = run_ingest(tmp_path / "kb", tmp_path / "docs")
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert errors == [f"error: {wide}: 100,000 columns; a fault log may have at most {MAX_COLUMNS}"]
    assert "1 added" in res.stdout


def test_an_overlong_work_order_is_cut_with_a_note(tmp_path):
    log = tmp_path / "wo.csv"
    extra = [f"note{i}" for i in range(300)]  # 300 unmapped columns of 50 characters each
    log.write_text(",".join(["wo_id", "asset_id", "fault_code", "symptom", "cause", "action", *extra]) + "\n"
                   + ",".join(["WO-1", "P-3", "E-104", "rattle " * 9_000, "worn bearing", "replaced bearing",
                               *["y" * 50] * 300]) + "\n")
    res = run_ingest(tmp_path / "kb", log)
    assert res.exit_code == 0 and "1 added" in res.stdout
    assert f"longer than {MAX_RECORD_CHARS:,} characters were cut" in res.stderr
    (record,) = load_file(log).records  # a work order's chunk text is its as_text()
    assert len(record.as_text()) <= MAX_RECORD_CHARS and "fault code E-104" in record.as_text()


def test_a_symlink_loop_fails_alone(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.md").write_bytes(GOOD_MD)
    os.symlink(docs / "b.md", docs / "a.md")
    os.symlink(docs / "a.md", docs / "b.md")
    res = run_ingest(tmp_path / "kb", docs)
    assert "Traceback" not in res.output
    errors = sorted(ln for ln in res.stderr.splitlines() if ln.startswith("error:"))
    assert errors == [f"error: {docs / 'a.md'}: symlink loop", f"error: {docs / 'b.md'}: symlink loop"]
    assert "1 added" in res.stdout


def test_a_file_name_with_a_line_break_stays_on_one_line(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "bad\nname.md").write_bytes(b"")
    (docs / "hello.txt").write_text("hello E-104")  # a one-line text file is text, not only a title
    res = run_ingest(tmp_path / "kb", docs)
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert errors == [f"error: {docs}/bad\\nname.md: file is empty (0 bytes)"]
    assert "1 added" in res.stdout
