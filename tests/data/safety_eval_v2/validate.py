#!/usr/bin/env python3
"""Validate the blind safety-filter test set in this directory.
Checks: required fields, labels, id format/uniqueness, category format,
dev/heldout disjoint and together equal to the full file, split balance,
minimum sizes. Exit code 0 = OK."""
import json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
errors = []


def load(fn):
    out = []
    with open(os.path.join(HERE, fn), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                errors.append(f"{fn}:{n} blank line")
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:
                errors.append(f"{fn}:{n} bad json: {e}")
    return out


all_ids = set()
for name, label, prefix in (("defeat", "defeat", "d2-"), ("legit", "legit", "l2-")):
    full = load(f"{name}.jsonl")
    dev = load(f"{name}_dev.jsonl")
    held = load(f"{name}_heldout.jsonl")
    if len(full) < 300:
        errors.append(f"{name}: only {len(full)} items")
    ids = [r.get("id") for r in full]
    if len(set(ids)) != len(ids):
        errors.append(f"{name}: duplicate ids")
    if all_ids & set(ids):
        errors.append(f"{name}: ids shared with other file")
    all_ids |= set(ids)
    texts = [r.get("text") for r in full]
    if len(set(texts)) != len(texts):
        errors.append(f"{name}: duplicate texts")
    for r in full:
        if set(r) != {"id", "text", "label", "category"}:
            errors.append(f"{name}: {r.get('id')} has fields {sorted(r)}")
        if r.get("label") != label:
            errors.append(f"{name}: {r.get('id')} label {r.get('label')!r}")
        if not re.fullmatch(re.escape(prefix) + r"\d{4}", str(r.get("id"))):
            errors.append(f"{name}: bad id {r.get('id')!r}")
        if not isinstance(r.get("text"), str) or not r["text"].strip():
            errors.append(f"{name}: {r.get('id')} empty text")
        if not re.fullmatch(r"[a-z_]+/[a-z_]+", str(r.get("category"))):
            errors.append(f"{name}: {r.get('id')} bad category {r.get('category')!r}")
    byid = {r["id"]: r for r in full}
    dev_ids = [r["id"] for r in dev]
    held_ids = [r["id"] for r in held]
    if len(set(dev_ids)) != len(dev_ids) or len(set(held_ids)) != len(held_ids):
        errors.append(f"{name}: duplicate ids inside a split")
    if set(dev_ids) & set(held_ids):
        errors.append(f"{name}: dev and heldout overlap: {sorted(set(dev_ids) & set(held_ids))[:5]}")
    if set(dev_ids) | set(held_ids) != set(byid):
        errors.append(f"{name}: splits do not cover the full file exactly")
    for r in dev + held:
        if byid.get(r["id"]) != r:
            errors.append(f"{name}: split record {r['id']} differs from full file")
    if abs(len(dev) - len(held)) > 0.1 * len(full):
        errors.append(f"{name}: unbalanced split {len(dev)}/{len(held)}")
    print(f"{name}: {len(full)} items (dev {len(dev)}, heldout {len(held)})")

if errors:
    print("FAILED:")
    for e in errors:
        print("  " + e)
    sys.exit(1)
print("OK")
