"""Alert analysis report generation time: local model vs extractive backend.

Builds the sample knowledge base, replays pump_P-3.csv (injected drive-end
bearing fault) through the monitor until an alert is open, then times
``faultdesk report ALERT_ID`` as a user runs it (a fresh process: model
loads included) for each backend and format, and, in one process, the warm
report (everything loaded) several times. The extractive backend is the
baseline of the same run. Target: under 60 s with the default local model.

    .venv/bin/python benchmarks/report.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._util import FAULTDESK, ROOT, ingest_json, run_measured  # noqa: E402
from monitors.evaluate import load_windows, windows_for  # noqa: E402
from monitors.sources import parse_time  # noqa: E402

SAMPLES = ROOT / "knowledge_base" / "samples"


def cut_time() -> str:
    """3/4 into pump_P-3.csv's labelled fault window (the alert is then open)."""
    (window,) = windows_for("pump_P-3.csv", load_windows(SAMPLES / "streams" / "labels.json"))
    start, end = map(parse_time, window)
    return datetime.fromtimestamp(start + (end - start) * 0.75, tz=timezone.utc).isoformat()


def warm(kb: Path, alert_id: str, llm: str, repeat: int) -> list[float]:
    """Seconds per report with the service already built (after one warm-up report)."""
    from assistant.service import Service
    from knowledge_base.settings import Settings

    svc = Service(Settings(kb=kb), llm)
    svc.report(alert_id, "pdf")
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        svc.report(alert_id, "pdf")
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"load average: {os.getloadavg()[0]:.2f} (2 cores)")
    with tempfile.TemporaryDirectory() as tmp:
        kb = Path(tmp) / "kb"
        wall, _, summary = ingest_json([str(SAMPLES)], str(kb))
        print(f"sample KB: {summary['chunks']} chunks in {wall:.1f} s")
        run_measured([FAULTDESK, "monitor", "run", "--source", f"csv:{SAMPLES / 'streams' / 'pump_P-3.csv'}",
                      "--until", cut_time(), "--kb", str(kb)])
        _, _, out, _ = run_measured([FAULTDESK, "monitor", "alerts", "--asset", "P-3", "--json", "--kb", str(kb)])
        alert_id = json.loads(out)[0]["id"]
        print(f"alert: {alert_id}\n")
        print(f"{'backend':11} {'format':6} {'CLI wall s (fresh process)':>28} {'peak RSS MB':>12}")
        cli: dict[str, list[float]] = {}
        for llm in ("extractive", "local"):
            for fmt in ("md", "html", "pdf"):
                out_file = Path(tmp) / f"r.{fmt}"
                walls, rss = [], 0.0
                for _ in range(args.repeat):
                    w, r, _, code = run_measured([FAULTDESK, "report", alert_id, "--format", fmt, "--out",
                                                  str(out_file), "--llm", llm, "--kb", str(kb)])
                    assert code == 0 and out_file.stat().st_size > 10_000
                    walls.append(w)
                    rss = max(rss, r)
                cli.setdefault(llm, []).extend(walls)
                print(f"{llm:11} {fmt:6} {'median %.1f  max %.1f' % (statistics.median(walls), max(walls)):>28} "
                      f"{rss:12.0f}")
        print(f"\n{'backend':11} {'warm report (service built), pdf':>34}")
        med = {}
        for llm in ("extractive", "local"):
            t = warm(kb, alert_id, llm, args.repeat)
            med[llm] = statistics.median(t)
            print(f"{llm:11} {'median %.2f s  max %.2f s' % (med[llm], max(t)):>34}")
        worst = max(cli["local"])
        print(f"\nlocal model, CLI, worst of {len(cli['local'])}: {worst:.1f} s "
              f"({'meets' if worst < 60 else 'MISSES'} the 60 s target); "
              f"extractive baseline median {statistics.median(cli['extractive']):.1f} s; "
              f"warm local / extractive: {med['local'] / med['extractive']:.1f}x")


if __name__ == "__main__":
    main()
