#!/usr/bin/env python3
"""Assemble questions_heldout.jsonl and unknown_codes.json from q/<set>.py.
Each q/<set>.py defines ROWS: (kind, question, source, snippet, key_fact, model).
The snippet is a hand-picked verbatim passage; build.py only widens it
(following words, then preceding words) to reach 8 words or trims it to 15."""
import json, importlib.util, sys
from textutil import visible
SETS = ['cryptsetup', 'xfsprogs', 'ipmitool']
PREFIX = {'cryptsetup': 'hl-c', 'xfsprogs': 'hl-x', 'ipmitool': 'hl-i'}
def fix_anchor(words, snip):
    sw = snip.split(); n = len(sw)
    lw = [w.lower() for w in words]; ls = [w.lower() for w in sw]
    for i in range(len(words) - n + 1):
        if lw[i:i+n] == ls:
            s, e = i, i + n
            while e - s < 8 and e < len(words): e += 1
            while e - s < 8 and s > 0: s -= 1
            if e - s > 15: e = s + 15
            return ' '.join(words[s:e])
    raise SystemExit('snippet not found: %r' % snip)
out, unk = [], []
for st in SETS:
    spec = importlib.util.spec_from_file_location(st, 'q/%s.py' % st)
    m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
    for k, row in enumerate(m.ROWS, 1):
        kind, q, src, snip, kf, model = row
        rid = '%s-%03d' % (PREFIX[st], k)
        page = None
        if kind in ('unknown_code', 'out_of_scope'):
            anchor = None; src = None; kf = None
            if kind == 'unknown_code':
                unk.append({'id': rid, 'set': st, 'code': snip})
        else:
            anchor = fix_anchor(visible('docs/%s/%s' % (st, src)).split(), snip)
        out.append(dict(id=rid, set=st, kind=kind, question=q, source=src, page=page,
                        anchor=anchor, key_fact=kf, model=model))
with open('questions_heldout.jsonl', 'w') as f:
    for r in out: f.write(json.dumps(r, ensure_ascii=False) + '\n')
json.dump(unk, open('unknown_codes.json', 'w'), indent=1)
print(len(out), 'rows')
