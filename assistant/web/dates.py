"""Dates as people type them in the UI's "Since" box.

Accepted: an ISO date (``2024-03-01``), ``today``, ``yesterday``,
``last week`` / ``last month`` / ``last year`` (7 / 30 / 365 days back),
``this week`` / ``this month`` / ``this year`` (from its first day), and
``last N days|weeks|months`` / ``N days ago``. Anything else is a
:class:`ValueError` whose message says what to type, never a parser's
internals ("Invalid isoformat string").

>>> from datetime import date
>>> d = date(2024, 3, 14)
>>> [str(parse_since(s, d)) for s in ("2024-03-01", "last week", "this year", "last 30 days", "2 weeks ago")]
['2024-03-01', '2024-03-07', '2024-01-01', '2024-02-13', '2024-02-29']
>>> parse_since("", d) is None
True
>>> parse_since("sometime", d)
Traceback (most recent call last):
...
ValueError: "sometime" is not a date: type one like 2024-03-01, or words like "last week", "last 30 days", "this year".
"""

from __future__ import annotations

import re
from datetime import date, timedelta

HINT = 'type one like 2024-03-01, or words like "last week", "last 30 days", "this year".'
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_AGO = re.compile(r"^(?:last|past)\s+(\d{1,4})\s+(day|week|month|year)s?$|^(\d{1,4})\s+(day|week|month|year)s?\s+ago$")


def parse_since(text: str, today: date | None = None) -> date | None:
    """The first day ``text`` means, or None for an empty box."""
    t = " ".join((text or "").lower().split())
    if not t:
        return None
    today = today or date.today()
    try:
        return date.fromisoformat(t)
    except ValueError:
        pass
    words = {"today": today, "yesterday": today - timedelta(days=1),
             "this week": today - timedelta(days=today.weekday()), "this month": today.replace(day=1),
             "this year": today.replace(month=1, day=1)}
    if t in words:
        return words[t]
    if m := re.match(r"^(?:last|past) (day|week|month|year)$", t):
        return today - timedelta(days=_UNIT_DAYS[m.group(1)])
    if m := _AGO.match(t):
        n, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return today - timedelta(days=int(n) * _UNIT_DAYS[unit])
    raise ValueError(f'"{text.strip()}" is not a date: {HINT}')
