"""``faultdesk serve`` and ``faultdesk token``: thin click front ends over
:func:`assistant.web.app.create_app` and :class:`assistant.web.tokens.TokenStore`."""

from __future__ import annotations

import json
from datetime import datetime

import click

from knowledge_base.errors import FaultdeskError
from knowledge_base.settings import get_settings

from assistant.factory import LLM_KINDS
from assistant.web.tokens import SCOPES

_KB = click.option("--kb", type=click.Path(file_okay=False), help="Knowledge-base folder (default $FAULTDESK_KB).")


@click.command("serve")
@_KB
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=7860, show_default=True, type=click.IntRange(1, 65535))
@click.option("--llm", type=click.Choice(LLM_KINDS), help="Answer backend (default $FAULTDESK_LLM or local).")
def serve_command(kb, host, port, llm) -> None:
    """Serve the REST API (/api/v1), the widget (/widget.js), the operator page
    (/operator) and the UI (/) over one knowledge base."""
    import uvicorn

    from assistant.service import Service
    from assistant.web.app import create_app

    settings = get_settings().with_kb(kb)
    public = not is_loopback(host)
    try:
        has_logins = Service(settings, create=False).tokens.any_active()
        if public and not has_logins:
            raise click.ClickException(
                f"serving on {host} (reachable from other hosts) needs a login for the UI: create a token "
                f"first with 'faultdesk token create --scope ask' (or bind to 127.0.0.1)")
        app = create_app(Service(settings, llm), settings, public=public)
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    if not has_logins:
        click.echo(f"warning: the UI at http://{host}:{port}/ is open to anyone on this machine without a "
                   f"login (no API token exists); 'faultdesk token create' makes it require one", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost).

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, True, False)
    """
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to any interface


@click.group("token")
def token_group() -> None:
    """API bearer tokens (scopes: ask < ingest < admin)."""


def _tokens(kb):
    from assistant.service import Service

    return Service(get_settings().with_kb(kb), create=False).tokens


@token_group.command("create")
@click.option("--scope", type=click.Choice(SCOPES), required=True)
@click.option("--name", help="A label for the token (default <scope>-<id>).")
@_KB
def token_create(scope, name, kb) -> None:
    """Create a token and print it once; only a salted hash is kept."""
    try:
        info, token = _tokens(kb).create(scope, name)
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(token)
    click.echo(f"created {info.scope} token {info.name!r}; it is shown only now", err=True)


@token_group.command("list")
@_KB
@click.option("--json", "as_json", is_flag=True)
def token_list(kb, as_json) -> None:
    """The tokens: id, name, scope, created, revoked."""
    try:
        tokens = _tokens(kb).list()
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps([t.as_json() for t in tokens]))
        return
    for t in tokens:
        state = f"revoked {_when(t.revoked)}" if t.revoked else "active"
        click.echo(f"{t.id}  {t.scope:<6}  {t.name}  created {_when(t.created)}  {state}")


@token_group.command("revoke")
@click.argument("name_or_id")
@_KB
def token_revoke(name_or_id, kb) -> None:
    """Revoke a token by name or id; requests with it get 401 at once."""
    try:
        info = _tokens(kb).revoke(name_or_id)
    except FaultdeskError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"revoked {info.scope} token {info.name!r} ({info.id})")


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")
