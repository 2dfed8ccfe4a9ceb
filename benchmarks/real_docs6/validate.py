#!/usr/bin/env python3
"""Stdlib-only checks for questions_heldout.jsonl / unknown_codes.json."""
import json, os, re, html, subprocess, sys, collections
HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, 'docs')
KINDS = {'code', 'symptom', 'procedure', 'unknown_code', 'out_of_scope'}
KEYS = {'id', 'set', 'kind', 'question', 'source', 'page', 'anchor', 'key_fact', 'model'}
errs = []
def norm(t, is_html=False):
    if is_html:  # tag stripping only for HTML sources
        t = re.sub(r'(?s)<[^>]+>', ' ', t); t = html.unescape(t)
    return re.sub(r'\s+', ' ', t).strip().lower()
cache = {}
def text(s, src, page):
    k = (s, src, page)
    if k not in cache:
        p = os.path.join(DOCS, s, src)
        if p.endswith('.pdf'):
            raw = subprocess.run(['pdftotext', '-layout', '-f', str(page), '-l', str(page), p, '-'],
                                 capture_output=True, text=True).stdout
        else:
            raw = open(p, errors='replace').read()
        cache[k] = norm(raw, src.endswith(('.html', '.htm')))
    return cache[k]
rows = [json.loads(l) for l in open(os.path.join(HERE, 'questions_heldout.jsonl')) if l.strip()]
ids = collections.Counter(r.get('id') for r in rows)
for i, c in ids.items():
    if c > 1: errs.append('dup id %s' % i)
per = collections.Counter()
for r in rows:
    rid = r.get('id')
    if set(r) != KEYS: errs.append('%s keys %s' % (rid, sorted(set(r) ^ KEYS))); continue
    if r['kind'] not in KINDS: errs.append('%s bad kind' % rid)
    per[(r['set'], r['kind'])] += 1
    if not r['question'].strip(): errs.append('%s empty question' % rid)
    if r['kind'] in ('unknown_code', 'out_of_scope'):
        if any(r[k] is not None for k in ('source', 'page', 'anchor', 'key_fact')):
            errs.append('%s must have null source/page/anchor/key_fact' % rid)
        continue
    p = os.path.join(DOCS, r['set'], r['source'] or '')
    if not r['source'] or not os.path.isfile(p): errs.append('%s missing source %s' % (rid, r['source'])); continue
    if p.endswith('.pdf') != (r['page'] is not None): errs.append('%s page/pdf mismatch' % rid)
    n = len(r['anchor'].split())
    if not 8 <= n <= 15: errs.append('%s anchor has %d words' % (rid, n))
    t = text(r['set'], r['source'], r['page'])
    a, kf = norm(r['anchor']), norm(r['key_fact'])
    if a not in t: errs.append('%s anchor not in source' % rid); continue
    if kf not in t: errs.append('%s key_fact not in source' % rid); continue
    ok = False
    for m in re.finditer(re.escape(a), t):
        for m2 in re.finditer(re.escape(kf), t):
            if abs(m2.start() - m.start()) <= 1500 or abs(m2.end() - m.end()) <= 1500:
                ok = True; break
        if ok: break
    if not ok: errs.append('%s key_fact farther than 1500 chars from anchor' % rid)
sets = sorted({r['set'] for r in rows})
for s in sets:
    tot = sum(v for (ss, k), v in per.items() if ss == s)
    if tot < 80: errs.append('set %s has only %d questions' % (s, tot))
# unknown codes: absent from every file of every set
unk = json.load(open(os.path.join(HERE, 'unknown_codes.json')))
uq = {r['id'] for r in rows if r['kind'] == 'unknown_code'}
if {u['id'] for u in unk} != uq: errs.append('unknown_codes.json ids differ from unknown_code rows')
alltext = []
for root, dirs, files in os.walk(DOCS):
    dirs[:] = [d for d in dirs if not d.startswith('.')]
    for fn in files:
        if fn.startswith('.'): continue
        fp = os.path.join(root, fn)
        if fp.endswith('.pdf'):
            alltext.append(subprocess.run(['pdftotext', fp, '-'], capture_output=True, text=True).stdout.lower())
        else:
            raw = open(fp, errors='replace').read()
            alltext.append(raw.lower()); alltext.append(norm(raw, fp.endswith(('.html', '.htm'))))
for u in unk:
    c = u['code'].lower()
    if any(c in t for t in alltext): errs.append('unknown code %s (%s) occurs in docs' % (u['code'], u['id']))
    q = [r for r in rows if r['id'] == u['id']]
    if q and u['code'].lower() not in q[0]['question'].lower(): errs.append('%s question does not contain code' % u['id'])
for (s, k), v in sorted(per.items()): print('%-10s %-13s %d' % (s, k, v))
if errs:
    print('\n'.join(errs)); print('FAIL', len(errs)); sys.exit(1)
print('OK', len(rows), 'questions')
