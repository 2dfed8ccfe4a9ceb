"""Local LLM benchmark: load time, prompt and generation speed, first-token latency, RSS.

Runs the local backend (``assistant.llm.LocalLLM``) on a ~300-token grounded
prompt (system prompt + numbered sources + question), ``--repeats`` times:

  * cold:   the KV cache is emptied first, so the whole prompt is evaluated;
  * cached: same system prompt and sources as the call before, another
            question, so only the differing tail is evaluated (the prefix
            reuse a real assistant gets between questions).

Prompt and generation tokens/s come from llama.cpp's own counters; first-token
latency is wall time from the call to the first streamed piece. Medians are
printed. The load average is printed too: the machine is shared, and two
threads on two busy cores slow llama.cpp several-fold, so read numbers taken
under load accordingly.

Two further comparisons, each measured in the same run as its baseline:

  * ``--build NAME=DIR`` (repeatable): the same measurement with the
    llama-cpp-python found in DIR (a ``pip install --target`` folder; empty =
    the installed one), each in its own process, so a build that crashes on
    this CPU is reported instead of ending the benchmark. Prints each build's
    ``llama_print_system_info()``. Portable (AVX2/FMA/F16C) vs native
    (``-march=native``) is the comparison of interest.
  * ``--serve-kb KB``: starts ``faultdesk serve --llm local`` over KB twice and
    times the first question over the REST API: *cold* (asked as soon as the
    server accepts connections: the models load lazily behind it, which is
    what the first question paid before the warm start) and *warm* (asked once
    ``/api/v1/health`` says ``ok``), then a second question as the steady state.

    .venv/bin/python benchmarks/llm.py [--model X.gguf] [--threads N] [--repeats 3]
    .venv/bin/python benchmarks/llm.py --build portable= --build native=/tmp/native-target
    .venv/bin/python benchmarks/llm.py --serve-kb /tmp/llmkb --repeats 0
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from assistant.llm import LocalLLM, Message  # noqa: E402
from assistant.llm.models import default_model_path  # noqa: E402
from assistant.llm.supervisor import describe_exit  # noqa: E402

SYSTEM = (
    "You are faultdesk, a maintenance assistant for industrial equipment. Answer the "
    "technician's question using only the numbered sources below. Cite every fact with "
    "its source number in square brackets, like [2]. If the sources do not contain the "
    "answer, say that you do not know and suggest which manual section to check. Keep "
    "answers short: the meaning of the fault, the likely cause, then numbered steps. "
    "Never invent part numbers, torque values or clearances. Safety first: remind the "
    "technician to lock out and tag out the machine before any mechanical work."
)
SOURCES = "\n".join([
    "[1] Pump P-200 manual, p. 14: Fault E-104 means high bearing vibration at the drive "
    "end. Likely causes are a worn drive-end bearing, misalignment or loose mounting bolts.",
    "[2] Pump P-200 manual, p. 15: To replace the drive-end bearing, isolate the pump, "
    "drain the casing, remove the coupling guard, pull the bearing with a puller and fit "
    "a new 6309-2Z bearing heated to 110 C.",
    "[3] Fault log 2024-03: E-104 cleared after realigning the motor coupling on line 3.",
    "[4] Pump P-200 manual, p. 16: Fault E-201 means low lubricating oil pressure.",
])
QUESTIONS = ["What does fault E-104 mean and how do I fix it?",
             "Which bearing do I need for the drive end?",
             "What should I check first when E-104 appears?",
             "What does E-201 mean?"]


def messages(question: str) -> list[Message]:
    return [Message("system", SYSTEM),
            Message("user", f"Sources:\n{SOURCES}\n\nQuestion: {question}")]


def measure(llm: LocalLLM, question: str, gen_tokens: int, cold: bool) -> dict:
    """One streamed answer: first-token latency and llama.cpp's counters."""
    import llama_cpp

    llama = llm.load()
    if cold:
        llama.reset()  # forget the evaluated tokens: no prefix can be reused
    llama_cpp.llama_perf_context_reset(llama.ctx)
    t0 = time.perf_counter()
    first = None
    for _ in llm.stream(messages(question), max_tokens=gen_tokens):
        if first is None:
            first = time.perf_counter() - t0
    perf = llama_cpp.llama_perf_context(llama.ctx)
    return {
        "first": first, "total": time.perf_counter() - t0,
        "prompt_n": perf.n_p_eval, "prompt_tps": perf.n_p_eval / (perf.t_p_eval_ms / 1e3),
        "gen_n": perf.n_eval, "gen_tps": perf.n_eval / (perf.t_eval_ms / 1e3),
    }


