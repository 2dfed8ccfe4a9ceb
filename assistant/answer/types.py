"""Frozen dataclasses of the answer stage: Citation, Answer, and stream events."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from knowledge_base.types import Chunk

NOT_FOUND = "Not found in the knowledge base."


@dataclass(frozen=True)
class Source:
    """One numbered piece of evidence given to the generator: [n] or [A1]/[W1]."""

    label: str
    chunk: Chunk
    text: str  # what the prompt shows (compacted)

    @property
    def where(self) -> str:
        name = Path(self.chunk.source).name
        return f"{name} p.{self.chunk.page}" if self.chunk.page else name


@dataclass(frozen=True)
class Citation:
    """A source the answer cites, resolved to file, page and section."""

    n: str
    source: str
    page: int | None
    section: str
    text: str
    kind: str = ""

    @classmethod
    def of(cls, src: Source) -> "Citation":
        c = src.chunk
        return cls(src.label, c.source, c.page, " > ".join(c.section), c.text, c.kind)

    def as_json(self) -> dict:
        n = int(self.n) if self.n.isdigit() else self.n
        return {"n": n, "source": self.source, "page": self.page, "section": self.section,
                "text": self.text}


@dataclass(frozen=True)
class Answer:
    """The assistant's reply to one question."""

    question: str
    answer: str
    citations: tuple[Citation, ...]
    abstained: bool
    backend: str
    timings: dict = field(default_factory=dict)
    notices: tuple[str, ...] = ()
    retrieval_query: str = ""

    def as_json(self) -> dict:
        return {"question": self.question, "answer": self.answer,
                "citations": [c.as_json() for c in self.citations], "abstained": self.abstained,
                "backend": self.backend, "timings": dict(self.timings), "notices": list(self.notices)}


@dataclass(frozen=True)
class Token:
    """A piece of answer text as it is generated."""

    text: str


@dataclass(frozen=True)
class Done:
    """The last event of a stream: the complete answer."""

    answer: Answer
