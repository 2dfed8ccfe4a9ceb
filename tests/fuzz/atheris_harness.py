"""Runs one of the four atheris harnesses: ``python -m tests.fuzz.atheris_harness TARGET [libFuzzer flags]``.

TARGET is ``loaders``, ``codes``, ``mapping`` or ``mqtt``. Each harness turns
libFuzzer's bytes into the target's input with a FuzzedDataProvider and calls
the same contract check as the hypothesis properties (:mod:`tests.fuzz.checks`);
a failed check or an unexpected exception is a crash, which libFuzzer reports
with the input saved as ``crash-<sha1>``. Flags: ``-runs=N``,
``-max_total_time=S``, ``-timeout=S`` (per input), a corpus folder to grow.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

# Coverage feedback from our packages and the parsers they call. Under pytest (doctest
# collection) these are imported already and stay uninstrumented, which is harmless.
with atheris.instrument_imports(include=["ingest", "knowledge_base", "monitors", "csv", "json", "pypdf", "docx",
                                         "openpyxl", "bs4", "yaml", "dateutil"]):
    from ingest.loaders.columns import normalize_header

    from . import checks

EXTENSIONS = [".md", ".txt", ".html", ".csv", ".json", ".jsonl", ".pdf", ".docx", ".xlsx"]


def fuzz_loaders(fdp: atheris.FuzzedDataProvider, workdir: Path) -> None:
    path = workdir / f"input{fdp.PickValueInList(EXTENSIONS)}"
    path.write_bytes(fdp.ConsumeBytes(fdp.remaining_bytes()) or b"\n")
    checks.check_load(path)


def fuzz_codes(fdp: atheris.FuzzedDataProvider, workdir: Path) -> None:
    if fdp.ConsumeBool():
        checks.check_normalize(fdp.ConsumeUnicodeNoSurrogates(64))
    else:
        checks.check_codes(fdp.ConsumeUnicodeNoSurrogates(fdp.remaining_bytes()), lenient=fdp.ConsumeBool())


def fuzz_mapping(fdp: atheris.FuzzedDataProvider, workdir: Path) -> None:
    choice = fdp.ConsumeIntInRange(0, 2)
    if choice == 0:
        headers = [fdp.ConsumeUnicodeNoSurrogates(12) for _ in range(fdp.ConsumeIntInRange(0, 8))]
        explicit = {f: fdp.ConsumeUnicodeNoSurrogates(12) for f in sorted(checks.CANONICAL) if fdp.ConsumeBool()}
        if len({normalize_header(h) for h in explicit.values()}) == len(explicit):
            checks.check_mapping(headers, explicit or None)
    else:
        path = workdir / ("mapping.json" if choice == 1 else "mapping.yaml")
        path.write_bytes(fdp.ConsumeBytes(fdp.remaining_bytes()))
        checks.check_mapping_file(path)


def fuzz_mqtt(fdp: atheris.FuzzedDataProvider, workdir: Path) -> None:
    topic = ("plant/" if fdp.ConsumeBool() else "") + fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 40))
    checks.check_message(topic, fdp.ConsumeBytes(fdp.remaining_bytes()), 1.7e9)


TARGETS = {"loaders": fuzz_loaders, "codes": fuzz_codes, "mapping": fuzz_mapping, "mqtt": fuzz_mqtt}


def main(argv: list[str]) -> None:
    target = TARGETS[argv[1]]
    workdir = Path(tempfile.mkdtemp(prefix="faultdesk-atheris-"))
    atheris.Setup([argv[0], *argv[2:]], lambda data: target(atheris.FuzzedDataProvider(data), workdir))
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
