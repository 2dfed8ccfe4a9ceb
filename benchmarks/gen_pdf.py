"""Generate a large synthetic service manual as a PDF, for ingest benchmarks.

Each page carries a numbered heading, prose, a numbered procedure, a warning
and a few fault-code table lines, so parsing and chunking do real work. The
text is varied from a seeded generator; nothing is copied from anywhere.

    python benchmarks/gen_pdf.py OUT.pdf --pages 1000
"""

from __future__ import annotations

import argparse
import random

PARTS = ["bearing", "seal", "impeller", "coupling", "motor", "valve", "filter", "belt", "pulley",
         "gearbox", "sensor", "contactor", "fan", "housing", "shaft", "gasket", "strainer", "nozzle"]
VERBS = ["inspect", "clean", "replace", "tighten", "measure", "lubricate", "align", "check", "record"]
STATES = ["worn", "loose", "contaminated", "overheated", "misaligned", "cracked", "blocked", "noisy"]


def sentence(rng: random.Random) -> str:
    return (f"If the {rng.choice(PARTS)} is {rng.choice(STATES)}, {rng.choice(VERBS)} the "
            f"{rng.choice(PARTS)} and {rng.choice(VERBS)} the {rng.choice(PARTS)} before restart.")


def build(out: str, pages: int, seed: int = 7) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    rng = random.Random(seed)
    c = Canvas(out, pagesize=A4, invariant=1)
    c.setTitle("Benchmark BX-100K Service Manual")
    for p in range(1, pages + 1):
        y = 800

        def line(text: str, size: int = 10) -> None:
            nonlocal y
            c.setFont("Helvetica-Bold" if size > 10 else "Helvetica", size)
            c.drawString(50, y, text[:110])
            y -= size + 5

        line(f"{p // 10 + 1}.{p % 10 + 1} Service topic {p}: {rng.choice(PARTS)} {rng.choice(STATES)}", 12)
        for _ in range(6):
            line(sentence(rng))
        y -= 6
        line("To restore normal operation:")
        for step in range(1, 6):
            line(f"{step}. {rng.choice(VERBS).capitalize()} the {rng.choice(PARTS)} ({rng.randint(5, 90)} Nm).")
        y -= 6
        line(f"WARNING: Lock out the {rng.choice(PARTS)} supply before opening the housing.")
        y -= 6
        for _ in range(4):
            code = f"E-{rng.randint(100, 999)}"
            line(f"{code} {rng.choice(PARTS)} {rng.choice(STATES)} - {rng.choice(VERBS)} the {rng.choice(PARTS)}")
        for _ in range(8):
            line(sentence(rng))
        c.setFont("Helvetica", 8)
        c.drawString(250, 30, f"BX-100K Service Manual - page {p} of {pages}")
        c.showPage()
    c.save()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, default=1000)
    args = ap.parse_args()
    build(args.out, args.pages)
