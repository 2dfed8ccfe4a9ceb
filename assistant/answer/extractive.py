"""The ``extractive`` backend: an answer composed from the evidence itself.

No generative model: the fault-table row of a named code gives its meaning,
likely cause and remedy (the first check first), a procedure's numbered
steps follow, and otherwise the best passage is quoted. Every sentence
carries the label of the source it came from. Used when no LLM is wanted or
the local model cannot load.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from knowledge_base.text import STOPWORDS
from knowledge_base.types import DEFINING_KINDS, DEFINITION, PROCEDURE, TABLE_ROW, TEXT, WARNING, WORK_ORDER

from knowledge_base.vocabulary import split_term, term_codes

from .items import asked_items
from .reading import LEAST, MEANING
from .signals import filed_under
from .types import NOT_FOUND, Source
from .words import word_set

_STEP = re.compile(r"^\s*\d{1,2}[.)]\s")


def row_fields(text: str) -> dict[str, str]:
    """{"Code": "E-104", "Remedy": "..."} from a "Key: value | Key: value" row."""
    out = {}
    for cell in text.split(" | "):
        key, sep, val = cell.partition(": ")
        if sep:
            out[key.strip().lower()] = val.strip()
    return out


def _pick(fields: dict[str, str], *names: str) -> str:
    for n in names:
        for key, val in fields.items():
            if n in key and val:
                return val.rstrip(".")
    return ""


def _code_sentence(src: Source, codes: Sequence[str] = ()) -> str:
    if src.chunk.kind == DEFINITION:  # a definition item is quoted whole: term, then meaning
        text = asked_items(codes, src.chunk.text, src.chunk.section)
        if "\n\n" in text:  # several items (or a lead-in and its item): each its term and meaning
            return " ".join(" ".join(i.split()) for i in text.split("\n\n")) + f" [{src.label}]"
        term, _, body = text.partition("\n")
        return f"{term}: {' '.join(body.split())} [{src.label}]" if body else f"{term} [{src.label}]"
    f = row_fields(src.chunk.text)
    code = _pick(f, "code", "alarm", "fault") or "This code"
    parts = [f"{code}: {_pick(f, 'description', 'meaning') or 'see the fault table'}"]
    if remedy := _pick(f, "remedy", "action", "corrective"):
        parts.append(f"First check: {remedy}")
    if cause := _pick(f, "cause"):
        parts.append(f"Possible cause: {cause}")
    used = " ".join(parts)
    parts += [f"{k.capitalize()}: {v.rstrip('.')}" for k, v in f.items()
              if v and v.rstrip(".") not in used and v != code][:4]  # the row's other columns
    return ". ".join(parts) + f". [{src.label}]"


def procedure_steps(text: str) -> list[str]:
    r"""Every numbered step of a procedure, each with its continuation lines.

    No step is ever dropped (the last ones refit guards, remove locks and
    re-prime); a line that does not start a step belongs to the step above it.

    >>> procedure_steps("Intro.\n1. Lock out.\n2. Refit the guard\n   before removing the locks.\n")
    ['1. Lock out.', '2. Refit the guard before removing the locks.']
    """
    steps: list[str] = []
    for line in (ln.strip() for ln in text.splitlines()):
        if not line:
            continue
        if _STEP.match(line):
            steps.append(line)
        elif steps:
            steps[-1] += " " + line
    return steps


def group_steps(group: Sequence[Source]) -> list[str]:
    """Every step of a procedure's chunks read as one text: a step that runs
    on into the next chunk keeps its continuation (a chunk that starts
    mid-step belongs to the step above, not to nothing)."""
    return procedure_steps("\n".join(s.chunk.text for s in group))


def procedure_sources(sources: Sequence[Source]) -> list[Source]:
    """The first procedure among ``sources`` with its other chunks (the same
    file and section: a procedure that runs over two pages), in order."""
    first = next((s for s in sources if s.chunk.kind == PROCEDURE), None)
    if first is None:
        return []
    key = (first.chunk.source, first.chunk.section)
    return [s for s in sources if s.chunk.kind == PROCEDURE and (s.chunk.source, s.chunk.section) == key]


def _procedure(src: Source | Sequence[Source], sources: Sequence[Source] = ()) -> str:
    """A procedure's title, every step of its chunks, and the steps it refers to."""
    from .references import pointer_line

    group = [src] if isinstance(src, Source) else list(src)
    steps = group_steps(group)
    title = group[0].chunk.section[-1] if group[0].chunk.section else "Procedure"
    body = "\n".join(steps) if steps else " ".join(" ".join(s.chunk.text.split()) for s in group)
    labels = "".join(f"[{s.label}]" for s in group)
    return f"Procedure {title} {labels}:\n{body}{pointer_line(steps, group[0].chunk.source, sources)}"


