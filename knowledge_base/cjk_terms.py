"""Chinese (CJK) text made searchable for the keyword lanes: character bigrams.

FTS5's ``unicode61`` tokenizer (and tantivy's default) keeps a run of Chinese
characters as one token, so "更换驱动端轴承" matches only that exact run. At
index time and at query time each CJK run is rewritten as its overlapping
character bigrams (a one-character run stays as it is); Latin text is left
untouched, so English documents index exactly as before. The choice of bigrams
over FTS5's trigram tokenizer and over whole runs was measured on Debian's
Chinese man pages (benchmarks/cjk_tokenizer.py; figures in docs/notes/cjk.md).

>>> segment("更换驱动端轴承 E-104 bearing")
'更换 换驱 驱动 动端 端轴 轴承 E-104 bearing'
>>> segment("泵P-3")
'泵 P-3'
>>> segment("no Chinese here")
'no Chinese here'
"""

from __future__ import annotations

import re

_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+")


def has_cjk(text: str) -> bool:
    return _RUN.search(text) is not None


def bigrams(run: str) -> list[str]:
    """Overlapping character pairs of one CJK run ([run] when it is one character)."""
    return [run] if len(run) < 2 else [run[i:i + 2] for i in range(len(run) - 1)]


def segment(text: str) -> str:
    """``text`` with every CJK run replaced by its bigrams, space separated."""
    if not has_cjk(text):
        return text
    return _RUN.sub(lambda m: f" {' '.join(bigrams(m.group(0)))} ", text).strip().replace("  ", " ")
