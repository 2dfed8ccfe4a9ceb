"""Generate the synthetic sensor streams in this folder, deterministically.

Run ``python knowledge_base/samples/streams/make_streams.py`` to rewrite the
CSVs and ``labels.json`` (NAB window format: file name -> [[start, end], ...]).

Each asset runs 14 days at a 2-minute interval. Normal operation has a daily
load cycle (day shift 06:00-22:00, lighter nights, quiet weekends), random
load steps, ambient temperature swing and sensor noise -- so a detector that
flags every load change loses. Injected, labelled faults:

- pump P-3, E-104 bearing wear: bearing_de_rms drifts up over ~2 days with a
  bearing temperature rise;
- pump P-1, E-107 cavitation: suction pressure sags and discharge pressure,
  vibration and current turn noisy, two episodes;
- compressor AC-1, ALARM:9 overheating: discharge and oil temperature climb
  while current rises slightly;
- conveyor CV-2, F0023 belt slip: belt speed falls behind the drive pulley,
  current drops and the motor warms, two episodes.

Fault-free runs (no label window; an alert on them is a false alarm):

- pump P-2, normal operation with a **planned stop**: the pump is shut down
  for 8 hours on day 5 (flow, current and vibration fall to rest, the
  pressures equalise at the static head, the bearing cools) and restarted;
- compressor AC-2, normal operation with a **set-point change**: on day 6
  the discharge pressure set-point is raised from 7.2 to 7.9 bar and stays
  there (current and discharge temperature settle higher with it). The file
  carries the set-point as a historian would record it, the tag
  ``discharge_pressure_bar_sp`` (7.2, then 7.9 from the change): an input
  naming the change, never scored as a sensor. The tag was added later
  (session nab9); it draws no random number, so the four sensor columns are
  byte-identical to the file generated before it.

These two were generated before any detector setting was looked at on them.
"""

from __future__ import annotations

import csv
import json
import math
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
START = datetime(2024, 3, 4, tzinfo=timezone.utc)  # a Monday
STEP_S, DAYS = 120, 14
N = DAYS * 86400 // STEP_S


def hours(t: int) -> float:
    return t * STEP_S / 3600.0


