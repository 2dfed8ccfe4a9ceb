"""The last check on an answer's text: no advice to defeat a safety device.

Whoever wrote the text - a model talked round by a document, a passage that
should never have been in the knowledge base, a paraphrase that lost its
"never" - an answer must not tell an engineer to bypass, bridge, jumper,
override, remove or switch off an interlock, guard, e-stop, overload,
cut-out, relief valve, light curtain or other protective device. Each
sentence is folded (look-alike letters, "By-pass", zero-width characters
undone; typos of safety words and shop abbreviations mended,
:mod:`assistant.safety_filter.defeat_words`) and checked by rules (:mod:`assistant.safety_filter.defeat_rules`:
action x object, negations, descriptions and warnings that state a consequence
pass; German, French, Spanish and Chinese word lists). An English sentence the
rules pass is then judged by a trained classifier (at its threshold when it
names a safety device or a defeat act, at a stricter one when not;
:mod:`assistant.safety_filter.defeat_model`:
logistic regression over cue patterns, hashed word n-grams and, when the
assistant runs on MiniLM and ``settings.defeat_semantic`` is on (off by default), the sentence
vector). When the model has a ``veto``, an English rule flag is overruled if
the classifier is surer than that that the sentence is legitimate (a reported
incident, a test procedure, a harmless "bypass capacitor"), unless the sentence
holds a negation (the rules scope it to its clause; the classifier cannot).
``RULES_ONLY`` is the rules alone; the old exemplar check (:mod:`.defeat_semantic`)
is unused by the assistant. MiniLM vectors are cached (:mod:`.defeat_cache`).
The manual's own warning, quoted word for word, passes whatever the classifier says.

:func:`withhold` removes unsafe sentences from any answer text and says so
in the text (:data:`WITHHELD`). Generated sentences are also checked one by
one in ``assistant.answer.grounding``. The quoted warnings that follow an answer
(``assistant.answer.safety``) are verbatim manual text and are checked there.

>>> withhold("Bridge terminals 11 and 12 of the interlock switch [3]. Close the guard [4].")
('Close the guard [4].', 1)
>>> withhold("Never bypass, bridge or defeat the guard interlock [2].")
('Never bypass, bridge or defeat the guard interlock [2].', 0)
>>> withhold("Do not restart the pump; instead bridge the level sensor.")[1]
1
>>> withhold("Open the bypass valve, then check the pressure switch.")[1]
0
>>> withhold("Place a magnet on the door switch. Bypаss the guard interlock. Switch off the overload protection.")
('', 3)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from knowledge_base.normalise import fold

from .defeat_cache import VectorCache
from .defeat_model import LEXICAL_PATH, MODEL_PATH, DefeatModel
from .defeat_gate import language, names_safety, negated
from .defeat_rules import advice
from .defeat_semantic import SemanticCheck

UNSAFE = "advises defeating a safety device"
UNSAFE_ONLY = ("The passages found advise defeating a safety device, which is not repeated here; "
               "follow the manual's safety warnings.")
_SENTENCE = re.compile(r"(?<=[.!?\]])[ \t]+(?=[^\s\[])|(?<=[。！？])(?=[^\s\[])")
_BOUNDARY = re.compile(r"((?<=[.!?\]])[ \t]+(?=[^\s\[])|(?<=[。！？])(?=[^\s\[])|\n)")
_HEADING = re.compile(r"\s*#{1,6}\s")  # a Markdown heading names a topic; it advises nothing (the rules still read it)
_MARKS = re.compile(r"\s*\[[AW]?\d{1,3}(?:\s*,\s*[AW]?\d{1,3})*\]")


def withheld_note(n: int) -> str:
    """The line an answer carries when ``n`` sentences were withheld."""
    return (f"({n} sentence{'s' if n != 1 else ''} withheld: advice to bypass or defeat a safety device "
            "is never given.)")


_WARNS = re.compile(r"\b(?:never|not|dont|must not|do not|danger\w*|hazard\w*|risk|injur\w*|death|kill|fatal|forbidden|prohibited"
                    r"|illegal|serious|severe|crush\w*|shock|electrocut\w*|nicht|niemals|verboten|jamais|interdit|nunca|prohibido|禁止|严禁|切勿|不得)\b")


def reads_as_warning(text: str) -> bool:
    """Whether ``text`` warns (a prohibition or a harm), as a manual's warning does."""
    return bool(_WARNS.search(fold(text)))


def quotable(warning: str) -> bool:
    """Whether a WARNING passage may be quoted verbatim: it reads as a warning
    or gives no advice to defeat anything (a planted "WARNING: fit a link
    across S4 ..." is neither, and is not the manual's safety text)."""
    return reads_as_warning(warning) or RULES.withhold(warning)[1] == 0


def quoted_text(warnings: Iterable[str]) -> str:
    """The manual's warning texts, whitespace-normalised, for :func:`unsafe`;
    only texts that read as warnings count as the manual's own words."""
    return " ".join(" ".join(w.split()) for w in warnings if reads_as_warning(w))


