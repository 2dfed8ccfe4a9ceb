"""Scanned copies of PDFs: each page rendered at 150 dpi, mild noise, a 1-2 degree
skew, saved as an image-only PDF (no text layer). Generated, never committed.

    python benchmarks/scanned_copy.py IN.pdf... --out DIR [--seed 7]

Used by benchmarks/ocr_scanned.py; seeded, so a run is repeatable.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import numpy as np

DPI = 150


def scan_page(page, rng: random.Random, dpi: int = DPI):
    """A PIL image of one pypdfium2 page as a cheap scanner would give it."""
    from PIL import Image

    image = page.render(scale=dpi / 72).to_pil().convert("L")
    angle = rng.uniform(1.0, 2.0) * rng.choice((-1, 1))
    image = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    pixels = np.asarray(image, dtype=np.float32)
    noise = np.random.default_rng(rng.randrange(2 ** 32)).normal(0.0, 12.0, pixels.shape)
    speckle = np.random.default_rng(rng.randrange(2 ** 32)).random(pixels.shape) < 0.002
    pixels = np.clip(pixels + noise, 0, 255)
    pixels[speckle] = 0
    return Image.fromarray(pixels.astype(np.uint8), "L")


def scan_pdf(src: Path, dst: Path, seed: int = 7) -> int:
    """Write the scanned copy of ``src`` to ``dst``; return its page count."""
    import pypdfium2

    rng = random.Random(f"{seed}:{src.name}")
    pdf = pypdfium2.PdfDocument(str(src))
    images = [scan_page(pdf[i], rng) for i in range(len(pdf))]
    dst.parent.mkdir(parents=True, exist_ok=True)
    images[0].save(dst, "PDF", save_all=True, append_images=images[1:], resolution=DPI)
    return len(images)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdfs", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    for src in args.pdfs:
        n = scan_pdf(src, args.out / src.name, args.seed)
        print(f"{src.name}: {n} pages scanned to {args.out / src.name}")


if __name__ == "__main__":
    main()