def procedure_block(text: str, sources: Sequence[Source]) -> str:
    """The first procedure's steps, whole, for a model's answer that does
    not already give them all (a model summarises; an engineer needs every
    step); "" when there is no procedure or the text has every step."""
    group = procedure_sources(sources)
    if not group:
        return ""
    steps = group_steps(group)
    norm = " ".join(text.lower().split())
    if steps and all(" ".join(st.split(" ", 1)[-1].lower().split()) in norm for st in steps):
        return ""
    return _procedure(group, sources)


_WORDS = re.compile(r"[a-z0-9]{3,}")


def passage(src: Source, question: str = "", limit: int = 700) -> str:
    """The passage whole when it is short; else its first sentence and, of the
    rest, those that read the question's observation ("a difference means
    the belt is slipping", :mod:`.reading`), then those sharing the most of
    the question's words (compared by their first five letters, a crude stem;
    words of the question that occur in few sentences of the passage weigh
    more), then the sentence after each of
    those (an answer often follows the sentence naming the problem: "An error
    is returned ...", "Use ..."), then the others while they fit, up to
    ``limit`` characters, in passage order."""
    text = " ".join(src.chunk.text.split())
    if len(text) <= limit:
        return f"{text} [{src.label}]"
    parts = re.split(r"(?<=[.!?])\s+", text)
    stems = [{w[:5] for w in _WORDS.findall(p.lower())} for p in parts]
    asked = {w[:5] for w in _WORDS.findall(question.lower()) if w not in STOPWORDS}
    asked_words = word_set(question)
    df = {a: sum(a in st for st in stems) for a in asked}
    weight = [sum(1.0 / df[a] for a in asked & st) for st in stems]
    keep, size = [0], len(parts[0])
    reads = [bool(MEANING.search(p)) and len(asked_words & word_set(p)) >= LEAST for p in parts]
    best = [i for i in sorted(range(1, len(parts)), key=lambda i: (-reads[i], -weight[i])) if weight[i] > 0]
    after = [i + 1 for i in best if i + 1 < len(parts)]
    # the best sentences, then the one after each, then the others in passage order, while they fit
    for j in [*best, *after, *range(1, len(parts))]:
        if j not in keep and size + len(parts[j]) <= limit:
            keep.append(j)
            size += len(parts[j]) + 1
    return " ".join(parts[i] for i in sorted(keep)) + f" [{src.label}]"


def _shares(src: Source, question: str, least: int = 2) -> bool:
    """Whether the passage holds at least ``least`` of the question's longer words."""
    asked = {w for w in _WORDS.findall(question.lower()) if len(w) > 3 and w not in STOPWORDS}
    return len(asked & set(_WORDS.findall(src.chunk.text.lower()))) >= min(least, len(asked))


def code_rows(codes: Sequence[str], sources: Sequence[Source], limit: int = 2) -> list[Source]:
    """Fault-table rows among ``sources`` that carry one of ``codes``."""
    return [s for s in sources if s.chunk.kind in DEFINING_KINDS and set(codes) & set(s.chunk.fault_codes)][:limit]


def code_lines(codes: Sequence[str], src: Source) -> str:
    r"""The lines of a passage that define one of ``codes`` ("load.on - Turn on
    the load", "NG: self test failed"), each with the lines that continue it,
    or "" when none does (running text learns codes from such lines).

    >>> from knowledge_base.types import Chunk
    >>> c = Chunk("c", "Commands:\nload.off - Turn off the load\n  at once\nload.on - Turn on the load", "m.pdf")
    >>> code_lines(["LOAD.OFF"], Source("1", c, ""))
    'load.off - Turn off the load at once [1]'
    """
    out: list[str] = []
    keep = False
    for line in src.chunk.text.splitlines():
        term = split_term(line)
        if term is not None:
            keep = bool(set(codes) & set(term_codes(term[0])))
            if keep:
                out.append(" ".join(line.split()))
        elif keep and line.strip():
            out[-1] += " " + " ".join(line.split())
    return (" ".join(out) + f" [{src.label}]") if out else ""


def code_facts(codes: Sequence[str], sources: Sequence[Source]) -> str:
    """The meaning / first check / cause line of each named code's row."""
    return "\n".join(_code_sentence(s, codes) for s in code_rows(codes, sources))


_LOGGED = re.compile(r"\bdate (\d{4}-\d\d-\d\d)T(\d\d:\d\d)(?::\d\d(?:\.\d+)?)?(Z|[+-]\d\d:\d\d)?")


