"""The model worker: a child process that runs one chat model and answers
requests on its stdin/stdout (started and watched by
:mod:`assistant.llm.supervisor`).

Native code (llama.cpp) may crash the process it runs in; keeping it here
means a segfault, a hang or an out-of-memory kill costs one answer, not the
server. ``python -m assistant.llm.worker MODEL.gguf --threads N`` loads the
GGUF with :class:`~assistant.llm.local.LocalLLM` and then speaks the protocol.

Protocol: one JSON object per line, each way.

- worker -> supervisor, once, after loading: ``{"ready": true, "name": ...,
  "system_info": ...}``, or ``{"fatal": message}`` and exit status 2 when the
  model cannot load (a bad file: restarting will not help).
- supervisor -> worker: ``{"id": n, "messages": [[role, content], ...],
  "max_tokens": ..., "temperature": ..., "stop": [...]}``.
- worker -> supervisor, per request: ``{"id": n, "piece": text}`` lines,
  then ``{"id": n, "end": true}`` (with ``"perf"``: llama.cpp's counters)
  or ``{"id": n, "error": message}``. While a request runs, every ``beat``
  seconds ``{"id": n, "busy": cpu_seconds}`` (the process's CPU time): a
  long prompt sends no piece for a while on a busy machine, and the
  supervisor counts it as a hang only when the CPU time stops growing.

The worker exits when its stdin closes (the supervisor went away). Before
anything is loaded, file descriptor 1 is moved aside and pointed at stderr,
so text that native code prints cannot corrupt the protocol.

>>> import io
>>> from assistant.llm.base import LLM
>>> class Echo(LLM):
...     name = "echo"
...     def stream(self, messages, *, max_tokens=384, temperature=0.0, stop=None):
...         yield from messages[-1].content.split()
>>> out = io.StringIO()
>>> serve(Echo(), io.StringIO('{"id": 1, "messages": [["user", "a b"]]}\\n'), out)
>>> print(out.getvalue(), end="")
{"ready": true, "name": "echo", "system_info": ""}
{"id": 1, "piece": "a"}
{"id": 1, "piece": "b"}
{"id": 1, "end": true}
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from knowledge_base.errors import ModelError

from .base import LLM, Message

LOAD_FAILED = 2  # exit status: the model cannot be loaded (restarting will not help)


def serve(llm: LLM, inp: TextIO, out: TextIO, system_info: str = "",
          load: Callable[[], object] | None = None, beat: float = 5.0) -> None:
    """Load with ``load`` (if given), announce readiness on ``out``, then answer
    each request line of ``inp`` until it closes (``busy`` lines every
    ``beat`` seconds while one runs; 0 = none)."""
    lock, current = threading.Lock(), [None]

    def send(obj: dict) -> None:
        with lock:
            out.write(json.dumps(obj) + "\n")
            out.flush()

    def heartbeat() -> None:
        while True:
            time.sleep(beat)
            rid = current[0]
            if rid is not None:
                send({"id": rid, "busy": round(time.process_time(), 4)})

    if beat > 0:
        threading.Thread(target=heartbeat, daemon=True, name="worker-heartbeat").start()

    if load is not None:
        load()
    send({"ready": True, "name": llm.name, "system_info": system_info})
    for line in inp:
        if not line.strip():
            continue
        req = json.loads(line)
        rid = current[0] = req.get("id")
        try:
            messages = [Message(role, content) for role, content in req["messages"]]
            for piece in llm.stream(messages, max_tokens=int(req.get("max_tokens", 384)),
                                    temperature=float(req.get("temperature", 0.0)),
                                    stop=req.get("stop") or None):
                send({"id": rid, "piece": piece})
        except (ModelError, ValueError, KeyError, TypeError) as exc:
            current[0] = None
            send({"id": rid, "error": " ".join(str(exc).split()) or type(exc).__name__})
            continue
        current[0] = None
        perf = getattr(llm, "last_perf", None)
        send({"id": rid, "end": True, **({"perf": perf} if perf else {})})


def worker_command(model_path: str | Path, threads: int | None = None, n_ctx: int = 4096,
                   max_memory_mb: int | None = None) -> list[str]:
    """The command line of the real worker for a GGUF file."""
    argv = [sys.executable, "-m", "assistant.llm.worker", str(model_path), "--n-ctx", str(n_ctx)]
    if threads:
        argv += ["--threads", str(threads)]
    if max_memory_mb:
        argv += ["--max-memory-mb", str(max_memory_mb)]
    return argv


def protocol_stdout() -> TextIO:
    """A text stream on a private copy of fd 1; fd 1 itself then points at
    stderr, so prints of native code land in the log, not in the protocol."""
    private = os.dup(1)
    os.dup2(2, 1)
    return os.fdopen(private, "w", encoding="utf-8", buffering=1)


def system_info() -> str:
    """llama.cpp's ``llama_print_system_info()`` (the CPU features the build uses)."""
    try:
        import llama_cpp

        return llama_cpp.llama_print_system_info().decode("utf-8", "replace").strip()
    except Exception as exc:  # noqa: BLE001 - informative only
        return f"unknown ({type(exc).__name__}: {exc})"


def guard_child(max_memory_mb: int | None = None) -> None:
    """Exit when the parent goes away (checked every second, also mid-answer;
    PR_SET_PDEATHSIG is no use here: it fires when the parent's *thread* that
    started the worker ends) and, with ``max_memory_mb``, cap the address space
    so a runaway allocation fails in the worker instead of waking the OOM killer."""
    import resource
    import threading
    import time

    if max_memory_mb:
        limit = max_memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def main(argv: list[str] | None = None) -> None:
    from .local import LocalLLM

    ap = argparse.ArgumentParser(description="faultdesk model worker (speaks JSON lines on stdin/stdout)")
    ap.add_argument("model", help="GGUF file")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--n-ctx", type=int, default=4096)
    ap.add_argument("--max-memory-mb", type=int, default=None, help="address-space limit (RLIMIT_AS)")
    args = ap.parse_args(argv)
    guard_child(args.max_memory_mb)
    out = protocol_stdout()
    llm = LocalLLM(args.model, n_ctx=args.n_ctx, n_threads=args.threads)
    try:
        llm.load()
    except ModelError as exc:
        out.write(json.dumps({"fatal": str(exc)}) + "\n")
        out.flush()
        sys.exit(LOAD_FAILED)
    serve(llm, sys.stdin, out, system_info())


if __name__ == "__main__":
    main()
