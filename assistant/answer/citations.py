"""Citation markers in generated text, parsed back to the sources.

Markers look like ``[1]``, ``[2, 3]``, ``[1][3]``, ``[A1]`` or ``[W2]``. A
marker whose label is not a source given to the model points nowhere: it is
removed from the text and cited nothing.

>>> clean, used = resolve("Check the strainer [1]. Then the seal [2, 9]. See [x].", {"1", "2"})
>>> clean
'Check the strainer [1]. Then the seal [2]. See [x].'
>>> used
['1', '2']
"""

from __future__ import annotations

import re
from collections.abc import Collection

_MARKER = re.compile(r"\[\s*((?:[AW]?\d{1,3})(?:\s*[,;]\s*[AW]?\d{1,3})*)\s*\]", re.I)


def resolve(text: str, labels: Collection[str]) -> tuple[str, list[str]]:
    """(text with dangling markers dropped, cited labels in order of first use)."""
    used: list[str] = []

    def fix(m: re.Match) -> str:
        keep = [x.strip().upper() for x in re.split(r"[,;]", m.group(1))]
        keep = [x for x in keep if x in labels]
        for x in keep:
            if x not in used:
                used.append(x)
        return "[" + ", ".join(keep) + "]" if keep else ""

    clean = _MARKER.sub(fix, text)
    clean = re.sub(r"[ \t]+([.,;:])", r"\1", clean)
    return re.sub(r"[ \t]{2,}", " ", clean).strip(), used
