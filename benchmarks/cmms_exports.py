"""Seeded work-order exports in the column shapes of three real CMMS / EAM systems.

The column names come from the systems' public documentation, not from
faultdesk's vocabularies (which were written from the same documentation, so
the figures measure the mapper on these shapes, not on unseen ones):

* ``maximo``: IBM Maximo WORKORDER attributes as a list download gives them
  (WONUM, DESCRIPTION, ASSETNUM, LOCATION, SITEID, STATUS, WORKTYPE,
  WOPRIORITY, REPORTDATE, ACTSTART, ACTFINISH, FAILURECODE, PROBLEMCODE,
  CAUSECODE, REMEDYCODE, REPORTEDBY, ACTLABHRS); dates ``3/5/24 2:22 PM``.
* ``sap_pm``: an SAP PM order / notification list (IW39 / IW29) exported to a
  spreadsheet with English column labels, German locale (``;`` separated,
  ``06.04.2016`` dates, ``3,5`` decimals): Order, Notification, Order Type
  (PM01 corrective, PM02 preventive), Equipment, Functional Location,
  Notif.date + Notif. time (QMDAT, MZEIT), Malfunct. start (AUSVN),
  Actual start / finish date, Breakdown duration (AUSZT, hours), Code group,
  Damage code (FECOD) and its text, Cause code (URCOD), Activity code.
* ``chiller``: the shape of a real chiller plant's 4,248-row export
  (``wo_id, wo_description, collection, primary_code,
  primary_code_description, secondary_code, secondary_code_description,
  equipment_id, equipment_name, preventive, work_priority, actual_finish,
  duration, actual_labor_hours``; ``4/6/16 14:00``, durations ``3:00``).

Every row comes with its truth (:class:`Truth`): what a correct mapper must
read from it, or None where the export itself holds nothing for the field
(a preventive order has no damage code; an open order has no finish).

    python benchmarks/cmms_exports.py OUT_DIR [--rows 4248] [--seed 14]
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

FIELDS = ("wo_id", "asset_id", "timestamp", "fault_code", "symptom", "downtime_h")
SYSTEMS = ("maximo", "sap_pm", "chiller")
_START = dt.datetime(2016, 1, 4, 6, 0)

# (failure class, problem code, problem text, cause code, remedy code, what was done)
_FAULTS = [
    ("PUMPS", "LEAK", "Mechanical seal leaking at pump", "SEALWORN", "REPLACE", "Replaced mechanical seal"),
    ("PUMPS", "VIBR", "High vibration on pump bearing", "MISALIGN", "ALIGN", "Realigned coupling"),
    ("PUMPS", "NOISE", "Cavitation noise at suction", "STRAINER", "CLEAN", "Cleaned suction strainer"),
    ("MOTORS", "OVERHEAT", "Motor overheating, thermal trip", "FANBLOCK", "CLEAN", "Cleaned cooling fan cowl"),
    ("MOTORS", "NOSTART", "Motor fails to start", "CONTACTOR", "REPLACE", "Replaced contactor"),
    ("CHILLERS", "HIPRES", "High condenser pressure alarm", "FOULED", "CLEAN", "Cleaned condenser tubes"),
    ("CHILLERS", "LOWREF", "Low refrigerant charge", "LEAKREF", "REPAIR", "Repaired leak, recharged"),
    ("VALVES", "STUCK", "Control valve stuck open", "ACTUATOR", "REPLACE", "Replaced actuator"),
]
_PM = [("PUMPS", "Quarterly pump inspection and lubrication"), ("MOTORS", "Annual motor insulation test"),
       ("CHILLERS", "Chiller annual tube cleaning"), ("VALVES", "Valve stroke test")]


@dataclass(frozen=True)
class Truth:
    """What a correct mapper reads from one row (None: the export holds nothing for it)."""

    wo_id: str
    asset_id: str
    timestamp: str  # ISO, to the minute
    fault_code: str | None
    symptom: str
    downtime_h: float | None
    preventive: bool


def _event(rng: random.Random, i: int) -> dict:
    """One maintenance event, system-neutral."""
    preventive = rng.random() < 0.3
    reported = _START + dt.timedelta(hours=i * 2.1 + rng.random(), minutes=rng.randrange(60))
    reported = reported.replace(second=0, microsecond=0)
    start = reported + dt.timedelta(minutes=rng.randrange(10, 240))
    hours = rng.choice([0.5, 1, 1.5, 2, 2.5, 3, 4, 6, 8, 12])
    finish = start + dt.timedelta(hours=hours)
    open_order = rng.random() < 0.004  # still in progress: no finish, no duration
    fault = rng.choice(_FAULTS)
    pm = rng.choice(_PM)
    return {"i": i, "preventive": preventive, "reported": reported, "start": start,
            "finish": None if open_order else finish, "hours": None if open_order else hours,
            "fault": fault, "pm": pm, "asset": rng.randrange(1, 40), "prio": rng.randrange(1, 5),
            "labor": round(hours * rng.choice([1, 2]), 2), "by": rng.choice(["JSMITH", "MKELLER", "TNYBERG"])}


def _us(t: dt.datetime | None, ampm: bool) -> str:
    if t is None:
        return ""
    clock = t.strftime("%I:%M %p").lstrip("0") if ampm else t.strftime("%H:%M")
    return f"{t.month}/{t.day}/{t:%y} {clock}"


def _maximo(e: dict) -> tuple[dict, Truth]:
    cls, prob, text, cause, remedy, _ = e["fault"]
    pm = e["preventive"]
    asset = f"{11000 + e['asset']}"
    wo = f"{1000 + e['i']}"
    row = {"WONUM": wo, "DESCRIPTION": e["pm"][1] if pm else text, "ASSETNUM": asset,
           "LOCATION": f"BLDG-{e['asset'] % 5 + 1}", "SITEID": "BEDFORD",
           "STATUS": "INPRG" if e["finish"] is None else "COMP", "WORKTYPE": "PM" if pm else "CM",
           "WOPRIORITY": str(e["prio"]), "REPORTDATE": _us(e["reported"], True),
           "ACTSTART": _us(e["start"], True), "ACTFINISH": _us(e["finish"], True),
           "FAILURECODE": e["pm"][0] if pm else cls, "PROBLEMCODE": "" if pm else prob,
           "CAUSECODE": "" if pm else cause, "REMEDYCODE": "" if pm else remedy,
           "REPORTEDBY": e["by"], "ACTLABHRS": f"{e['labor']:.2f}"}
    truth = Truth(wo, asset, e["reported"].isoformat(), e["pm"][0] if pm else prob, row["DESCRIPTION"],
                  e["hours"], pm)
    return row, truth


def _de(t: dt.datetime | None) -> tuple[str, str]:
    return ("", "") if t is None else (t.strftime("%d.%m.%Y"), t.strftime("%H:%M:%S"))


def _sap(e: dict) -> tuple[dict, Truth]:
    cls, prob, text, cause, remedy, _ = e["fault"]
    pm = e["preventive"]
    order, notif = f"4{e['i']:07d}", "" if pm else f"1{e['i']:07d}"
    equipment = f"{10004000 + e['asset']}"
    nd, nt = _de(None if pm else e["reported"])
    sd, st = _de(e["start"])
    fd, ft = _de(e["finish"])
    row = {"Order": order, "Notification": notif, "Order Type": "PM02" if pm else "PM01",
           "Notification type": "" if pm else "M2", "Description": e["pm"][1] if pm else text,
           "Equipment": equipment, "Functional Location": f"1000-HB-{e['asset'] % 5 + 1:02d}",
           "Notif.date": nd, "Notif. time": nt, "Malfunct. start": nd,
           "Actual start date": sd, "Actual start time": st, "Actual finish date": fd, "Actual finish time": ft,
           "Breakdown": "" if pm else "X",
           "Breakdown duration": "" if pm or e["hours"] is None else f"{e['hours']:.1f}".replace(".", ","),
           "Code group": "" if pm else cls, "Damage code": "" if pm else prob,
           "Damage code text": "" if pm else text, "Cause code": "" if pm else cause,
           "Activity code": "" if pm else remedy, "User status": "TECO" if e["finish"] else "REL"}
    when = e["start"] if pm else e["reported"]
    truth = Truth(order, equipment, when.isoformat(), None if pm else prob, row["Description"],
                  e["hours"], pm)
    return row, truth


def _chiller(e: dict) -> tuple[dict, Truth]:
    cls, prob, text, cause, remedy, done = e["fault"]
    pm = e["preventive"]
    code = "PM" if pm else f"{cls[:3]}-{prob}"
    row = {"wo_id": f"{e['i'] + 52000}", "wo_description": e["pm"][1] if pm else f"{text}. {done}",
           "collection": "CHILLER PLANT", "primary_code": code,
           "primary_code_description": "Preventive maintenance" if pm else text,
           "secondary_code": "" if pm else cause, "secondary_code_description": "" if pm else cause.title(),
           "equipment_id": f"CP-{e['asset']:03d}", "equipment_name": f"Chiller plant unit {e['asset']}",
           "preventive": "TRUE" if pm else "FALSE", "work_priority": str(e["prio"]),
           "actual_finish": _us(e["finish"], False),
           "duration": "" if e["hours"] is None else f"{int(e['hours'])}:{int(e['hours'] % 1 * 60):02d}",
           "actual_labor_hours": f"{e['labor']:.2f}"}
    # The export has no reported date: the finish is the only time it carries.
    finish = e["finish"].isoformat() if e["finish"] else None
    truth = Truth(row["wo_id"], row["equipment_id"], finish, code, row["wo_description"], e["hours"], pm)
    return row, truth


SHAPES: dict[str, tuple[Callable[[dict], tuple[dict, Truth]], str]] = {
    "maximo": (_maximo, ","), "sap_pm": (_sap, ";"), "chiller": (_chiller, ",")}


def make_rows(system: str, rows: int, seed: int = 14) -> tuple[list[dict], list[Truth]]:
    """``rows`` export rows of ``system`` and their truths, the same for the same seed."""
    rng = random.Random(f"{system}:{seed}")
    shape = SHAPES[system][0]
    pairs = [shape(_event(rng, i)) for i in range(rows)]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def write_export(system: str, out_dir: Path, rows: int, seed: int = 14) -> tuple[Path, list[Truth]]:
    """Write ``<out_dir>/<system>.csv``; returns its path and the rows' truths."""
    data, truths = make_rows(system, rows, seed)
    path = Path(out_dir) / f"{system}.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(data[0]), delimiter=SHAPES[system][1])
        w.writeheader()
        w.writerows(data)
    return path, truths


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    n = int(sys.argv[sys.argv.index("--rows") + 1]) if "--rows" in sys.argv else 4248
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 14
    out.mkdir(parents=True, exist_ok=True)
    for system in SYSTEMS:
        print(write_export(system, out, n, seed)[0])
