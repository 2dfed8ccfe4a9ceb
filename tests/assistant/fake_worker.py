"""A model worker that misbehaves on purpose, for the supervisor tests: the real
protocol (:func:`assistant.llm.worker.serve`) around a fake model.

``python tests/assistant/fake_worker.py MODE TIMES COUNTER`` misbehaves the
first TIMES times (counted in the file COUNTER across restarts), then answers
"Check the alignment of the shaft [1]." MODE: ``segv`` / ``sigkill`` /
``abort`` (the process dies after the first piece: a segfault, an OOM kill,
a C++ abort), ``hang`` (sends nothing more after the first piece),
``busy`` (computes for 3 s without sending, like a long prompt on a busy machine),
``exit-at-load`` (exits with status 3 before it is ready).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from assistant.llm.base import LLM
from assistant.llm.worker import protocol_stdout, serve

MODE, TIMES, COUNTER = "", 0, Path("/nonexistent")  # set from the command line
DEATHS = {"segv": signal.SIGSEGV, "sigkill": signal.SIGKILL, "abort": signal.SIGABRT}


def misbehave() -> bool:
    """True the first TIMES calls, over all processes sharing COUNTER."""
    n = int(COUNTER.read_text() or 0) if COUNTER.exists() else 0
    COUNTER.write_text(str(n + 1))
    return n < TIMES


class Fake(LLM):
    name = "fake.gguf"

    def stream(self, messages, *, max_tokens=384, temperature=0.0, stop=None):
        yield "Check the alignment of the "
        if MODE in DEATHS and misbehave():
            os.kill(os.getpid(), DEATHS[MODE])
        if MODE == "hang" and misbehave():
            time.sleep(3600)
        if MODE == "busy" and misbehave():
            t = time.monotonic()
            while time.monotonic() - t < 3.0:
                sum(range(10_000))
        yield "shaft [1]."


if __name__ == "__main__":
    MODE, TIMES, COUNTER = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    if MODE == "exit-at-load" and misbehave():
        sys.exit(3)
    serve(Fake(), sys.stdin, protocol_stdout(), beat=0.25)
