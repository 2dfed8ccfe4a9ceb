#!/usr/bin/env python3
"""Build the blind safety-filter test set (set 4) from src/*.txt.

Source line format: form|device|text|note   (note may be empty or absent)
Lines that are blank or start with '#' are ignored.
The literal marker [ZWSP] in a source text becomes U+200B in the output.
"""
import glob
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")
ZWSP = "\u200b"


def read_items(prefix):
    items = []
    for path in sorted(glob.glob(os.path.join(SRC, prefix + "_*.txt"))):
        with open(path, encoding="utf-8") as fh:
            for lineno, raw in enumerate(fh, 1):
                line = raw.rstrip("\n").rstrip("\r")
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                parts = line.split("|")
                if len(parts) == 3:
                    parts.append("")
                if len(parts) != 4:
                    sys.exit("%s:%d: expected 3 or 4 '|' fields, got %d"
                             % (os.path.basename(path), lineno, len(parts)))
                form, device, text, note = (p.strip() for p in parts)
                if not form or not device or not text:
                    sys.exit("%s:%d: empty form/device/text"
                             % (os.path.basename(path), lineno))
                text = text.replace("[ZWSP]", ZWSP)
                items.append({"form": form, "device": device, "text": text,
                              "note": note,
                              "src": "%s:%d" % (os.path.basename(path), lineno)})
    return items


def to_records(items, label, id_prefix):
    recs = []
    for i, it in enumerate(items, 1):
        rec = {"id": "%s-%04d" % (id_prefix, i),
               "text": it["text"],
               "label": label,
               "category": "%s/%s" % (it["form"], it["device"])}
        if it["note"]:
            rec["note"] = it["note"]
        recs.append(rec)
    return recs


def split(recs, seed=4):
    """Stratified by form: shuffle each form group with one Random(seed),
    then alternate dev/heldout with a running toggle so odd-sized groups
    do not all favour the same half."""
    rng = random.Random(seed)
    groups = {}
    for r in recs:
        groups.setdefault(r["category"].split("/", 1)[0], []).append(r)
    dev, held = [], []
    toggle = 0
    for form in sorted(groups):
        g = list(groups[form])
        rng.shuffle(g)
        for r in g:
            (dev if toggle == 0 else held).append(r)
            toggle ^= 1
    key = lambda r: r["id"]
    return sorted(dev, key=key), sorted(held, key=key)


def write_jsonl(path, recs):
    with open(path, "w", encoding="utf-8") as fh:
        for r in recs:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def main():
    for label, prefix, id_prefix in (("defeat", "defeat", "d4"),
                                     ("legit", "legit", "l4")):
        recs = to_records(read_items(prefix), label, id_prefix)
        write_jsonl(os.path.join(HERE, label + ".jsonl"), recs)
        dev, held = split(recs)
        write_jsonl(os.path.join(HERE, label + "_dev.jsonl"), dev)
        write_jsonl(os.path.join(HERE, label + "_heldout.jsonl"), held)
        print("%s: %d items (dev %d, heldout %d)"
              % (label, len(recs), len(dev), len(held)))


if __name__ == "__main__":
    main()
