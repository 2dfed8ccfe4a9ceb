"""A Chinese maintenance glossary: Chinese shop words -> English search terms.

Without a language model a Chinese question is searched only by what it
carries in Latin script (codes, asset ids, English words). The glossary
(``data/zh_glossary.tsv``, general maintenance vocabulary written for this
project, a few hundred entries) adds English keywords for the Chinese words it
knows, for BM25 and the dense lane beside the codes and ids. With a model the
glossary terms are added to the translation (a small model mistranslates shop
words: 联轴器 is a coupling, not an "axiser").

Matching is greedy longest-first over each run of Han characters, so 机械密封
gives "mechanical seal" and not "seal" twice. A word the glossary lacks gets
the general dictionary's first short sense (:mod:`.dictionary`, CC-CEDICT;
出现 "appear"); shop acronyms written in Latin letters (LOTO, PPE) have
entries of their own (:func:`acronyms`).

>>> expand("泵P-3轴承发烫，振动大")
['pump', 'bearing', 'hot', 'overheating', 'high vibration']
>>> keywords("泵P-3出现E-104报警"), keywords("泵P-3出现E-104报警", general=False)
('pump appear alarm fault', 'pump alarm fault')
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

GLOSSARY = Path(__file__).resolve().parent / "data" / "zh_glossary.tsv"
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@lru_cache(maxsize=4)
def load(path: Path = GLOSSARY) -> dict[str, tuple[str, ...]]:
    """Chinese term -> English terms; ``#`` lines are comments."""
    table: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        zh, _, en = line.partition("\t")
        terms = tuple(t.strip() for t in en.split(";") if t.strip())
        if not zh.strip() or not terms:
            raise ValueError(f"{path.name} line {number}: expected 'Chinese<TAB>english; english'")
        table[zh.strip()] = terms
    return table


def expand(text: str, table: dict[str, tuple[str, ...]] | None = None, general: bool = True) -> list[str]:
    """English terms for the Chinese words in ``text``, in order, without repeats.

    Glossary words first (longest match); with ``general``, a word the glossary
    lacks gets the first short sense of the general dictionary (:mod:`.dictionary`,
    function words left out), so everyday words ("technician", "annual leave") are
    not silently dropped.
    """
    out: list[str] = []
    for _, terms, _ in words(text, table, general):
        out.extend(t for t in terms if t not in out)
    return out


def words(text: str, table: dict[str, tuple[str, ...]] | None = None,
          general: bool = True) -> list[tuple[str, tuple[str, ...], bool]]:
    """The Chinese words of ``text`` that have English terms, in order: (word,
    terms, from the maintenance glossary?). Glossary words are matched longest
    first; with ``general``, a stretch the glossary lacks is split into the
    general dictionary's longest words (function words split off, no terms).
    """
    from .dictionary import FUNCTION_WORDS
    from .dictionary import load as general_table

    table = load() if table is None else table
    extra = general_table() if general else {}
    longest = max(map(len, table), default=0)
    out: list[tuple[str, tuple[str, ...], bool]] = []
    for run in _HAN_RUN.findall(text):
        i = 0
        while i < len(run):
            for n in range(min(longest, len(run) - i), 0, -1):
                terms = table.get(run[i:i + n])
                if terms:
                    out.append((run[i:i + n], terms, True))
                    i += n
                    break
            else:
                for n in range(min(6, len(run) - i), 0, -1):
                    word = run[i:i + n]
                    if word in FUNCTION_WORDS and n > 1:
                        break
                    if word not in FUNCTION_WORDS and word in extra:
                        out.append((word, (extra[word],), False))
                        break
                i += n if extra else 1
    return out


def off_topic(text: str) -> list[str]:
    """The dictionary senses of the words that carry a Chinese question's topic
    when the maintenance glossary does not: [] when the question has Latin-script
    codes, ids or words (they carry it), or when glossary words make up at least
    half of its content characters (function words left out); otherwise the
    first senses of its words of two or more characters that the glossary lacks
    (one character's first sense is too often another word's: 关 "mountain pass").

    >>> off_topic("维修技术员一年有几天年假？")
    ['technician', 'several days', 'annual leave']
    >>> off_topic("泵轴承刚打完黄油就发烫"), off_topic("P-3的技术员一年有几天年假？")
    ([], [])
    """
    from .verbatim import LATIN

    if LATIN.search(text):
        return []
    found = words(text)
    known = sum(len(w) for w, _, g in found if g)
    other = [(w, ts[0]) for w, ts, g in found if not g]
    if known * 2 >= known + sum(len(w) for w, _ in other):
        return []
    return list(dict.fromkeys(s for w, s in other if len(w) > 1))


def acronyms(text: str, table: dict[str, tuple[str, ...]] | None = None) -> dict[str, tuple[str, ...]]:
    """The glossary's shop acronyms written in ``text`` (whole upper-case Latin tokens) with their words.

    >>> acronyms("泵P-2检修前LOTO怎么做，PPE呢？")
    {'LOTO': ('lockout', 'tagout'), 'PPE': ('personal protective equipment',)}
    """
    table = load() if table is None else table
    found = re.findall(r"(?<![A-Za-z0-9])[A-Z]{2,6}(?![A-Za-z0-9])", text)
    return {a: table[a] for a in dict.fromkeys(found) if a in table}


def keywords(text: str, general: bool = True) -> str:
    """The expansion as one line of search text ('' when no word is known)."""
    return " ".join(expand(text, general=general))
