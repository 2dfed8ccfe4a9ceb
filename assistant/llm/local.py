"""In-process chat model: a GGUF file run by llama.cpp (``llama-cpp-python``).

The model loads on first use, not in ``__init__``, so building the assistant
(or running doctests) never pays for it. One ``Llama`` instance is kept for
the life of the object: llama-cpp-python compares each new prompt's tokens
with the ones already in its KV cache and only evaluates the differing tail,
so a second question under the same system prompt skips re-reading that
prompt (see ``benchmarks/llm.py`` for the measured first-token gain).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from knowledge_base.errors import ModelError

from .base import LLM, Message


def _default_threads() -> int:
    # llama-cpp-python defaults to cpu_count() // 2, i.e. one thread on the
    # 2-core machines here. Measured (benchmarks/llm.py): two threads generate
    # ~42 tok/s against ~29 with one when the cores are free, but several times
    # slower when other processes keep them busy; pass n_threads=1 there.
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not Linux
        return max(os.cpu_count() or 1, 1)


def threads_for_load(cores: int, load: float) -> int:
    """Threads for the next reply when none were set: all ``cores`` while the
    1-minute load average leaves them free, else one. llama.cpp's threads wait
    for each other after every operation, so two threads on two cores that
    other processes keep busy run several times slower than one.

    >>> threads_for_load(2, 0.3), threads_for_load(2, 1.6), threads_for_load(1, 0.0)
    (2, 1, 1)
    """
    return cores if load <= cores - 0.5 else 1


class LocalLLM(LLM):
    """A GGUF chat model run in this process through llama.cpp.

    The GGUF's own chat template formats the messages. ``temperature=0``
    (the default) decodes greedily; with a fixed ``seed`` a sampled reply is
    repeatable too. Calls are serialised by a lock: a ``Llama`` is not
    thread-safe.

    >>> llm = LocalLLM("/nonexistent/model.gguf")   # cheap: nothing loads yet
    >>> llm.name
    'model.gguf'
    >>> llm.complete([Message("user", "hi")])
    Traceback (most recent call last):
    ...
    knowledge_base.errors.ModelError: cannot load GGUF model /nonexistent/model.gguf: file not found
    """

    def __init__(
        self,
        model_path: str | Path,
        n_ctx: int = 4096,
        n_threads: int | None = None,
        seed: int = 0,
    ) -> None:
        self.model_path = Path(model_path).expanduser()
        self.name = self.model_path.name
        self.n_ctx = n_ctx
        self.auto_threads = not n_threads  # chosen per reply by threads_for_load
        self.n_threads = n_threads or _default_threads()
        self.seed = seed
        self._llama = None
        self._lock = threading.RLock()  # stream() holds it and calls load()

    def load(self):
        """Load the model now (idempotent) and return the ``llama_cpp.Llama``."""
        with self._lock:
            if self._llama is None:
                self._llama = self._load()
            return self._llama

    def _load(self):
        path = self.model_path
        if not path.is_file():
            raise ModelError(f"cannot load GGUF model {path}: file not found")
        try:
            import llama_cpp
        except ImportError as exc:
            raise ModelError(
                f"cannot load GGUF model {path}: llama-cpp-python is not installed ({exc})"
            ) from exc
        try:
            return llama_cpp.Llama(
                model_path=str(path), n_ctx=self.n_ctx, n_threads=self.n_threads, n_threads_batch=self.n_threads,
                seed=self.seed, verbose=False,
            )
        except Exception as exc:  # llama.cpp reports a bad file as ValueError
            detail = " ".join(str(exc).split()) or type(exc).__name__
            raise ModelError(f"cannot load GGUF model {path}: {detail}") from exc

    def stream(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 384,
        temperature: float = 0.0,
        stop: Sequence[str] | None = None,
    ) -> Iterator[str]:
        # The lock is held while pieces are yielded: a Llama has one KV cache and
        # cannot serve two generations at once. Closing the iterator releases it.
        with self._lock:
            llama = self.load()
            if self.auto_threads:
                self.set_threads(threads_for_load(_default_threads(), os.getloadavg()[0]), auto=True)
            self.last_perf = {}
            _perf_reset(llama)
            try:
                chunks = llama.create_chat_completion(
                    messages=[{"role": m.role, "content": m.content} for m in messages],
                    max_tokens=max_tokens,
                    temperature=temperature,
                    stop=list(stop) if stop else [],
                    seed=self.seed,
                    stream=True,
                )
                for chunk in chunks:
                    piece = chunk["choices"][0]["delta"].get("content")
                    if piece:
                        yield piece
                self.last_perf = _perf(llama) | {"threads": self.n_threads}
            except ValueError as exc:  # e.g. prompt longer than the context window
                raise ModelError(f"{self.name}: {' '.join(str(exc).split())}") from exc

    def set_threads(self, n: int, auto: bool = False) -> None:
        """Use ``n`` threads from the next reply on (prompt and generation);
        ``auto`` keeps choosing them by the load average afterwards."""
        with self._lock:
            self.auto_threads = auto
            if n != self.n_threads and self._llama is not None:
                import llama_cpp

                llama_cpp.llama_set_n_threads(self._llama.ctx, n, n)
            self.n_threads = n

    def count_tokens(self, text: str) -> int:
        """Number of model tokens in ``text`` (loads the model)."""
        return len(self.load().tokenize(text.encode("utf-8"), add_bos=False, special=False))


def _perf_reset(llama) -> None:
    try:
        import llama_cpp

        llama_cpp.llama_perf_context_reset(llama.ctx)
    except Exception:  # noqa: BLE001 - counters are informative only
        pass


def _perf(llama) -> dict:
    """llama.cpp's counters since :func:`_perf_reset` (see ``LLM.last_perf``).
    Tokens of the prompt that matched the KV cache are not evaluated again."""
    try:
        import llama_cpp

        p = llama_cpp.llama_perf_context(llama.ctx)
    except Exception:  # noqa: BLE001
        return {}
    gen = int(p.n_eval)
    return {"prompt_tokens": max(int(llama.n_tokens) - gen, int(p.n_p_eval)), "prompt_eval": int(p.n_p_eval),
            "prompt_ms": round(float(p.t_p_eval_ms), 1), "gen_tokens": gen, "gen_ms": round(float(p.t_eval_ms), 1)}
