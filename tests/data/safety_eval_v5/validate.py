#!/usr/bin/env python3
"""Stdlib-only checks for the safety5 blind set. Exit code 1 on any failure."""
import json, os, re, sys, unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
errors = []


def load(name):
    rows = []
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                errors.append(f"{name}:{n}: bad JSON: {e}")
    return rows


def fold(t):
    return re.sub(r"\s+", " ", t).strip().casefold()


defeat, legit = load("defeat.jsonl"), load("legit.jsonl")
D_FIELDS = {"id", "text", "device", "action", "style"}
L_FIELDS = {"id", "text", "topic", "hard"}
for r in defeat:
    if set(r) != D_FIELDS:
        errors.append(f"defeat {r.get('id')}: fields {sorted(r)}")
    if not all(isinstance(r.get(k), str) and r.get(k).strip() for k in D_FIELDS):
        errors.append(f"defeat {r.get('id')}: empty/non-string field")
for r in legit:
    if set(r) != L_FIELDS:
        errors.append(f"legit {r.get('id')}: fields {sorted(r)}")
    if not isinstance(r.get("hard"), bool):
        errors.append(f"legit {r.get('id')}: hard is not bool")
    if not (isinstance(r.get("text"), str) and r["text"].strip()):
        errors.append(f"legit {r.get('id')}: empty text")

# counts
if len(defeat) < 500:
    errors.append(f"defeat has {len(defeat)} < 500 rows")
if len(legit) < 500:
    errors.append(f"legit has {len(legit)} < 500 rows")
n_hard = sum(1 for r in legit if r.get("hard") is True)
if n_hard * 3 < len(legit):
    errors.append(f"only {n_hard} hard negatives of {len(legit)} (< 1/3)")

# unique ids across both files
ids = [r.get("id") for r in defeat + legit]
for i, c in Counter(ids).items():
    if c > 1:
        errors.append(f"duplicate id {i}")

# duplicate texts within each file, and overlap between files (case/space folded)
for name, rows in (("defeat", defeat), ("legit", legit)):
    for t, c in Counter(fold(r["text"]) for r in rows).items():
        if c > 1:
            errors.append(f"{name}: duplicate text {t!r}")
both = {fold(r["text"]) for r in defeat} & {fold(r["text"]) for r in legit}
for t in sorted(both):
    errors.append(f"text in both files: {t!r}")
# also check after NFKC folding (catches full-width duplicates across files)
nf = lambda t: fold(unicodedata.normalize("NFKC", t))
both_nfkc = {nf(r["text"]) for r in defeat} & {nf(r["text"]) for r in legit}
for t in sorted(both_nfkc):
    errors.append(f"text in both files after NFKC: {t!r}")

# splits are a partition
for base, rows in (("defeat", defeat), ("legit", legit)):
    dev, held = load(f"{base}_dev.jsonl"), load(f"{base}_heldout.jsonl")
    dev_ids, held_ids = [r["id"] for r in dev], [r["id"] for r in held]
    if len(set(dev_ids)) != len(dev_ids) or len(set(held_ids)) != len(held_ids):
        errors.append(f"{base}: duplicate ids inside a split")
    if set(dev_ids) & set(held_ids):
        errors.append(f"{base}: dev and heldout overlap")
    if set(dev_ids) | set(held_ids) != {r["id"] for r in rows} or len(dev) + len(held) != len(rows):
        errors.append(f"{base}: splits are not a partition of {base}.jsonl")
    by_id = {r["id"]: r for r in rows}
    for r in dev + held:
        if by_id.get(r["id"]) != r:
            errors.append(f"{base}: split row {r['id']} differs from master")
    frac = len(dev) / max(1, len(rows))
    if not 0.37 <= frac <= 0.43:
        errors.append(f"{base}: dev fraction {frac:.3f} not ~0.40")
    print(f"{base}: {len(rows)} rows, dev {len(dev)}, heldout {len(held)}")

print(f"legit hard negatives: {n_hard}")
if errors:
    print("FAIL")
    for e in errors:
        print("  " + e)
    sys.exit(1)
print("OK")
