"""A Chinese maintenance glossary: Chinese shop words -> English search terms.

Without a language model a Chinese question is searched only by what it
carries in Latin script (codes, asset ids, English words). The glossary
(``data/zh_glossary.tsv``, general maintenance vocabulary written for this
project, a few hundred entries) adds English keywords for the Chinese words it
knows, for BM25 and the dense lane beside the codes and ids. With a model the
glossary terms are added to the translation (a small model mistranslates shop
words: 联轴器 is a coupling, not an "axiser").

Matching is greedy longest-first over each run of Han characters, so 机械密封
gives "mechanical seal" and not "seal" twice.

>>> expand("泵P-3轴承发烫，振动大")
['pump', 'bearing', 'hot', 'overheating', 'high vibration']
>>> keywords("泵P-3出现E-104报警")
'pump alarm fault'
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


def expand(text: str, table: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """English terms for the glossary words in ``text``, in order, without repeats."""
    table = load() if table is None else table
    longest = max(map(len, table), default=0)
    out: list[str] = []
    for run in _HAN_RUN.findall(text):
        i = 0
        while i < len(run):
            for n in range(min(longest, len(run) - i), 0, -1):
                terms = table.get(run[i:i + n])
                if terms:
                    out.extend(t for t in terms if t not in out)
                    i += n
                    break
            else:
                i += 1
    return out


def keywords(text: str) -> str:
    """The expansion as one line of search text ('' when no word is known)."""
    return " ".join(expand(text))
