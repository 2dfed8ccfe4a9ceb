"""Signal tags and fault codes as an engineer reads them.

A monitor reports signal tags (``bearing_de_rms``) as the controller's data
export names them. People read "drive-end bearing vibration (bearing_de_rms,
mm/s)": the words come from the tag's parts (``de`` drive-end, ``rms``
vibration, ``temp`` temperature ...), the unit from the manual's "Monitored
signals" table (its ``Signal: ... | Unit: ...`` rows in the knowledge base),
else from the tag's suffix. The tag stays in the label: it is what the HMI
and the historian show.

Codes are written the way the manuals write them (``E-104``), not in the
normalised key form the index uses (``E104``): :func:`code_spellings` reads
the spelling from the fault-table rows and definitions.

>>> signal_label("bearing_de_rms", {"bearing_de_rms": "mm/s"})
'drive-end bearing vibration (bearing_de_rms, mm/s)'
>>> signal_label("oil_temp_c")
'oil temperature (oil_temp_c, °C)'
>>> signal_label("belt_speed_mps")
'belt speed (belt_speed_mps, m/s)'
>>> spell("E104", {"E104": "E-104"}), spell("F0023", {})
('E-104', 'F0023')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# tag part -> (words, unit it implies or "")
_PARTS: dict[str, tuple[str, str]] = {
    "de": ("drive-end", ""), "nde": ("non-drive-end", ""), "rms": ("vibration", "mm/s"),
    "vib": ("vibration", ""), "vibration": ("vibration", ""), "temp": ("temperature", ""),
    "c": ("", "°C"), "degc": ("", "°C"), "bar": ("pressure", "bar"), "psi": ("pressure", "psi"),
    "a": ("current", "A"), "amps": ("current", "A"), "mps": ("speed", "m/s"), "rpm": ("speed", "rpm"),
    "pct": ("", "%"), "kw": ("power", "kW"), "hz": ("frequency", "Hz"), "v": ("voltage", "V"),
    "pos": ("position", ""), "lvl": ("level", ""), "dp": ("differential pressure", ""),
}
_UNIT_ROW = re.compile(r"Signal:\s*([a-z0-9_]+)\s*\|\s*Unit:\s*([^|]+)", re.I)


def signal_label(tag: str, units: Mapping[str, str] | None = None) -> str:
    """``drive-end bearing vibration (bearing_de_rms, mm/s)``."""
    words, unit = [], ""
    for part in tag.lower().split("_"):
        w, u = _PARTS.get(part, (part, ""))
        if w and w not in words:
            words.append(w)
        unit = unit or u
    unit = (units or {}).get(tag, unit)
    name = " ".join(_order(words))
    return f"{name} ({tag}, {unit})" if unit else f"{name} ({tag})"


def _order(words: list[str]) -> list[str]:
    """Measured quantity last: ``bearing drive-end vibration`` -> ``drive-end bearing vibration``."""
    qualifiers = [w for w in words if w in ("drive-end", "non-drive-end")]
    rest = [w for w in words if w not in qualifiers]
    return qualifiers + rest


def units_from_rows(texts: Iterable[str]) -> dict[str, str]:
    """{tag: unit} from "Monitored signals" table rows (``Signal: x | Unit: y``)."""
    out: dict[str, str] = {}
    for text in texts:
        for tag, unit in _UNIT_ROW.findall(text):
            out.setdefault(tag, unit.strip().split("(")[0].strip() or unit.strip())
    return out


def code_spellings(rows: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """{normalised code: the spelling the manual uses} from (text, codes) of
    fault-table rows and definitions: the row's own code cell ("Code: E-104")
    wins, else the spelling written most often.

    >>> code_spellings([("Code: ALARM:9 | Remedy: see alarm 9 and ALARM 9", ["ALARM9"])])
    {'ALARM9': 'ALARM:9'}
    """
    from collections import Counter

    from knowledge_base.codes import normalize_code

    cells: dict[str, str] = {}
    seen: dict[str, Counter] = {}
    token = re.compile(r"[A-Za-z]{1,8}[ :#\-]?\d{1,5}")
    for text, codes in rows:
        wanted = set(codes)
        for cell in text.split(" | "):
            key, sep, val = cell.partition(": ")
            if sep and key.strip().lower() in ("code", "fault code", "alarm", "error", "message") \
                    and normalize_code(val.strip()) in wanted:
                cells.setdefault(normalize_code(val.strip()), val.strip())
        for m in token.finditer(text):
            if (k := normalize_code(m.group(0))) in wanted:
                seen.setdefault(k, Counter())[m.group(0)] += 1
    return {**{k: c.most_common(1)[0][0] for k, c in seen.items()}, **cells}


def spell(code: str, spellings: Mapping[str, str]) -> str:
    """``code`` as the manuals write it, else as given."""
    from knowledge_base.codes import normalize_code

    return spellings.get(normalize_code(code), code) if code else code


def canonical_code(code: str, spellings: Mapping[str, str]) -> str:
    """The code a work order is filed under, written as statistics write it: the
    manuals' spelling, else the normalised key ("" for no code).

    >>> canonical_code("E108", {"E108": "E-108"}), canonical_code("ERR 34", {}), canonical_code("", {})
    ('E-108', 'ERR34', '')
    """
    from knowledge_base.codes import normalize_code

    return spellings.get(key, key) if code and (key := normalize_code(code)) else ""


_FILED = re.compile(r"(?:^|; )fault code (.+?)(?=; |\.?$)")


def filed_under(wo_text: str, spellings: Mapping[str, str]) -> str:
    """For a work order's text (``WorkOrder.as_text``, quoted verbatim): the code it is
    filed under in :func:`canonical_code` form when the log writes that code otherwise,
    else "" (the quote already names it so, or names no code).

    >>> filed_under("Work order WO-7; fault code E108; symptom: leak.", {"E108": "E-108"})
    'E-108'
    >>> filed_under("Work order WO-8; fault code E-108.", {"E108": "E-108"}), filed_under("Work order WO-9.", {})
    ('', '')
    """
    m = _FILED.search(" ".join(wo_text.split()))
    if m is None:
        return ""
    code = canonical_code(m.group(1), spellings)
    return "" if code == m.group(1) else code


def spellings_of_index(index) -> dict[str, str]:
    """{normalised code: the manuals' spelling} for every code the knowledge base
    knows, from its fault-table rows and definitions (:func:`code_spellings`)."""
    from knowledge_base.types import DEFINING_KINDS

    rows = [r for r in index.code_matches(sorted(index.known_codes()), 100_000) if r[3] in DEFINING_KINDS]
    return code_spellings((c.text, c.fault_codes) for c in index.chunks([r[0] for r in rows]).values())


def units_of_index(index) -> dict[str, str]:
    """{tag: unit} from the knowledge base's "Monitored signals" table rows."""
    ids = [cid for cid, _ in index.keyword("Signal Unit Normal range Warning", 60)]
    return units_from_rows(c.text for c in index.chunks(ids).values())
