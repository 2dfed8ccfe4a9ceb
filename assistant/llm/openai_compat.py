"""Chat through any OpenAI-compatible server (vLLM, Ollama, llama.cpp server).

``POST {base_url}/v1/chat/completions`` with ``"stream": true``; the reply
arrives as Server-Sent Events, one ``data: {json}`` line per piece, closed by
``data: [DONE]``. Connection failures and 5xx answers are retried with
exponential backoff, but only before the first piece is yielded: after that
a retry would repeat text the caller has already shown.

>>> llm = OpenAICompatLLM("http://127.0.0.1:8000/v1/", "qwen")
>>> llm.url, llm.name
('http://127.0.0.1:8000/v1/chat/completions', 'qwen')
>>> _piece('data: {"choices": [{"delta": {"content": "Hi"}}]}')
'Hi'
>>> _piece("data: [DONE]") is _DONE
True
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence

from knowledge_base.errors import ConfigError, ModelError

from .base import LLM, Message

_DONE = object()  # sentinel: the server said [DONE]


class _Retry(Exception):
    """A failure before the first piece that is worth another attempt; ``reason``
    is the one-line message for the ModelError raised when attempts run out."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class OpenAICompatLLM(LLM):
    """A chat model behind an OpenAI-compatible HTTP API.

    ``retries`` extra attempts are made on connect errors and 5xx answers,
    waiting ``backoff``, ``2*backoff``, ``4*backoff`` ... seconds between
    them. ``timeout`` bounds connecting and each wait for the next bytes.
    """

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout: float = 60.0,
        retries: int = 2,
        backoff: float = 0.5,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"LLM server URL must start with http:// or https://, got {base_url!r}")
        if retries < 0 or timeout <= 0:
            raise ConfigError(f"need retries >= 0 and timeout > 0, got {retries}, {timeout}")
        root = base_url.rstrip("/").removesuffix("/v1")
        self.base_url = root
        self.url = f"{root}/v1/chat/completions"
        self.name = model
        self.api_key = api_key
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff

    def stream(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 384,
        temperature: float = 0.0,
        stop: Sequence[str] | None = None,
    ) -> Iterator[str]:
        payload = {
            "model": self.name,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": max_tokens,
            "temperature": temperature,
            "stream": True,
        }
        if stop:
            payload["stop"] = list(stop)
        for attempt in range(self.retries + 1):
            try:
                yield from self._attempt(payload)
                return
            except _Retry as exc:
                if attempt == self.retries:
                    tries = f" (after {attempt + 1} attempts)" if attempt else ""
                    raise ModelError(exc.reason + tries) from exc
                time.sleep(self.backoff * 2**attempt)

    def _attempt(self, payload: dict) -> Iterator[str]:
        import httpx  # here, not at module level: keeps imports of the package cheap

        headers = {"Accept": "text/event-stream"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        timeout = httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0))
        try:
            with httpx.Client(timeout=timeout) as client:
                with client.stream("POST", self.url, json=payload, headers=headers) as resp:
                    self._check_status(resp)
                    yield from self._events(resp)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise _Retry(f"cannot reach LLM server at {self.base_url}: {_reason(exc)}") from exc
        except httpx.TimeoutException as exc:
            raise ModelError(
                f"LLM server at {self.base_url} sent nothing for {self.timeout:g} s"
            ) from exc
        except httpx.HTTPError as exc:  # dropped connection, protocol error mid-stream
            raise ModelError(f"LLM server at {self.base_url} failed: {_reason(exc)}") from exc

    def _check_status(self, resp) -> None:
        if resp.status_code < 400:
            return
        body = " ".join(resp.read().decode("utf-8", "replace").split())[:300]
        if resp.status_code >= 500:
            answer = f"HTTP {resp.status_code} {body}".rstrip()
            raise _Retry(f"LLM server at {self.base_url} answered {answer}")
        raise ModelError(f"LLM server at {self.base_url} refused the request: "
                         f"HTTP {resp.status_code} {body}".rstrip())

    def _events(self, resp) -> Iterator[str]:
        for line in resp.iter_lines():
            piece = _piece(line)
            if piece is _DONE:
                return
            if piece:
                yield piece


def _piece(line: str):
    """Text carried by one SSE line: '' for comments/blank/role-only, _DONE at the end."""
    if not line.startswith("data:"):
        return ""  # blank separator, ": keep-alive" comment, event:/id: fields
    data = line[5:].strip()
    if data == "[DONE]":
        return _DONE
    try:
        event = json.loads(data)
    except json.JSONDecodeError as exc:
        raise ModelError(f"LLM server sent a malformed event: {data[:200]!r}") from exc
    if "error" in event:
        raise ModelError(f"LLM server error: {event['error']}")
    choices = event.get("choices") or [{}]
    return (choices[0].get("delta") or {}).get("content") or ""


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    low = text.lower()
    if "refused" in low:
        return "connection refused"
    if "name or service not known" in low or "nodename nor servname" in low:
        return "unknown host"
    return text
