"""Generates the sample CMMS work-order export and the asset register.

The fault log is synthetic but consistent with the manuals: every failure
code comes from its model's fault table, and the problem / cause / remedy
texts are varied around that table's wording (plus hand-written phrasing for
the frequent anchor faults). A fixed seed makes the output reproducible.
A few scripted records carry specific history the gold questions ask about.
"""

from __future__ import annotations

import csv
import math
import random
import re
from datetime import date, datetime, timedelta
from pathlib import Path

from . import mdsource

SEED = 20250101
START, END = date(2025, 1, 2), date(2026, 3, 27)
HEADER = ("WO", "Asset", "Equipment Model", "Reported", "Failure Code", "Problem", "Cause",
          "Remedy", "Downtime_h", "Technician")
REGISTER_HEADER = ("asset_id", "equipment_model", "description", "location")

ASSETS = (
    ("P-1", "CP-80S", "AquaMax CP-80S cooling water pump, duty", "Utility building, pump house bay 1"),
    ("P-2", "CP-80S", "AquaMax CP-80S cooling water pump, standby", "Utility building, pump house bay 2"),
    ("P-3", "CP-80S", "AquaMax CP-80S process water booster pump", "Production hall B, basement"),
    ("AC-1", "RS-37E", "Vortair RS-37E screw compressor, base load", "Compressor room, north wall"),
    ("AC-2", "RS-37E", "Vortair RS-37E screw compressor, trim load", "Compressor room, south wall"),
    ("CV-1", "BD-500T", "TransLine BD-500T drive station, raw material conveyor", "Stockyard, transfer tower 1"),
    ("CV-2", "BD-500T", "TransLine BD-500T drive station, mill feed conveyor", "Mill building, level 2"),
    ("CNC-1", "HS-24K", "Vertical machining centre with Spintec HS-24K spindle", "Machine shop, cell 1"),
    ("CNC-2", "HS-24K", "Vertical machining centre with Spintec HS-24K spindle", "Machine shop, cell 2"),
)
SOURCES = {"CP-80S": "cp80s_pump.md", "RS-37E": "rs37e_compressor.md",
           "BD-500T": "bd500t_conveyor.md", "HS-24K": "hs24k_spindle.md"}
RECORDS_PER_ASSET = {"P-1": 38, "P-2": 32, "P-3": 46, "AC-1": 36, "AC-2": 42,
                     "CV-1": 40, "CV-2": 38, "CNC-1": 36, "CNC-2": 30}
PM_SHARE = 0.18
# Extra weight for faults that recur on a particular asset (default weight 1).
RECURRING = {("P-3", "E-104"): 4, ("P-3", "E-105"): 3, ("P-1", "E-107"): 4, ("P-2", "E-108"): 2,
             ("AC-2", "ALARM:9"): 6, ("AC-2", "ALARM:8"): 4, ("AC-1", "ALARM:11"): 2, ("AC-1", "ALARM:13"): 2,
             ("CV-1", "F0023"): 5, ("CV-1", "F0012"): 3, ("CV-2", "ERR 34"): 6, ("CV-2", "F0017"): 2,
             ("CNC-1", "SP107"): 4, ("CNC-1", "SP108"): 2, ("CNC-2", "SP105"): 3, ("CNC-2", "SP103"): 3}
SEASONAL = {"ALARM:9": (6, 7, 8), "ALARM:8": (6, 7, 8), "ALARM:15": (12, 1, 2), "E-107": (7, 8),
            "F0023": (11, 12, 1, 2), "ERR 33": (6, 7, 8)}
# Less likely events.
RARE = {"E-116", "ALARM:1", "ALARM:4", "ALARM:16", "F0019", "F0024", "ERR 35", "SP114", "SP101"}

