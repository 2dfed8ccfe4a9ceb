"""Builds the sample knowledge base: manual PDFs and fault-log CSVs.

Usage::

    python -m knowledge_base.samples.build [--out DIR]

Without ``--out`` the files are written next to this script
(``manuals/<machine>.pdf``, ``logs/work_orders.csv``,
``logs/asset_register.csv``). The build is deterministic: rerunning it gives
byte-identical files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from . import faultlog, mdsource, render

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"


def build_manuals(out: Path, src: Path = SRC) -> dict[str, int]:
    """Render every ``src/*.md`` to ``out/manuals/*.pdf``; returns pages per file."""
    pages = {}
    for path in sorted(src.glob("*.md")):
        model, elements = mdsource.load(path)
        pdf = out / "manuals" / f"{path.stem}.pdf"
        pages[pdf.name] = render.render(elements, model, mdsource.title_of(elements), pdf)
    return pages


def build_logs(out: Path, src: Path = SRC) -> int:
    """Write the work-order export and asset register; returns the record count."""
    records = faultlog.generate(src)
    faultlog.write(records, out / "logs" / "work_orders.csv")
    faultlog.write_register(out / "logs" / "asset_register.csv")
    return len(records)


def build(out: Path = HERE) -> tuple[dict[str, int], int]:
    """Build everything into ``out``."""
    return build_manuals(out), build_logs(out)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: the samples folder)")
    args = parser.parse_args(argv)
    pages, records = build(args.out)
    for name, n in pages.items():
        print(f"{name}: {n} pages")
    print(f"work_orders.csv: {records} records")


if __name__ == "__main__":
    main()
