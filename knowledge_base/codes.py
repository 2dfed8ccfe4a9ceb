"""Fault-code detection and normalisation.

A code is written many ways (``E-104``, ``E104``, ``e 104``); every form maps
to one key, the prefix letters upper-cased and joined to the digits
(``E104``, ``ALARM9``, ``ERR34``, ``F0023``, ``XX101``). Leading zeros are
kept: a manual may list F23 and F0023 as different codes.

In documents only upper-case, tightly written forms count, so prose such as
"at 3000 rpm" is not a code. Questions are typed loosely, so
:meth:`CodeMatcher.find` with ``lenient=True`` also accepts lower case and a
space between prefix and number; callers narrow that to codes the knowledge
base knows.

>>> m = CodeMatcher()
>>> m.find("Pump shows E-104 and ALARM:9, see F0023 / ERR 34 / XX101 (IP65)")
('E104', 'ALARM9', 'F0023', 'ERR34', 'XX101')
>>> m.find("e 104 again at 3000 rpm", lenient=True)
('E104', 'AT3000')
>>> normalize_code("alarm: 9")
'ALARM9'
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable

from .errors import ConfigError
from .settings import DEFAULT_CODE_IGNORE, DEFAULT_CODE_PATTERNS

_SEP = re.compile(r"[\s:#\-]+")


def normalize_code(code: str) -> str:
    """The canonical key of a code: upper case, separators removed."""
    return _SEP.sub("", code).upper()


class CodeMatcher:
    """Finds fault codes with a configurable set of regular expressions.

    Each pattern must have the named groups ``prefix`` and ``num``.
    """

    def __init__(self, patterns: Iterable[str] = DEFAULT_CODE_PATTERNS,
                 ignore: str = DEFAULT_CODE_IGNORE) -> None:
        self.patterns = tuple(patterns)
        try:
            self._strict = [re.compile(p, re.ASCII) for p in self.patterns]
            self._lenient = [re.compile(p.replace("-?", r"[\s\-]?"), re.IGNORECASE | re.ASCII) for p in self.patterns]
            self._ignore = re.compile(ignore) if ignore else None
        except re.error as exc:
            raise ConfigError(f"bad fault-code pattern: {exc}") from exc
        for rx in self._strict:
            if not {"prefix", "num"} <= set(rx.groupindex):
                raise ConfigError(f"fault-code pattern {rx.pattern!r} needs groups 'prefix' and 'num'")

    def find(self, text: str, lenient: bool = False) -> tuple[str, ...]:
        """Normalised codes in ``text``, in order of first appearance, no repeats."""
        found: dict[int, str] = {}
        claimed: list[tuple[int, int]] = []  # spans of earlier patterns: sorted, disjoint
        for rx in self._lenient if lenient else self._strict:
            mine = []
            for m in rx.finditer(text):
                start, end = m.span()
                if _overlaps(claimed, start, end):
                    continue  # an earlier, more specific pattern claimed this span
                code = (m.group("prefix") + m.group("num")).upper()
                if self._ignore and self._ignore.match(code):
                    continue
                mine.append((start, end))
                found[start] = code
            claimed = sorted(claimed + mine)
        seen: dict[str, None] = {}
        for _, code in sorted(found.items()):
            seen.setdefault(code, None)
        return tuple(seen)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of ``spans`` (sorted and disjoint), in O(log n).

    A linear scan made text with many codes take quadratic time.

    >>> _overlaps([(0, 4), (10, 14)], 4, 10), _overlaps([(0, 4), (10, 14)], 3, 5)
    (False, True)
    """
    i = bisect_left(spans, (end,))  # spans[:i] start before ``end``
    return i > 0 and spans[i - 1][1] > start
