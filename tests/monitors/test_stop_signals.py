"""A monitor stopped by a service manager (SIGTERM) or Ctrl-C (SIGINT) saves
its detector state, exactly as when its input ends."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRACE = ROOT / "knowledge_base" / "samples" / "streams" / "pump_P-3.csv"


@pytest.mark.integration
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stop_signal_saves_state(tmp_path, sig):
    # 1x replay of a 2-minute trace: after the first reading it sleeps, so the
    # signal lands while the monitor is waiting for input, as a live one does.
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "monitor", "run", "--kb", str(tmp_path),
                             "--source", f"csv:{TRACE}", "--speed", "1x"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (tmp_path / "alerts.sqlite").exists() and time.monotonic() < deadline:
        time.sleep(0.1)  # the alert store is opened before the first reading is read
    time.sleep(1.0)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "interrupted; saving state" in err
    assert out.startswith("1 readings, 0 skipped")
    state = json.loads((tmp_path / "monitor_state" / "auto.json").read_text())
    assert state["assets"]["P-3"]["filter"]["seen"] == 1  # the reading it scored is in the saved state
