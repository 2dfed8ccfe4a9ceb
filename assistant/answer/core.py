"""The assistant: question -> retrieval -> (abstain | generate) -> cited answer.

One Python API for every front end: :meth:`Assistant.stream` yields
:class:`Token` events as text is produced and ends with :class:`Done`
carrying the :class:`Answer`; :meth:`Assistant.ask` returns the Answer.

Token events are provisional: generated text is verified against the
sources after generation, and ``Done.answer.answer`` is the authoritative
text (front ends replace what they streamed with it).

Order of work for one question:

1. a follow-up is rewritten with the previous turn (``conversation``);
2. hybrid retrieval, scoped to the asset when one is named or selected;
3. if the question asks about the asset's present state (``intent``) and
   that asset has active or recent monitor alerts (``alerts``), they
   lead the evidence as [A1].., with the manual procedure found from the
   alert alone and similar past work orders [W1]; otherwise the abstention
   rule (``abstain``) may answer "not found" and list the closest documents
   instead of guessing;
4. passages that address the AI (prompt injection) are left out of the
   hits and of the sources, with a notice (``screening``);
5. the top sources are chosen and numbered [1]..[k] (``sources``) and given
   to the :class:`~.generators.Generator` (a model, or the extractive
   composer); if the local model cannot load, the extractive composer
   answers and a notice says so; if the model's worker process
   crashes or hangs (``llm.supervisor``), even mid-answer, what it streamed
   is dropped and the extractive composer answers with ``STOPPED_NOTICE``;
6. citation markers are resolved to sources, dangling ones dropped;
   no sentence advising to defeat a safety device is kept (``unsafe``:
   rules and a trained classifier, on MiniLM vectors if ``settings.defeat_semantic``); the
   answer says how many sentences were withheld;
7. safety warnings of the procedures used are appended, verbatim and cited.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import cached_property

from knowledge_base.errors import ConfigError, ModelError, ModelStopped
from knowledge_base.index import SqliteIndex
from knowledge_base.retrieval import HybridRetriever, Query, Retrieval
from knowledge_base.types import WARNING, WORK_ORDER

from . import crosslingual, safety
from .abstain import Abstainer
from .alert_answer import alert_sources
from assistant.alerts.analyst import AlertAnalyst, AlertContext, AlertFeed
from .citations import resolve
from .conversation import rewrite
from .focus import moves_on, scoped_hits
from .generators import EXTRACTIVE, Draft, ExtractiveGenerator, Generator, as_generator
from .intent import asks_about_state
from .next_step import continue_after
from .numbering import renumber
from .references import complete
from .signals import spellings_of_index, units_of_index
from .sources import SourceSelector, number_sources
from assistant.llm.base import LLM
from assistant.llm.supervisor import STOPPED_NOTICE
from .screening import screen_hits, screen_sources
from .types import NOT_FOUND, Answer, Citation, Done, Source, Token
from assistant.safety_filter.unsafe import UNSAFE_ONLY, DefeatFilter, defeat_filter_for, withheld_note

Event = Token | Done


class Assistant:
    """Answers troubleshooting questions from the knowledge base.

    ``llm`` writes the text: a chat model (wrapped in a
    :class:`~.generators.ModelGenerator` named ``backend``), a
    :class:`~.generators.Generator`, or None for the extractive backend.
    ``alerts`` and ``analyst`` (both or neither) bring the monitors' alerts into
    answers. ``defeat`` checks answers for advice to defeat a safety device
    (default: the rules).
    """

    def __init__(self, retriever: HybridRetriever, abstainer: Abstainer, llm: LLM | Generator | None,
                 backend: str = EXTRACTIVE, sources: int = 4, max_tokens: int = 200,
                 notice: str | None = None, alerts: AlertFeed | None = None,
                 analyst: AlertAnalyst | None = None, defeat: DefeatFilter | None = None) -> None:
        self.retriever, self.abstainer = retriever, abstainer
        self.generator = as_generator(llm, backend, sources, max_tokens)
        self.fallback: Generator = ExtractiveGenerator()  # when the model fails
        self.alerts, self.analyst = alerts, analyst
        self.notices: tuple[str, ...] = (notice,) if notice else ()
        self.n_sources, self.max_tokens = sources, max_tokens
        self.selector = SourceSelector(retriever, sources)
        self.defeat: DefeatFilter = defeat or defeat_filter_for(retriever.embedder)

    @property
    def llm(self) -> LLM | None:
        """The chat model behind the generator (None for the extractive backend)."""
        return self.generator.llm

    @property
    def backend(self) -> str:
        return self.generator.name

    @property
    def index(self) -> SqliteIndex:
        return self.retriever.store.index

    @cached_property
    def units(self) -> dict[str, str]:
        """{signal tag: unit} from the manuals' signal tables (``signals``)."""
        return units_of_index(self.index)

    @cached_property
    def spellings(self) -> dict[str, str]:
        """{code key: the manuals' spelling}, for the codes work orders are filed under."""
        return spellings_of_index(self.index)

    def ask(self, question: str, asset: str | None = None, history: Sequence[str] = ()) -> Answer:
        """The complete answer (consumes :meth:`stream`)."""
        for event in self.stream(question, asset, history):
            if isinstance(event, Done):
                return event.answer
        raise RuntimeError("answer stream ended without a result")  # pragma: no cover

    def stream(self, question: str, asset: str | None = None,
               history: Sequence[str] = ()) -> Iterator[Event]:
        """Token events, then Done. ``history``: earlier turns' retrieval
        queries (``Answer.retrieval_query``), oldest first. A question in
        another language than the manuals is translated (``crosslingual``)."""
        t0 = time.perf_counter()
        query = rewrite(question, history)
        xq = crosslingual.prepare(query, self.llm)
        if xq is None:
            yield from self._stream(question, query, asset, t0, history=history)
        else:
            yield from crosslingual.localise(self._stream(question, query, asset, t0, xq, history), xq, self.llm)

    def _stream(self, question: str, query: str, asset: str | None, t0: float,
                xq: crosslingual.CrossQuery | None = None, history: Sequence[str] = ()) -> Iterator[Event]:
        search = Query(xq.search_text, dense_text=xq.dense_text) if xq else Query(query)
        retrieval = self.retriever.retrieve(replace(search, k=max(8, self.n_sources), asset=asset))
        if xq and xq.translation:
            question = xq.translation  # the generator and composer work in the manuals' language
        retrieval, left_out = screen_hits(retrieval)
        contexts = self._alert_contexts(retrieval.assets) if asks_about_state(question) else []
        timings = {"retrieve_ms": round((time.perf_counter() - t0) * 1000, 1)}
        if contexts:
            extra = [h.chunk for h in retrieval.hits[:1]] if retrieval.codes else []
            sources = complete(self.index, alert_sources(contexts, self.index, extra))
            yield from self._answer(question, query, retrieval, sources, timings, t0, contexts, left_out)
            return
        ev = self.abstainer.evidence(xq.evidence_text if xq else query, retrieval)
        if self.abstainer.should_abstain(ev):
            text = _abstain_text(ev, retrieval)
            yield Token(text)
            yield Done(Answer(question, text, (), True, self.backend, timings | _zero(),
                              (*self.notices, *left_out), query))
            return
        skip, codes = (self.selector.done_before(question, history, asset) if query != question
                       else (frozenset(), ()))
        if codes and not retrieval.codes:  # every check given: the fault rows the diagnosis names come next
            retrieval, _ = screen_hits(self.retriever.retrieve(replace(search, k=max(8, self.n_sources),
                                                                       asset=asset, codes=codes)))
        ranked = scoped_hits(self.retriever, query, retrieval, question, asset, max(8, self.n_sources))
        chunks = self.selector.select(ranked, question, skip)
        if moves_on(question):
            chunks = continue_after(chunks, question)  # a diagnosis resumes after the checks reported done
        sources = complete(self.index, number_sources(chunks))
        yield from self._answer(question, query, retrieval, sources, timings, t0, (), left_out)

    def stream_alert(self, alert, question: str | None = None,
                     context: AlertContext | None = None) -> Iterator[Event]:
        """Token events, then Done: an answer about one alert (open or closed),
        with the procedure found from the alert alone and similar past faults.
        ``context``: the alert's analysis when the caller already has it."""
        t0 = time.perf_counter()
        question = question or f"What is wrong with {alert.asset} and what should be done first?"
        retrieval = self.retriever.retrieve(Query(question, k=max(8, self.n_sources), asset=alert.asset))
        contexts = [context or self.analyse(alert)]
        timings = {"retrieve_ms": round((time.perf_counter() - t0) * 1000, 1)}
        sources = complete(self.index, alert_sources(contexts, self.index, []))
        yield from self._answer(question, question, retrieval, sources, timings, t0, contexts)

    def analyse(self, alert, k_past: int = 3) -> AlertContext:
        """The alert's analysis (:meth:`AlertAnalyst.analyse`); ConfigError
        when this assistant has no analyst."""
        if self.analyst is None:
            raise ConfigError("this assistant has no FMEA table to analyse alerts with")
        return self.analyst.analyse(alert, k_past=k_past)

    def _alert_contexts(self, assets: Sequence[str]) -> list:
        """The analysed alerts of the assets in question (empty without a feed)."""
        if self.alerts is None or self.analyst is None or not assets:
            return []
        return [self.analyst.analyse(a) for a in self.alerts.for_assets(assets)]

    def _answer(self, question, query, retrieval: Retrieval, sources: list[Source],
                timings: dict, t0: float, contexts: Sequence = (), left_out: Sequence[str] = ()) -> Iterator[Event]:
        """Generation and its checks: the generator's preface and pieces streamed
        through the unsafe-advice filter, a failed model replaced by the extractive
        composer, the verified text, withheld sentences counted, the procedures'
        safety warnings appended and the citations renumbered."""
        sources, more = screen_sources(sources)
        notices: list[str] = list(dict.fromkeys([*self.notices, *left_out, *more]))
        draft = Draft(question, retrieval, sources, contexts, self.units if contexts else {},
                      self.spellings if any(s.chunk.kind == WORK_ORDER for s in sources) else {})
        gen, parts, first, tally = self.generator, [], None, []  # tally: sentences withheld
        g0, marks = time.perf_counter(), {}
        warnings, quoted_from = _safety_texts(sources)
        if lead := gen.preface(draft):
            for piece in self.defeat.stream([lead + "\n"], warnings, None, quoted_from):
                first = first or time.perf_counter()
                yield Token(piece)
        try:
            for piece in self.defeat.stream(gen.stream(draft, marks), warnings, tally, quoted_from):
                first = first or time.perf_counter()
                parts.append(piece)
                yield Token(piece)
        except ModelStopped as exc:  # the worker crashed or hung: drop what it streamed
            notices.append(f"{STOPPED_NOTICE} ({exc})")
            gen, parts = self.fallback, []
        except ModelError as exc:
            if parts:
                raise
            notices.append(f"The {gen.name} model is unavailable ({exc}); answered extractively from the sources.")
            gen = self.fallback
        gen_done = time.perf_counter()
        text, used, notes, composed = gen.finish("".join(parts).strip(), draft, self.defeat, tally)
        notices += notes
        backend = EXTRACTIVE if composed else gen.name  # say who wrote the text shown
        text, removed = self.defeat.withhold(text, warnings, quoted_from)
        tally.append(removed)  # composed from a passage that gives such advice
        if removed or (sum(tally) and not text):
            text, used = resolve(text or UNSAFE_ONLY, {s.label for s in sources})
        if sum(tally):
            notices.append(_unsafe_notice(sum(tally)))
            text = f"{text}\n{withheld_note(sum(tally))}"
        by_label = {s.label: s for s in sources}
        tail = self._safety([by_label[u] for u in used], sources, by_label, text)
        if tail:
            yield Token("\n\n" + tail)
            text = f"{text}\n\n{tail}"
            used = [u for u in by_label if u in used or f"[{u}]" in tail]
        timings |= {"generate_ms": round((gen_done - g0) * 1000, 1),
                    "first_token_ms": round(((first or gen_done) - t0) * 1000, 1)}
        if "model_first" in marks:  # the model's own first piece, before the sentence check held it
            timings["model_first_ms"] = round((marks["model_first"] - t0) * 1000, 1)
        if not composed:
            timings |= gen.perf()
        text, cites = renumber(text, tuple(Citation.of(by_label[u]) for u in used))
        yield Done(Answer(question, text, cites, False, backend, timings, tuple(notices), query))

    def _safety(self, cited: list[Source], sources: list[Source], by_label: dict[str, Source],
                text: str) -> str:
        warnings = safety.warnings_for(self.index, [s.chunk for s in cited])
        if not warnings:
            return ""
        known = {s.chunk.id: s.label for s in sources}
        for w in warnings:
            if w.id not in known:
                label = str(1 + max((int(x) for x in by_label if x.isdigit()), default=0))
                by_label[label] = Source(label, w, w.text)
                known[w.id] = label
        return safety.quote_block(warnings, known, text)


