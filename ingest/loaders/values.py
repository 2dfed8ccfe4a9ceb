"""Reading one export cell as a date, a time of day, a duration or a work type.

Date order is decided per column, not per cell (:func:`day_first`): a US
export's ``4/6/16 14:00`` is April 6th, an SAP export's ``06.04.2016`` is
June... no, the 6th of April, and a column holding ``13/04/2016`` is day
first throughout.

>>> parse_timestamp("4/6/16 14:00"), parse_timestamp("06.04.2016"), parse_timestamp("20160406")
('2016-04-06T14:00:00', '2016-04-06', '2016-04-06')
>>> parse_downtime("3:00"), parse_downtime("1.5 h"), parse_downtime("90", minutes=True)
(3.0, 1.5, 1.5)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

# The unit's spaces sit inside its optional group: "\s*(unit)?\s*" took quadratic time on "1      x".
_DURATION = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)(?:\s*(h|hr|hrs|hours?|m|min|mins|minutes?))?\s*$",
                       re.IGNORECASE)
_HHMM = re.compile(r"^\s*(\d{1,4}):(\d{2})(?::(\d{2}))?\s*$")
_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?\s*$")
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})\b")
_DATE_LIKE = re.compile(r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}|^\s*\d{8}(?:\s|$)|\d{1,2}[\s\-][A-Za-z]{3,9}[\s\-,]+\d{2,4}"
                        r"|[A-Za-z]{3,9}\.? \d{1,2},? \d{4}")


def parse_downtime(value: object, minutes: bool = False) -> float | None:
    """Hours as a float, or None when the value does not read as a duration.

    >>> parse_downtime("2,5"), parse_downtime("1.5 h"), parse_downtime("90 min"), parse_downtime("1:30")
    (2.5, 1.5, 1.5, 1.5)
    >>> parse_downtime("45", minutes=True), parse_downtime("n/a"), parse_downtime("1:30", minutes=True)
    (0.75, None, 1.5)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) / 60 if minutes else float(value)
    if isinstance(value, dt.time):
        return value.hour + value.minute / 60 + value.second / 3600
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 3600
    text = str(value or "").strip()
    if m := _HHMM.match(text):  # h:mm is hours and minutes whatever the column's unit
        return int(m.group(1)) + int(m.group(2)) / 60 + int(m.group(3) or 0) / 3600
    m = _DURATION.match(text)
    if not m:
        return None
    number = float(m.group(1).replace(",", "."))
    unit = (m.group(2) or ("min" if minutes else "h")).lower()
    return number / 60 if unit.startswith("m") else number


def is_date(value: object) -> bool:
    """Does the cell look like a calendar date (not a bare number or a time of day)?"""
    if isinstance(value, (dt.date, dt.datetime)):
        return True
    return bool(_DATE_LIKE.search(str(value or "")))


def time_of_day(value: object) -> dt.time | None:
    """``14:00`` / ``2:05 PM`` / ``14:00:30`` / a spreadsheet time -> a time; else None.

    >>> time_of_day("2:05 PM"), time_of_day("140000"), time_of_day("soon")
    (datetime.time(14, 5), datetime.time(14, 0), None)
    """
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.time):
        return value
    text = str(value or "").strip()
    if re.fullmatch(r"\d{6}", text):  # SAP TIMS: HHMMSS
        text = f"{text[:2]}:{text[2:4]}:{text[4:]}"
    m = _TIME.match(text)
    if not m:
        return None
    hour, minute, second = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    if m.group(4):
        hour = hour % 12 + (12 if m.group(4).lower() == "p" else 0)
    try:
        return dt.time(hour, minute, second)
    except ValueError:
        return None


def day_first(values: Iterable[object]) -> bool | None:
    """The date order of a column of numeric dates: True (d/m), False (m/d), None (year first or unknown).

    A day over 12 in either place decides; else dots mean d.m.Y (SAP, Europe)
    and slashes m/d/y (US exports).

    >>> day_first(["4/6/16 14:00", "12/30/16"]), day_first(["13/04/2016"]), day_first(["06.04.2016"])
    (False, True, True)
    """
    dots = slashes = 0
    for v in values:
        m = _NUMERIC_DATE.match(str(v or ""))
        if not m or len(m.group(1)) == 4:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        if a > 12 >= b:
            return True
        if b > 12 >= a:
            return False
        dots += "." in m.group(0)
        slashes += "/" in m.group(0)
    if dots or slashes:
        return dots > slashes
    return None