TECHS = {"CP-80S": ("M. Keller", "S. Adeyemi", "L. Brandt"), "RS-37E": ("S. Adeyemi", "L. Brandt", "P. Horvat"),
         "BD-500T": ("R. Costa", "T. Nyberg", "P. Horvat"), "HS-24K": ("K. Ito", "J. Marsh", "T. Nyberg")}

PROBLEMS = {
    "E-104": ("DE bearing vibration {v} mm/s, pump tripped", "Rumbling noise from bearing frame, E-104 on PC-3",
              "Operator reports pump rattles, high vibration alarm at drive end",
              "bearing_de_rms trending up for two weeks, tripped at {v} mm/s"),
    "E-107": ("Crackling noise in casing, suction pressure {s} bar",
              "Cavitation alarm, discharge pressure fluctuating", "Pump sounds like gravel, E-107 during high demand"),
    "ALARM:9": ("Compressor shut down on high discharge temperature, {t} °C",
                "Airend discharge temp trip, compressor room very hot", "ALARM:9 shutdown at full load, {t} °C on display"),
    "ALARM:8": ("High discharge temperature warning {w} °C", "Discharge temp creeping up under load, warning only"),
    "F0023": ("Belt slip trip, belt {b} m/s vs pulley 2.50 m/s", "Conveyor stopped on slip alarm, wet material",
              "F0023 at start with loaded belt, squealing at drive pulley"),
    "ERR 34": ("VFD tripped on overcurrent during start", "Drive overcurrent trip under full load, motor current spike",
               "ERR 34 on drive keypad, F0020 on panel"),
    "SP107": ("Spindle bearing temp {c} °C, spindle stopped", "SP107 after Monday start, warm-up not run",
              "Spindle front bearing running hot, {c} °C at 18000 rpm"),
}
GENERIC_PROBLEMS = ("{d}", "{d}, alarm on panel", "Operator called: {d}", "{d}; reset did not hold",
                    "{d} at shift start", "{d} during production")
CAUSE_FORMS = ("{C}", "Found {c}", "{C} (confirmed on inspection)", "Probable cause: {c}", "{C}")
CLOSING = ("Tested OK.", "Returned to service.", "Monitoring for recurrence.", "Ran 30 min, readings normal.", "")
PAST = {"Adjust": "Adjusted", "Check": "Checked", "Clean": "Cleaned", "Close": "Closed", "Find": "Found",
        "Follow": "Followed", "Increase": "Increased", "Inspect": "Inspected", "Lengthen": "Lengthened",
        "Lock": "Locked", "Measure": "Measured", "Open": "Opened", "Read": "Read", "Reconnect": "Reconnected",
        "Reduce": "Reduced", "Refill": "Refilled", "Remove": "Removed", "Replace": "Replaced",
        "Restore": "Restored", "Set": "Set", "Swap": "Swapped", "Tighten": "Tightened", "Vent": "Vented",
        "Walk": "Walked", "Wait": "Waited", "Add": "Added", "Allow": "Allowed", "Avoid": "Avoided", "Balance": "Balanced",
        "Bleed": "Bled", "Change": "Changed", "Clear": "Cleared", "Confirm": "Confirmed", "Dry": "Dried",
        "Exchange": "Exchanged", "Free": "Freed", "Improve": "Improved", "Let": "Let", "Listen": "Listened",
        "Plan": "Planned", "Re-lag": "Re-lagged", "Reset": "Reset", "Run": "Ran", "Shorten": "Shortened",
        "Throttle": "Throttled", "Top": "Topped", "Trend": "Trended", "Unlock": "Unlocked", "Heat": "Heated"}
ABBREV = (("drive-end", "DE"), ("bearing", "brg"), ("temperature", "temp"), ("Replaced", "Repl."))
CODE_VARIANTS = {"E-": lambda c: c.replace("-", ""), "ALARM:": lambda c: c.replace(":", " "),
                 "ERR ": lambda c: c.replace(" ", "")}

