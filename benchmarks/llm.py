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

  * portable vs native build: the measurement above runs in child processes
    of this interpreter (the portable wheel of ``make install``) and of
    ``--native PYTHON`` (default ``/tmp/native-venv/bin/python``, made by
    ``make llama-native``: a clean venv with only numpy and a plain
    ``-march=native`` build of the same llama-cpp-python), taking turns (one
    cold/cached pair per process) with the same settings and thread count,
    and prints them side by side (medians over the turns) with each
    build's ``llama_print_system_info()``. A build that crashes on this CPU is
    reported ("native crashed (killed by SIGSEGV, exit 139)") instead of
    ending the benchmark. ``--native ''`` skips it.
  * ``--serve-kb KB``: starts ``faultdesk serve --llm local`` over KB and
    times the first question over the streaming REST API, cold once and warm
    ``--serve-runs`` times (benchmarks/llm_serve.py): the first visible
    sentence, the model's first piece and the whole answer, with the server's
    breakdown (retrieval, prompt tokens evaluated / reused, prompt and
    generation time), and the warm medians against the 3 s target.

One command prints all of it:

    .venv/bin/python benchmarks/llm.py --serve-kb /tmp/llmkb
    .venv/bin/python benchmarks/llm.py --repeats 5 --native ''     # this build only
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
from assistant.llm.local import threads_for_load  # noqa: E402
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


NATIVE_PYTHON = "/tmp/native-venv/bin/python"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, help="GGUF file (default: the embedded Qwen 0.5B)")
    ap.add_argument("--data-dir", type=Path, default=Path("~/.cache/faultdesk").expanduser())
    ap.add_argument("--threads", type=int, default=None, help="default: chosen by the load average at start (all cores when free, else 1)")
    ap.add_argument("--repeats", type=int, default=3, help="cold/cached pairs per build (0: none)")
    ap.add_argument("--gen-tokens", type=int, default=64)
    ap.add_argument("--native", default=NATIVE_PYTHON, metavar="PYTHON",
                    help="interpreter with the native build ('' = skip; default %(default)s)")
    ap.add_argument("--serve-kb", type=Path, help="time the first question after `faultdesk serve` starts")
    ap.add_argument("--serve-runs", type=int, default=3, help="warm servers to start (median)")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # child mode
    args = ap.parse_args()

    if args.json:
        run_one(args)
        return
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, commit {_commit()}, "
          f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    if args.repeats:
        compare_builds(args)
    if args.serve_kb:
        from llm_serve import serve_first_question  # noqa: E402 - benchmarks/llm_serve.py

        serve_first_question(args.serve_kb, args.data_dir, args.serve_runs)
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


def _commit() -> str:
    try:
        root = Path(__file__).resolve().parent.parent
        return subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def run_one(args) -> dict:
    """The cold / cached measurement with the llama-cpp-python this process
    imports; prints one ``RESULT {json}`` line (child mode)."""
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
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"load_s": load_s, "cold": cold, "cached": cached, "system_info": info, "threads": llm.n_threads,
              "model": f"{path.name} ({path.stat().st_size:,} B)", "rss_mb": rss,
              "version": getattr(llama_cpp, "__version__", "?")}
    print("RESULT " + json.dumps(result), flush=True)
    return result


def compare_builds(args) -> None:
    """This interpreter's build (portable) and ``--native``'s, each in its own
    process with the same settings, taking turns (one cold/cached pair per
    process, portable, native, portable, ...) so that a change of the machine's
    load falls on both; side by side."""
    builds = [("portable", sys.executable)] + ([("native", args.native)] if args.native else [])
    # Both builds get the same thread count: chosen once here by the load (as the server would).
    threads = args.threads or threads_for_load(len(os.sched_getaffinity(0)), os.getloadavg()[0])
    results: dict[str, dict] = {}
    failed: set[str] = set()
    for turn in range(args.repeats):
        for name, python in builds:
            if name in failed:
                continue
            if not Path(python).exists():
                print(f"{name:9s} not measured: {python} does not exist (make llama-native builds it)")
                failed.add(name)
                continue
            r = _child(args, python, threads, name)
            if r is None:
                failed.add(name)
                continue
            if name not in results:
                results[name] = r
                print(f"{name:9s} {python}: llama-cpp-python {r['version']}, {r['threads']} threads, model "
                      f"{r['model']}, loaded in {r['load_s']:.2f} s, peak RSS {r['rss_mb']:.0f} MB\n"
                      f"{name:9s} llama_print_system_info: {r['system_info']}", flush=True)
            else:
                results[name]["cold"] += r["cold"]
                results[name]["cached"] += r["cached"]
    if not results:
        return
    print(f"median of {args.repeats} turns | " + " | ".join(f"{n:>9s}" for n in results))
    rows = [("cold prompt tok/s", "cold", "prompt_tps", "{:9.1f}"), ("cold first token s", "cold", "first", "{:9.2f}"),
            ("cached first token s", "cached", "first", "{:9.2f}"), ("generation tok/s", "cold", "gen_tps", "{:9.1f}"),
            ("cold prompt tokens", "cold", "prompt_n", "{:9.0f}"), ("cached prompt tokens", "cached", "prompt_n", "{:9.0f}")]
    for label, kind, key, fmt in rows:
        print(f"{label:20s} | " + " | ".join(fmt.format(statistics.median(x[key] for x in r[kind]))
                                            for r in results.values()), flush=True)


def _child(args, python: str, threads: int, name: str) -> dict | None:
    """One cold/cached pair in a fresh process of ``python``; None (and a line
    saying how) when it crashed."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    argv = [python, __file__, "--json", "--repeats", "1", "--gen-tokens", str(args.gen_tokens),
            "--data-dir", str(args.data_dir), "--threads", str(threads)]
    argv += ["--model", str(args.model)] if args.model else []
    proc = subprocess.run(argv, env=env, capture_output=True, text=True)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if proc.returncode or line is None:
        code = 128 - proc.returncode if proc.returncode < 0 else proc.returncode
        print(f"{name:9s} crashed ({describe_exit(proc.returncode)}, exit {code}): "
              f"{proc.stderr.strip()[-300:]}", flush=True)
        return None
    return json.loads(line[7:])


if __name__ == "__main__":
    main()
