"""The alert layer on 8-sensor equipment runs: the default detector against the
previous defaults (no regime hold; no hold and no EWMA residual chart) and the
Windowed Gaussian, same run.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/multivar_check.py``. Sets, and
what each was used for (see docs/notes/nab3.md):

- ``rig dev`` (:data:`benchmarks.rig_traces.DEV_SEED`) and ``dev``
  (:func:`benchmarks.fresh_traces.dev_runs`): the chart's settings were chosen
  on them;
- ``rig held-out`` and ``fresh`` (their usual seeds): looked at once after the
  choice, nothing changed after;
- ``rig final`` / ``fresh final`` (seeds :data:`RIG_FINAL` / :data:`FRESH_FINAL`,
  first generated for the chart's check): never looked at before the chart's figures;
  the regime hold (:mod:`monitors.regime`) was chosen on the dev sets, then all
  four later sets were looked at once and one setting changed after that
  (docs/notes/nab4.md);
- ``rig new`` / ``fresh new`` (seeds :data:`RIG_NEW` / :data:`FRESH_NEW`): first
  generated after the regime hold's last change (their figures were seen by nab5
  before its change, which was chosen on dev-seed runs only);
- ``rig new5`` / ``fresh new5`` (seeds :data:`RIG_NEW5` / :data:`FRESH_NEW5`): first
  generated after nab5's re-baseline change, never used to choose anything.

Prints per set and detector: point-wise F1, false-alarm rate, missed-alarm
rate, mean detection delay, faulty runs alerted, fault-free runs alerted, faulty runs alerted per
fault kind. The generators were written by the detector's author (not blind).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.fresh_traces import dev_runs, fresh_runs  # noqa: E402
from benchmarks.quality import stamp  # noqa: E402
from benchmarks.rig_traces import DEV_SEED, HELD_OUT_SEED, rig_runs  # noqa: E402
from monitors.alertmetrics import alert_flags, alert_report  # noqa: E402

RIG_FINAL, FRESH_FINAL = 20261207, 20261208
RIG_NEW, FRESH_NEW = 20261209, 20261210  # first generated for the regime hold (nab4), see docs/notes/nab4.md
# first generated after nab5's re-baseline change (docs/notes/nab5.md), run once, never used to choose
RIG_NEW5, FRESH_NEW5 = 20261211, 20261212
DETECTORS = (("auto (default)", "auto", None),
             ("auto without regime hold", "auto", {"multi": {"regime_k": 0.0}}),
             ("auto without chart+hold", "auto", {"multi": {"chart_half": 0.0, "regime_k": 0.0}}),
             ("gaussian (baseline)", "gaussian", None))


def _delay(rep) -> str:
    return f"{rep.mean_delay_s:4.0f} s" if rep.mean_delay_s is not None else "   - s"


def line(label: str, runs, det: str, params: dict | None) -> None:
    flags = {r.name: alert_flags(r.readings, det, params) for r in runs}
    rep = alert_report([(flags[r.name], [r.fault] if r.fault else [], [x.timestamp for x in r.readings])
                        for r in runs])
    kinds: dict[str, list[int]] = {}
    for r in runs:
        if r.fault:
            k = kinds.setdefault(r.shape, [0, 0])
            k[0] += any(flags[r.name][r.fault[0]:r.fault[1] + 1])
            k[1] += 1
    free = [r.name for r in runs if not r.fault and any(flags[r.name])]
    print(f"   {label:24s} F1 {rep.f1:4.2f}  FAR {100 * rep.false_alarm_rate:5.1f}%  "
          f"MAR {100 * rep.missed_alarm_rate:5.1f}%  delay {_delay(rep)}  faulty {rep.faulty_alerted:2d}/{rep.faulty:<2d} "
          f"fault-free {rep.normal_alerted}/{rep.normal}  "
          + " ".join(f"{k} {a}/{n}" for k, (a, n) in kinds.items())
          + (f"  [alerting fault-free: {', '.join(free)}]" if free else ""), flush=True)


def main() -> None:
    print(f"benchmarks/multivar_check.py, {stamp()}", flush=True)
    sets = (("rig dev (tuned on)", rig_runs(DEV_SEED)), ("dev (tuned on)", dev_runs()),
            ("rig held-out", rig_runs(HELD_OUT_SEED)), ("fresh", fresh_runs()),
            (f"rig final ({RIG_FINAL})", rig_runs(RIG_FINAL)),
            (f"fresh final ({FRESH_FINAL})", fresh_runs(seed=FRESH_FINAL)),
            (f"rig new ({RIG_NEW})", rig_runs(RIG_NEW)), (f"fresh new ({FRESH_NEW})", fresh_runs(seed=FRESH_NEW)),
            (f"rig new5 ({RIG_NEW5}, never seen)", rig_runs(RIG_NEW5)),
            (f"fresh new5 ({FRESH_NEW5}, never seen)", fresh_runs(seed=FRESH_NEW5)))
    for name, runs in sets:
        print(f"{name}: {len(runs)} runs")
        for label, det, params in DETECTORS:
            line(label, runs, det, params)


if __name__ == "__main__":
    main()
