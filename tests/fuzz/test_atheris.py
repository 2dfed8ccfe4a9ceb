"""The atheris harnesses, each fuzzed for 20 seconds in its own process (marked slow).

libFuzzer exits non-zero on a crash (a failed contract check or an unexpected
exception), on an input that runs over 10 s, or on over 2 GB of memory, and
saves that input in the test's tmp folder. README "Fuzzing" says how to run
the harnesses for longer.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .atheris_harness import TARGETS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 20


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_harness_runs_without_a_crash(tmp_path, target):
    command = [sys.executable, "-m", "tests.fuzz.atheris_harness", target, f"-max_total_time={SECONDS}",
               "-timeout=10", "-rss_limit_mb=2048", f"-artifact_prefix={tmp_path}/"]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=SECONDS * 6)
    report = run.stderr[-3000:]
    assert run.returncode == 0 and not list(tmp_path.glob("crash-*")), report
    assert "Done" in report and " runs in " in report, report
