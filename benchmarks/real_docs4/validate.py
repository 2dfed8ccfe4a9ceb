#!/usr/bin/env python3
"""Validate questions_heldout.jsonl against the extracted docs (stdlib only).
usage: validate.py [DOCS_DIR] [QUESTIONS_JSONL]"""
import html, json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "docs")
QFILE = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "questions_heldout.jsonl")
KEYS = {"id", "set", "kind", "question", "source", "page", "anchor", "key_fact", "model"}
KINDS = {"code", "symptom", "procedure", "unknown_code", "out_of_scope"}
SETS = {"sane", "openiscsi", "multipath"}
MIN_PER_SET = 80
UFILE = os.path.join(os.path.dirname(os.path.abspath(QFILE)), "unknown_codes.json")
UNKNOWN = json.load(open(UFILE)) if os.path.exists(UFILE) else {}

def norm(s):
    return re.sub(r"\s+", " ", s).strip().lower()

def load_text(path):
    raw = open(path, encoding="utf-8", errors="replace").read()
    if path.lower().endswith((".html", ".htm")):
        raw = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", raw)
        raw = re.sub(r"(?s)<!--.*?-->", " ", raw)
        raw = re.sub(r"(?s)<[^>]+>", " ", raw)
        raw = html.unescape(raw)
    return norm(raw)

_cache = {}
def set_texts(s):
    if s not in _cache:
        d = os.path.join(DOCS, s)
        _cache[s] = {f: load_text(os.path.join(d, f)) for f in sorted(os.listdir(d))
                     if os.path.isfile(os.path.join(d, f))}
    return _cache[s]

def main():
    errs = []
    seen = set()
    counts = {}
    with open(QFILE, encoding="utf-8") as fh:
        lines = [l for l in fh if l.strip()]
    for n, line in enumerate(lines, 1):
        try:
            q = json.loads(line)
        except Exception as e:
            errs.append(f"line {n}: bad json {e}"); continue
        qid = q.get("id")
        def err(m): errs.append(f"{qid or 'line '+str(n)}: {m}")
        if set(q) != KEYS:
            err(f"keys {sorted(set(q) ^ KEYS)}"); continue
        if qid in seen: err("duplicate id")
        seen.add(qid)
        s, k = q["set"], q["kind"]
        if s not in SETS: err(f"bad set {s}"); continue
        if not re.fullmatch(re.escape(s) + r"-\d{3}", qid or ""): err("id format")
        if k not in KINDS: err(f"bad kind {k}"); continue
        if not isinstance(q["question"], str) or len(q["question"].strip()) < 8: err("question too short")
        counts.setdefault(s, {}).setdefault(k, 0)
        counts[s][k] += 1
        texts = set_texts(s)
        if k in ("unknown_code", "out_of_scope"):
            for f in ("source", "page", "anchor", "key_fact"):
                if q[f] is not None: err(f"{f} must be null for {k}")
            if k == "unknown_code":
                c = UNKNOWN.get(qid)
                if not c: err("no entry in unknown_codes.json")
                else:
                    if norm(c) not in norm(q["question"]): err(f"code {c!r} not in question")
                    hits = [f for f, t in texts.items() if norm(c) in t]
                    if hits: err(f"unknown code {c!r} found in {hits[:3]}")
            continue
        src = q["source"]
        if src not in texts: err(f"source {src!r} not in set"); continue
        if q["page"] is not None and not (isinstance(q["page"], int) and q["page"] >= 1): err("bad page")
        if q["page"] is not None and not src.lower().endswith(".pdf"): err("page given for non-PDF")
        a, kf = q["anchor"], q["key_fact"]
        if not a or not kf: err("anchor/key_fact required"); continue
        t = texts[src]
        na, nk = norm(a), norm(kf)
        wc = len(a.split())
        if not (8 <= wc <= 15): err(f"anchor word count {wc}")
        if na not in t: err(f"anchor not found in {src}: {a!r}")
        if nk not in t: err(f"key_fact not found in {src}: {kf!r}")
        # key fact should sit in the answering passage: within 1500 chars of the anchor
        if na in t and nk in t:
            ok = False
            for m in re.finditer(re.escape(na), t):
                win = t[max(0, m.start() - 1500): m.end() + 1500]
                if nk in win: ok = True; break
            if not ok: err("key_fact not near anchor")
    for s in SETS:
        tot = sum(counts.get(s, {}).values())
        if tot < MIN_PER_SET: errs.append(f"set {s}: only {tot} questions")
    for s in sorted(counts):
        print(s, sum(counts[s].values()), dict(sorted(counts[s].items())))
    print("total", len(lines))
    if errs:
        print(f"\n{len(errs)} ERRORS:"); [print(" ", e) for e in errs[:200]]
        sys.exit(1)
    print("OK")

if __name__ == "__main__":
    main()