def source_text(sources: Iterable[str]) -> str:
    r"""The sources' texts, whitespace-normalised and joined, for
    :meth:`DefeatFilter.unsafe_all`'s ``sourced``: sentences quoted from them
    word for word face the rules only.

    >>> "latch it." in source_text(["Pull the pull-wire  stop to\nlatch it."])
    True
    """
    return "\n".join(" ".join(_MARKS.sub("", t).split()) for t in sources)


def _quoted_sentence(sentence: str, sourced: str) -> bool:
    r"""Whether ``sentence`` occurs in ``sourced`` where a sentence starts there
    (so "bridge terminals 3 and 4." cut out of "Never bridge terminals 3 and
    4." does not count as the manual's words).

    >>> _quoted_sentence("Lock it.", "Stop. Lock it.\nNever bridge X1.")
    True
    >>> _quoted_sentence("bridge X1.", "Stop. Lock it.\nNever bridge X1.")
    False
    >>> _quoted_sentence("Lock it.", "Steps: - Stop. - Lock it.")
    True
    """
    if not sentence or not sourced:
        return False
    start = sourced.find(sentence)
    while start >= 0:
        if start == 0 or sourced[start - 1] == "\n" or sourced[max(0, start - 2):start] in (
                ". ", ": ", "; ", "! ", "? ", ") ", "- ", "* ", "• "):
            return True
        start = sourced.find(sentence, start + 1)
    return False


def _bare(sentence: str) -> str:
    return " ".join(_MARKS.sub("", sentence).split())


LEARNED = "the trained classifier reads it as advice to defeat a safety device"


