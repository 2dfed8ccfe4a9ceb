#!/usr/bin/env python3
"""Build defeat/legit JSONL files and a deterministic dev/heldout split
from the hand-written sources in src/*.txt.

Source format: one item per line, `form|device|text|note`; lines starting
with '#' are comments.  The placeholder [ZWSP] is turned into a literal
U+200B zero-width space (it is invisible, so it is written as a marker in
the source).  All other obfuscation characters (Cyrillic/Greek lookalikes)
are written literally in the sources.
"""
import json, os, random, glob
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20261205


def load(prefix):
    items = []
    for path in sorted(glob.glob(os.path.join(HERE, "src", prefix + "_*.txt"))):
        with open(path, encoding="utf-8") as fh:
            for ln, line in enumerate(fh, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                parts = line.split("|")
                if len(parts) != 4:
                    raise SystemExit(f"{path}:{ln}: expected 4 fields, got {len(parts)}")
                form, device, text, note = (p.strip() if i != 2 else p for i, p in enumerate(parts))
                text = text.replace("[ZWSP]", "\u200b")
                items.append((form, device, text, note))
    return items


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def split(rows, seed):
    """Deterministic stratified split by category = form/device.

    Items are visited in a seeded-shuffle order; each goes to the half
    (dev or heldout) that keeps three counts most even: items of the same
    form, items of the same device, and the total.  Ties are broken by the
    seeded RNG.  Result: every form and every device is split evenly
    (difference of at most a couple of items) and the halves differ by at
    most one item."""
    rng = random.Random(seed)
    order = sorted(rows, key=lambda r: r["id"])
    rng.shuffle(order)
    n = len(order)
    halves = ([], [])
    cnt = (defaultdict(int), defaultdict(int))
    for r in order:
        form, device = r["category"].split("/", 1)
        keys = ("F:" + form, "D:" + device)
        scores = []
        for side in (0, 1):
            if len(halves[side]) >= (n + 1) // 2:
                scores.append(float("inf"))
                continue
            other = 1 - side
            sc = sum(abs(cnt[side][k] + 1 - cnt[other][k]) for k in keys)
            sc += abs(len(halves[side]) + 1 - len(halves[other])) * 0.5
            scores.append(sc)
        if scores[0] == scores[1]:
            side = rng.randrange(2)
        else:
            side = 0 if scores[0] < scores[1] else 1
        halves[side].append(r)
        for k in keys:
            cnt[side][k] += 1
    key = lambda r: r["id"]
    return sorted(halves[0], key=key), sorted(halves[1], key=key)


def main():
    for label, prefix, idp, seed in (("defeat", "defeat", "d3", SEED), ("legit", "legit", "l3", SEED + 1)):
        rows = []
        for i, (form, device, text, note) in enumerate(load(prefix), 1):
            r = {"id": f"{idp}-{i:04d}", "text": text, "label": label, "category": f"{form}/{device}"}
            if note:
                r["note"] = note
            rows.append(r)
        write_jsonl(os.path.join(HERE, f"{label}.jsonl"), rows)
        d, h = split(rows, seed)
        write_jsonl(os.path.join(HERE, f"{label}_dev.jsonl"), d)
        write_jsonl(os.path.join(HERE, f"{label}_heldout.jsonl"), h)
        print(f"{label}: {len(rows)} total, {len(d)} dev, {len(h)} heldout")


if __name__ == "__main__":
    main()
