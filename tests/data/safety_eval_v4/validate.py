#!/usr/bin/env python3
"""Validate the set-4 files written by build.py. Exit 1 on any failure."""
import json
import os
import re
import sys
import unicodedata
from collections import Counter
from itertools import combinations

HERE = os.path.dirname(os.path.abspath(__file__))
MIN_COUNT = 500
errors = []
warnings = []

# words that make a legit item a "hard negative" (safety device or trigger word)
HARD_WORDS = re.compile(
    r"interlock|guard|switch|curtain|scanner|e-?stop|emergency|relief|safety|"
    r"valve|fuse|breaker|rcd|rcbo|gfci|overload|limiter|limit|sto\b|relay|"
    r"plc|lock|tag|isolat|bypass|by-pass|bridg|jump|link|short|tape|magnet|"
    r"wedge|tie|override|over-ride|mute|muting|inhibit|force|disable|reset|"
    r"trip|cut-?out|cut-off|detector|alarm|flame|burner|purge|mat\b|edge|"
    r"two-hand|palm|enabling|deadman|hold-to-run|overtravel|blank|rupture|"
    r"disc\b|thermistor|earth|brake|monitor|shunt|protect", re.I)


def load(name):
    path = os.path.join(HERE, name)
    if not os.path.exists(path):
        errors.append("missing file " + name)
        return []
    recs = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            try:
                recs.append(json.loads(line))
            except ValueError as exc:
                errors.append("%s:%d bad json: %s" % (name, n, exc))
    return recs


# common Cyrillic/Greek lookalikes folded to Latin for the duplicate check
HOMOGLYPHS = str.maketrans(
    "\u0430\u0435\u043e\u0440\u0441\u0445\u0443\u0456\u0458\u0405\u0406\u0408"
    "\u0410\u0415\u041e\u0420\u0421\u0422\u041d\u041c\u041a\u0412\u03bf\u039f\u0399\u03a4\u0391",
    "aeopcxyijSIJAEOPCTHMKBoOITA")


def norm(text):
    t = unicodedata.normalize("NFKC", text).replace("\u200b", "").replace("\u00ad", "")
    t = t.translate(HOMOGLYPHS)
    return re.sub(r"\s+", "", t).casefold()


def tokens(text):
    t = unicodedata.normalize("NFKC", text).replace("\u200b", "").translate(HOMOGLYPHS).casefold()
    return re.findall(r"\w+", t)


def one_word_apart(a, b):
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= 1
    if len(a) > len(b):
        a, b = b, a
    for i in range(len(b)):
        if b[:i] + b[i + 1:] == a:
            return True
    return False


full = {}
for label in ("defeat", "legit"):
    recs = load(label + ".jsonl")
    full[label] = recs
    if len(recs) < MIN_COUNT:
        errors.append("%s: only %d items (< %d)" % (label, len(recs), MIN_COUNT))
    prefix = "d4-" if label == "defeat" else "l4-"
    for r in recs:
        for k in ("id", "text", "label", "category"):
            if k not in r:
                errors.append("%s: record missing %s: %r" % (label, k, r))
        if r.get("label") != label:
            errors.append("%s: wrong label on %s" % (label, r.get("id")))
        if not str(r.get("id", "")).startswith(prefix):
            errors.append("%s: bad id prefix %s" % (label, r.get("id")))
        if not str(r.get("text", "")).strip():
            errors.append("%s: empty text on %s" % (label, r.get("id")))
        if "[ZWSP]" in r.get("text", ""):
            errors.append("%s: unconverted [ZWSP] in %s" % (label, r.get("id")))
        if "/" not in r.get("category", ""):
            errors.append("%s: category not form/device on %s" % (label, r.get("id")))

all_recs = full["defeat"] + full["legit"]
ids = Counter(r.get("id") for r in all_recs)
for i, c in ids.items():
    if c > 1:
        errors.append("duplicate id %s" % i)
texts = {}
for r in all_recs:
    k = norm(r.get("text", ""))
    if k in texts:
        errors.append("duplicate text: %s and %s" % (texts[k], r.get("id")))
    else:
        texts[k] = r.get("id")

# near duplicates inside each class: token sequences one word apart
for label, recs in full.items():
    toks = [(r["id"], tokens(r["text"])) for r in recs]
    for (ia, ta), (ib, tb) in combinations(toks, 2):
        if one_word_apart(ta, tb):
            errors.append("near-duplicate (one word apart): %s / %s" % (ia, ib))
        else:
            sa, sb = set(ta), set(tb)
            if sa and sb and len(sa & sb) / len(sa | sb) > 0.8:
                warnings.append("similar wording: %s / %s" % (ia, ib))

# splits
for label, recs in full.items():
    dev = load(label + "_dev.jsonl")
    held = load(label + "_heldout.jsonl")
    d_ids = {r["id"] for r in dev}
    h_ids = {r["id"] for r in held}
    all_ids = {r["id"] for r in recs}
    if d_ids & h_ids:
        errors.append("%s: dev/heldout overlap: %s" % (label, sorted(d_ids & h_ids)[:5]))
    if (d_ids | h_ids) != all_ids or len(dev) + len(held) != len(recs):
        errors.append("%s: splits incomplete or contain extra ids" % label)
    by_id = {r["id"]: r for r in recs}
    for r in dev + held:
        if by_id.get(r["id"]) != r:
            errors.append("%s: split record differs from main file: %s" % (label, r["id"]))
    if abs(len(dev) - len(held)) > 1:
        errors.append("%s: split not half/half (%d/%d)" % (label, len(dev), len(held)))
    forms = {r["category"].split("/")[0] for r in recs}
    for f in sorted(forms):
        if not any(r["category"].startswith(f + "/") for r in dev):
            errors.append("%s: form %s missing from dev" % (label, f))
        if not any(r["category"].startswith(f + "/") for r in held):
            errors.append("%s: form %s missing from heldout" % (label, f))

# report
for label, recs in full.items():
    forms = Counter(r["category"].split("/")[0] for r in recs)
    devices = Counter(r["category"].split("/", 1)[1] for r in recs)
    obf = forms.get("obfuscated", 0)
    print("%s: %d items, %d forms, %d device tags, obfuscated %d (%.1f%%)"
          % (label, len(recs), len(forms), len(devices), obf,
             100.0 * obf / max(1, len(recs))))
    print("  forms: " + ", ".join("%s=%d" % kv for kv in sorted(forms.items())))
legit = full["legit"]
soft = [r for r in legit if "soft" in r.get("note", "")]
kw = [r for r in legit if HARD_WORDS.search(unicodedata.normalize("NFKC", r["text"]))]
hard = len(legit) - len(soft)
print("legit hard negatives (not marked soft): %d of %d (%.1f%%); keyword check matches %d"
      % (hard, len(legit), 100.0 * hard / max(1, len(legit)), len(kw)))
if hard * 4 < len(legit) * 3:
    errors.append("fewer than 3/4 of legit items are hard negatives")
lens = [len(r["text"].split()) for r in all_recs]
print("sentence length (words): min %d, max %d, >=40 words: %d"
      % (min(lens), max(lens), sum(1 for n in lens if n >= 40)))
for w in warnings:
    print("WARNING " + w)
for e in errors:
    print("ERROR " + e)
if errors:
    print("FAILED with %d errors" % len(errors))
    sys.exit(1)
print("OK")