# Hand-written records the gold history questions refer to.
SCRIPTED = (
    ("P-3", "2025-03-11 07:40", "E-104", "DE bearing vibration 8.2 mm/s, pump tripped, grinding noise",
     "Drive-end bearing worn, outer race spalled", "Replaced drive-end bearing 6309 C3 per 5.3, aligned coupling per 5.2. "
     "Vibration 2.1 mm/s after repair.", 9.5, "M. Keller"),
    ("P-3", "2025-07-22 14:05", "E-104", "Vibration alarm again, 7.4 mm/s at drive end",
     "Shaft misalignment, parallel offset 0.21 mm at coupling", "Realigned motor to pump per 5.2, offset now 0.03 mm. "
     "Bearing noise normal.", 3.0, "L. Brandt"),
    ("P-3", "2025-11-18 09:15", "E-104", "E-104 again, vibration 9.0 mm/s, bearing frame hot",
     "Soft foot under motor, baseplate grout cracked; DE bearing damaged again",
     "Replaced DE bearing per 5.3, regrouted baseplate, corrected soft foot, aligned per 5.2. Root cause: soft foot.",
     14.0, "M. Keller"),
    ("P-1", "2025-08-19 16:30", "E-107", "Crackling noise and suction pressure 0.25 bar, pump tripped",
     "Suction strainer clogged with plastic debris from tank", "Cleaned suction strainer per 5.4, "
     "suction pressure back to 1.1 bar. Tank inspection requested.", 2.5, "S. Adeyemi"),
    ("P-2", "2025-05-06 10:20", "E-108", "Seal leak detector wet, visible drip at seal",
     "Mechanical seal faces cracked after dry run on standby changeover",
     "Replaced mechanical seal cartridge per 5.5, re-primed per 5.7.", 6.0, "L. Brandt"),
    ("AC-2", "2025-07-15 13:10", "ALARM:9", "Compressor shut down, discharge temperature 112 °C",
     "Oil cooler fins blocked with dust and pollen", "Cleaned oil and air cooler per 5.2. "
     "Discharge temp stable at 91 °C after 30 min.", 4.0, "P. Horvat"),
    ("AC-2", "2025-08-04 11:45", "ALARM:9", "Repeat high discharge temperature shutdown, 111 °C",
     "Thermostatic valve element stuck in bypass", "Replaced thermostatic valve element per 5.4, "
     "cooler outlet now 20 °C below inlet.", 5.0, "S. Adeyemi"),
    ("AC-1", "2025-09-23 08:30", "ALARM:11", "Separator differential pressure high warning",
     "Separator element clogged at 3900 h", "Replaced separator element per 5.9, changed oil and oil filter per 6.2.",
     3.5, "L. Brandt"),
    ("CV-1", "2025-10-06 06:50", "F0023", "Belt slip trips on three consecutive shifts",
     "Drive pulley lagging polished, 3 mm rubber left", "Re-lagged drive pulley per 5.2 with diamond lagging. "
     "Speeds agree within 1 %.", 16.0, "R. Costa"),
    ("CV-1", "2026-01-13 05:40", "F0023", "Slip alarm at start in frost",
     "Ice on drive pulley and take-up carriage frozen in guides", "Cleared ice, freed take-up carriage per 5.6, "
     "fitted heating tape on take-up guides.", 3.0, "T. Nyberg"),
    ("CV-2", "2026-02-10 22:15", "ERR 34", "VFD overcurrent trip, conveyor would not restart",
     "Gearbox output bearing seized", "Replaced gearbox with overhauled spare, checked motor insulation per 5.5.",
     20.0, "P. Horvat"),
    ("CNC-1", "2025-12-03 07:05", "SP107", "Spindle bearing temperature 68 °C, vibration 3.1 mm/s",
     "Front spindle bearings damaged, oil-air line kinked behind headstock cover",
     "Exchanged spindle per 5.8, replaced kinked oil-air line, old spindle sent for rebuild.", 11.0, "K. Ito"),
    ("CNC-2", "2026-01-27 15:20", "SP113", "Encoder signal fault, spindle stopped during cut",
     "Encoder cable chafed in cable chain", "Replaced encoder cable per 5.7, shield clamped both ends.", 2.0,
     "J. Marsh"),
)