def summary(label: str, runs: list[dict]) -> str:
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    return (f"{label:17s} first token {med['first']:6.2f} s | prompt {med['prompt_n']:4.0f} tok "
            f"at {med['prompt_tps']:6.1f} tok/s | generate {med['gen_n']:3.0f} tok at "
            f"{med['gen_tps']:5.1f} tok/s | total {med['total']:5.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, help="GGUF file (default: the embedded Qwen 0.5B)")
    ap.add_argument("--data-dir", type=Path, default=Path("~/.cache/faultdesk").expanduser())
    ap.add_argument("--threads", type=int, default=None, help="default: all usable cores")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--gen-tokens", type=int, default=64)
    ap.add_argument("--build", action="append", default=[], metavar="NAME=DIR",
                    help="compare llama-cpp-python builds (DIR empty = the installed one)")
    ap.add_argument("--serve-kb", type=Path, help="time the first question after `faultdesk serve` starts")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # child mode of --build
    args = ap.parse_args()

    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    if args.build:
        compare_builds(args)
    elif args.repeats:
        run_one(args)
    if args.serve_kb:
        from llm_serve import serve_first_question  # noqa: E402 - benchmarks/llm_serve.py

        serve_first_question(args.serve_kb, args.data_dir)
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


def run_one(args) -> dict:
    """The cold / cached measurement with the llama-cpp-python this process imports."""
    import llama_cpp

    path = args.model or default_model_path(args.data_dir)
    llm = LocalLLM(path, n_threads=args.threads)
    t0 = time.perf_counter()
    llm.load()
    load_s = time.perf_counter() - t0
    cold, cached = [], []
    for i in range(args.repeats):
        cold.append(measure(llm, QUESTIONS[0], args.gen_tokens, cold=True))
        # Same system prompt and sources, another question: reuses the prefix.
        cached.append(measure(llm, QUESTIONS[1 + i % 3], args.gen_tokens, cold=False))
    info = llama_cpp.llama_print_system_info().decode().strip()
    result = {"load_s": load_s, "cold": cold, "cached": cached, "system_info": info}
    if args.json:
        print("RESULT " + json.dumps(result), flush=True)
        return result
    print(f"model   {path.name} ({path.stat().st_size:,} B), {llm.n_threads} threads, loaded in {load_s:.2f} s")
    print(f"llama.cpp: {info}")
    print(summary("cold", cold))
    print(summary("cached", cached))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:.0f} MB (includes the memory-mapped model file)")
    return result


def compare_builds(args) -> None:
    """Each --build in its own process (one after the other, same settings)."""
    for spec in args.build:
        name, _, folder = spec.partition("=")
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (folder, root, env.get("PYTHONPATH")) if p)
        argv = [sys.executable, __file__, "--json", "--repeats", str(args.repeats or 3),
                "--gen-tokens", str(args.gen_tokens), "--data-dir", str(args.data_dir)]
        argv += ["--model", str(args.model)] if args.model else []
        argv += ["--threads", str(args.threads)] if args.threads else []
        proc = subprocess.run(argv, env=env, capture_output=True, text=True)
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
        if proc.returncode or line is None:
            print(f"{name:9s} FAILED: {describe_exit(proc.returncode)}; {proc.stderr.strip()[-300:]}")
            continue
        r = json.loads(line[7:])
        print(f"{name:9s} llama.cpp: {r['system_info']}")
        print(f"{name:9s} loaded in {r['load_s']:.2f} s")
        print(summary(f"{name} cold", r["cold"]))
        print(summary(f"{name} cached", r["cached"]), flush=True)


if __name__ == "__main__":
    main()
