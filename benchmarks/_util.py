"""Helpers shared by the benchmark scripts: run a child process and measure it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAULTDESK = str(Path(sys.executable).with_name("faultdesk"))


def run_measured(cmd: list[str], env: dict | None = None) -> tuple[float, float, str, int]:
    """(wall seconds, peak RSS of that child in MB, stdout, exit code).

    The child is reaped with wait4 so its own rusage, not the maximum over
    all children, gives the peak RSS.
    """
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    out: list[str] = []
    err: list[str] = []
    readers = [threading.Thread(target=lambda s=s, b=b: b.append(s.read())) for s, b in
               ((proc.stdout, out), (proc.stderr, err))]
    for r in readers:
        r.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    for r in readers:
        r.join()
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({code}): {''.join(err).strip()[-800:]}")
    return wall, usage.ru_maxrss / 1024, "".join(out), code


def ingest_json(paths: list[str], kb: str) -> tuple[float, float, dict]:
    """Run ``faultdesk ingest --json`` as a child: (wall s, peak RSS MB, summary)."""
    wall, rss, out, _ = run_measured([FAULTDESK, "ingest", *paths, "--kb", kb, "--json"])
    return wall, rss, json.loads(out)
