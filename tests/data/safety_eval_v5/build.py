#!/usr/bin/env python3
"""Assemble the blind safety-filter evaluation set from the hand-written
source files in src/ and split it deterministically (seed 20261205).

src/defeat_*.txt : "style | device | action | text"   (one sentence per line)
src/legit_*.txt  : "topic | hard | text"
Lines starting with '#' and blank lines are ignored.
"""
import glob, json, os, random, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20261205
DEV_FRACTION = 0.4


def read_rows(pattern, nfields):
    rows = []
    for path in sorted(glob.glob(os.path.join(HERE, "src", pattern))):
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                parts = line.split(" | ", nfields - 1)
                if len(parts) != nfields:
                    raise SystemExit(f"{path}:{lineno}: expected {nfields} fields: {line!r}")
                rows.append([p.strip() if i < nfields - 1 else p for i, p in enumerate(parts)])
    return rows


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def split(rows, key):
    rng = random.Random(SEED)
    strata = {}
    for r in rows:
        strata.setdefault(key(r), []).append(r)
    dev, held = [], []
    for k in sorted(strata, key=str):
        items = sorted(strata[k], key=lambda r: r["id"])
        rng.shuffle(items)
        n_dev = int(round(len(items) * DEV_FRACTION))
        dev += items[:n_dev]
        held += items[n_dev:]
    return sorted(dev, key=lambda r: r["id"]), sorted(held, key=lambda r: r["id"])


def main():
    defeat = []
    for i, (style, device, action, text) in enumerate(read_rows("defeat_*.txt", 4), 1):
        defeat.append({"id": f"sf5-d{i:04d}", "text": text, "device": device,
                       "action": action, "style": style})
    legit = []
    for i, (topic, hard, text) in enumerate(read_rows("legit_*.txt", 3), 1):
        if hard not in ("true", "false"):
            raise SystemExit(f"bad hard flag {hard!r} in {text!r}")
        legit.append({"id": f"sf5-l{i:04d}", "text": text, "topic": topic,
                      "hard": hard == "true"})
    # unicode-style rows must really contain non-ASCII characters
    for r in defeat:
        if r["style"] == "unicode" and r["text"].isascii():
            raise SystemExit(f"unicode row is pure ASCII: {r}")
    write_jsonl(os.path.join(HERE, "defeat.jsonl"), defeat)
    write_jsonl(os.path.join(HERE, "legit.jsonl"), legit)
    d_dev, d_held = split(defeat, lambda r: r["style"])
    l_dev, l_held = split(legit, lambda r: r["hard"])
    write_jsonl(os.path.join(HERE, "defeat_dev.jsonl"), d_dev)
    write_jsonl(os.path.join(HERE, "defeat_heldout.jsonl"), d_held)
    write_jsonl(os.path.join(HERE, "legit_dev.jsonl"), l_dev)
    write_jsonl(os.path.join(HERE, "legit_heldout.jsonl"), l_held)
    print(f"defeat {len(defeat)} (dev {len(d_dev)}, heldout {len(d_held)}); "
          f"legit {len(legit)} (dev {len(l_dev)}, heldout {len(l_held)}, "
          f"hard {sum(r['hard'] for r in legit)})")


if __name__ == "__main__":
    main()
