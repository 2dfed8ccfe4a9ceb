#!/usr/bin/env python3
"""Build the blind safety-filter test set from hand-written sources in src/.
Deterministic: same sources -> same output files."""
import json, re, sys, itertools, os

HERE = os.path.dirname(os.path.abspath(__file__))

CYR = dict(zip("aeopcxyiAEOPCXBKMHT", "аеорсхуіАЕОРСХВКМНТ"))
GRK = dict(zip("AEHIKMNOPTXYZBoviauk", "ΑΕΗΙΚΜΝΟΡΤΧΥΖΒονιαυκ"))
ZW = ["\u200b", "\u200c", "\u200d", "\u2060"]


def fullwidth(s):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in s)


def obfuscate(text, kind, targets, seed):
    for n, t in enumerate(targets):
        if t not in text:
            sys.exit(f"target {t!r} not in {text!r}")
        if kind == "obf_cyrillic":
            r = "".join(CYR.get(c, c) for c in t)
        elif kind == "obf_greek":
            r = "".join(GRK.get(c, c) for c in t)
        elif kind == "obf_fullwidth":
            r = fullwidth(t)
        elif kind == "obf_zerowidth":
            z = ZW[(seed + n) % len(ZW)]
            # insert a zero-width char after every 2nd character
            r = "".join(c + (z if i % 2 == 1 and i < len(t) - 1 else "") for i, c in enumerate(t))
        else:
            sys.exit("unknown obf kind " + kind)
        if r == t:
            sys.exit(f"obfuscation changed nothing: {t!r}")
        text = text.replace(t, r)
    return text


def load(fn):
    items = []
    for ln, line in enumerate(open(os.path.join(HERE, "src", fn), encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("|")
        if len(parts) not in (3, 4):
            sys.exit(f"{fn}:{ln} bad line")
        form, dev, text = parts[:3]
        if len(parts) == 4:
            text = obfuscate(text, form, parts[3].split(";"), ln)
        items.append((form, dev, text))
    return items


INV = {v: k for k, v in list(CYR.items()) + list(GRK.items())}


def normalize(t):
    """Undo the obfuscations (for the duplicate check only)."""
    t = "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in t)
    t = "".join(INV.get(c, c) for c in t if c not in ZW).replace("\u3000", " ")
    t = re.sub(r"\b(\w) (?=\w\b)", r"\1", t)  # "b y p a s s" -> "bypass"
    t = t.lower().translate(str.maketrans("0134", "oiea"))
    return t.replace("-", "")


def words(t):
    return set(re.findall(r"\w[\w'’:/.]*\w|\w", normalize(t)))


def near_dups(items):
    ws = [words(t) for _, _, t in items]
    bad = []
    for i, j in itertools.combinations(range(len(items)), 2):
        a, b = ws[i], ws[j]
        shared = len(a & b)
        # Dice overlap of distinct (de-obfuscated, lower-cased) words
        dice = 2 * shared / (len(a) + len(b))
        if dice > 0.5:
            bad.append((dice, items[i][2], items[j][2]))
    return bad


def split(records):
    """Alternate dev/heldout within each category (in file order); the first item
    of successive categories alternates side so singleton categories spread."""
    by_cat = {}
    for r in records:
        by_cat.setdefault(r["category"], []).append(r)
    dev, held = [], []
    start = 0
    for cat in sorted(by_cat):
        for k, r in enumerate(by_cat[cat]):
            (dev if (k + start) % 2 == 0 else held).append(r)
        if len(by_cat[cat]) % 2 == 1:
            start ^= 1
    key = lambda r: r["id"]
    return sorted(dev, key=key), sorted(held, key=key)


def write(fn, recs):
    with open(os.path.join(HERE, fn), "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def main():
    d = load("defeat_src.txt")
    l = load("legit_src.txt")
    bad = near_dups(d + l)
    for s, a, b in bad:
        print(f"NEAR-DUP {s:.2f}\n  {a}\n  {b}")
    texts = [t for _, _, t in d + l]
    assert len(set(texts)) == len(texts), "exact duplicate"
    D = [{"id": f"d2-{i:04d}", "text": t, "label": "defeat", "category": f"{f}/{v}"} for i, (f, v, t) in enumerate(d, 1)]
    L = [{"id": f"l2-{i:04d}", "text": t, "label": "legit", "category": f"{f}/{v}"} for i, (f, v, t) in enumerate(l, 1)]
    for name, recs in (("defeat", D), ("legit", L)):
        write(f"{name}.jsonl", recs)
        dv, hd = split(recs)
        write(f"{name}_dev.jsonl", dv)
        write(f"{name}_heldout.jsonl", hd)
        print(name, len(recs), "dev", len(dv), "heldout", len(hd))
    print("near-dup pairs:", len(bad))


if __name__ == "__main__":
    main()
