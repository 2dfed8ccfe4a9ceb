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


# Linux keeps a process's peak RSS across fork and exec, so a child forked
# from this (possibly large) process would report our peak as its own. A tiny
# interposed Python process forks the real command instead and reports that
# grandchild's peak, which then starts from the tiny process's size.
_WRAP = ("import os, resource, subprocess, sys; c = subprocess.call(sys.argv[1:]); "
         "sys.stderr.write('\\n@@maxrss_kb=%d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
         "sys.exit(c)")


def run_measured(cmd: list[str], env: dict | None = None) -> tuple[float, float, str, int]:
    """(wall seconds, peak RSS of the command in MB, stdout, exit code)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _WRAP, *cmd], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
    out: list[str] = []
    err: list[str] = []
    readers = [threading.Thread(target=lambda s=s, b=b: b.append(s.read())) for s, b in
               ((proc.stdout, out), (proc.stderr, err))]
    for r in readers:
        r.start()
    code = proc.wait()
    wall = time.perf_counter() - t0
    for r in readers:
        r.join()
    errtext = "".join(err)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({code}): {errtext.strip()[-800:]}")
    rss_kb = int(errtext.rsplit("@@maxrss_kb=", 1)[1].split()[0])
    return wall, rss_kb / 1024, "".join(out), code


def ingest_json(paths: list[str], kb: str) -> tuple[float, float, dict]:
    """Run ``faultdesk ingest --json`` as a child: (wall s, peak RSS MB, summary)."""
    wall, rss, out, _ = run_measured([FAULTDESK, "ingest", *paths, "--kb", kb, "--json"])
    return wall, rss, json.loads(out)
