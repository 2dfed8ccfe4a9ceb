"""Test-rig runs shaped like a run-based pump/valve benchmark, generated in memory.

Each run is one test of a water-circulation rig: 8 sensors at 1 reading/s
for about 19 minutes (two accelerometer RMS values on the pump, motor
current and voltage, loop pressure, fluid temperature, a thermocouple on
the pump body, volumetric flow). A run starts normal; a faulty run has one
labelled fault interval that begins after the first 40-60 % of the run and
lasts 20-40 % of it (it may end before the run does, and the rig returns to
normal). Normal operation is not stationary: the fluid warms during a run,
the pump body's temperature follows with lag, the pressure swings with the
pump's regulation cycle, and some fault-free runs change operating point
(a setpoint step) -- the false-alarm checks.

Fault kinds (``KINDS``): a valve closing (a **step**: flow down, pressure up,
current up), a leak or fouling (a slow **drift** in pressure and flow),
an electrical **oscillation** of current and voltage, **cavitation**
(bursts of vibration with pressure dips), a **stuck** sensor (flow frozen).

Two seeds: :data:`DEV_SEED` for development (the alert layer's settings may
be chosen on it) and :data:`HELD_OUT_SEED` for the held-out figures, which
are only ever reported. Nothing here was fitted to any real benchmark's data.
"""

from __future__ import annotations

import sys
from pathlib import Path

import math
import random

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from benchmarks.fresh_traces import Run
from monitors.types import Change, Reading

KINDS = ("step", "drift", "oscillation", "cavitation", "stuck")
DEV_SEED = 4242
HELD_OUT_SEED = 20261205


def rig_run(rng: random.Random, name: str, kind: str | None, n: int = 1150,
            setpoint_step: bool = False, one_signal: bool = False, declare: bool = False) -> Run:
    """One run of ``n`` readings; ``kind`` None = fault-free.

    ``one_signal`` (with ``setpoint_step``): the step raises the pressure
    set-point only (pressure +0.2 bar, ~5 sd; current +0.03 A, ~1 sd), at 30-38 %
    of the run, before any fault; ``declare``: the reading at the step carries it
    as a declared change (:class:`~monitors.types.Change`), as a historian's
    set-point tag would. Runs without these flags draw the same numbers as before."""
    onset = end = None
    if kind:
        onset = rng.randint(int(0.4 * n), int(0.6 * n))
        end = min(n - 1, onset + rng.randint(int(0.2 * n), int(0.4 * n)))
    sev = rng.uniform(0.6, 1.4)  # fault severity
    period = rng.uniform(40, 90)  # pressure regulation cycle, s
    temp, body = rng.uniform(18, 26), rng.uniform(22, 30)
    warm = rng.uniform(0.002, 0.006)  # fluid warming, degC/s
    lo, hi = (0.3, 0.38) if one_signal else (0.3, 0.7)
    sp_at = rng.randint(int(lo * n), int(hi * n)) if setpoint_step else None
    step_all = sp_at is not None and not one_signal
    gain = rng.uniform(0.95, 1.05)
    frozen, bursts = None, 0
    out = []
    for t in range(n):
        load = gain * (1.0 + (0.08 if step_all and t >= sp_at else 0.0))
        raised = one_signal and sp_at is not None and t >= sp_at
        f = onset is not None and onset <= t <= end
        ramp = min(1.0, (t - onset) / max(1, end - onset)) if f else 0.0
        temp += warm
        body += 0.01 * (temp + 6.0 - body)
        cyc = math.sin(2 * math.pi * t / period)
        flow = 32.0 * load + rng.gauss(0, 0.25)
        pres = 0.9 * load + 0.05 * cyc + rng.gauss(0, 0.02) + (0.2 if raised else 0.0)
        cur = 1.6 * load + rng.gauss(0, 0.03) + (0.03 if raised else 0.0)
        volt = 230.0 + rng.gauss(0, 0.8)
        a1 = 0.21 * load + rng.gauss(0, 0.006)
        a2 = 0.26 * load + rng.gauss(0, 0.007)
        if f and kind == "step":
            flow -= 2.5 * sev
            pres += 0.12 * sev
            cur += 0.06 * sev
        elif f and kind == "drift":
            pres -= 0.2 * sev * ramp
            flow -= 2.0 * sev * ramp
        elif f and kind == "oscillation":
            cur += 0.12 * sev * math.sin(t / 2.5)
            volt += 3.0 * sev * math.sin(t / 2.5)
        elif f and kind == "cavitation":
            if bursts <= 0 and rng.random() < 0.08:
                bursts = rng.randint(3, 12)
            if bursts > 0:
                bursts -= 1
                a1 += abs(rng.gauss(0, 0.05 * sev))
                a2 += abs(rng.gauss(0, 0.06 * sev))
                pres -= abs(rng.gauss(0, 0.08 * sev))
            flow -= 0.4 * sev
        if f and kind == "stuck":
            frozen = frozen if frozen is not None else flow
            flow = frozen
        vals = {"accel1_rms": a1, "accel2_rms": a2, "current_a": cur, "pressure_bar": pres,
                "temperature_c": temp + rng.gauss(0, 0.05), "thermocouple_c": body + rng.gauss(0, 0.1),
                "voltage_v": volt, "flow_lpm": flow}
        ts = 1_700_000_000.0 + t
        declared = (Change(name, ts, "setpoint", (), "pressure set-point"),) if declare and t == sp_at else ()
        out.append(Reading(name, ts, vals, declared))
    return Run(name, out, None if onset is None else (onset, end), kind)


def rig_runs(seed: int, per_kind: int = 7, normal: int = 4, setpoint: int = 2) -> list[Run]:
    """``per_kind`` faulty runs of every kind (35 by default), ``normal``
    plain fault-free runs and ``setpoint`` fault-free runs with a setpoint step."""
    rng = random.Random(seed)
    runs = [rig_run(rng, f"rig-{k}-{i}", k) for k in KINDS for i in range(per_kind)]
    runs += [rig_run(rng, f"rig-normal-{i}", None) for i in range(normal)]
    runs += [rig_run(rng, f"rig-setpoint-{i}", None, setpoint_step=True) for i in range(setpoint)]
    return runs


def declared_runs(seed: int, declare: bool = True, per_kind: int = 2, normal: int = 6) -> list[Run]:
    """Runs with a one-signal set-point step (``one_signal``): ``normal``
    fault-free ones and ``per_kind`` faulty runs of every kind whose fault
    starts after the step; ``declare`` False gives the same data undeclared."""
    rng = random.Random(seed)
    runs = [rig_run(rng, f"sp-{k}-{i}", k, setpoint_step=True, one_signal=True, declare=declare)
            for k in KINDS for i in range(per_kind)]
    runs += [rig_run(rng, f"sp-normal-{i}", None, setpoint_step=True, one_signal=True, declare=declare)
             for i in range(normal)]
    return runs

