"""Fresh multivariate equipment runs for judging the alert layer, generated in memory.

Written after issue 13 found the sample traces not blind (their slow faults
shaped the threshold and reference model, and they were edited after the
first benchmark). These runs use a new seed (``SEED``) and fault shapes the
sample traces do not have; **nothing in the monitors was chosen on them**
(the benchmark reports them, it never sweeps a parameter over them).

Each run: one skid of 8 sensors (flow, two pressures, motor current,
vibration, bearing and fluid temperature, speed) at 1 reading/s, about
20 minutes, all driven by a wandering load with sensor noise. A faulty run
is normal for its first part and faulty from ``onset`` to its end (labels
are the fault interval). Fault shapes: a partial valve closure (step in
pressure vs flow), an impeller imbalance (vibration variance up), a
leaking seal (slow pressure drift), a rotor rub (vibration + temperature
creep), a stuck sensor (a frozen reading), an electrical fault (current
oscillation). Fault-free runs include one with a **planned stop**
(the load goes to zero and back) as a false-positive check.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from monitors.types import Reading

SEED = 20261204
SHAPES = ("valve", "imbalance", "seal_leak", "rub", "stuck", "electrical")
# A development set for the alert layer on short runs: another seed and other
# fault shapes, so choices made on it say nothing about the fresh runs above.
DEV_SEED = 7
DEV_SHAPES = ("cavitation", "overheat", "blockage", "sensor_drift")


@dataclass(frozen=True)
class Run:
    """One run: readings, the labelled fault interval (indices) or None."""

    name: str
    readings: list[Reading]
    fault: tuple[int, int] | None
    shape: str | None


def _load(rng: random.Random, n: int, stop: tuple[int, int] | None) -> list[float]:
    out, level, target = [], 0.7, 0.7
    for t in range(n):
        if t % 150 == 0:
            target = rng.uniform(0.55, 0.9)
        level += 0.02 * (target - level)
        ld = level
        if stop and stop[0] <= t < stop[1]:
            ld = 0.05
        elif stop and stop[1] <= t < stop[1] + 120:  # ramping back up
            ld = 0.05 + (level - 0.05) * (t - stop[1]) / 120
        out.append(ld + rng.gauss(0, 0.01))
    return out


def make_run(rng: random.Random, name: str, shape: str | None, n: int = 1200,
             stop: tuple[int, int] | None = None) -> Run:
    """One run of ``n`` readings; ``shape`` None = fault-free."""
    onset = rng.randint(int(0.45 * n), int(0.65 * n)) if shape else None
    load = _load(rng, n, stop)
    btemp = ftemp = None
    frozen = None
    readings = []
    for t, ld in enumerate(load):
        f = 0.0 if onset is None or t < onset else 1.0
        ramp = 0.0 if onset is None or t < onset else min(1.0, (t - onset) / 300)
        flow = 40 * ld + rng.gauss(0, 0.4)
        dp = 2.0 + 5.0 * ld * ld + rng.gauss(0, 0.05)
        sp = 1.5 - 0.3 * ld + rng.gauss(0, 0.03)
        cur = 20 + 35 * ld + rng.gauss(0, 0.5)
        vib = 1.2 + 0.8 * ld + rng.gauss(0, 0.06)
        speed = 1480 * min(1.0, ld / 0.3) + rng.gauss(0, 3)
        btemp = (45 + 15 * ld) if btemp is None else btemp + 0.01 * (45 + 15 * ld - btemp)
        ftemp = (30 + 8 * ld) if ftemp is None else ftemp + 0.005 * (30 + 8 * ld - ftemp)
        if shape == "valve":
            dp += 1.2 * f
            flow -= 4.0 * f
        elif shape == "imbalance":
            vib += f * rng.gauss(0, 0.35) + 0.2 * f
        elif shape == "seal_leak":
            sp -= 0.25 * ramp
            dp -= 0.6 * ramp
        elif shape == "rub":
            vib += 0.5 * ramp
            btemp += 6.0 * ramp
        elif shape == "electrical":
            cur += f * 4.0 * math.sin(t / 3.0)
        elif shape == "cavitation":
            sp -= 0.15 * f
            vib += f * abs(rng.gauss(0, 0.25))
        elif shape == "overheat":
            ftemp += 3.0 * ramp
        elif shape == "blockage":
            flow -= 3.0 * f
            cur -= 1.5 * f
        elif shape == "sensor_drift":
            dp += 0.4 * ramp
        vals = {"flow_m3h": flow, "discharge_bar": dp, "suction_bar": sp, "current_a": cur,
                "vibration_mms": vib, "bearing_temp_c": btemp + rng.gauss(0, 0.2),
                "fluid_temp_c": ftemp + rng.gauss(0, 0.15), "speed_rpm": speed}
        if shape == "stuck" and f:
            frozen = frozen or dict(vals)
            vals["flow_m3h"] = frozen["flow_m3h"]
            vals["current_a"] = frozen["current_a"]
        readings.append(Reading(name, 1_700_000_000.0 + t, vals))
    return Run(name, readings, None if onset is None else (onset, n - 1), shape)


def fresh_runs(per_shape: int = 4, normal: int = 4, seed: int = SEED) -> list[Run]:
    """``per_shape`` faulty runs of every shape, ``normal`` fault-free runs
    and one fault-free run with a planned stop, from ``seed`` (:data:`SEED`)."""
    rng = random.Random(seed)
    runs = [make_run(rng, f"{s}-{k}", s) for s in SHAPES for k in range(per_shape)]
    runs += [make_run(rng, f"normal-{k}", None) for k in range(normal)]
    runs.append(make_run(rng, "planned-stop", None, stop=(700, 820)))
    return runs


def dev_runs(per_shape: int = 4, normal: int = 4) -> list[Run]:
    """The development set (:data:`DEV_SEED`, :data:`DEV_SHAPES`) with a planned stop too."""
    rng = random.Random(DEV_SEED)
    runs = [make_run(rng, f"{s}-{k}", s) for s in DEV_SHAPES for k in range(per_shape)]
    runs += [make_run(rng, f"normal-{k}", None) for k in range(normal)]
    runs.append(make_run(rng, "planned-stop", None, stop=(600, 700)))
    return runs