def load_profile(rng: random.Random) -> list[float]:
    """Daily shift pattern with quieter weekends and random load steps."""
    out, step, level = [], 0.0, 0.45
    for t in range(N):
        h = hours(t)
        day, hod = int(h // 24), h % 24
        base = 0.8 if 6 <= hod < 22 else 0.45
        if day % 7 >= 5:
            base *= 0.7
        if t % 90 == 0:  # a new operating point every 3 hours
            step = rng.uniform(-0.12, 0.12)
        level += 0.05 * (base + step - level)
        out.append(max(0.02, level + rng.gauss(0, 0.02)))
    return out


def settle(temp: float | None, target: float, rate: float) -> float:
    """First-order thermal lag towards ``target``; the first sample starts at
    it (the machine was already running, so no start-up transient)."""
    return target if temp is None else temp + rate * (target - temp)


def ramp(h: float, start_h: float, rise_h: float, end_h: float) -> float:
    """0 before start, linear to 1 over rise_h, 1 until end, then 0."""
    if h < start_h or h >= end_h:
        return 0.0
    return min(1.0, (h - start_h) / rise_h)


def pump_p3(rng):
    load = load_profile(rng)
    fault = (9.2 * 24, 48.0, 11.4 * 24)
    rows, temp = [], None
    for t, ld in enumerate(load):
        h = hours(t)
        f = ramp(h, *fault)
        amb = 22 + 4 * math.sin(2 * math.pi * (h - 9) / 24)
        temp = settle(temp, amb + 20 + 12 * ld + 9 * f, 0.02)
        rows.append({
            "bearing_de_rms": 1.6 + 0.7 * ld + 1.6 * f + rng.gauss(0, 0.12),
            "suction_pressure_bar": 1.6 - 0.3 * ld + rng.gauss(0, 0.04),
            "discharge_pressure_bar": 5.5 + 3.0 * ld + rng.gauss(0, 0.08),
            "motor_current_a": 38 + 26 * ld + 1.5 * f + rng.gauss(0, 0.7),
            "bearing_temp_c": temp + rng.gauss(0, 0.3),
        })
    return rows, [fault]


def pump_p1(rng):
    load = load_profile(rng)
    faults = [(4.4 * 24, 0.5, 4.4 * 24 + 6), (10.6 * 24, 0.5, 10.6 * 24 + 8)]
    rows = []
    for t, ld in enumerate(load):
        f = max(ramp(hours(t), *fl) for fl in faults)
        noisy = 1 + 3.5 * f
        rows.append({
            "bearing_de_rms": 1.4 + 0.6 * ld + 0.8 * f + rng.gauss(0, 0.1 * noisy),
            "suction_pressure_bar": 1.4 - 0.3 * ld - 0.35 * f + rng.gauss(0, 0.04),
            "discharge_pressure_bar": 5.0 + 3.2 * ld - 0.4 * f + rng.gauss(0, 0.08 * noisy),
            "motor_current_a": 30 + 22 * ld + rng.gauss(0, 0.6 * noisy),
            "bearing_temp_c": 48 + 10 * ld + rng.gauss(0, 0.3),
        })
    return rows, faults


def compressor_ac1(rng):
    load = load_profile(rng)
    fault = (8.5 * 24, 14.0, 8.5 * 24 + 20)
    rows, dis, oil = [], None, None
    for t, ld in enumerate(load):
        h = hours(t)
        f = ramp(h, *fault)
        amb = 20 + 5 * math.sin(2 * math.pi * (h - 9) / 24)
        dis = settle(dis, amb + 55 + 25 * ld + 22 * f, 0.03)
        oil = settle(oil, amb + 35 + 12 * ld + 10 * f, 0.02)
        rows.append({
            "discharge_temp_c": dis + rng.gauss(0, 0.6),
            "discharge_pressure_bar": 7.2 + 0.6 * ld + rng.gauss(0, 0.05),
            "motor_current_a": 60 + 45 * ld + 4 * f + rng.gauss(0, 1.0),
            "oil_temp_c": oil + rng.gauss(0, 0.4),
        })
    return rows, [fault]


def conveyor_cv2(rng):
    load = load_profile(rng)
    faults = [(3.7 * 24, 0.3, 3.7 * 24 + 4), (9.9 * 24, 0.3, 9.9 * 24 + 5)]
    rows, mtemp = [], None
    for t, ld in enumerate(load):
        h = hours(t)
        f = max(ramp(h, *fl) for fl in faults)
        pulley = (2.5 if ld > 0.1 else 0.0) + rng.gauss(0, 0.01)
        slip = f * (0.05 + 0.04 * abs(math.sin(t / 7)))
        mtemp = settle(mtemp, 30 + 25 * ld + 6 * f, 0.02)
        rows.append({
            "belt_speed_mps": pulley * (1 - 0.003 - slip) + rng.gauss(0, 0.01),
            "drive_pulley_speed_mps": pulley,
            "motor_current_a": 12 + 18 * ld * (1 - 2.5 * slip) + rng.gauss(0, 0.4),
            "motor_temp_c": mtemp + rng.gauss(0, 0.3),
        })
    return rows, faults


def pump_p2_stop(rng):
    """Fault-free pump with a planned 8-hour stop on day 5 (08:00-16:00)."""
    load = load_profile(rng)
    stop = (4 * 24 + 8.0, 4 * 24 + 16.0)
    rows, temp, run = [], None, 1.0
    for t, ld in enumerate(load):
        h = hours(t)
        target = 0.0 if stop[0] <= h < stop[1] else 1.0
        run += 0.3 * (target - run)  # spin-down / start-up over a few samples
        amb = 21 + 4 * math.sin(2 * math.pi * (h - 9) / 24)
        temp = settle(temp, amb + run * (20 + 12 * ld), 0.02)
        rows.append({
            "bearing_de_rms": 0.1 + run * (1.5 + 0.7 * ld) + rng.gauss(0, 0.02 + 0.1 * run),
            "suction_pressure_bar": 1.9 - run * (0.3 + 0.3 * ld) + rng.gauss(0, 0.04),
            "discharge_pressure_bar": 2.0 + run * (3.4 + 3.0 * ld) + rng.gauss(0, 0.08),
            "motor_current_a": run * (36 + 26 * ld) + rng.gauss(0, 0.2 + 0.5 * run),
            "bearing_temp_c": temp + rng.gauss(0, 0.3),
        })
    return rows, []


def compressor_ac2_setpoint(rng):
    """Fault-free compressor whose pressure set-point is raised on day 6 at 10:00."""
    load = load_profile(rng)
    change_h = 5 * 24 + 10.0
    rows, dis, oil, sp = [], None, None, 7.2
    for t, ld in enumerate(load):
        h = hours(t)
        sp += 0.1 * ((7.9 if h >= change_h else 7.2) - sp)  # the controller ramps in a few samples
        lift = (sp - 7.2) / 0.7  # 0 before, 1 after
        amb = 19 + 5 * math.sin(2 * math.pi * (h - 9) / 24)
        dis = settle(dis, amb + 55 + 25 * ld + 5 * lift, 0.03)
        oil = settle(oil, amb + 35 + 12 * ld + 2 * lift, 0.02)
        rows.append({
            "discharge_temp_c": dis + rng.gauss(0, 0.6),
            "discharge_pressure_bar": sp + 0.6 * ld + rng.gauss(0, 0.05),
            "motor_current_a": (60 + 45 * ld) * (1 + 0.08 * lift) + rng.gauss(0, 1.0),
            "oil_temp_c": oil + rng.gauss(0, 0.4),
            # the historian's set-point tag (an input, never scored: monitors/changes.py);
            # no random draw, so the sensor columns are what they were before it was added
            "discharge_pressure_bar_sp": 7.9 if h >= change_h else 7.2,
        })
    return rows, []


ASSETS = {  # file -> (asset id, fault code, generator)
    "pump_P-3.csv": ("P-3", "E-104", pump_p3),
    "pump_P-1.csv": ("P-1", "E-107", pump_p1),
    "compressor_AC-1.csv": ("AC-1", "ALARM:9", compressor_ac1),
    "conveyor_CV-2.csv": ("CV-2", "F0023", conveyor_cv2),
    # fault-free runs (appended: the faulty assets keep their seeds and data)
    "pump_P-2_normal.csv": ("P-2", None, pump_p2_stop),
    "compressor_AC-2_normal.csv": ("AC-2", None, compressor_ac2_setpoint),
}


def stamp(h: float) -> str:
    t = START + timedelta(seconds=round(h * 3600 / STEP_S) * STEP_S)
    return t.strftime("%Y-%m-%d %H:%M:%S")


def main() -> None:
    labels, codes = {}, {}
    for seed, (fname, (asset, code, gen)) in enumerate(ASSETS.items()):
        rows, faults = gen(random.Random(1000 + seed))
        with open(HERE / fname, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["timestamp", "asset", *rows[0]])
            for t, row in enumerate(rows):
                w.writerow([stamp(hours(t)), asset, *(f"{v:.4f}" for v in row.values())])
        labels[fname] = [[stamp(a) + ".000000", stamp(b) + ".000000"] for a, _, b in faults]
        if code is not None:
            codes[fname] = {"asset": asset, "fault_code": code}
    (HERE / "labels.json").write_text(json.dumps(labels, indent=1) + "\n")
    (HERE / "faults.json").write_text(json.dumps(codes, indent=1) + "\n")


if __name__ == "__main__":
    main()
