#!/usr/bin/env python3
"""Validate questions_heldout.jsonl against docs/ (stdlib only)."""
import json, os, re, sys
from textutil import visible, norm
KEYS = ['id', 'set', 'kind', 'question', 'source', 'page', 'anchor', 'key_fact', 'model']
KINDS = {'code', 'symptom', 'procedure', 'unknown_code', 'out_of_scope'}
SETS = ['cryptsetup', 'xfsprogs', 'ipmitool']
errs = []
rows = [json.loads(l) for l in open('questions_heldout.jsonl', encoding='utf-8') if l.strip()]
ids = set()
count = {}
cache = {}
def texts(path):
    if path not in cache:
        cache[path] = (norm(visible(path, ' ')), norm(visible(path, '')))
    return cache[path]
for r in rows:
    rid = r.get('id')
    if list(r.keys()) != KEYS: errs.append('%s: keys %s' % (rid, list(r.keys())))
    if rid in ids: errs.append('%s: duplicate id' % rid)
    ids.add(rid)
    if r['kind'] not in KINDS: errs.append('%s: bad kind' % rid)
    if r['set'] not in SETS: errs.append('%s: bad set' % rid)
    count[r['set']] = count.get(r['set'], 0) + 1
    if not r['question'].strip(): errs.append('%s: empty question' % rid)
    if r['kind'] in ('unknown_code', 'out_of_scope'):
        for k in ('source', 'page', 'anchor', 'key_fact'):
            if r[k] is not None: errs.append('%s: %s must be null' % (rid, k))
        continue
    path = os.path.join('docs', r['set'], r['source'] or '')
    if not os.path.isfile(path): errs.append('%s: missing source %s' % (rid, path)); continue
    if r['page'] is not None and not path.endswith('.pdf'): errs.append('%s: page must be null' % rid)
    n = len(r['anchor'].split())
    if not 8 <= n <= 15: errs.append('%s: anchor has %d words' % (rid, n))
    a, kf = norm(r['anchor']), norm(r['key_fact'])
    ok = False
    for t in texts(path):
        i = t.find(a)
        if i < 0: continue
        # key_fact within 1500 characters of the anchor
        lo, hi = max(0, i - 1500), i + len(a) + 1500
        if kf in t[lo:hi]: ok = True; break
    if not ok:
        if all(a not in t for t in texts(path)): errs.append('%s: anchor not in source' % rid)
        else: errs.append('%s: key_fact not within 1500 chars of anchor' % rid)
for s in SETS:
    if count.get(s, 0) < 80: errs.append('%s: only %d questions' % (s, count.get(s, 0)))
# unknown codes: absent from every file of every set
unk = json.load(open('unknown_codes.json', encoding='utf-8'))
uq = {r['id'] for r in rows if r['kind'] == 'unknown_code'}
if {u['id'] for u in unk} != uq: errs.append('unknown_codes.json ids do not match unknown_code rows')
allfiles = []
for s in SETS:
    for dp, dn, fn in os.walk(os.path.join('docs', s)):
        for f in fn: allfiles.append(os.path.join(dp, f))
blob = [(f, open(f, encoding='utf-8', errors='replace').read().lower()) for f in allfiles]
blob += [(f + ' (visible)', ' '.join(visible(f).split()).lower()) for f in allfiles if f.endswith('.html')]
for u in unk:
    c = u['code'].lower()
    for f, t in blob:
        if c in t: errs.append('%s: unknown code %r found in %s' % (u['id'], u['code'], f)); break
    q = [r for r in rows if r['id'] == u['id']][0]['question'].lower()
    if c not in q: errs.append('%s: code %r not in question text' % (u['id'], u['code']))
for e in errs: print('ERROR', e)
print('%d rows, %d errors' % (len(rows), len(errs)))
sys.exit(1 if errs else 0)