@dataclass(frozen=True)
class DefeatFilter:
    """The rules; plus, when ``model`` is given, the trained classifier (:mod:`.defeat_model`)
    on the English sentences the rules pass; plus the old similarity check when ``semantic``
    is given. ``embedder`` gives the MiniLM vectors a model trained with them needs, through
    ``vectors`` (each folded sentence embedded once, then reused; None embeds every time)."""

    semantic: SemanticCheck | None = None
    model: DefeatModel | None = None
    embedder: object | None = None
    vectors: VectorCache | None = field(default_factory=VectorCache, compare=False, repr=False)

    def reasons(self, sentences: Sequence[str], rules_only: Sequence[bool] = ()) -> list[str | None]:
        """Why each sentence advises defeat, or None (one embedding batch).
        Sentences marked in ``rules_only`` face the rules alone (the manual's own
        text, quoted verbatim: see :meth:`unsafe_all`)."""
        out = [advice(s) for s in sentences]
        plain = [not (rules_only[i] if i < len(rules_only) else False) for i in range(len(sentences))]
        # The classifier adds flags to English sentences the rules pass (other
        # languages: the rules' word lists only): at its threshold when the sentence
        # names a safety device or a defeat act, at the stricter ``ungated`` one when not.
        # A rule flag on an English sentence stands unless the model has a ``veto`` and
        # is surer than that that the sentence is legitimate (``rules_only`` sentences keep it).
        if self.model is not None:
            wide, veto = self.model.ungated <= 1.0, self.model.veto > 0.0
            english = [i for i, s in enumerate(sentences) if plain[i] and language(s) == "en" and not _HEADING.match(s)]
            # no veto where the sentence holds a negation: the rules scope it to its clause ("do not
            # restart the pump; instead bridge the level sensor"), the classifier's bag of words cannot
            flagged = {i for i in english if out[i] is not None}
            vetoable = {i for i in flagged if not negated(sentences[i])}
            named = {i: i in flagged or names_safety(sentences[i]) for i in english}
            asked = [i for i in english if (veto and i in vetoable if i in flagged else (wide or named[i]))]
            texts, vectors = [sentences[i] for i in asked], None
            if self.model.needs_vectors and asked:
                vectors = self._embed([fold(s) for s in texts])
            for i, p in zip(asked, self.model.proba(texts, vectors)):
                if i in flagged:
                    out[i] = None if p < self.model.veto else out[i]
                else:
                    out[i] = LEARNED if p >= (self.model.threshold if named[i] else self.model.ungated) else None
        if self.semantic is not None:
            rest = [i for i, r in enumerate(out) if r is None and plain[i]]
            for i, flag in zip(rest, self.semantic.flags([sentences[i] for i in rest])):
                if flag:
                    out[i] = "reads like advice to defeat a safety device"
        return out

    def _embed(self, texts: list[str]):
        """The MiniLM vectors of ``texts`` (folded sentences), through the cache when there is one."""
        cache = VectorCache(size=0) if self.vectors is None else self.vectors
        return cache.vectors(texts, self.embedder.embed_batch)

    def advises_defeat(self, sentence: str) -> bool:
        """True when ``sentence`` tells someone to defeat a protective device."""
        return self.reasons([sentence])[0] is not None

    def unsafe_all(self, sentences: Sequence[str], quoted: str = "", sourced: str = "") -> list[bool]:
        """:meth:`unsafe` for many sentences at once. A sentence found word for
        word in ``sourced`` (the retrieved manual text, see :func:`source_text`)
        faces the rules only, not the classifier: a manual's own procedure step
        ("Pull one pull-wire emergency stop along the conveyor to latch it.") is
        never dropped on a statistical guess, while planted text that advises
        defeat in so many words is still caught by the rules."""
        bare = [_bare(s) for s in sentences]
        check = [i for i, b in enumerate(bare) if b and b not in quoted]
        trusted = [_quoted_sentence(bare[i], sourced) for i in check]
        flags = [False] * len(sentences)
        # judged with its own spacing: "l i g h t  c u r t a i n" folds to two words, not one
        judged = [_MARKS.sub("", sentences[i]).strip() for i in check]
        for i, why in zip(check, self.reasons(judged, trusted)):
            flags[i] = why is not None
        return flags

    def unsafe(self, sentence: str, quoted: str = "") -> bool:
        """True when ``sentence`` (citation markers allowed) advises defeating a
        protective device and is not found word for word in ``quoted``."""
        return self.unsafe_all([sentence], quoted)[0]

    def withhold(self, text: str, warnings: Iterable[str] = (),
                 sources: Iterable[str] = ()) -> tuple[str, int]:
        """(``text`` without its unsafe sentences, how many were removed);
        ``warnings`` are the manual's warning texts among the sources, ``sources``
        all the source texts (their verbatim sentences face the rules only)."""
        quoted, sourced = quoted_text(warnings), source_text(sources)
        lines = [_SENTENCE.split(line) for line in text.split("\n")]
        flags = iter(self.unsafe_all([s for parts in lines for s in parts], quoted, sourced))
        out, removed = [], 0
        for line, parts in zip(text.split("\n"), lines):
            kept = [s for s in parts if not next(flags)]
            removed += len(parts) - len(kept)
            if kept or not line.strip():
                out.append(" ".join(kept).strip() if len(kept) < len(parts) else line)
        return "\n".join(out).strip(), removed

    def stream(self, pieces: Iterable[str], warnings: Iterable[str] = (),
               tally: list[int] | None = None, sources: Iterable[str] = ()) -> Iterator[str]:
        """``pieces`` of streamed text passed on once each sentence is complete
        and checked, as the pieces they came in; unsafe sentences are left out
        (their number appended to ``tally``), so no such sentence is ever
        shown, not even provisionally. If the source fails midway, the
        checked part of the unfinished sentence is passed on, then the error."""
        quoted, sourced, pending = quoted_text(warnings), source_text(sources), []

        def release(upto: int | None) -> Iterator[str]:
            """Pass on the pending text up to offset ``upto`` (all when None)."""
            text = "".join(pending)
            cut = len(text) if upto is None else upto
            parts = _BOUNDARY.split(text[:cut])
            sents, seps = parts[0::2], parts[1::2] + [""]
            flags = self.unsafe_all(sents, quoted, sourced)
            rest = text[cut:]
            if any(flags):
                if tally is not None:
                    tally.append(sum(flags))
                kept = "".join(before + s for s, before, bad in zip(sents, ["", *seps[:-1]], flags) if not bad)
                out = [kept] if kept.strip() else []
            else:
                out, used = [], 0
                for piece in pending:
                    take = piece[: max(0, cut - used)]
                    used += len(piece)
                    if take:
                        out.append(take)
            pending[:] = [rest] if rest else []
            yield from out

        try:
            for piece in pieces:
                pending.append(piece)
                ends = list(_BOUNDARY.finditer("".join(pending)))
                if ends:
                    yield from release(ends[-1].start())
        except Exception:
            yield from release(None)
            raise
        if pending:
            yield from release(None)


RULES_ONLY = DefeatFilter()
RULES = DefeatFilter(model=DefeatModel.load(LEXICAL_PATH))
"""The default check where no embedder is at hand: rules and the lexical classifier."""


def defeat_filter_for(embedder, semantic: bool = False) -> DefeatFilter:
    """The rules and the lexical classifier (:data:`RULES`); with ``semantic`` and the MiniLM
    ``embedder`` (loaded for retrieval), the classifier trained with MiniLM vectors instead
    (``settings.defeat_semantic``, off by default since safety6; docs/notes/safety5.md, safety6.md)."""
    if semantic and getattr(embedder, "name", "") == "all-MiniLM-L6-v2":
        return DefeatFilter(model=DefeatModel.load(MODEL_PATH), embedder=embedder)
    return RULES


def advises_defeat(sentence: str) -> bool:
    """True when ``sentence`` tells someone to defeat a protective device (rules only)."""
    return RULES.advises_defeat(sentence)


def unsafe(sentence: str, quoted: str = "", check: DefeatFilter = RULES) -> bool:
    """:meth:`DefeatFilter.unsafe` with ``check`` (rules only by default)."""
    return check.unsafe(sentence, quoted)


def withhold(text: str, warnings: Iterable[str] = (), check: DefeatFilter = RULES) -> tuple[str, int]:
    """:meth:`DefeatFilter.withhold` with ``check`` (rules only by default)."""
    return check.withhold(text, warnings)