def logged_time(text: str) -> str:
    """A work order's ISO time written for people, with its zone: UTC when the
    log gave one of +00:00, the offset when it gave another, else said to be
    the log's own local time (a log without a zone gives none to convert).

    >>> logged_time("WO-1; date 2025-07-15T13:10:00 (July 2025); fault code E-104")
    'WO-1; date 2025-07-15 13:10 (local time of the log) (July 2025); fault code E-104'
    >>> logged_time("date 2025-07-15T13:10:00+00:00"), logged_time("date 2025-07-15T13:10+02:00")
    ('date 2025-07-15 13:10 UTC', 'date 2025-07-15 13:10 UTC+02:00')
    """
    def one(m: re.Match) -> str:
        zone = m.group(3)
        said = (" (local time of the log)" if zone is None else " UTC" if zone in ("Z", "+00:00", "-00:00")
                else f" UTC{zone}")
        return f"date {m.group(1)} {m.group(2)}{said}"
    return _LOGGED.sub(one, text)


def _work_order(src: Source, spellings: Mapping[str, str]) -> str:
    """The work order quoted verbatim, with the code it is filed under named as the
    statistics name it when the log spells it otherwise ("E108" filed under E-108)."""
    filed = f", filed under {code}" if (code := filed_under(src.chunk.text, spellings)) else ""
    return f"Past work order{filed}: {logged_time(' '.join(src.chunk.text.split()))} [{src.label}]"


def compose(question: str, codes: Sequence[str], sources: Sequence[Source],
            spellings: Mapping[str, str] | None = None) -> str:
    """The extractive answer for ``question`` from ``sources`` (best first).

    The best source leads (a warning is quoted whole, a work order given
    whole, a passage whole or by its sentences closest to the question); the
    fault-table rows and definitions of named codes come first of all; the
    first procedure, the runner-up passage (when no code is named) and a
    similar past work order follow when they are among the sources. A work
    order's code is also named as ``spellings`` (the manuals') write it.
    """
    if not sources:
        return NOT_FOUND
    out: list[str] = []
    done: set[str] = set()

    def add(src: Source, text: str) -> None:
        if src.label not in done:
            done.add(src.label)
            out.append(text)

    for s in code_rows(codes, sources):
        add(s, _code_sentence(s, codes))
    if codes and not out:  # no table row or definition item: a defining line of running text
        for s in sources[:3]:
            if set(codes) & set(s.chunk.fault_codes) and (line := code_lines(codes, s)):
                add(s, line)
                break
    top = sources[0]
    if top.chunk.kind == WARNING:
        add(top, f"{' '.join(top.chunk.text.split())} [{top.label}]")
    elif top.chunk.kind == WORK_ORDER:
        add(top, _work_order(top, spellings or {}))
    elif top.chunk.kind not in (PROCEDURE, TABLE_ROW) or not out:
        if top.chunk.kind != PROCEDURE:
            add(top, passage(top, question))
    group = procedure_sources(sources)
    if group:
        for s in group[1:]:
            done.add(s.label)
        add(group[0], _procedure(group, sources))
        done.update(re.findall(r"\[(\d+)\]", out[-1]))  # a passage the steps quote is not quoted again
    proc = group[0] if group else None
    if not codes and len(sources) > 1 and sources[1].chunk.kind in (TEXT, DEFINITION) and proc is not sources[1]:
        add(sources[1], passage(sources[1], question, 400))  # the runner-up passage, shorter
    for s in sources[1:4]:  # the next passages' sentences closest to the question, when they share its words
        if s.chunk.kind in (TEXT, DEFINITION, TABLE_ROW) and s.label not in done and _shares(s, question):
            add(s, passage(s, question, 300))
    wo = next((s for s in sources if s.chunk.kind == WORK_ORDER), None)
    if wo is not None:
        add(wo, _similar(wo, spellings or {}))
    return "\n".join(out)


def _similar(wo: Source, spellings: Mapping[str, str]) -> str:
    text = _work_order(wo, spellings)
    return "Similar " + text[0].lower() + text[1:]


def compose_alert(facts: str, sources: Sequence[Source], spellings: Mapping[str, str] | None = None) -> str:
    """The extractive answer about an alert: the alert facts, the steps of
    the first procedure, and the most similar past work order."""
    out = [facts] if facts else []
    group = procedure_sources(sources)
    if group:
        out.append(_procedure(group, sources))
    wo = next((s for s in sources if s.chunk.kind == WORK_ORDER), None)
    if wo is not None:
        out.append(_similar(wo, spellings or {}))
    return "\n".join(out) or NOT_FOUND
