"""Questions asked in another language than the manuals (Chinese first).

The manuals are English and the embedder (MiniLM) is English-only, so a
Chinese question is translated into English by the configured LLM (the local
Qwen model reads Chinese) and retrieval runs on both texts: the code lane and
BM25 on the question plus its translation, the dense lane on the translation
(:class:`CrossQuery`). The translation must keep the question's codes, asset
tags and numbers (put back by :func:`.verbatim.keep_verbatim` when the model
glued or dropped them) and ask what the question asks (:func:`.verbatim.faithful`);
one that changes what is asked is used only as an extra search text, and the
answer works from the question itself. Without a model the question is searched by what it
carries in Latin script - fault codes, asset ids, model names, English words
(:func:`latin_residue`), the English terms of the Chinese maintenance
glossary (:mod:`.glossary`) and, for the search, the general dictionary's
senses of the words the glossary lacks (:mod:`.dictionary`; they join the
abstention evidence only when they carry the question's topic, :func:`.glossary.off_topic`);
a notice says the model was needed for the rest. Abstention is judged on the same evidence with
and without a model (:func:`evidence_text`); a model reply that answers instead
of translating is not used (:func:`.verbatim.answered_instead`).

The answer keeps the manuals' English text verbatim (steps, warnings, codes)
and gets a short summary in the question's language, marked as a machine
translation (:func:`with_summary`); citations are unchanged.

>>> language("泵P-3现在有什么问题？"), language("What is E-104?"), language("P-3 E-104")
('zh', 'en', 'en')
>>> latin_residue("泵P-3出现E-104报警，bearing很烫")
'P-3 E-104 bearing'
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from knowledge_base.errors import ModelError

from .glossary import acronyms, expand, off_topic
from .verbatim import LATIN, answered_instead, faithful, keep_verbatim
from assistant.llm.base import LLM, Message

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
NAMES = {"zh": "Simplified Chinese", "ja": "Japanese", "ko": "Korean"}
MT_LABEL = {"zh": "机器翻译摘要（machine translation）", "ja": "機械翻訳の要約（machine translation）",
            "ko": "기계 번역 요약 (machine translation)"}
NO_MODEL = ("The question is not in English and no language model was available to translate it: it was "
            "searched only by its fault codes, asset ids, English words and the English terms of the maintenance "
            "glossary; the language model is needed for the rest.")
UNFAITHFUL = ("The model's translation did not keep what the question asks, so it was used only as an extra "
              "search text and the answer works from the question itself: \"{}\"")
ANSWERED = ("The model answered the question instead of translating it (\"{}\"), so the question was searched "
            "as without a model: by its codes, asset ids, English words and the glossary's English terms.")
_TRANSLATE = ("You are a translator. Translate the user's message from Chinese into English, word for word in "
              "meaning; do not answer it and do not add anything. Keep fault codes, asset ids, model names and "
              "numbers exactly as written. Reply with the English translation only.")
_SUMMARY = ("Summarise the maintenance answer below in at most two short sentences in {lang}. Keep fault "
            "codes, asset ids, numbers and procedure numbers as written. Reply with the summary only.")


def language(text: str) -> str:
    """``zh``, ``ja``, ``ko`` or ``en`` (anything else in Latin script).

    A question counts as CJK when CJK characters are at least a fifth of its
    letters: "P-3 报 E-104" is Chinese, an English question quoting one
    Chinese word is not.
    """
    han, kana, hangul = len(_HAN.findall(text)), len(_KANA.findall(text)), len(_HANGUL.findall(text))
    latin = len(re.findall(r"[A-Za-z]", text))
    cjk = han + kana + hangul
    if cjk == 0 or cjk < 0.2 * (cjk + latin / 3):  # ~3 Latin letters per CJK character of meaning
        return "en"
    if kana:
        return "ja"
    return "ko" if hangul > han else "zh"


def evidence_text(latin: str, terms: list[str], shop: dict | None = None) -> str:
    """What the abstention rule judges a non-English question by: its Latin-script
    part, then the English terms, separated by "; ".

    The terms are words, not codes: separated, two of them never read as "a word
    beside a family word" ("e-stop alarm" made ESTOP an unknown code), and a shop
    acronym the glossary knows (LOTO, PPE) is written in lower case, so that it
    is judged as a word the manuals may lack, not as a fault code they never define.

    >>> evidence_text("P-2 LOTO", ["pump", "lockout", "tagout"], {"LOTO": ("lockout", "tagout")})
    'P-2 loto; pump; lockout; tagout'
    """
    for acr in shop or {}:
        latin = re.sub(rf"(?<![A-Za-z0-9]){acr}(?![A-Za-z0-9])", acr.lower(), latin)
    return "; ".join(x for x in (latin, *terms) if x)


def latin_residue(text: str) -> str:
    """The Latin-script parts of a mixed question: codes, ids, English words."""
    return " ".join(m.group(0).strip(" .:/#") for m in LATIN.finditer(text)).strip()


@dataclass(frozen=True)
class CrossQuery:
    """How a non-English question is searched.

    ``search_text`` feeds the code lane and BM25 (question + translation),
    ``dense_text`` the dense lane, ``evidence_text`` the abstention rule.
    ``translation`` is None when no model translated the question or its
    translation was not faithful (then ``extra`` holds it, searched but not
    answered from).
    """

    question: str
    language: str
    translation: str | None
    search_text: str
    dense_text: str
    evidence_text: str
    translate_ms: float = 0.0
    notice: str | None = None
    extra: str | None = None


def translate(question: str, llm: LLM, max_tokens: int = 60) -> str:
    """The English translation of ``question`` by ``llm`` (first line of its reply)."""
    reply = llm.complete([Message("system", _TRANSLATE), Message("user", question)],
                         max_tokens=max_tokens, temperature=0.0)
    line = next((x for x in reply.strip().splitlines() if x.strip()), "")
    return re.sub(r"^(?:english|translation)\s*:\s*", "", line.strip().strip('"“”'), flags=re.I).strip()


def prepare(question: str, llm: LLM | None, glossary: bool = True, general: bool = True) -> CrossQuery | None:
    """None for an English question; otherwise how to search it (translating
    with ``llm`` when there is one and it answers).

    ``glossary``: add the English terms of the Chinese maintenance glossary
    (:mod:`.glossary`; with ``general``, the general dictionary's senses for the
    words it lacks) to the keyword search and the abstention evidence, and
    without a model to the dense search too. With a faithful translation the dense
    lane embeds it, and the abstention evidence is the same as without a model
    (:func:`evidence_text`), so the Chinese question abstains on the same grounds
    with and without a model.
    """
    lang = language(question)
    if lang == "en":
        return None
    zh = glossary and lang == "zh"
    terms = expand(question, general=False) if zh else []
    shop = acronyms(question) if zh else {}
    terms += [t for ts in shop.values() for t in ts if t not in terms]
    more = [t for t in expand(question) if t not in terms] if zh and general else []
    gloss = " ".join(terms + more)
    # a question whose topic the glossary does not know ("技术员 ... 年假") is judged by that topic too
    topic = [t for t in off_topic(question) if t not in terms] if zh and general else []
    residue = evidence_text(latin_residue(question), terms, shop)
    judged = evidence_text(latin_residue(question), terms + topic, shop)
    words = " ".join(x for x in (latin_residue(question), gloss) if x)
    english, ms, notice = None, 0.0, None
    if llm is not None:
        t0 = time.perf_counter()
        try:
            english = translate(question, llm) or None
        except ModelError:
            english = None
        ms = (time.perf_counter() - t0) * 1000
    if english is None or language(english) != "en":
        english, notice = None, NO_MODEL
    elif answered_instead(english):  # no translation at all: searched and judged as without a model
        english, notice = None, ANSWERED.format(english)
    extra = None
    if english:
        english = keep_verbatim(question, english)  # codes, asset tags, numbers reach every lane
        if not faithful(question, english):
            english, extra, notice = None, english, UNFAITHFUL.format(english)
    if english:
        search = "\n".join(x for x in (question, english, gloss) if x)
        # Abstention is judged on the question's codes, ids, English words and glossary terms when it has
        # any: a small model's loose wording ("main axis jump") made 11 more in-scope questions abstain
        # when it was judged too (benchmarks/zh_questions.py, docs/notes/ocr4.md).
        # with a translation, a dictionary sense is judged only where the model agrees with it (two
        # translations of the word): the first sense alone is often another word's (罩门 "achilles' heel")
        said = {w for w in re.findall(r"[a-z]{3,}", english.lower())}
        agreed = [t for t in topic if said & set(re.findall(r"[a-z]{3,}", t))]
        judged = evidence_text(latin_residue(question), terms + agreed, shop)
        return CrossQuery(question, lang, english, search, english, judged if residue else english, ms)
    search = "\n".join(x for x in (question, extra, gloss) if x)
    dense = "\n".join(x for x in (extra, words) if x) or question
    return CrossQuery(question, lang, None, search, dense, judged, ms, notice, extra)


def summarise(answer_text: str, lang: str, llm: LLM, max_tokens: int = 120) -> str:
    """A short summary of ``answer_text`` in ``lang`` by ``llm`` ('' if it gives none)."""
    prompt = _SUMMARY.format(lang=NAMES.get(lang, lang))
    reply = llm.complete([Message("system", prompt), Message("user", answer_text[:2500])],
                         max_tokens=max_tokens, temperature=0.0)
    return " ".join(reply.split()).strip()


def with_summary(answer_text: str, lang: str, summary: str) -> str:
    """The answer with the marked machine-translated summary above the manuals' text.

    >>> print(with_summary("E-104: check alignment [1].", "zh", "检查对中。"))
    【机器翻译摘要（machine translation）】检查对中。
    <BLANKLINE>
    E-104: check alignment [1].
    """
    if not summary:
        return answer_text
    return f"【{MT_LABEL.get(lang, 'machine translation')}】{summary}\n\n{answer_text}"


def localise(events, xq: CrossQuery, llm: LLM | None):
    """Pass the answer's events through; the final answer gets the question
    back, the summary in the question's language (when a model is there and
    the answer is not an abstention), and notices saying what was done."""
    from dataclasses import replace

    from .types import Done

    for event in events:
        if not isinstance(event, Done):
            yield event
            continue
        answer = event.answer
        notices = list(answer.notices)
        timings = dict(answer.timings) | {"translate_ms": round(xq.translate_ms, 1)}
        text = answer.answer
        if xq.translation:
            notices.append(f"Question machine-translated for the search: \"{xq.translation}\"")
        if xq.translation or xq.extra:
            if llm is not None and not answer.abstained:
                t0 = time.perf_counter()
                try:
                    summary = summarise(text, xq.language, llm)
                    if language(summary) == xq.language:
                        text = with_summary(text, xq.language, summary)
                    else:  # a small model may copy the English: not labelled as a translation
                        notices.append("No summary in the question's language: the model did not write one.")
                except ModelError as exc:
                    notices.append(f"No summary in the question's language: the model failed ({exc}).")
                timings["summary_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        if xq.notice:
            notices.append(xq.notice)
        yield Done(replace(answer, question=xq.question, answer=text, timings=timings,
                           notices=tuple(dict.fromkeys(notices))))
