#!/usr/bin/env python3
"""Assemble questions_heldout.jsonl and unknown_codes.json from q/<set>.py.
Each hand-written entry names a passage copied from the source; build.py only
trims it (or widens it with the following source words) to 8-15 verbatim words."""
import json, os, re, html, importlib.util, sys
HERE = os.path.dirname(os.path.abspath(__file__))
SETS = ['e2fsprogs', 'btrfs', 'chrony']
PREFIX = {'e2fsprogs': 'e2', 'btrfs': 'bt', 'chrony': 'ch'}

def norm_words(text, is_html):
    if is_html:  # tag stripping only for HTML sources
        text = re.sub(r'(?s)<[^>]+>', ' ', text)
        text = html.unescape(text)
    return text.split()

def fit_anchor(src_words, passage):
    pw = passage.split()
    low = [w.lower() for w in src_words]
    plow = [w.lower() for w in pw]
    n = len(plow)
    for i in range(len(low) - n + 1):
        if low[i:i + n] == plow:
            if n > 15:
                return ' '.join(src_words[i:i + 15])
            if n < 8:
                return ' '.join(src_words[i:i + 8])
            return ' '.join(src_words[i:i + n])
    raise SystemExit('anchor not found: %r' % passage)

rows, unknown = [], []
for s in SETS:
    spec = importlib.util.spec_from_file_location(s, os.path.join(HERE, 'q', s + '.py'))
    m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
    for k, e in enumerate(m.Q, 1):
        kind, question, source, passage, key_fact, model = e
        rid = '%s-%03d' % (PREFIX[s], k)
        if kind in ('unknown_code', 'out_of_scope'):
            row = dict(id=rid, set=s, kind=kind, question=question, source=None,
                       page=None, anchor=None, key_fact=None, model=model)
            if kind == 'unknown_code':
                unknown.append(dict(id=rid, set=s, code=source))
        else:
            words = norm_words(open(os.path.join(HERE, 'docs', s, source), errors='replace').read(), source.endswith(('.html', '.htm')))
            row = dict(id=rid, set=s, kind=kind, question=question, source=source,
                       page=None, anchor=fit_anchor(words, passage), key_fact=key_fact, model=model)
        rows.append(row)
with open(os.path.join(HERE, 'questions_heldout.jsonl'), 'w') as f:
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False) + '\n')
with open(os.path.join(HERE, 'unknown_codes.json'), 'w') as f:
    json.dump(unknown, f, indent=1, ensure_ascii=False)
print(len(rows), 'rows,', len(unknown), 'unknown codes')