def _unsafe_notice(n: int) -> str:
    return f"{n} sentence(s) advising to bypass or defeat a safety device were removed."


def _safety_texts(sources: Sequence[Source]) -> tuple[list[str], list[str]]:
    """What the unsafe-advice filter needs of the sources: the manual's warnings
    (quoted verbatim, they pass) and every source text (a sentence quoted from
    one faces the rules only, not the classifier)."""
    return [s.chunk.text for s in sources if s.chunk.kind == WARNING], [s.chunk.text for s in sources]


def _zero() -> dict:
    return {"generate_ms": 0.0, "first_token_ms": 0.0}


def _abstain_text(ev, retrieval: Retrieval) -> str:
    reason = ""
    if ev is not None and ev.unknown_codes and (not ev.known_codes or ev.strong_unknown):
        named = ev.strong_unknown or ev.unknown_codes
        reason = f" The code {', '.join(named)} does not appear in the manuals or fault logs."
        if ev.nearby:
            reason += f" Codes of that family that are defined: {', '.join(ev.nearby)}."
    closest = []
    for h in retrieval.hits[:3]:
        c = h.chunk
        where = c.source.rsplit("/", 1)[-1] + (f" p.{c.page}" if c.page else "")
        closest.append(f"{where} ({c.section[-1] if c.section else c.title})")
    tail = (" Closest documents: " + "; ".join(closest) + ".") if closest else ""
    return NOT_FOUND + reason + tail
