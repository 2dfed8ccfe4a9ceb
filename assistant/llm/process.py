"""The parent's side of one model worker process (:mod:`assistant.llm.worker`).

:class:`WorkerProcess` starts the worker with this checkout's code on its
path, reads its stdout (one JSON message per line) on a thread into a queue,
and kills it; :func:`describe_exit` says how a worker ended. Supervision
(timeouts, restarts, state) is :mod:`assistant.llm.supervisor`'s.

>>> w = WorkerProcess(["echo", '{"ready": true}'])
>>> w.next(5), w.next(5), w.exit_reason()
({'ready': True}, None, 'exited with status 0')
>>> w.kill()
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path

_EOF = None
_ROOT = str(Path(__file__).resolve().parents[2])


class WorkerProcess:
    """One running worker process and the queue its stdout lines arrive on."""

    def __init__(self, argv: Sequence[str]) -> None:
        # The worker imports the same faultdesk code as this process.
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, (_ROOT, os.environ.get("PYTHONPATH")))))
        self.proc = subprocess.Popen(list(argv), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, encoding="utf-8", bufsize=1, env=env)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True, name="llm-worker-reader").start()

    def _read(self) -> None:
        try:
            for line in self.proc.stdout:
                self.lines.put(line)
        except (OSError, ValueError):
            pass
        self.lines.put(_EOF)

    def next(self, timeout: float) -> dict | None:
        """The next message, None at end of output; queue.Empty after ``timeout`` s."""
        line = self.lines.get(timeout=max(timeout, 0.0))
        if line is _EOF:
            return None
        try:
            return json.loads(line)
        except json.JSONDecodeError:
            return {"garbled": line[:200]}

    def exit_reason(self) -> str:
        try:
            return describe_exit(self.proc.wait(timeout=5))
        except subprocess.TimeoutExpired:
            return "closed its output"

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - a process in D state
            pass
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass


def describe_exit(returncode: int) -> str:
    """A worker's exit status in words."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"killed by {name}" + (" (out of memory?)" if name == "SIGKILL" else "")
    return f"exited with status {returncode}"