def load_tables(src_dir: Path) -> dict[str, tuple[list, list]]:
    """Per model: (fault rows, maintenance schedule rows) from the sources."""
    out = {}
    for model, name in SOURCES.items():
        _, els = mdsource.load(src_dir / name)
        out[model] = (mdsource.fault_rows(els), mdsource.tables_with_header(els, "Interval"))
    return out


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _short(desc: str) -> str:
    return re.sub(r"\s*\(.*?\)", "", desc).strip()


def _past(remedy: str) -> str:
    """An imperative remedy from the manual as a technician's past-tense note."""
    remedy = re.sub(r"\s+if [^(]*?(?=\s*\(|$)", "", remedy.strip())
    word, _, rest = remedy.partition(" ")
    word = _cap(word)
    rest = re.sub(r"\b(and|then) ([a-z-]+)\b",
                  lambda m: f"{m.group(1)} {PAST.get(_cap(m.group(2)), _cap(m.group(2))).lower()}"
                  if _cap(m.group(2)) in PAST else m.group(0), rest)
    return f"{PAST.get(word, word)} {rest}".strip()


def _problem(rng: random.Random, code: str, desc: str) -> str:
    values = {"v": f"{rng.uniform(7.2, 9.8):.1f}", "s": f"{rng.uniform(0.1, 0.3):.2f}",
              "t": str(rng.randint(110, 114)), "w": str(rng.randint(105, 109)),
              "b": f"{rng.uniform(2.0, 2.35):.2f}", "c": str(rng.randint(66, 72))}
    if code in PROBLEMS and rng.random() < 0.7:
        return rng.choice(PROBLEMS[code]).format(**values)
    form = rng.choice(GENERIC_PROBLEMS)
    d = _short(desc)
    lower = form.startswith("{d}") or d[1:2].isupper()
    return _cap(form.format(d=d if lower else d[:1].lower() + d[1:]))


def _cause(rng: random.Random, causes: str) -> str:
    c = rng.choice([x.strip() for x in causes.split(";") if x.strip()])
    return rng.choice(CAUSE_FORMS).format(c=c, C=_cap(c))


def _remedy(rng: random.Random, remedies: str) -> str:
    parts = [x.strip() for x in remedies.split(";") if x.strip()]
    picked = rng.sample(parts, k=min(len(parts), rng.choice((1, 1, 2))))
    text = ". ".join(_past(p) for p in picked) + "."
    return f"{text} {rng.choice(CLOSING)}".strip()


def _downtime(rng: random.Random, remedy: str) -> float:
    heavy = re.search(r"Replaced|Exchanged|Re-lagged|overhaul|bearing", remedy)
    base = 6.0 if heavy else 1.2
    return max(0.25, round(rng.lognormvariate(math.log(base), 0.45) * 4) / 4)


def _timestamp(rng: random.Random) -> datetime:
    day = START + timedelta(days=rng.randrange((END - START).days + 1))
    hour = rng.choice((rng.randint(6, 21), rng.randint(6, 21), rng.randint(0, 23)))
    return datetime(day.year, day.month, day.day, hour, rng.randrange(0, 60))


def _pick_code(rng: random.Random, asset: str, rows: list, month: int) -> tuple:
    weights = []
    for row in rows:
        w = RECURRING.get((asset, row[0]), 1.0)
        w *= 3.0 if month in SEASONAL.get(row[0], ()) else (0.3 if row[0] in SEASONAL else 1.0)
        weights.append(w * (0.3 if row[0] in RARE else 1.0))
    return rng.choices(rows, weights=weights, k=1)[0]


