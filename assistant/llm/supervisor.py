"""A chat model in a supervised child process (:mod:`assistant.llm.worker`).

:class:`SupervisedLLM` starts the worker, streams answers from it, and
watches it: when the worker dies (a segfault in native code, an
out-of-memory kill, an exit at load) or makes no progress for
``stall_timeout`` seconds (no text, and no growth of the CPU time its
heartbeat reports) or overruns ``deadline`` for one answer, the
worker is killed, :class:`~knowledge_base.errors.ModelStopped` is raised to
the caller (the assistant then answers from the manuals, with
:data:`STOPPED_NOTICE`), and a new worker is started in the background after
a backoff (``backoff`` seconds, doubling with each failure in a row up to
``max_backoff``). Questions asked meanwhile are not made to wait: they get
ModelStopped at once.

:attr:`SupervisedLLM.state` is what ``/api/v1/health`` reports as ``llm``:

=============  ===============================================================
``starting``   the first worker is loading the model
``ok``         a worker is ready
``restarting`` a worker stopped; the next one is being started after a backoff
``down``       ``down_after`` failures in a row (or a model that cannot load);
               restarts go on at ``max_backoff`` intervals
=============  ===============================================================

>>> llm = SupervisedLLM(["true"], "fake")
>>> llm.state, llm.status().restarts
('starting', 0)
>>> describe_exit(-11), describe_exit(-9), describe_exit(3)
('killed by SIGSEGV', 'killed by SIGKILL (out of memory?)', 'exited with status 3')
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from knowledge_base.errors import ModelError, ModelStopped

from .base import LLM, Message
from .process import WorkerProcess, describe_exit  # noqa: F401 - describe_exit re-exported
from .worker import LOAD_FAILED, worker_command  # noqa: F401 - worker_command re-exported

STOPPED_NOTICE = "The language model stopped; answered from the manuals."
STATES = ("starting", "ok", "restarting", "down")
BUSY_SHARE = 0.01  # a heartbeat counts as progress when the worker used >= 1% of a core since the last


@dataclass(frozen=True)
class LLMStatus:
    """The worker's state (one of :data:`STATES`), the last failure in words,
    restarts so far, and llama.cpp's system info as the worker reported it."""

    state: str
    detail: str = ""
    restarts: int = 0
    system_info: str = ""