def parse_timestamp(value: object, dayfirst: bool | None = None) -> str | None:
    """ISO 8601 when the value reads as a date, else the value as written.

    >>> parse_timestamp("2025-01-03 13:09"), parse_timestamp("03.01.2025"), parse_timestamp("last week")
    ('2025-01-03T13:09:00', '2025-01-03', 'last week')
    """
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value or "").strip()
    if not text:
        return None
    parsed = to_datetime(text, dayfirst)
    if parsed is None:
        return text
    has_time = bool(re.search(r"\d:\d", text))
    return parsed.isoformat() if has_time else parsed.date().isoformat()


def to_datetime(value: object, dayfirst: bool | None = None) -> dt.datetime | None:
    """A datetime when the value is a date (see :func:`is_date`), else None."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    text = str(value or "").strip()
    if not text or (not is_date(text) and not _iso_like(text)):
        return None
    if dayfirst is None:
        dayfirst = "." in text and not re.match(r"\s*\d{4}", text)
    if (fast := _fast(text, dayfirst)) is not None:
        return fast
    from dateutil import parser

    try:
        return parser.parse(text, dayfirst=dayfirst)
    except (ValueError, OverflowError):
        return None


_US = ("%m/%d/%y %I:%M %p", "%m/%d/%y %H:%M", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S",
       "%m/%d/%y", "%m/%d/%Y")
_EU = ("%d.%m.%Y", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d/%m/%y %H:%M",
       "%d/%m/%y")


def _fast(text: str, dayfirst: bool) -> dt.datetime | None:
    """The common export formats without dateutil's general parser (about 20 times slower)."""
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    for fmt in _EU if dayfirst else _US:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _iso_like(text: str) -> bool:
    return bool(re.match(r"\s*\d{4}-\d{2}-\d{2}", text))


_PREVENTIVE = {"pm", "pms", "prev", "preventive", "preventative", "planned", "scheduled", "sched", "routine",
               "inspection", "insp", "cal", "calibration", "pdm", "predictive", "cbm", "lubrication", "lube",
               "pm02", "pm03", "m3"}
_CORRECTIVE = {"cm", "corrective", "corr", "breakdown", "emergency", "em", "em1", "repair", "reactive",
               "unplanned", "failure", "fault", "malfunction", "defect", "pm01", "m2", "bd", "urgent", "fix"}
_TRUE = {"true", "yes", "y", "1", "x", "t", "ja", "j", "-1"}
_FALSE = {"false", "no", "n", "0", "f", "nein", ""}


def is_flag_column(values: Iterable[object]) -> bool:
    """Every value a yes/no flag (``True``, ``Y``, ``1``, ``X``, blank ...)."""
    seen = [str(v).strip().lower() for v in values]
    return bool(seen) and all(v in _TRUE or v in _FALSE for v in seen)


def work_type(header: str, value: object, flag: bool) -> str | None:
    """``preventive``, ``corrective`` or None (unknown) for one cell of a work-type column.

    A flag column says yes/no to what its header names (``preventive``,
    ``breakdown``); a type column holds a code or words (Maximo ``PM``/``CM``,
    SAP order type ``PM02``, "Preventive maintenance").

    >>> work_type("preventive", "True", True), work_type("worktype", "CM", False)
    ('preventive', 'corrective')
    >>> work_type("Order Type", "PM02", False)
    'preventive'

    """
    text = str(value if value is not None else "").strip().lower()
    if flag:
        words = set(re.findall(r"[a-z]+", header.lower()))
        yes = text in _TRUE
        if words & {"preventive", "preventative", "pm", "planned", "scheduled"}:
            return "preventive" if yes else "corrective"
        if words & {"corrective", "breakdown", "failure", "unplanned", "emergency"}:
            return "corrective" if yes else None
        return None
    words = re.findall(r"[a-z]+\d*|\d+", text)
    if any(w in _PREVENTIVE for w in words):
        return "preventive"
    if any(w in _CORRECTIVE for w in words):
        return "corrective"
    return None
