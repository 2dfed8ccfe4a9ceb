"""The LLM protocol: chat messages in, streamed text out.

Implementers write one method, :meth:`LLM.stream`; the base derives
:meth:`LLM.complete`. Backends: ``local`` (llama.cpp in-process,
:mod:`assistant.llm.local`) and ``openai`` (any OpenAI-compatible server,
:mod:`assistant.llm.openai_compat`).

>>> class Echo(LLM):
...     name = "echo"
...     def stream(self, messages, *, max_tokens=384, temperature=0.0, stop=None):
...         yield from messages[-1].content.split(" ")
>>> Echo().complete([Message("user", "a b c")])
'abc'
>>> Message("user", "hi")
Message(role='user', content='hi')
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

ROLES = ("system", "user", "assistant")


@dataclass(frozen=True)
class Message:
    """One chat turn. ``role`` is ``system``, ``user`` or ``assistant``."""

    role: str
    content: str

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, got {self.role!r}")


class LLM(ABC):
    """A chat model that streams its answer.

    ``name`` identifies the model (file name or server model id) for logs and
    answers' provenance.
    """

    name: str
    #: Counters of the last finished reply, where the backend reports them
    #: (llama.cpp: ``prompt_tokens`` in the prompt, ``prompt_eval`` of them
    #: evaluated, the rest reused from the KV cache, ``prompt_ms``,
    #: ``gen_tokens``, ``gen_ms``); empty otherwise.
    last_perf: dict = {}

    @abstractmethod
    def stream(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 384,
        temperature: float = 0.0,
        stop: Sequence[str] | None = None,
    ) -> Iterator[str]:
        """Yield the reply to ``messages`` in text pieces, as they are generated.

        The pieces joined are the whole reply (no role markers, no stop
        string). At most ``max_tokens`` tokens are generated; generation ends
        early at any string in ``stop``. ``temperature=0.0`` means greedy
        decoding, so the same messages give the same reply. A model that
        cannot be loaded or reached raises
        :class:`knowledge_base.errors.ModelError`, before the first piece
        when possible.
        """

    def complete(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 384,
        temperature: float = 0.0,
        stop: Sequence[str] | None = None,
    ) -> str:
        """The whole reply to ``messages`` as one string (``stream`` joined)."""
        pieces = self.stream(messages, max_tokens=max_tokens, temperature=temperature, stop=stop)
        return "".join(pieces)