def _fault_record(rng: random.Random, asset: str, model: str, rows: list) -> dict:
    ts = _timestamp(rng)
    code, desc, causes, remedies = _pick_code(rng, asset, rows, ts.month)
    remedy = _remedy(rng, remedies)
    rec = {"Asset": asset, "Equipment Model": model, "ts": ts, "Failure Code": _code_variant(rng, code),
           "Problem": _problem(rng, code, desc), "Cause": _cause(rng, causes), "Remedy": remedy,
           "Downtime_h": _downtime(rng, remedy), "Technician": rng.choice(TECHS[model])}
    return _abbreviate(rng, rec)


def _code_variant(rng: random.Random, code: str) -> str:
    for prefix, fn in CODE_VARIANTS.items():
        if code.startswith(prefix) and rng.random() < 0.15:
            return fn(code)
    return code


def _abbreviate(rng: random.Random, rec: dict) -> dict:
    if rng.random() < 0.2:
        for key in ("Problem", "Cause", "Remedy"):
            for long, short in ABBREV:
                rec[key] = rec[key].replace(long, short)
    return rec


def _pm_record(rng: random.Random, asset: str, model: str, schedule: list) -> dict:
    interval, task, ref = rng.choice([r for r in schedule if r[0] not in ("Daily", "Weekly")])
    checks = task.startswith(("Check", "Inspect", "Measure", "Test", "Clean"))
    kind = rng.choice(("PM", "Inspection")) if checks else "PM"
    outcome = rng.choice((f"Completed per {ref}, no defects found.", f"Completed per {ref}; minor wear noted, monitor.",
                          f"Done per procedure {ref}. Parts from stock.", f"Completed per {ref}, readings within limits."))
    return {"Asset": asset, "Equipment Model": model, "ts": _timestamp(rng).replace(hour=rng.randint(7, 14)),
            "Failure Code": "", "Problem": f"{kind}: {task} ({interval.lower()})",
            "Cause": "Scheduled preventive maintenance" if kind == "PM" else "Routine inspection",
            "Remedy": outcome, "Downtime_h": rng.choice((0.0, 0.5, 1.0, 1.5, 2.0, 3.0)),
            "Technician": rng.choice(TECHS[model])}


def _scripted() -> list[dict]:
    keys = ("Asset", "ts", "Failure Code", "Problem", "Cause", "Remedy", "Downtime_h", "Technician")
    models = {a[0]: a[1] for a in ASSETS}
    out = []
    for row in SCRIPTED:
        rec = dict(zip(keys, row))
        rec["ts"] = datetime.strptime(rec["ts"], "%Y-%m-%d %H:%M")
        rec["Equipment Model"] = models[rec["Asset"]]
        out.append(rec)
    return out


def generate(src_dir: Path, seed: int = SEED) -> list[dict]:
    """All work-order records (CSV column -> value), sorted by date, numbered."""
    rng = random.Random(seed)
    tables = load_tables(src_dir)
    records = _scripted()
    for asset, model, _, _ in ASSETS:
        rows, schedule = tables[model]
        for _ in range(RECORDS_PER_ASSET[asset]):
            pm = rng.random() < PM_SHARE
            records.append(_pm_record(rng, asset, model, schedule) if pm else _fault_record(rng, asset, model, rows))
    records.sort(key=lambda r: (r["ts"], r["Asset"]))
    for i, rec in enumerate(records):
        rec["WO"] = f"WO-{31001 + i}"
        rec["Reported"] = rec.pop("ts").strftime("%Y-%m-%d %H:%M")
        rec["Downtime_h"] = f"{rec['Downtime_h']:g}"
    return records


def write(records: list[dict], path: Path) -> None:
    """Write the work-order export CSV."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)


def write_register(path: Path) -> None:
    """Write the asset register CSV for the nine sample assets."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(REGISTER_HEADER)
        writer.writerows(ASSETS)