class SupervisedLLM(LLM):
    """The chat model of worker command ``argv`` (see :func:`worker_command`),
    supervised as the module docstring says. ``name``: the model's name."""

    def __init__(self, argv: Sequence[str], name: str, *, load_timeout: float = 120.0,
                 stall_timeout: float = 60.0, deadline: float = 300.0, backoff: float = 1.0,
                 max_backoff: float = 30.0, down_after: int = 3) -> None:
        self.argv, self.name = tuple(argv), name
        self.load_timeout, self.stall_timeout, self.deadline = load_timeout, stall_timeout, deadline
        self.backoff, self.max_backoff, self.down_after = backoff, max_backoff, down_after
        self._cond = threading.Condition()
        self._generate = threading.Lock()
        self._worker: WorkerProcess | None = None
        self._state, self._detail, self._info = "starting", "", ""
        self._restarts = self._failures = 0
        self._launcher: threading.Thread | None = None
        self._closed = threading.Event()
        self._next_id = 0

    # -- state ----------------------------------------------------------------
    @property
    def state(self) -> str:
        return self._state

    def status(self) -> LLMStatus:
        with self._cond:
            return LLMStatus(self._state, self._detail, self._restarts, self._info)

    @property
    def pid(self) -> int | None:
        """Process id of the running worker, if any."""
        worker = self._worker
        return worker.proc.pid if worker else None

    def start(self) -> None:
        """Start the worker in the background (idempotent; returns at once)."""
        with self._cond:
            if self._worker is None and self._launcher is None and not self._closed.is_set():
                self._launch(delay=0.0)

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Start if needed and wait until a worker is ready (or failed to start
        once); True when the state is ``ok``."""
        self.start()
        with self._cond:
            self._cond.wait_for(lambda: self._state != "starting", timeout)
            return self._state == "ok"

    def close(self) -> None:
        """Stop the worker and any restart."""
        self._closed.set()
        with self._cond:
            worker, self._worker = self._worker, None
            self._cond.notify_all()
        if worker:
            worker.kill()

    # -- generation -----------------------------------------------------------
    def stream(self, messages: Sequence[Message], *, max_tokens: int = 384, temperature: float = 0.0,
               stop: Sequence[str] | None = None) -> Iterator[str]:
        with self._generate:
            self.last_perf = {}
            worker = self._ready_worker()
            self._next_id += 1
            rid = self._next_id
            req = {"id": rid, "messages": [[m.role, m.content] for m in messages],
                   "max_tokens": max_tokens, "temperature": temperature, "stop": list(stop or [])}
            try:
                worker.proc.stdin.write(json.dumps(req) + "\n")
                worker.proc.stdin.flush()
            except (OSError, ValueError):
                self._stopped(worker, worker.exit_reason())
            end = progress = beat_at = time.monotonic()
            end, cpu = end + self.deadline, -1.0  # cpu: the worker's CPU seconds at its last heartbeat
            while True:
                now = time.monotonic()
                left, quiet = end - now, progress + self.stall_timeout - now
                try:
                    msg = worker.next(min(quiet, left))
                except queue.Empty:
                    why = (f"no answer within {self.deadline:g} s" if left <= quiet
                           else f"made no progress for {self.stall_timeout:g} s")
                    self._stopped(worker, f"hung: {why}")
                if msg is None:
                    self._stopped(worker, worker.exit_reason())
                if msg.get("id") != rid:
                    if "garbled" in msg:
                        self._stopped(worker, f"garbled output {msg['garbled']!r}")
                    continue  # the tail of an answer whose reader went away
                if "busy" in msg:  # still evaluating: progress while its CPU time grows
                    now = time.monotonic()
                    if cpu >= 0 and msg["busy"] - cpu >= BUSY_SHARE * (now - beat_at):
                        progress = now
                    cpu, beat_at = msg["busy"], now
                    continue
                progress = time.monotonic()
                if "piece" in msg:
                    yield msg["piece"]
                elif "error" in msg:
                    raise ModelError(f"{self.name}: {msg['error']}")
                else:
                    self.last_perf = msg.get("perf") or {}
                    with self._cond:
                        self._failures = 0
                    return

    def _ready_worker(self) -> WorkerProcess:
        self.start()
        with self._cond:
            if self._state == "starting":
                self._cond.wait_for(lambda: self._state != "starting", self.load_timeout)
            if self._state != "ok" or self._worker is None:
                what = "is still loading" if self._state == "starting" else f"is {self._state}"
                detail = f" after: {self._detail}" if self._detail else ""
                raise ModelStopped(f"the model worker {what}{detail}")
            return self._worker

    def _stopped(self, worker: WorkerProcess, reason: str):
        """Kill ``worker``, schedule a restart and raise ModelStopped."""
        worker.kill()
        with self._cond:
            if self._worker is worker:
                self._worker = None
                self._failures += 1
                self._restarts += 1
                self._set_failed(f"the model worker {reason}")
                self._launch(delay=self._delay())
        raise ModelStopped(f"the model worker {reason}; restarting it")

    # -- launching (under self._cond) -------------------------------------------
    def _delay(self) -> float:
        return min(self.backoff * 2 ** max(self._failures - 1, 0), self.max_backoff)

    def _set_failed(self, detail: str) -> None:
        self._detail = detail
        self._state = "down" if self._failures >= self.down_after else "restarting"
        self._cond.notify_all()

    def _launch(self, delay: float) -> None:
        if self._closed.is_set() or (self._launcher and self._launcher.is_alive()):
            return
        self._launcher = threading.Thread(target=self._launch_loop, args=(delay,), daemon=True,
                                          name="llm-worker-launcher")
        self._launcher.start()

    def _launch_loop(self, delay: float) -> None:
        worker = None
        while not self._closed.wait(delay):
            worker, failure = self._spawn()
            with self._cond:
                if self._closed.is_set():
                    break
                if worker is not None:
                    self._worker, self._state, self._detail = worker, "ok", ""
                    self._cond.notify_all()
                    return
                self._failures = max(self._failures + 1, self.down_after if failure[1] else 0)
                self._set_failed(failure[0])
                delay = self._delay()
        if worker is not None:
            worker.kill()

    def _spawn(self) -> tuple[WorkerProcess | None, tuple[str, bool]]:
        """(a ready worker, ...) or (None, (why it failed, whether retrying is pointless))."""
        try:
            worker = WorkerProcess(self.argv)
        except OSError as exc:
            return None, (f"the model worker cannot start: {exc}", True)
        try:
            msg = worker.next(self.load_timeout)
        except queue.Empty:
            worker.kill()
            return None, (f"the model worker did not load within {self.load_timeout:g} s", False)
        if msg and msg.get("ready"):
            self._info = msg.get("system_info", "")
            return worker, ("", False)
        if msg and "fatal" in msg:
            worker.kill()
            return None, (f"the model cannot load: {msg['fatal']}", True)
        reason = worker.exit_reason() if msg is None else f"sent {msg!r} instead of ready"
        worker.kill()
        fatal = worker.proc.returncode == LOAD_FAILED
        return None, (f"the model worker {reason} while loading", fatal)
