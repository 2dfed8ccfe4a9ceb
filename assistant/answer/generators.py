"""Generators: what writes an answer's text from its numbered sources.

The answer pipeline (:class:`assistant.answer.core.Assistant`) retrieves,
selects and numbers the sources, then hands a :class:`Draft` to one
:class:`Generator` and filters what it streams. Two generators exist:

* :class:`ModelGenerator` wraps a chat model (:class:`assistant.llm.base.LLM`,
  any backend of :data:`assistant.llm.BACKENDS`): it streams the model's reply
  and then keeps only the sentences the sources support (``grounding``);
* :class:`ExtractiveGenerator` (backend ``extractive``, no model) quotes the
  sources (``extractive``); it is also the fallback when a model fails.

>>> from knowledge_base.retrieval import Retrieval
>>> from knowledge_base.types import Chunk
>>> src = [Source("1", Chunk("c", "Clean the oil cooler fins.", "m.md"), "Clean the oil cooler fins.")]
>>> draft = Draft("How do I clean the cooler?", Retrieval(()), src)
>>> gen = as_generator(None)
>>> gen.name, gen.llm, gen.preface(draft)
('extractive', None, '')
>>> isinstance(gen, Generator)
True
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol, runtime_checkable

from knowledge_base.retrieval import Retrieval

from assistant.llm import EXTRACTIVE
from assistant.llm.base import LLM
from .alert_answer import alert_facts, pointers
from .citations import resolve
from .extractive import code_facts, compose, compose_alert, procedure_block
from .grounding import verify
from .prompt import build_messages
from .sources import prompt_sources
from .types import NOT_FOUND, Source

@dataclass(frozen=True)
class Draft:
    """What a generator writes from: the question (in the manuals' language), the
    retrieval (its codes), the numbered sources, the analysed alerts the answer is
    about (``AlertContext``; empty for a manual question) and the signals' units
    (only needed with alerts)."""

    question: str
    retrieval: Retrieval
    sources: Sequence[Source]
    contexts: Sequence = ()
    units: Mapping[str, str] = field(default_factory=dict)
    spellings: Mapping[str, str] = field(default_factory=dict)  # {code key: the manuals' spelling}

    @property
    def labels(self) -> set[str]:
        return {s.label for s in self.sources}

    def lead(self) -> str:
        """The exact alert / fault-table facts an answer opens with ("" when none)."""
        if self.contexts:
            return alert_facts(self.contexts, self.sources, self.units)
        return code_facts(self.retrieval.codes, self.sources)

    def composed(self) -> str:
        """The extractive answer: about the alerts when there are any, else about the
        question's codes and passages."""
        if self.contexts:
            return compose_alert(alert_facts(self.contexts, self.sources, self.units), self.sources, self.spellings)
        return compose(self.question, self.retrieval.codes, self.sources, self.spellings)


class Final(NamedTuple):
    """A generator's verified text: ``used`` the cited source labels in order,
    ``notes`` notices for the answer, ``composed`` whether the extractive composer
    wrote the text (the answer's backend is then ``extractive``)."""

    text: str
    used: list[str]
    notes: list[str]
    composed: bool


@runtime_checkable
class Generator(Protocol):
    """Writes an answer's text from a :class:`Draft`. The spec:

    * ``name``: the backend named in ``Answer.backend`` when this generator's
      text is shown;
    * ``llm``: the chat model behind it, or None; the pipeline uses it to
      translate questions (``crosslingual``) and the service for the worker's state;
    * :meth:`preface`: text shown at once while the generator works (the facts the
      answer will open with), not part of the generated text; "" for none;
    * :meth:`stream`: the provisional text in pieces, as produced; the caller
      filters unsafe sentences out of them. It may raise
      :class:`~knowledge_base.errors.ModelError` (before its first piece: the
      extractive generator answers instead) or
      :class:`~knowledge_base.errors.ModelStopped` (at any time: what was streamed
      is dropped, the extractive generator answers). It may record in ``marks``
      ``"model_first"``: when a model's first piece arrived (``perf_counter``);
    * :meth:`finish`: the authoritative :class:`Final` from the filtered pieces
      joined (``raw``); ``check`` is the unsafe-advice filter, ``tally`` counts the
      sentences it withheld (appended to, read when nothing is left);
    * :meth:`perf`: counters of the last reply for ``Answer.timings`` (``llm_*``).
    """

    name: str
    llm: LLM | None

    def preface(self, draft: Draft) -> str: ...

    def stream(self, draft: Draft, marks: dict | None = None) -> Iterator[str]: ...

    def finish(self, raw: str, draft: Draft, check, tally: list[int] | None = None) -> Final: ...

    def perf(self) -> dict: ...


class ExtractiveGenerator:
    """No model: the answer quotes the sources (``extractive``) in one piece."""

    name, llm = EXTRACTIVE, None

    def preface(self, draft: Draft) -> str:
        return ""

    def stream(self, draft: Draft, marks: dict | None = None) -> Iterator[str]:
        yield resolve(draft.composed(), draft.labels)[0]

    def finish(self, raw: str, draft: Draft, check, tally: list[int] | None = None) -> Final:
        """``raw`` as shown; composed anew when nothing was streamed (a failed model),
        unless the unsafe-advice filter withheld everything (then nothing is left)."""
        return Final(*resolve(raw or ("" if tally and sum(tally) else draft.composed()), draft.labels), [], True)

    def perf(self) -> dict:
        return {}


class ModelGenerator:
    """A chat model (``llm``) answers from the first ``n_sources`` manual sources with
    at most ``max_tokens`` tokens; its text is then verified against the sources."""

    def __init__(self, llm: LLM, name: str, n_sources: int = 4, max_tokens: int = 200) -> None:
        self.llm, self.name, self.n_sources, self.max_tokens = llm, name, n_sources, max_tokens

    def preface(self, draft: Draft) -> str:
        # The verified facts the answer opens with (finish) are shown while the
        # model reads its prompt; they are not part of the model's text.
        return draft.lead()

    def stream(self, draft: Draft, marks: dict | None = None) -> Iterator[str]:
        prompt = build_messages(draft.question, prompt_sources(draft.sources, self.n_sources))
        for piece in self.llm.stream(prompt, max_tokens=self.max_tokens):
            if marks is not None:
                marks.setdefault("model_first", time.perf_counter())
            yield piece

    def finish(self, raw: str, draft: Draft, check, tally: list[int] | None = None) -> Final:
        """Generated text is checked sentence by sentence (``grounding``); when
        nothing verifiable is left, or the model claims the sources do not answer
        although retrieval found strong evidence, the extractive composer answers
        instead. The exact facts lead, every step of a procedure used follows
        verbatim, and about an alert the procedure and past fault are pointed at
        (``alert_answer``)."""
        labels = draft.labels
        if raw.rstrip(".").lower().startswith(NOT_FOUND.rstrip(".").lower()):
            return Final(*resolve(draft.composed(), labels),
                         ["The model found no answer in the documents; the most relevant passages are quoted instead."],
                         True)
        g = verify(raw, draft.sources, draft.question, check=check)
        if g.unsafe and tally is not None:
            tally.append(g.unsafe)
        if not any(s.ok and s.labels for s in g.sentences):
            return Final(*resolve(draft.composed(), labels),
                         [("The generated answer could not be verified against the sources; "
                           "the most relevant passages are quoted instead.")], True)
        text = g.text
        if facts := draft.lead():
            text = f"{facts}\n{text}"  # the exact alert / fault-table facts always lead
        if steps := procedure_block(text, draft.sources):
            text = f"{text}\n{steps}"  # every step, verbatim, whatever the model summarised
        if draft.contexts and (more := pointers(text, draft.sources)):
            text = f"{text}\n{more}"
        text, used = resolve(text, labels)
        unsupported = g.dropped - g.unsafe
        notes = [f"{unsupported} generated sentence(s) not supported by the sources were removed."] if unsupported else []
        return Final(text, used, notes, False)

    def perf(self) -> dict:
        return {f"llm_{k}": v for k, v in (self.llm.last_perf or {}).items()}


def as_generator(llm: LLM | Generator | None, name: str = EXTRACTIVE, n_sources: int = 4,
                 max_tokens: int = 200) -> Generator:
    """The generator for ``llm``: a chat model is wrapped (:class:`ModelGenerator`
    named ``name``), None is the extractive backend, a Generator is itself."""
    if llm is None:
        return ExtractiveGenerator()
    if isinstance(llm, LLM):
        return ModelGenerator(llm, name, n_sources, max_tokens)
    if isinstance(llm, Generator):
        return llm
    raise TypeError(f"not an LLM or a Generator: {llm!r}")
