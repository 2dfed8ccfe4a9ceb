"""Fill rate and correctness of work-order fields on CMMS exports mapped without a mapping file.

For each system shape of :mod:`benchmarks.cmms_exports` (Maximo, SAP PM, a
chiller plant's export) the export is written, loaded by faultdesk's loader
with no ``--mapping``, and every row's work order is compared with the row's
truth. Per field: *filled* is the share of rows (among those whose export
holds the field) where the work order has a value, *correct* the share where
that value is the right one (same id / asset / code / text, time to the
minute, downtime within 0.01 h). The baseline is the mapper of commit
``e632062`` (before issue 14), loaded from git and run on the same files in
the same run.

    python benchmarks/cmms_mapping.py [--rows 4248] [--seed 14]

The vocabularies were written from the same public documentation as these
shapes, so the figures say the documented shapes map; they are not a
measurement on exports nobody here has seen.
"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.cmms_exports import FIELDS, SYSTEMS, Truth, write_export  # noqa: E402
from knowledge_base.errors import IngestError  # noqa: E402
from knowledge_base.types import WorkOrder  # noqa: E402

BASELINE_COMMIT = "e632062"
ROOT = Path(__file__).resolve().parent.parent


def _value(wo: WorkOrder, field: str):
    """The field's value; an id made up from the row number (``<file>-row<N>``) is no id read."""
    value = getattr(wo, field)
    return None if field == "wo_id" and re.search(r"-row\d+$", value) else value


def _right(field: str, got, want) -> bool:
    if got in (None, ""):
        return False
    if field == "timestamp":
        return str(got)[:16] == str(want)[:16]
    if field == "downtime_h":
        return abs(float(got) - float(want)) < 0.01
    return str(got) == str(want)


def score(records: list[WorkOrder], truths: list[Truth]) -> dict[str, tuple[float, float, int]]:
    """{field: (filled share, correct share, rows whose export holds the field)}."""
    out = {}
    for field in FIELDS:
        pairs = [(r, getattr(t, field)) for r, t in zip(records, truths, strict=True)
                 if getattr(t, field) is not None]
        n = len(pairs) or 1
        filled = sum(1 for r, _ in pairs if _value(r, field) not in (None, "")) / n
        correct = sum(1 for r, want in pairs if _right(field, _value(r, field), want)) / n
        out[field] = (filled, correct, len(pairs))
    return out


def baseline_loader():
    """``load_file`` with the column mapper and record builder of BASELINE_COMMIT."""
    pkg = types.ModuleType("baseline_loaders")
    pkg.__path__ = []
    sys.modules["baseline_loaders"] = pkg
    for name in ("options", "columns", "records"):
        src = subprocess.run(["git", "-C", str(ROOT), "show", f"{BASELINE_COMMIT}:ingest/loaders/{name}.py"],
                             capture_output=True, text=True, check=True).stdout
        mod = types.ModuleType(f"baseline_loaders.{name}")
        mod.__package__ = "baseline_loaders"
        sys.modules[mod.__name__] = mod
        exec(compile(src, f"{BASELINE_COMMIT}:ingest/loaders/{name}.py", "exec"), mod.__dict__)
    logs = importlib.import_module("ingest.loaders.logs")
    old_build, old_options = sys.modules["baseline_loaders.records"].build_log, sys.modules["baseline_loaders.options"]

    def load(path: Path):
        headers, rows = logs.TABLE_READERS[path.suffix](path)
        return old_build(path, headers, rows, old_options.LoadOptions())
    return load


def run(rows: int, seed: int) -> list[tuple[str, str, dict]]:
    from ingest.loaders import load_file

    old = baseline_loader()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for system in SYSTEMS:
            path, truths = write_export(system, Path(tmp), rows, seed)
            t0 = time.perf_counter()
            doc = load_file(path)
            seconds = time.perf_counter() - t0
            results.append((system, "faultdesk", score(list(doc.records), truths) | {"_s": seconds,
                                                                                  "_notes": doc.notes}))
            try:
                base = score(list(old(path).records), truths)
            except IngestError as exc:  # the old mapper refused the file
                base = {f: (0.0, 0.0, 0) for f in FIELDS} | {"_error": str(exc)}
            results.append((system, f"baseline {BASELINE_COMMIT}", base))
    return results


def main() -> None:
    rows = int(sys.argv[sys.argv.index("--rows") + 1]) if "--rows" in sys.argv else 4248
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 14
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    print(f"# CMMS export mapping without a mapping file: {rows} rows per system, seed {seed}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {commit}")
    print("# filled / correct, among rows whose export holds the field")
    print(f"{'system':<8} {'mapper':<18}" + "".join(f"{f:>20}" for f in FIELDS))
    for system, mapper, s in run(rows, seed):
        cells = "".join(f"{s[f][0]:>11.1%} /{s[f][1]:>6.1%}" for f in FIELDS)
        print(f"{system:<8} {mapper:<18}{cells}")
        if "_error" in s:
            print(f"{'':<27}refused: {s['_error'][-120:]}")
        if "_s" in s:
            print(f"{'':<27}{rows / s['_s']:,.0f} rows/s; notes: {'; '.join(s['_notes'])[:300]}")


if __name__ == "__main__":
    main()
