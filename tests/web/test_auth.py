"""Bearer tokens: missing / wrong / revoked / under-scoped, the token store and the CLI."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from assistant.cli import main
from assistant.web.tokens import TokenStore
from knowledge_base.errors import AuthError, ConfigError

pytestmark = pytest.mark.integration

ASK = ("/api/v1/ask", {"question": "What does E-104 mean?"})


def post_ask(api, headers):
    path, body = ASK
    return api.client.post(path, json=body, headers=headers)


def test_missing_token_is_401_with_json_error(api):
    r = post_ask(api, {})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert "missing API token" in r.json()["error"]


@pytest.mark.parametrize("header", [
    "Bearer not-a-token",
    "Bearer fdk_000000000000.secret",
    "Basic dXNlcjpwYXNz",
])
def test_wrong_token_is_401(api, header):
    r = post_ask(api, {"Authorization": header})
    assert r.status_code == 401
    assert set(r.json()) == {"error"}


def test_right_id_wrong_secret_is_401(api):
    token = api.headers["ask"]["Authorization"]
    r = post_ask(api, {"Authorization": token[:-4] + "AAAA"})
    assert r.status_code == 401 and r.json() == {"error": "invalid API token"}


def test_revoked_token_is_401_at_once(api):
    headers = api.token("ask", name="station-7")
    assert post_ask(api, headers).status_code == 200
    TokenStore(api.settings.kb).revoke("station-7")
    r = post_ask(api, headers)
    assert r.status_code == 401 and "revoked" in r.json()["error"]


def test_ask_token_cannot_ingest_or_list_tokens(api):
    files = {"files": ("x.md", b"# X\n\nsome text\n", "text/markdown")}
    r = api.client.post("/api/v1/ingest", files=files, headers=api.headers["ask"])
    assert r.status_code == 403 and "needs 'ingest'" in r.json()["error"]
    assert api.client.get("/api/v1/tokens", headers=api.headers["ask"]).status_code == 403
    assert api.client.get("/api/v1/tokens", headers=api.headers["ingest"]).status_code == 403


def test_higher_scopes_include_lower_ones(api):
    for scope in ("ingest", "admin"):
        assert post_ask(api, api.headers[scope]).status_code == 200


def test_admin_lists_tokens_without_secrets(api):
    r = api.client.get("/api/v1/tokens", headers=api.headers["admin"])
    assert r.status_code == 200
    listed = r.json()
    assert sorted(t["scope"] for t in listed) == ["admin", "ask", "ingest"]
    secrets = [h["Authorization"].split()[1] for h in api.headers.values()]
    assert not any(s.split(".")[1] in r.text for s in secrets)


@pytest.mark.unit
def test_store_keeps_only_salted_hashes(tmp_path):
    store = TokenStore(tmp_path)
    _, one = store.create("ask", name="a")
    _, two = store.create("ask", name="b")
    raw = (tmp_path / "tokens.sqlite").read_bytes()
    for token in (one, two):
        assert token.split(".")[1].encode() not in raw
    assert store.verify(one).name == "a" and store.verify(two).name == "b"
    with pytest.raises(AuthError):
        store.verify(one.split(".")[0] + "." + two.split(".")[1])  # a's id with b's secret


@pytest.mark.unit
def test_store_refuses_bad_scope_duplicate_name_and_unknown_revoke(tmp_path):
    store = TokenStore(tmp_path)
    store.create("ask", name="a")
    with pytest.raises(ConfigError, match="unknown token scope 'root'"):
        store.create("root")
    with pytest.raises(ConfigError, match="exists already"):
        store.create("admin", name="a")
    with pytest.raises(ConfigError, match="no API token named 'zzz'"):
        store.revoke("zzz")


def test_token_cli_round_trip(api):
    run = lambda *args: CliRunner().invoke(main, ["token", *args, "--kb", str(api.settings.kb)])  # noqa: E731
    created = run("create", "--scope", "ingest", "--name", "line-2")
    assert created.exit_code == 0, created.output
    token = created.stdout.strip()
    assert token.startswith("fdk_")
    headers = {"Authorization": f"Bearer {token}"}
    assert post_ask(api, headers).status_code == 200
    listed = {t["name"]: t for t in json.loads(run("list", "--json").stdout)}
    assert listed["line-2"]["scope"] == "ingest" and listed["line-2"]["revoked"] is None
    assert run("revoke", "line-2").exit_code == 0
    assert post_ask(api, headers).status_code == 401
    assert "revoked" in run("list").stdout
    missing = run("revoke", "line-9")
    assert missing.exit_code != 0 and "no API token named 'line-9'" in missing.output
