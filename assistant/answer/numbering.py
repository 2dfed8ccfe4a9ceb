"""Citation numbers without gaps: [1], [2], [3] in the order the answer first
cites them, whatever the sources were numbered when they were gathered.
Alert and work-order labels ([A1], [W1]) keep their own series.

>>> from assistant.answer.types import Citation
>>> cites = (Citation("1", "a.pdf", 1, "", "x"), Citation("W1", "log", None, "", "y"), Citation("4", "a.pdf", 2, "", "z"))
>>> text, out = renumber("Do x [1]. Past [W1]. Then z [4].\\n> z [4]", cites)
>>> text, [c.n for c in out]
('Do x [1]. Past [W1]. Then z [2].\\n> z [2]', ['1', 'W1', '2'])
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from .types import Citation

_MARK = re.compile(r"\[(\d+)\]")


def renumber(text: str, citations: Sequence[Citation]) -> tuple[str, tuple[Citation, ...]]:
    """(text with numeric markers renumbered 1.. by first use, citations relabelled)."""
    order: dict[str, str] = {}
    for m in _MARK.finditer(text):
        order.setdefault(m.group(1), str(len(order) + 1))
    for c in citations:  # cited but not marked in the text: after the rest
        if c.n.isdigit():
            order.setdefault(c.n, str(len(order) + 1))
    new_text = _MARK.sub(lambda m: f"[{order.get(m.group(1), m.group(1))}]", text)
    return new_text, tuple(replace(c, n=order[c.n]) if c.n in order else c for c in citations)
