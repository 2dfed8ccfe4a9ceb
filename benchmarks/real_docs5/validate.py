#!/usr/bin/env python3
"""Validate questions_heldout.jsonl against docs/<set>/ (stdlib only; pdftotext or pypdf for PDFs)."""
import json, os, re, sys, html, subprocess, collections
ROOT = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(ROOT, "docs")
KEYS = {"id", "set", "kind", "question", "source", "page", "anchor", "key_fact", "model"}
KINDS = {"code", "symptom", "procedure", "unknown_code", "out_of_scope"}
errs = []
def err(m): errs.append(m)

def norm(t):
    return re.sub(r"\s+", " ", t).strip().lower()

def strip_tags(t):
    t = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", t)
    t = re.sub(r"(?s)<!--.*?-->", " ", t)
    t = re.sub(r"(?s)<[^>]+>", " ", t)
    return html.unescape(t)

def pdf_text(path, page=None):
    args = ["pdftotext", "-layout"]
    if page: args += ["-f", str(page), "-l", str(page)]
    try:
        return subprocess.run(args + [path, "-"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        from pypdf import PdfReader
        r = PdfReader(path)
        pages = [r.pages[page - 1]] if page else r.pages
        return "\n".join(p.extract_text() or "" for p in pages)

_cache = {}
def text_of(path, page=None):
    k = (path, page)
    if k not in _cache:
        if path.lower().endswith(".pdf"):
            t = pdf_text(path, page)
        else:
            t = open(path, encoding="utf-8", errors="replace").read()
            if path.lower().endswith((".html", ".htm")):
                t = strip_tags(t)
        _cache[k] = norm(t)
    return _cache[k]

def set_files(s):
    out = []
    for dp, dn, fn in os.walk(os.path.join(DOCS, s)):
        dn[:] = [d for d in dn if not d.startswith(".")]
        out += [os.path.join(dp, f) for f in fn if not f.startswith(".")]
    return sorted(out)

rows = []
with open(os.path.join(ROOT, "questions_heldout.jsonl"), encoding="utf-8") as f:
    for ln, line in enumerate(f, 1):
        if not line.strip(): continue
        try: rows.append(json.loads(line))
        except json.JSONDecodeError as e: err(f"line {ln}: bad json {e}")
ids = collections.Counter(r.get("id") for r in rows)
for i, c in ids.items():
    if c > 1: err(f"duplicate id {i}")
per_set = collections.Counter()
per_kind = collections.defaultdict(collections.Counter)
for r in rows:
    rid = r.get("id")
    if set(r) != KEYS: err(f"{rid}: keys {sorted(set(r) ^ KEYS)}"); continue
    if r["kind"] not in KINDS: err(f"{rid}: bad kind {r['kind']}")
    if not os.path.isdir(os.path.join(DOCS, r["set"])): err(f"{rid}: unknown set {r['set']}")
    if not r["question"].strip(): err(f"{rid}: empty question")
    per_set[r["set"]] += 1; per_kind[r["set"]][r["kind"]] += 1
    if r["kind"] in ("unknown_code", "out_of_scope"):
        for k in ("source", "anchor", "key_fact", "page"):
            if r[k] is not None: err(f"{rid}: {k} must be null for {r['kind']}")
        continue
    src = os.path.join(DOCS, r["set"], r["source"] or "")
    if not r["source"] or not os.path.isfile(src): err(f"{rid}: missing source {r['source']}"); continue
    if src.lower().endswith(".pdf"):
        if not isinstance(r["page"], int) or r["page"] < 1: err(f"{rid}: pdf needs page")
    elif r["page"] is not None: err(f"{rid}: page must be null for non-pdf")
    a, kf = r["anchor"] or "", r["key_fact"] or ""
    nw = len(a.split())
    if not 8 <= nw <= 15: err(f"{rid}: anchor has {nw} words")
    if not kf.strip(): err(f"{rid}: empty key_fact")
    t = text_of(src, r["page"] if src.lower().endswith(".pdf") else None)
    na, nk = norm(a), norm(kf)
    pos = t.find(na)
    if pos < 0: err(f"{rid}: anchor not found in {r['source']}: {a!r}"); continue
    kpos = [m.start() for m in re.finditer(re.escape(nk), t)] if nk else []
    if not kpos: err(f"{rid}: key_fact not found in {r['source']}: {kf!r}"); continue
    aend = pos + len(na)
    near = any((k + len(nk) >= pos - 1500) and (k <= aend + 1500) for k in kpos)
    if not near: err(f"{rid}: key_fact not within 1500 chars of anchor")
for s, n in per_set.items():
    if n < 80: err(f"set {s}: only {n} questions")
# unknown codes
unk = json.load(open(os.path.join(ROOT, "unknown_codes.json"), encoding="utf-8"))
uk_ids = {u["id"] for u in unk}
for r in rows:
    if r.get("kind") == "unknown_code" and r["id"] not in uk_ids: err(f"{r['id']}: no entry in unknown_codes.json")
byid = {r.get("id"): r for r in rows}
all_sets = sorted(d for d in os.listdir(DOCS) if os.path.isdir(os.path.join(DOCS, d)) and not d.startswith("."))
for u in unk:
    code = norm(u["code"])
    if u["id"] not in byid or byid[u["id"]]["kind"] != "unknown_code": err(f"unknown_codes: {u['id']} not an unknown_code row")
    elif code not in norm(byid[u["id"]]["question"]): err(f"{u['id']}: code {u['code']!r} not in question")
    for s in all_sets:
        for p in set_files(s):
            if code in text_of(p): err(f"unknown code {u['code']!r} occurs in {os.path.relpath(p, DOCS)}")
for s in sorted(per_kind):
    print(s, per_set[s], dict(per_kind[s]))
if errs:
    print("\n".join(errs[:200])); print(f"FAIL: {len(errs)} errors"); sys.exit(1)
print(f"OK: {len(rows)} questions")
