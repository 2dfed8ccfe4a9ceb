#!/usr/bin/env python3
"""Validate the safety3 blind test set."""
import json, os, re, sys, unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
MIN_SIZE = 420
DICE_MAX = 0.6
ZW = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
# lookalike letters used in the set -> Latin
HOMO = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "і": "i", "у": "y", "х": "x",
    "А": "A", "Е": "E", "О": "O", "Р": "P", "С": "C", "І": "I", "В": "B", "Н": "H", "К": "K", "М": "M", "Т": "T", "Х": "X",
    "ο": "o", "α": "a", "ν": "v", "ρ": "p",
    "Β": "B", "Υ": "Y", "Ρ": "P", "Α": "A", "Ο": "O", "Ε": "E", "Τ": "T", "Κ": "K", "Μ": "M", "Ν": "N", "Χ": "X", "Ι": "I",
})
DIGIT = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s"})
OBF_CHARS = set("\u200b\u200c\u200d\u2060\ufeff") | {k for k in "аеорсіухАЕОРСІВНКМТХοανρΒΥΡΑΟΕΤΚΜΝΧΙ"}

errors = []


def err(msg):
    errors.append(msg)


def normalise(text):
    t = text.translate(ZW).translate(HOMO).lower()
    t = re.sub(r"(?<=\w)-(?=\w)", "", t)          # undo hyphenation: by-pass -> bypass
    toks = re.findall(r"[a-z0-9]+", t)
    out = []
    for tok in toks:
        if re.search(r"[a-z]", tok) and re.search(r"[0-9]", tok) and not re.match(r"^[a-z]{0,3}[0-9]+$", tok):
            tok = tok.translate(DIGIT)               # enab1ing -> enabling, 0verload -> overload
        out.append(tok)
    return set(out)


def load(name):
    rows = []
    path = os.path.join(HERE, name)
    with open(path, encoding="utf-8") as fh:
        for ln, line in enumerate(fh, 1):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                err(f"{name}:{ln}: invalid JSON ({e})")
    return rows


def main():
    data = {}
    for label in ("defeat", "legit"):
        rows = load(f"{label}.jsonl")
        data[label] = rows
        prefix = "d3-" if label == "defeat" else "l3-"
        if len(rows) < MIN_SIZE:
            err(f"{label}.jsonl has {len(rows)} rows < {MIN_SIZE}")
        for r in rows:
            for k in ("id", "text", "label", "category"):
                if k not in r or not isinstance(r[k], str) or not r[k]:
                    err(f"{r.get('id')}: missing field {k}")
            extra = set(r) - {"id", "text", "label", "category", "note"}
            if extra:
                err(f"{r['id']}: unexpected fields {extra}")
            if r.get("label") != label:
                err(f"{r['id']}: label {r.get('label')} in {label}.jsonl")
            if not re.fullmatch(re.escape(prefix) + r"\d{4}", r["id"]):
                err(f"{r['id']}: bad id format")
            if not re.fullmatch(r"[a-z_]+/[a-z_]+", r["category"]):
                err(f"{r['id']}: bad category {r['category']}")
            n = len(r["text"].split())
            if not 6 <= n <= 45:
                err(f"{r['id']}: {n} words")
            if any(c in OBF_CHARS for c in r["text"]) and not r.get("note"):
                err(f"{r['id']}: obfuscation characters but no note")
            if r["category"].startswith("obfuscated/") and not r.get("note"):
                err(f"{r['id']}: obfuscated item without note")
        # splits
        dev = load(f"{label}_dev.jsonl")
        held = load(f"{label}_heldout.jsonl")
        ids = Counter(r["id"] for r in rows)
        dids = [r["id"] for r in dev]
        hids = [r["id"] for r in held]
        if set(dids) & set(hids):
            err(f"{label}: dev/heldout overlap")
        if sorted(dids + hids) != sorted(ids):
            err(f"{label}: dev+heldout != full set")
        if abs(len(dev) - len(held)) > 1:
            err(f"{label}: split sizes {len(dev)}/{len(held)}")
        full = {r["id"]: r for r in rows}
        for r in dev + held:
            if full.get(r["id"]) != r:
                err(f"{label}: split row {r['id']} differs from source")

    allrows = data["defeat"] + data["legit"]
    for k, c in Counter(r["id"] for r in allrows).items():
        if c > 1:
            err(f"duplicate id {k}")
    for k, c in Counter(r["text"] for r in allrows).items():
        if c > 1:
            err(f"duplicate text {k!r}")
    for k, c in Counter(" ".join(sorted(normalise(r["text"]))) for r in allrows).items():
        if c > 1:
            err(f"duplicate normalised text {k!r}")

    sets = [(r["id"], normalise(r["text"])) for r in allrows]
    n_pairs = 0
    for i in range(len(sets)):
        a_id, a = sets[i]
        for j in range(i + 1, len(sets)):
            b_id, b = sets[j]
            d = 2 * len(a & b) / (len(a) + len(b))
            if d > DICE_MAX:
                n_pairs += 1
                err(f"near-duplicate {a_id} ~ {b_id}: dice={d:.2f}")

    if errors:
        for e in errors:
            print("FAIL:", e)
        print(f"{len(errors)} problem(s)")
        sys.exit(1)
    print(f"OK: defeat={len(data['defeat'])} legit={len(data['legit'])}; "
          f"splits balanced; no near-duplicates (Dice > {DICE_MAX}) among {len(allrows)} texts")


if __name__ == "__main__":
    main()
